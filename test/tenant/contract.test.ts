// Contract: the simulator's responses deserialize into the SDKs' own models (fields land where the SDK
// puts them, with the SDK's types), so adapters tested against it read Azure the same way.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { MonitorClient } from "@azure/arm-monitor";
import { ResourceManagementClient } from "@azure/arm-resources";
import { Simulator } from "../../lib/simulator/simulator";
import { staticTokenCredential } from "../../lib/tenant/azure";
import { ALEX, CORRELATION, SUB, fixtureSnapshot } from "./fixture";

const sim = new Simulator(fixtureSnapshot(50));
const options = {
  endpoint: "https://management.simulator.invalid",
  credentialScopes: ["https://management.simulator.invalid/.default"],
  httpClient: sim.httpClient(),
};
const credential = staticTokenCredential();

describe("simulator responses through the SDK models", () => {
  it("RoleAssignment: principalId, createdOn as Date, roleDefinitionId", async () => {
    const client = new AuthorizationManagementClient(credential, SUB, options);
    const all = [];
    for await (const ra of client.roleAssignments.listForSubscription()) all.push(ra);
    const alex = all.find((a) => a.principalId === ALEX);
    assert.ok(alex);
    assert.ok(alex.createdOn instanceof Date);
    assert.equal(alex.createdOn.toISOString(), "2024-02-01T00:00:00.000Z");
    assert.match(alex.roleDefinitionId ?? "", /\/roleDefinitions\/8e3af657-/);
    assert.equal(alex.principalType, "User");
  });
  it("RoleDefinition: roleName, roleType, permissions[].actions", async () => {
    const client = new AuthorizationManagementClient(credential, SUB, options);
    const owner = await client.roleDefinitions.get(
      `subscriptions/${SUB}`,
      "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    );
    assert.equal(owner.roleName, "Owner");
    assert.equal(owner.roleType, "BuiltInRole");
    assert.deepEqual(owner.permissions?.[0]?.actions, ["*"]);
  });
  it("Provider: registrationState", async () => {
    const client = new ResourceManagementClient(credential, SUB, options);
    const p = await client.providers.get("Microsoft.Security");
    assert.equal(p.namespace, "Microsoft.Security");
    assert.equal(p.registrationState, "NotRegistered");
  });
  it("EventData: operationName.value, status.value, eventTimestamp as Date", async () => {
    const client = new MonitorClient(credential, SUB, options);
    const rows = [];
    const filter = `eventTimestamp ge '2025-03-14T00:00:00Z' and eventTimestamp le '2025-03-15T00:00:00Z' and correlationId eq '${CORRELATION}'`;
    for await (const e of client.activityLogs.list(filter)) rows.push(e);
    assert.equal(rows.length, 2);
    assert.equal(rows[0]?.operationName?.value, "Microsoft.Security/unregister/action");
    assert.ok(rows.every((r) => r.eventTimestamp instanceof Date));
    assert.deepEqual(rows.map((r) => r.status?.value).sort(), ["Started", "Succeeded"]);
  });
});
