import { test } from "node:test";
import assert from "node:assert/strict";
import { plan } from "../../lib/remediate/plan";
import { execute } from "../../lib/remediate/execute";
import { storeLedger, storeBreaker } from "../../lib/remediate/ledger";
import { TransientError } from "../../lib/tenant/errors";
import type { ProposedFinding } from "../../lib/review/types";
import { activity, assignment, CONTRIBUTOR, FakeStore, FakeTenant, planContext, SUB, event } from "./fakes";

const GUEST = "7f1e2d3c-4b5a-4968-8776-655443322110";
const BREAK_GLASS = "b1eac1a5-0000-4000-8000-00000000b001";
const RESPONDER = "9e5b0d1e-7e5b-4c1a-9d0e-5f0a1b2c3d4e";
const OPS = "c0ffee00-aaaa-4bbb-8ccc-000000000001";

const del = (a: { id: string; principalId: string }): ProposedFinding => ({
  rule: "RA-RECENT-PRIVILEGED",
  severity: "critical",
  reason: "recent privileged grant",
  action: "delete-assignment",
  assignmentId: a.id,
  principalId: a.principalId,
  roleName: "Owner",
});
const register: ProposedFinding = {
  rule: "RP-UNREGISTERED",
  severity: "critical",
  reason: "unregistered",
  action: "register-provider",
  namespace: "Microsoft.Security",
};

function tenantWith(...as: ReturnType<typeof assignment>[]): FakeTenant {
  const t = new FakeTenant(as);
  t.activity.push(activity());
  return t;
}

test("plan mode: planned decisions, and no write reaches the tenant", async () => {
  const guest = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const t = tenantWith(guest, assignment("33333333-0000-4000-8000-000000000004", OPS));
  const p = await plan(
    [del(guest), register, { ...register, rule: "RA-ACTOR-PRIVILEGED", action: "none" }],
    planContext(t),
  );
  assert.deepEqual(
    p.findings.map((f) => f.decision),
    ["planned", "planned", "none"],
  );
  assert.match(p.findings[0]!.decisionReason!, /would delete/);
  assert.equal(p.steps.length, 0, "plan mode never produces executable steps");
  assert.deepEqual(t.writes(), []);
});

test("protected principal and the responder's own identity are never touched", async () => {
  const bg = assignment("22222222-0000-4000-8000-000000000001", BREAK_GLASS);
  const me = assignment("33333333-0000-4000-8000-000000000008", RESPONDER, CONTRIBUTOR);
  const t = tenantWith(bg, me, assignment("33333333-0000-4000-8000-000000000004", OPS));
  const p = await plan(
    [del(bg), del(me)],
    planContext(t, { mode: "revert", protectedIds: new Set([BREAK_GLASS]), responderPrincipalId: RESPONDER }),
  );
  assert.deepEqual(
    p.findings.map((f) => f.decision),
    ["skipped:protected", "skipped:protected"],
  );
  assert.match(p.findings[1]!.decisionReason!, /own identity/);
  assert.equal(p.steps.length, 0);
});

test("never deletes the last Owner of the subscription, counting the deletes planned before it", async () => {
  const a1 = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const a2 = assignment("11111111-0000-4000-8000-000000000009", OPS);
  const t = tenantWith(a1, a2);
  const p = await plan([del(a1), del(a2)], planContext(t));
  assert.deepEqual(
    p.findings.map((f) => f.decision),
    ["planned", "skipped:protected"],
  );
  assert.match(p.findings[1]!.decisionReason!, /last Owner/);
});

test("the breaker trips past MAX_ACTIONS_PER_HOUR and raises one critical BREAKER-TRIPPED finding", async () => {
  const owners = Array.from({ length: 4 }, (_, i) =>
    assignment(`11111111-0000-4000-8000-00000000000${i}`, GUEST),
  );
  const t = tenantWith(...owners, assignment("33333333-0000-4000-8000-000000000004", OPS));
  const p = await plan(owners.map(del), planContext(t, { maxActionsPerHour: 2 }));
  assert.deepEqual(
    p.findings.map((f) => f.decision),
    ["planned", "planned", "skipped:breaker", "skipped:breaker", "none"],
  );
  const tripped = p.findings.filter((f) => f.rule === "BREAKER-TRIPPED");
  assert.equal(tripped.length, 1);
  assert.equal(tripped[0]!.severity, "critical");
});

