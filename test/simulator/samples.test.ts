// samples/tenant.json tells SCENARIO.md's story; the generators are deterministic.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSimulatorFromSnapshot, generateLargeTenant } from "../../lib/simulator";
import { loadSnapshot } from "../../lib/tenant/snapshot";
import { ARM, send } from "./fixture";

const snap = loadSnapshot("samples/tenant.json");
const PROD = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
const T0 = Date.parse("2025-03-14T09:26:53.5897932Z");

describe("samples/tenant.json", () => {
  it("holds the story's assignments, not the deleted break-glass one", () => {
    const names = new Set(snap.roleAssignments.map((a) => a.name));
    for (const n of [
      "11111111-0000-4000-8000-000000000001",
      "11111111-0000-4000-8000-000000000003",
      "33333333-0000-4000-8000-000000000008",
    ])
      assert.ok(names.has(n), n);
    assert.ok(!names.has("22222222-0000-4000-8000-000000000001"));
  });

  it("the deleted principal is not in the directory; sp-deployer's app gained a secret at T0−3h", () => {
    assert.ok(!snap.principals.some((p) => p.id === "0de1e7ed-dead-4bad-8bad-00000000dead"));
    const app = snap.applications.find((a) => a.appId === "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f");
    assert.ok(app?.passwordCredentials.some((c) => Date.parse(c.startDateTime ?? "") === T0 - 3 * 3_600_000));
  });

  it("activity log: Started + outcome rows for E1–E11, nothing for E12", () => {
    assert.equal(snap.activityLog.length, 22);
    assert.ok(!snap.activityLog.some((e) => e.correlationId === "c0000000-0000-4000-8000-0000000000ff"));
    const e4 = snap.activityLog.filter((e) => e.correlationId === "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d");
    assert.deepEqual(e4.map((e) => e.status.value).sort(), ["Started", "Succeeded"]);
    const e8 = snap.activityLog.filter((e) => e.correlationId === "c0000000-0000-4000-8000-000000000008");
    assert.ok(e8.some((e) => e.status.value === "Failed"));
  });

  it("ordinary assignments predate T0−30d", () => {
    const story = /^(1111|2222|3333|4444)/;
    const ordinary = snap.roleAssignments.filter((a) => !story.test(a.name));
    assert.ok(ordinary.length >= 300);
    assert.ok(ordinary.every((a) => Date.parse(a.properties.createdOn ?? "") < T0 - 30 * 86_400_000));
  });

  it("served by the simulator: E4's operation found by correlation id; Security is NotRegistered", async () => {
    const c = createSimulatorFromSnapshot(snap).httpClient();
    const filter = encodeURIComponent(
      "eventTimestamp ge '2025-03-14T08:00:00Z' and eventTimestamp le '2025-03-14T11:00:00Z' and correlationId eq '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'",
    );
    const log = await send(
      c,
      "GET",
      `${ARM}/subscriptions/${PROD}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=${filter}`,
    );
    assert.equal(log.body.value.length, 2);
    const rp = await send(
      c,
      "GET",
      `${ARM}/subscriptions/${PROD}/providers/Microsoft.Security?api-version=2021-04-01`,
    );
    assert.equal(rp.body.registrationState, "NotRegistered");
  });
});

describe("generateLargeTenant", () => {
  it("is deterministic and sized as asked", () => {
    const a = generateLargeTenant({ assignments: 500, principals: 200, seed: 7 });
    const b = generateLargeTenant({ assignments: 500, principals: 200, seed: 7 });
    assert.deepEqual(a, b);
    assert.equal(a.roleAssignments.length, 500);
    assert.equal(a.principals.length, 200);
    assert.notDeepEqual(
      generateLargeTenant({ assignments: 500, principals: 200, seed: 8 }).roleAssignments,
      a.roleAssignments,
    );
    loadSnapshot(a); // valid by the same loader
  });

  it("extends a base snapshot (the story plus bulk)", () => {
    const big = generateLargeTenant({ assignments: 100, principals: 50, seed: 1, base: snap });
    assert.equal(big.roleAssignments.length, snap.roleAssignments.length + 100);
    assert.equal(snap.roleAssignments.length, 332, "the base is not mutated");
  });
});

describe("samples/tenant.json PIM records", () => {
  const snap = loadSnapshot("samples/tenant.json");
  it("ops-2's Owner is a permanent PIM assignment; ops-1's dev Contributor a time-bound activation after every window", () => {
    const pim = snap.roleAssignmentScheduleInstances ?? [];
    const byOrigin = (name: string) =>
      pim.find((i) => i.properties.originRoleAssignmentId.endsWith(`/roleAssignments/${name}`))?.properties;
    const ops2 = byOrigin("33333333-0000-4000-8000-000000000005");
    assert.deepEqual([ops2?.assignmentType, ops2?.endDateTime], ["Assigned", null]);
    const ops1 = byOrigin("44444444-0000-4000-8000-000000000001");
    assert.equal(ops1?.assignmentType, "Activated");
    // E9 (T0+5h, dev) looks 24 h ahead: the activation at T0+30h must stay outside (SCENARIO's outcome).
    assert.ok(Date.parse(ops1?.startDateTime ?? "") > T0 + 29 * 3_600_000);
    assert.ok(Date.parse(ops1?.endDateTime ?? "") > Date.parse(ops1?.startDateTime ?? ""));
  });
});
