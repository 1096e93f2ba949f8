// The Event Grid publisher over real HTTPS to a loopback receiver: request bodies, content type,
// key auth and identity auth, and how failures are reported.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { agentPolicy } from "@azure/core-rest-pipeline";
import {
  createLogger,
  createPublisher,
  EventGridPublisher,
  INCIDENT_EVENT_TYPE,
  type IncidentEventData,
} from "../../lib/publish/index";
import type { Finding } from "../../lib/review/types";
import { PermissionError, TransientError } from "../../lib/tenant/errors";
import { incident } from "../store/contract";
import { startHttpsReceiver, type HttpsReceiver } from "../support/tls-receiver";

let receiver: HttpsReceiver;
before(async () => {
  receiver = await startHttpsReceiver();
});
after(async () => {
  await receiver.stop();
});

const SUB = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
const findings: Finding[] = [
  {
    rule: "RA-EXTERNAL-PRINCIPAL",
    severity: "high",
    reason: "Owner granted to a guest",
    action: "delete-assignment",
    assignmentId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000001`,
    principalId: "7f1e2d3c-4b5a-4968-8776-655443322110",
    roleName: "Owner",
    decision: "flagged",
  },
  {
    rule: "RP-UNREGISTERED",
    severity: "critical",
    reason: "Defender blinded",
    action: "register-provider",
    namespace: "Microsoft.Security",
    decision: "planned",
  },
];
const reviewed = incident({ status: "reviewed", findings, updatedAt: "2025-03-14T09:30:00.000Z" });

/** Trust the receiver's test certificate, and fail fast instead of retrying for seconds. */
const clientOptions = () => ({
  additionalPolicies: [{ policy: agentPolicy(receiver.agent), position: "perCall" as const }],
  retryOptions: { maxRetries: 0 },
});

class FixedToken implements TokenCredential {
  scopes: string[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return { token: "test-access-token", expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

test("key auth: one CloudEvent per incident, batch content type, aeg-sas-key header", async () => {
  receiver.requests.length = 0;
  const publisher = EventGridPublisher.withKey(`${receiver.url}/api/events`, "topic-key-123", {
    clientOptions: clientOptions(),
  });
  await publisher.publishIncident(reviewed);
  assert.equal(receiver.requests.length, 1);
  const [req] = receiver.requests;
  assert.equal(req?.method, "POST");
  assert.match(req?.url ?? "", /^\/api\/events\?api-version=/);
  assert.match(String(req?.headers["content-type"]), /^application\/cloudevents-batch\+json/);
  assert.equal(req?.headers["aeg-sas-key"], "topic-key-123");
  assert.equal(req?.headers.authorization, undefined);

  const batch = JSON.parse(req?.body ?? "[]") as Array<Record<string, unknown>>;
  assert.equal(batch.length, 1);
  const [ce] = batch;
  assert.equal(ce?.specversion, "1.0");
  assert.equal(ce?.type, INCIDENT_EVENT_TYPE);
  assert.equal(ce?.source, `/unregister-responder/${SUB}`);
  assert.equal(ce?.subject, `/subscriptions/${SUB}/providers/Microsoft.Security`);
  assert.equal(ce?.time, "2025-03-14T09:30:00.000Z");
  assert.match(String(ce?.id), /^[0-9a-f]{8}-[0-9a-f]{4}-/);
  const data = ce?.data as IncidentEventData;
  assert.equal(data.incidentId, "inc-1");
  assert.equal(data.operationKey, reviewed.operationKey);
  assert.equal(data.classification.kind, "provider-unregister");
  assert.equal(data.actor.objectId, "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170");
  assert.deepEqual(
    data.findings.map((f) => [f.rule, f.decision]),
    [
      ["RA-EXTERNAL-PRINCIPAL", "flagged"],
      ["RP-UNREGISTERED", "planned"],
    ],
  );
  assert.deepEqual(data.counts, {
    findings: 2,
    bySeverity: { high: 1, critical: 1 },
    byDecision: { flagged: 1, planned: 1 },
  });
  assert.match(
    data.links.activityLogPortal,
    /^https:\/\/portal\.azure\.com\/#@7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d\/resource\/subscriptions\//,
  );
  assert.match(data.links.azCli ?? "", /--correlation-id 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d/);
});

test("identity auth: Bearer token for the Event Grid scope, no key header", async () => {
  receiver.requests.length = 0;
  const credential = new FixedToken();
  const publisher = createPublisher(
    {
      findingsTopicEndpoint: `${receiver.url}/api/events`,
      findingsTopicKey: null,
      azureClientId: null,
      cloud: "AzurePublicCloud",
    },
    credential,
    { clientOptions: clientOptions(), logger: createLogger(() => {}) },
  );
  await publisher.publishIncident(reviewed);
  const [req] = receiver.requests;
  assert.equal(req?.headers.authorization, "Bearer test-access-token");
  assert.equal(req?.headers["aeg-sas-key"], undefined);
  assert.deepEqual(credential.scopes, ["https://eventgrid.azure.net/.default"]);
  assert.equal((JSON.parse(req?.body ?? "[]") as unknown[]).length, 1);
});

test("the same incident state always gets the same CloudEvent id (consumers can drop redeliveries)", async () => {
  receiver.requests.length = 0;
  const publisher = EventGridPublisher.withKey(`${receiver.url}/api/events`, "k", {
    clientOptions: clientOptions(),
  });
  await publisher.publishIncident(reviewed);
  await publisher.publishIncident(reviewed);
  await publisher.publishIncident({ ...reviewed, updatedAt: "2025-03-14T10:00:00.000Z" });
  const ids = receiver.requests.map((r) => (JSON.parse(r.body) as Array<{ id: string }>)[0]?.id);
  assert.equal(ids[0], ids[1]);
  assert.notEqual(ids[0], ids[2]);
});

test("failures: 503 is transient, 401 names the missing permission; both are logged without the key", async () => {
  const lines: string[] = [];
  const publisher = EventGridPublisher.withKey(`${receiver.url}/api/events`, "topic-key-secret", {
    clientOptions: clientOptions(),
    logger: createLogger((line) => lines.push(line)),
  });
  receiver.replyWith({ status: 503, body: '{"error":{"code":"ServiceUnavailable","message":"busy"}}' });
  await assert.rejects(publisher.publishIncident(reviewed), TransientError);
  receiver.replyWith({ status: 401, body: '{"error":{"code":"Unauthorized","message":"no"}}' });
  await assert.rejects(publisher.publishIncident(reviewed), (err: unknown) => {
    assert.ok(err instanceof PermissionError);
    assert.equal(err.action, "Microsoft.EventGrid/events/send/action");
    return true;
  });
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => JSON.parse(l).level === "error" && JSON.parse(l).incidentId === "inc-1"));
  assert.ok(!lines.join("\n").includes("topic-key-secret"));
});

test("an unreachable topic is a TransientError", async () => {
  const publisher = EventGridPublisher.withKey("https://127.0.0.1:9/api/events", "k", {
    clientOptions: clientOptions(),
  });
  await assert.rejects(publisher.publishIncident(reviewed), TransientError);
});

test("no endpoint configured: a log-only publisher that says so", async () => {
  const lines: string[] = [];
  const publisher = createPublisher(
    { findingsTopicEndpoint: null, findingsTopicKey: null, azureClientId: null, cloud: "AzurePublicCloud" },
    undefined,
    { logger: createLogger((line) => lines.push(line)) },
  );
  await publisher.publishIncident(reviewed);
  assert.equal(lines.length, 1);
  const line = JSON.parse(lines[0] ?? "{}");
  assert.match(line.msg, /FINDINGS_TOPIC_ENDPOINT not set/);
  assert.equal(line.incidentId, "inc-1");
  assert.equal(line.counts.findings, 2);
});