test("the last Owner is skipped:protected, not skipped:breaker, and spends no breaker token", async () => {
  // DESIGN.md: never delete the last Owner (never optional); the breaker budgets actions that would run.
  const lastOwner = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const c1 = assignment("11111111-0000-4000-8000-000000000002", OPS, CONTRIBUTOR);
  const c2 = assignment("11111111-0000-4000-8000-000000000003", RESPONDER.replace(/^9/, "8"), CONTRIBUTOR);
  const t = tenantWith(lastOwner, c1, c2);
  const p = await plan([lastOwner, c1, c2].map(del), planContext(t, { maxActionsPerHour: 1 }));
  assert.deepEqual(
    p.findings.map((f) => f.decision),
    ["skipped:protected", "planned", "skipped:breaker", "none"],
  );
  assert.match(p.findings[0]!.decisionReason!, /last Owner/);
});

test("a spoofed event (not in the activity log) is never acted on, in any mode", async () => {
  const guest = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  for (const mode of ["plan", "flag", "revert"] as const) {
    const t = new FakeTenant([guest]); // no activity records
    const p = await plan([del(guest), register], planContext(t, { mode }));
    assert.deepEqual(
      p.findings.map((f) => f.decision),
      ["skipped:unverified", "skipped:unverified"],
      mode,
    );
    assert.equal(p.steps.length, 0);
    assert.deepEqual(t.writes(), []);
  }
});

test("live: a young event whose operation is not visible yet is retried (TransientError), an old one is unverified", async () => {
  const guest = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const t = new FakeTenant([guest]);
  const young = planContext(t, { live: true, now: new Date("2025-03-14T09:30:00Z") });
  await assert.rejects(plan([del(guest)], young), TransientError);
  const old = await plan([del(guest)], planContext(t, { live: true, now: new Date("2025-03-14T10:30:00Z") }));
  assert.equal(old.findings[0]!.decision, "skipped:unverified");
});

test("an assignment that changed since the review (same name, other principal) is not acted on", async () => {
  const seen = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const now = { ...seen, principalId: OPS };
  const t = tenantWith(now, assignment("33333333-0000-4000-8000-000000000004", OPS));
  const p = await plan([del(seen)], planContext(t));
  assert.equal(p.findings[0]!.decision, "skipped:unverified");
  assert.match(p.findings[0]!.decisionReason!, /principal/);
});

test("flag mode and a rule set to flag both give flagged; a rule set to off gives none", async () => {
  const guest = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const t = tenantWith(guest, assignment("33333333-0000-4000-8000-000000000004", OPS));
  const flagMode = await plan([del(guest)], planContext(t, { mode: "flag" }));
  assert.equal(flagMode.findings[0]!.decision, "flagged");
  const ruleFlag = await plan([del(guest)], planContext(t, { mode: "revert", ruleSetting: () => "flag" }));
  assert.equal(ruleFlag.findings[0]!.decision, "flagged");
  assert.equal(ruleFlag.steps.length, 0);
  const off = await plan([del(guest)], planContext(t, { ruleSetting: () => "off" }));
  assert.equal(off.findings[0]!.decision, "none");
});

test("plan mode: a later incident carries the earlier incident's planned decision instead of planning twice", async () => {
  const guest = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const t = tenantWith(guest, assignment("33333333-0000-4000-8000-000000000004", OPS));
  t.activity.push(activity("c0000000-0000-4000-8000-000000000006", "microsoft.insights/Unregister/Action"));
  const ctx = planContext(t);
  await plan([del(guest)], ctx);
  const later = await plan([del(guest)], {
    ...ctx,
    incidentId: "inc-2",
    event: event({
      correlationId: "c0000000-0000-4000-8000-000000000006",
      operationName: "microsoft.insights/Unregister/Action",
      operationNameLower: "microsoft.insights/unregister/action",
    }),
  });
  assert.equal(later.findings[0]!.decision, "planned");
  assert.match(later.findings[0]!.decisionReason!, /already planned by incident inc-1/);
});

