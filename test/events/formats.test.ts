// Every captured format, from real recorded data (test/fixtures) and the demo samples.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { EventGridDeserializer } from "@azure/eventgrid";
import { parseDocument, normalizeEventGridEvent } from "../../lib/events/index";
import type { ActivityEvent, IntakeItem } from "../../lib/events/types";
import { FIXTURES, SAMPLES, readAll } from "./_helpers";

const json = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));
const one = (items: IntakeItem[]): ActivityEvent => {
  assert.equal(items.length, 1);
  const item = items[0]!;
  assert.ok(!("rejected" in item), `rejected: ${"rejected" in item ? item.error : ""}`);
  return item as ActivityEvent;
};

test("Event Grid Failure example: the event type wins over data.status, with a note", () => {
  const e = one(
    parseDocument(
      json(`${FIXTURES}/eventgrid-examples/event-grid-schema/resource_action_failure.json`),
      "f:1",
    ),
  );
  assert.equal(e.source, "eventgrid");
  assert.equal(e.status, "failed");
  assert.ok(e.notes.some((n) => /data.status says "Succeeded".*event type wins/.test(n)));
  assert.equal(e.eventType, "Microsoft.Resources.ResourceActionFailure");
  assert.equal(e.operationNameLower, "microsoft.eventhub/namespaces/authorizationrules/listkeys/action");
});

test("documentation placeholders are not GUIDs: null plus a note, never a crash", () => {
  const e = one(
    parseDocument(
      json(`${FIXTURES}/eventgrid-examples/event-grid-schema/resource_write_failure.json`),
      "f:1",
    ),
  );
  assert.equal(e.subscriptionId, null);
  assert.equal(e.correlationId, null);
  assert.ok(e.notes.some((n) => n.includes("{subscription-id}")));
  assert.match(e.time, /^2018-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/); // 7 fractional digits → toISOString
});

test("every real Event Grid and CloudEvents example normalises", async () => {
  const { events, rejected } = await readAll([`${FIXTURES}/eventgrid-examples`], { all: true });
  assert.equal(rejected.length, 0);
  assert.equal(events.length, 7);
  assert.deepEqual(new Set(events.map((e) => e.source)), new Set(["eventgrid", "cloudevents"]));
});

test("alerts: activity-log alerts become events; metric alerts are rejected with a reason", async () => {
  const { events, rejected } = await readAll([`${FIXTURES}/alerts`], { all: true });
  const admin = events.find((e) => e.where.includes("testaction-activitylog-administrative"));
  assert.ok(admin);
  assert.equal(admin.source, "alert");
  assert.equal(admin.subscriptionId, "11111111-1111-1111-1111-111111111111");
  assert.equal(admin.actor.type, "user"); // claims "{}", caller is a UPN
  assert.equal(admin.actor.upn, "user-email@domain.com");
  const metric = rejected.find((r) => r.where.includes("common-schema-sample-metric-full"));
  assert.ok(metric);
  assert.match(metric.error, /no activity-log operation/);
  assert.ok(events.length >= 6, "every alertContext sample with an operation is read");
});

