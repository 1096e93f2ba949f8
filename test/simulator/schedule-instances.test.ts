// PIM role assignment schedule instances: the simulator's list route (filters, paging, ARM errors) and the
// snapshot's optional `roleAssignmentScheduleInstances[]` (validated, absent = none).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { armScheduleInstance } from "../../lib/simulator/builders";
import { Simulator } from "../../lib/simulator/simulator";
import { parseSnapshot, SnapshotError } from "../../lib/tenant/snapshot";
import { ALEX, ARM, DEV, fixtureSnapshot, send, SUB } from "./fixture";

const API = "api-version=2020-10-01";

function simulatorWithPim(pageSize?: number): Simulator {
  const snap = fixtureSnapshot();
  snap.roleAssignmentScheduleInstances = snap.roleAssignments.map((a, i) =>
    armScheduleInstance({
      assignment: a,
      assignmentType: i % 2 ? "Assigned" : "Activated",
      startDateTime: "2025-03-14T07:26:53Z",
      endDateTime: i % 2 ? null : "2025-03-14T15:26:53Z",
    }),
  );
  return new Simulator(snap, pageSize ? { pageSize } : {});
}

async function list(sim: Simulator, scope: string, filter?: string) {
  const q = filter ? `&$filter=${encodeURIComponent(filter)}` : "";
  return send(
    sim.httpClient(),
    "GET",
    `${ARM}${scope}/providers/Microsoft.Authorization/roleAssignmentScheduleInstances?${API}${q}`,
  );
}

const origins = (body: { value: { properties: { originRoleAssignmentId: string } }[] }) =>
  body.value
    .map((i) => i.properties.originRoleAssignmentId.slice(-1))
    .sort()
    .join("");

describe("roleAssignmentScheduleInstances list", () => {
  it("atScope() at a subscription: at and above; no filter adds below; principalId eq narrows", async () => {
    const sim = simulatorWithPim();
    const at = await list(sim, SUB, "atScope()");
    assert.equal(at.status, 200);
    assert.equal(origins(at.body), "134", "same scopes as the classic roleAssignments atScope() list");
    assert.equal(origins((await list(sim, SUB)).body), "12345");
    assert.equal(origins((await list(sim, SUB, `principalId eq '${ALEX}'`)).body), "12");
    const one = at.body.value[0];
    assert.equal(one.type, "Microsoft.Authorization/roleAssignmentScheduleInstances");
    assert.match(one.properties.assignmentType, /^(Activated|Assigned)$/);
  });

  it("pages with nextLink like ARM, keeping the filter", async () => {
    const sim = simulatorWithPim(2);
    const first = await list(sim, SUB);
    assert.equal(first.body.value.length, 2);
    assert.match(first.body.nextLink, /\$filter|skiptoken/);
    const second = await send(sim.httpClient(), "GET", first.body.nextLink);
    assert.equal(second.body.value.length, 2);
  });

  it("refuses an unknown filter and an unknown subscription the way ARM does", async () => {
    const sim = simulatorWithPim();
    const bad = await list(sim, SUB, "roleDefinitionId eq 'x'");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "UnsupportedQuery");
    const missing = await list(sim, "/subscriptions/00000000-0000-4000-8000-0000000000ff", "atScope()");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "SubscriptionNotFound");
  });

  it("a snapshot without PIM records lists none (absent = none)", async () => {
    const sim = new Simulator(fixtureSnapshot());
    const r = await list(sim, `/subscriptions/${DEV}`, "atScope()");
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.value, []);
  });
});

describe("snapshot roleAssignmentScheduleInstances", () => {
  const base = () => JSON.parse(JSON.stringify(fixtureSnapshot())) as Record<string, unknown>;
  it("validates each instance and names the bad field", () => {
    const snap = base();
    snap.roleAssignmentScheduleInstances = [
      {
        id: `${SUB}/providers/Microsoft.Authorization/roleAssignmentScheduleInstances/x`,
        name: "x",
        properties: {
          scope: SUB,
          roleDefinitionId: "r",
          principalId: "not-a-guid",
          originRoleAssignmentId: `${SUB}/providers/Microsoft.Authorization/roleAssignments/a`,
          assignmentType: "Eligible",
          endDateTime: "tomorrow",
        },
      },
    ];
    assert.throws(
      () => parseSnapshot(snap, "t.json"),
      (e: unknown) =>
        e instanceof SnapshotError &&
        e.problems.some((p) => p.startsWith("roleAssignmentScheduleInstances[0].properties.principalId")) &&
        e.problems.some((p) =>
          p.startsWith("roleAssignmentScheduleInstances[0].properties.assignmentType"),
        ) &&
        e.problems.some((p) => p.startsWith("roleAssignmentScheduleInstances[0].properties.endDateTime")),
    );
  });
  it("absent is an empty list; a valid one is kept with canonical principal ids", () => {
    assert.deepEqual(parseSnapshot(base()).roleAssignmentScheduleInstances, []);
    const snap = base();
    snap.roleAssignmentScheduleInstances = [
      {
        id: `${SUB}/providers/Microsoft.Authorization/roleAssignmentScheduleInstances/y`,
        name: "y",
        properties: {
          scope: SUB,
          roleDefinitionId: "r",
          principalId: ALEX.replace(/-/g, "").toUpperCase(),
          originRoleAssignmentId: `${SUB}/providers/Microsoft.Authorization/roleAssignments/a`,
          assignmentType: "Activated",
          startDateTime: "2025-03-14T07:26:53Z",
          endDateTime: "2025-03-14T15:26:53Z",
        },
      },
    ];
    const [one] = parseSnapshot(snap).roleAssignmentScheduleInstances ?? [];
    assert.equal(one?.properties.principalId, ALEX);
    assert.equal(one?.properties.memberType, "Direct");
    assert.equal(one?.properties.endDateTime, "2025-03-14T15:26:53Z");
  });
});