test("revert: executes each action once, records intent and outcome, a re-run repeats nothing", async () => {
  const guest = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const t = tenantWith(guest, assignment("33333333-0000-4000-8000-000000000004", OPS));
  const store = new FakeStore();
  const ledger = storeLedger(store);
  const ctx = planContext(t, { mode: "revert", ledger, breaker: storeBreaker(store) });
  const exec = { incidentId: "inc-1", subscriptionId: SUB, tenant: t, store, ledger, now: () => new Date() };
  const first = await execute(await plan([del(guest), register], ctx), exec);
  assert.deepEqual(
    first.findings.map((f) => f.decision),
    ["reverted", "reverted"],
  );
  const second = await execute(await plan([del(guest), register], ctx), exec);
  assert.deepEqual(
    second.findings.map((f) => f.decision),
    ["reverted", "reverted"],
  );
  assert.deepEqual(
    t.writes().map((w) => w.op),
    ["deleteAssignment", "registerProvider"],
  );
  const records = await store.actions("inc-1");
  assert.deepEqual(
    records.map((r) => r.state),
    ["done", "done"],
  );
  assert.ok(records[0]!.before, "the state before the delete is kept");
});

test("crash between two actions: the re-run finishes the second and repeats nothing", async () => {
  const guest = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const t = tenantWith(guest, assignment("33333333-0000-4000-8000-000000000004", OPS));
  const store = new FakeStore();
  // ledger rows and incident rows both go through recordActionIntent: 2 per action; crash on the 2nd action's incident row.
  store.crashAfterIntents = 3;
  const ledger = storeLedger(store);
  const ctx = planContext(t, { mode: "revert", ledger, breaker: storeBreaker(store) });
  const exec = { incidentId: "inc-1", subscriptionId: SUB, tenant: t, store, ledger, now: () => new Date() };
  await assert.rejects(execute(await plan([del(guest), register], ctx), exec));
  store.crashAfterIntents = Infinity;
  const rerun = await execute(await plan([del(guest), register], ctx), exec);
  assert.deepEqual(
    rerun.findings.map((f) => f.decision),
    ["reverted", "reverted"],
  );
  assert.deepEqual(
    t.writes().map((w) => w.op),
    ["deleteAssignment", "registerProvider"],
  );
});

test("a fault during act is recorded as failed with the error; transient ones are handed back for redelivery", async () => {
  const guest = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const t = tenantWith(guest, assignment("33333333-0000-4000-8000-000000000004", OPS));
  t.faults.set("deleteAssignment", { count: 1, error: () => new TransientError("429 after retries", 429) });
  const store = new FakeStore();
  const ledger = storeLedger(store);
  const ctx = planContext(t, { mode: "revert", ledger, breaker: storeBreaker(store) });
  const exec = { incidentId: "inc-1", subscriptionId: SUB, tenant: t, store, ledger, now: () => new Date() };
  const res = await execute(await plan([del(guest), register], ctx), exec);
  assert.equal(res.findings[0]!.decision, "failed");
  assert.match(res.findings[0]!.error!, /429/);
  assert.equal(res.findings[1]!.decision, "reverted", "one failure does not stop the other actions");
  assert.equal(res.transient.length, 1);
  assert.equal((await store.actions("inc-1")).find((r) => r.kind === "delete-assignment")!.state, "failed");
  // The redelivery retries only the failed action, and takes no second breaker token.
  const retry = await execute(await plan([del(guest), register], ctx), exec);
  assert.deepEqual(
    retry.findings.map((f) => f.decision),
    ["reverted", "reverted"],
  );
  assert.equal(store.tokens.get(SUB), 1);
});

