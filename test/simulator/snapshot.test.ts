import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  loadSnapshot,
  normaliseRoleAssignment,
  normaliseRoleDefinition,
  SnapshotError,
} from "../../lib/tenant/snapshot";
import { createSimulatorFromSnapshot } from "../../lib/simulator";
import { ARM, PROD, RA_API, send, SUB, TENANT } from "./fixture";

const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

/** What `az role assignment list --all` prints (flat, principalName and roleDefinitionName added). */
const azAssignment = {
  condition: null,
  conditionVersion: null,
  createdBy: "C0FFEE00-AAAA-4BBB-8CCC-000000000001",
  createdOn: "2024-02-01T00:00:00.000000+00:00",
  delegatedManagedIdentityResourceId: null,
  description: null,
  id: `${SUB}/providers/Microsoft.Authorization/roleAssignments/33333333-0000-4000-8000-000000000001`,
  name: "33333333-0000-4000-8000-000000000001",
  principalId: "5E4D3C2B1A094F8EB7D6C5B4A3928170",
  principalName: "alex.doe@contoso.example",
  principalType: "User",
  roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
  roleDefinitionName: "Owner",
  scope: SUB,
  type: "Microsoft.Authorization/roleAssignments",
  updatedBy: "c0ffee00-aaaa-4bbb-8ccc-000000000001",
  updatedOn: "2024-02-01T00:00:00.000000+00:00",
};

/** What `az role definition list` prints. */
const azDefinition = {
  assignableScopes: ["/"],
  createdBy: null,
  createdOn: "2015-02-02T21:55:09.880642+00:00",
  description: "Grants full access to manage all resources.",
  id: `/subscriptions/${PROD}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
  name: OWNER,
  permissions: [
    {
      actions: ["*"],
      condition: null,
      conditionVersion: null,
      dataActions: [],
      notActions: [],
      notDataActions: [],
    },
  ],
  roleName: "Owner",
  roleType: "BuiltInRole",
  type: "Microsoft.Authorization/roleDefinitions",
  updatedBy: null,
  updatedOn: "2021-11-11T20:13:47.862868+00:00",
};

describe("snapshot: normalisers", () => {
  it("az role assignment → ARM REST shape, GUIDs canonical", () => {
    const a = normaliseRoleAssignment(azAssignment);
    assert.equal(a.properties.principalId, "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170");
    assert.equal(a.properties.createdBy, "c0ffee00-aaaa-4bbb-8ccc-000000000001");
    assert.equal(a.properties.scope, SUB);
    assert.equal(a.type, "Microsoft.Authorization/roleAssignments");
    assert.equal((a.properties as Record<string, unknown>).principalName, undefined);
  });

  it("an ARM assignment without scope gets it from its id", () => {
    const a = normaliseRoleAssignment({
      id: azAssignment.id,
      name: azAssignment.name,
      properties: {
        roleDefinitionId: azAssignment.roleDefinitionId,
        principalId: "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
      },
    });
    assert.equal(a.properties.scope, SUB);
    assert.equal(a.properties.createdOn, null);
  });

  it("az role definition → ARM REST shape (roleType → properties.type)", () => {
    const d = normaliseRoleDefinition(azDefinition);
    assert.equal(d.properties.type, "BuiltInRole");
    assert.equal(d.properties.roleName, "Owner");
    assert.deepEqual(d.properties.permissions[0]?.actions, ["*"]);
    assert.deepEqual(normaliseRoleDefinition(d), d, "ARM shape is a fixed point");
  });

  it("errors name the path and the field", () => {
    assert.throws(
      () => normaliseRoleAssignment({ ...azAssignment, principalId: "nope" }, "roleAssignments[7]"),
      (err: unknown) =>
        err instanceof SnapshotError &&
        /roleAssignments\[7\]\.principalId: expected a GUID/.test(err.message),
    );
    assert.throws(
      () => normaliseRoleDefinition({ id: "x" }, "roleDefinitions[0]"),
      /neither ARM REST shape .* nor az shape/,
    );
  });
});

describe("snapshot: loadSnapshot", () => {
  const minimal = {
    tenantId: TENANT,
    subscriptions: [{ id: PROD, providers: [] }],
    roleDefinitions: [azDefinition],
    roleAssignments: [azAssignment],
  };

  it("loads a file in az shape, and the simulator serves it in ARM shape", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snap-"));
    const path = join(dir, "tenant.json");
    writeFileSync(path, JSON.stringify(minimal));
    const snap = loadSnapshot(path);
    assert.equal(snap.roleAssignments.length, 1);
    assert.deepEqual(snap.principals, []);
    const sim = createSimulatorFromSnapshot(snap);
    const r = await send(
      sim.httpClient(),
      "GET",
      `${ARM}${SUB}/providers/Microsoft.Authorization/roleAssignments?${RA_API}`,
    );
    assert.equal(r.body.value[0].properties.principalId, "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170");
  });

  it("accepts JSON text and objects", () => {
    assert.equal(loadSnapshot(JSON.stringify(minimal)).tenantId, TENANT);
    assert.equal(loadSnapshot(minimal).subscriptions[0]?.id, PROD);
  });

  it("collects every bad field with its path; names the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "snap-"));
    const path = join(dir, "bad.json");
    writeFileSync(
      path,
      JSON.stringify({
        ...minimal,
        principals: [{ id: "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170" }],
        activityLog: [
          {
            eventDataId: "e",
            correlationId: "c",
            operationName: "x",
            status: "Succeeded",
            eventTimestamp: "yesterday",
            subscriptionId: PROD,
          },
        ],
      }),
    );
    assert.throws(
      () => loadSnapshot(path),
      (err: unknown) => {
        assert.ok(err instanceof SnapshotError);
        assert.ok(err.message.includes(path));
        assert.ok(
          err.problems.some((p) => p.startsWith("principals[0].@odata.type")),
          err.message,
        );
        assert.ok(
          err.problems.some((p) => p.startsWith("activityLog[0].eventTimestamp")),
          err.message,
        );
        return true;
      },
    );
  });

  it("unreadable file, bad JSON and a missing tenantId are clear errors, not crashes", () => {
    assert.throws(() => loadSnapshot("/nonexistent/tenant.json"), /cannot read the file/);
    assert.throws(() => loadSnapshot("{ nope"), /not valid JSON/);
    assert.throws(() => loadSnapshot({ subscriptions: [] }), /snapshot\.tenantId/);
  });

  it("the simulator deep-copies: deletes do not touch the snapshot object", async () => {
    const snap = loadSnapshot(minimal);
    const sim = createSimulatorFromSnapshot(snap);
    await send(sim.httpClient(), "DELETE", `${ARM}${azAssignment.id}?${RA_API}`);
    assert.equal(snap.roleAssignments.length, 1);
    assert.equal(sim.state.roleAssignments.size, 0);
  });
});