test("panther diagnostic records: hybrid operationName {value}, non-GUID correlation ids noted", async () => {
  const { events, rejected } = await readAll([`${FIXTURES}/activitylogs`], { all: true });
  assert.equal(rejected.length, 0);
  assert.equal(events.length, 4);
  assert.ok(events.every((e) => e.source === "diagnostic"));
  assert.equal(events[3]!.operationName, "Microsoft.Authorization/elevateAccess/action");
  assert.equal(events[3]!.status, "succeeded");
  assert.equal(events[3]!.actor.type, "user");
  assert.ok(events[1]!.notes.some((n) => /correlationId "h3g4f5e6/.test(n)));
  assert.equal(events[0]!.evidence.roleDefinitionId, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
});

test("samples: every scenario row in its format, with the scenario's ids", async () => {
  const { events, rejected } = await readAll([SAMPLES], { all: true });
  const byCorrelation = (c: string) => events.filter((e) => e.correlationId === c);
  const e4 = byCorrelation("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d");
  assert.deepEqual(new Set(e4.map((e) => e.source)), new Set(["eventgrid", "activitylog", "diagnostic"]));
  assert.deepEqual(new Set(e4.map((e) => e.status)), new Set(["started", "succeeded"]));
  const eg4 = e4.find((e) => e.source === "eventgrid")!;
  assert.equal(eg4.time, "2025-03-14T09:26:53.589Z");
  assert.deepEqual(eg4.actor, {
    objectId: "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
    type: "user",
    upn: "alex.doe@contoso.example",
    appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    ipAddress: "203.0.113.24",
    tenantId: "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
  });
  assert.equal(eg4.evidence.roleAssignmentId, "33333333-0000-4000-8000-000000000001");

  const e6 = byCorrelation("c0000000-0000-4000-8000-000000000006");
  assert.deepEqual(e6.map((e) => e.source).sort(), ["cloudevents", "deadletter"]);
  assert.ok(
    e6.every(
      (e) =>
        e.actor.type === "servicePrincipal" && e.actor.objectId === "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
    ),
  );
  assert.ok(e6.find((e) => e.source === "deadletter")!.notes[0]!.includes("MaxDeliveryAttemptsExceeded"));

  const e7 = byCorrelation("c0000000-0000-4000-8000-000000000007").find((e) => e.status === "succeeded")!;
  assert.equal(e7.source, "diagnostic");
  assert.equal(e7.actor.type, "managedIdentity");
  assert.match(e7.actor.miResourceId!, /userAssignedIdentities\/id-runner$/);
  assert.equal(e7.subscriptionId, "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b"); // from /SUBSCRIPTIONS/3F2B…
  assert.equal(e7.evidence.principalId, "d4c3b2a1-f0e9-4d8c-9b7a-6f5e4d3c2b1a"); // dashless, upper case in the file

  const e8 = byCorrelation("c0000000-0000-4000-8000-000000000008")[0]!;
  assert.equal(e8.source, "alert");
  assert.equal(e8.status, "failed");
  assert.equal(e8.actor.objectId, "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170"); // from claims given as a JSON string
  assert.equal(e8.time, "2025-03-14T13:26:53.589Z");

  const dev = events.filter((e) => e.subscriptionId === "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d");
  assert.deepEqual(
    new Set(dev.map((e) => e.operationName)),
    new Set([
      "Microsoft.Kusto/unregister/action",
      "Microsoft.Kusto/register/action",
      "Microsoft.Features/providers/features/unregister/action",
      "Microsoft.Features/providers/features/register/action",
    ]),
  );
  // Escaped copies decode to the plain operation names.
  assert.ok(
    events.some(
      (e) => e.operationName === "MICROSOFT.SECURITY/UNREGISTER/ACTION" && e.source === "diagnostic",
    ),
  );
  assert.ok(
    events.some(
      (e) => e.operationName === "Microsoft.Authorization/roleAssignments/write" && e.source === "diagnostic",
    ),
  );
  assert.ok(events.some((e) => e.operationName === "Microsoft.Security/Unregister/action"));
  // Outcomes and caller types all appear.
  assert.deepEqual(
    new Set(events.map((e) => e.status)),
    new Set(["started", "succeeded", "failed", "canceled", "accepted", "other"]),
  );
  assert.deepEqual(
    new Set(events.map((e) => e.actor.type)),
    new Set(["user", "servicePrincipal", "managedIdentity", "unknown"]),
  );
  assert.equal(rejected.length, 3);
  assert.ok(
    rejected.every((r) =>
      r.where.startsWith("samples/events/mixed/E13-other-kinds-escaping-malformed.jsonl:"),
    ),
  );
});

test("the Event Grid samples pass @azure/eventgrid's own deserializer (they are real wire shape)", async () => {
  const deserializer = new EventGridDeserializer();
  for (const name of [
    "E1-role-assignment-write-guest-owner",
    "E4-security-unregister",
    "E12-policyinsights-unregister-spoofed",
  ]) {
    const events = await deserializer.deserializeEventGridEvents(
      readFileSync(`${SAMPLES}/eventgrid/${name}.json`, "utf8"),
    );
    assert.equal(events.length, 1);
  }
  const cloud = await deserializer.deserializeCloudEvents(
    readFileSync(`${SAMPLES}/cloudevents/E6-insights-unregister-sp-deployer.json`, "utf8"),
  );
  assert.equal(cloud[0]!.type, "Microsoft.Resources.ResourceActionSuccess");
});

test("normalizeEventGridEvent takes one delivered event (the Functions trigger shape)", () => {
  const [event] = json(`${SAMPLES}/eventgrid/E4-security-unregister.json`) as unknown[];
  const e = normalizeEventGridEvent(event, "eventgrid:invocation-1");
  assert.ok(!("rejected" in e));
  assert.equal(e.where, "eventgrid:invocation-1");
  assert.equal(e.status, "succeeded");
  const bad = normalizeEventGridEvent("not an event", "eventgrid:invocation-2");
  assert.ok("rejected" in bad && /expected a JSON object/.test(bad.error));
});

test("role-assignment records keep properties.responseBody (the only record of what a delete removed)", async () => {
  const { events } = await readAll([`${SAMPLES}/activitylog/E3-role-assignment-delete-break-glass.json`]);
  const outcome = events.find((e) => e.status === "succeeded");
  assert.ok(outcome, "E3's outcome row is read");
  const body =
    typeof outcome.responseBody === "string" ? JSON.parse(outcome.responseBody) : outcome.responseBody;
  assert.equal(body?.properties?.principalId, "b1eac1a5-0000-4000-8000-00000000b001");

  const other = parseDocument(
    {
      eventDataId: "x1",
      eventTimestamp: "2025-03-14T09:00:00Z",
      operationName: { value: "Microsoft.Storage/storageAccounts/write" },
      status: { value: "Succeeded" },
      properties: { responseBody: '{"big":true}' },
    },
    "inline:1",
  )[0] as ActivityEvent;
  assert.equal(other.responseBody, undefined, "bodies of other operations are not carried");
});
