// The real Azure SDK clients read and write the simulator without adapters: proof that routes, bodies,
// paging and error shapes match what the SDKs parse. (The port adapters have their own suite.)
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { MonitorClient } from "@azure/arm-monitor";
import { ResourceManagementClient } from "@azure/arm-resources";
import type { TokenCredential } from "@azure/core-auth";
import { createSimulatorFromSnapshot, startSimulatorServer, type SimulatorServer } from "../../lib/simulator";
import { loadSnapshot } from "../../lib/tenant/snapshot";
import { ensureTestCertificate, runTrusting } from "../support/tls";

const PROD = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
const ALEX = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
const credential: TokenCredential = {
  getToken: async () => ({ token: "sim", expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const snapshot = loadSnapshot("samples/tenant.json");
const RA = `subscriptions/${PROD}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000001`;

describe("real ARM SDK clients, in process", () => {
  const sim = createSimulatorFromSnapshot(snapshot, { pageSize: 25 });
  const opts = { httpClient: sim.httpClient(), retryOptions: { retryDelayInMs: 1, maxRetryDelayInMs: 2 } };
  const auth = new AuthorizationManagementClient(credential, PROD, opts);

  it("lists every page through nextLink (listForSubscription, listForScope with filters)", async () => {
    sim.reset();
    const all = [];
    for await (const a of auth.roleAssignments.listForSubscription()) all.push(a);
    assert.ok(all.length > 25 * 3);
    assert.ok(sim.callsTo("roleAssignments").length > 3, "several pages");
    const alex = [];
    for await (const a of auth.roleAssignments.listForScope(`subscriptions/${PROD}`, {
      filter: `assignedTo('${ALEX}')`,
    }))
      alex.push(a);
    assert.deepEqual(
      alex.map((a) => a.name),
      ["33333333-0000-4000-8000-000000000001"],
    );
  });

  it("getById, deleteById twice (200 then 204), 404 after, create and 409 conflict", async () => {
    sim.reset();
    const got = await auth.roleAssignments.getById(RA);
    assert.equal(got.principalId, "7f1e2d3c-4b5a-4968-8776-655443322110");
    assert.ok(got.createdOn instanceof Date);
    assert.equal((await auth.roleAssignments.deleteById(RA)).name, "11111111-0000-4000-8000-000000000001");
    await auth.roleAssignments.deleteById(RA); // 204: the SDK treats it as success
    await assert.rejects(auth.roleAssignments.getById(RA), {
      statusCode: 404,
      code: "RoleAssignmentNotFound",
    });
    const body = {
      roleDefinitionId: `/subscriptions/${PROD}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`,
      principalId: "b1eac1a5-0000-4000-8000-00000000b001",
      principalType: "User",
    };
    const restored = await auth.roleAssignments.create(
      `subscriptions/${PROD}`,
      "22222222-0000-4000-8000-000000000001",
      body,
    );
    assert.equal(restored.scope, `/subscriptions/${PROD}`);
    await assert.rejects(
      auth.roleAssignments.create(`subscriptions/${PROD}`, "22222222-0000-4000-8000-000000000002", body),
      {
        statusCode: 409,
        code: "RoleAssignmentExists",
      },
    );
  });

  it("role definitions, providers (register transition) and the activity log", async () => {
    sim.reset();
    const owner = await auth.roleDefinitions.getById(
      "providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    );
    assert.equal(owner.roleName, "Owner");
    assert.equal(owner.roleType, "BuiltInRole");
    const custom = [];
    for await (const d of auth.roleDefinitions.list(`subscriptions/${PROD}`, {
      filter: "roleName eq 'Unregister Responder'",
    }))
      custom.push(d);
    assert.equal(custom.length, 1);
    const resources = new ResourceManagementClient(credential, PROD, opts);
    assert.equal((await resources.providers.get("Microsoft.Security")).registrationState, "NotRegistered");
    assert.equal((await resources.providers.register("Microsoft.Security")).registrationState, "Registering");
    assert.equal((await resources.providers.get("Microsoft.Security")).registrationState, "Registered");
    const monitor = new MonitorClient(credential, PROD, opts);
    const rows = [];
    const filter =
      "eventTimestamp ge '2025-03-14T00:00:00Z' and eventTimestamp le '2025-03-15T00:00:00Z' and correlationId eq '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'";
    for await (const e of monitor.activityLogs.list(filter)) rows.push(e);
    assert.deepEqual(
      rows.map((r) => r.status?.value),
      ["Succeeded", "Started"],
    );
  });

  it("the SDK retries injected 429s and surfaces a 403 as AuthorizationFailed", async () => {
    sim.reset();
    sim.faults.add({ kind: "429", retryAfterSeconds: 0, times: 2 });
    const resources = new ResourceManagementClient(credential, PROD, opts);
    assert.equal((await resources.providers.get("Microsoft.Insights")).registrationState, "NotRegistered");
    assert.deepEqual(
      sim.calls.map((c) => c.status),
      [429, 429, 200],
    );
    sim.faults.add({ kind: "403", match: { method: "DELETE" } });
    await assert.rejects(auth.roleAssignments.deleteById(RA), {
      statusCode: 403,
      code: "AuthorizationFailed",
    });
  });
});

describe("real SDK clients over HTTPS", () => {
  const sim = createSimulatorFromSnapshot(snapshot);
  let server: SimulatorServer;
  before(async () => {
    server = await startSimulatorServer(sim, { tls: await ensureTestCertificate() });
  });
  after(() => server.close());

  it("ARM: endpoint = server.url, CA through tlsOptions, bearer token over TLS", async () => {
    const auth = new AuthorizationManagementClient(credential, PROD, {
      endpoint: server.url,
      tlsOptions: { ca: server.ca },
    });
    const got = await auth.roleAssignments.getById(RA);
    assert.equal(got.name, "11111111-0000-4000-8000-000000000001");
  });

  it("Graph client in a child with NODE_EXTRA_CA_CERTS, baseUrl = server.url", async () => {
    const script = `
      import { Client } from "@microsoft/microsoft-graph-client";
      const host = new URL(process.env.SIM_URL).host;
      const client = Client.initWithMiddleware({
        baseUrl: process.env.SIM_URL,
        customHosts: new Set([host]),
        authProvider: { getAccessToken: async () => "sim" },
      });
      const r = await client.api("/directoryObjects/getByIds").select("id,userType").post({ ids: ["${ALEX}", "0de1e7ed-dead-4bad-8bad-00000000dead"] });
      console.log(JSON.stringify(r.value));`;
    const child = await runTrusting(
      (await ensureTestCertificate()).certPath,
      ["--input-type=module", "-e", script],
      { SIM_URL: server.url },
    );
    assert.equal(child.code, 0, child.stderr);
    const value = JSON.parse(child.stdout) as { id: string; userType: string }[];
    assert.deepEqual(
      value.map((v) => [v.id, v.userType]),
      [[ALEX, "Member"]],
    );
  });
});