test("two rules proposing the same delete: one action, one breaker token, both findings share the outcome", async () => {
  const guest = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const t = tenantWith(guest, assignment("33333333-0000-4000-8000-000000000004", OPS));
  const store = new FakeStore();
  const ledger = storeLedger(store);
  const ctx = planContext(t, { mode: "revert", ledger, breaker: storeBreaker(store) });
  const exec = { incidentId: "inc-1", subscriptionId: SUB, tenant: t, store, ledger, now: () => new Date() };
  const twice = [
    del(guest),
    { ...del(guest), rule: "RA-EXTERNAL-PRINCIPAL" as const, severity: "high" as const },
  ];
  const res = await execute(await plan(twice, ctx), exec);
  assert.deepEqual(
    res.findings.map((f) => f.decision),
    ["reverted", "reverted"],
  );
  assert.match(res.findings[1]!.decisionReason!, /same action as RA-RECENT-PRIVILEGED/);
  assert.equal(t.writes().length, 1);
  assert.equal(store.tokens.get(SUB), 1);
});

const pimFacts = (assignmentType: string, endDateTime: string | null) => ({
  assignmentType,
  memberType: "Direct",
  startDateTime: "2025-03-14T07:26:53Z",
  endDateTime,
  status: "Provisioned",
  instanceId: "pim-instance",
});

test("a PIM-managed assignment is flagged, never deleted, in revert mode too; it does not count as a deleted Owner", async () => {
  const activated = assignment("11111111-0000-4000-8000-0000000000a1", GUEST);
  const permanent = assignment("11111111-0000-4000-8000-0000000000a2", OPS);
  const other = assignment("11111111-0000-4000-8000-0000000000a3", BREAK_GLASS);
  const t = tenantWith(activated, permanent, other);
  const store = new FakeStore();
  const ledger = storeLedger(store);
  const reviewedPim = new Map([
    [activated.id.toLowerCase(), pimFacts("Activated", "2025-03-14T15:26:53.000Z")],
    [permanent.id.toLowerCase(), pimFacts("Assigned", null)],
  ]);
  const ctx = planContext(t, { mode: "revert", ledger, breaker: storeBreaker(store), reviewedPim });
  const p = await plan([del(activated), del(permanent), del(other)], ctx);
  assert.deepEqual(
    p.findings.map((f) => f.decision),
    ["flagged", "flagged", "planned"],
  );
  assert.equal(
    p.findings[0]!.decisionReason,
    "managed by PIM (activated until 2025-03-14T15:26:53.000Z): revoke it through PIM; a classic delete would be undone or refused",
  );
  assert.match(p.findings[1]!.decisionReason!, /^managed by PIM \(assigned, permanent\)/);
  // `other` is the last Owner that is not PIM-managed: the two flagged ones stay, so it may go.
  await execute(p, {
    incidentId: "i1",
    subscriptionId: SUB,
    tenant: t,
    store,
    ledger,
    now: () => new Date(),
  });
  assert.deepEqual(
    t.writes().map((w) => [w.op, w.target]),
    [["deleteAssignment", other.id]],
  );
});

test("plan and flag modes give the PIM guard's decision too (plan shows what revert would do)", async () => {
  const activated = assignment("11111111-0000-4000-8000-0000000000a1", GUEST);
  const t = tenantWith(activated, assignment("33333333-0000-4000-8000-000000000004", OPS));
  const reviewedPim = new Map([[activated.id.toLowerCase(), pimFacts("Activated", "2025-03-14T15:26:53Z")]]);
  for (const mode of ["plan", "flag"] as const) {
    const p = await plan([del(activated)], planContext(t, { mode, reviewedPim }));
    assert.equal(p.findings[0]!.decision, "flagged", mode);
    assert.match(p.findings[0]!.decisionReason!, /managed by PIM/, mode);
  }
  assert.deepEqual(t.writes(), []);
});

test("two rules proposing the same delete share one re-read of the target", async () => {
  const guest = assignment("11111111-0000-4000-8000-000000000001", GUEST);
  const t = tenantWith(guest, assignment("33333333-0000-4000-8000-000000000004", OPS));
  const p = await plan(
    [del(guest), { ...del(guest), rule: "RA-EXTERNAL-PRINCIPAL", severity: "high" }],
    planContext(t),
  );
  assert.deepEqual(
    p.findings.map((f) => f.decision),
    ["planned", "planned"],
  );
  const reads = t.calls.filter((c) => !c.write && c.target.toLowerCase() === guest.id.toLowerCase());
  assert.equal(reads.length, 1, JSON.stringify(t.calls));
});
