import { test } from "node:test";
import assert from "node:assert/strict";
import { respond, runState } from "../../lib/respond";
import { TransientError } from "../../lib/tenant/errors";
import type { Finding } from "../../lib/review/types";
import { FakeStore } from "../remediate/fakes";
import {
  ALEX,
  assignmentId,
  E1,
  E3,
  E4,
  E5,
  E12,
  FOREIGN_SP,
  GUEST_OWNER,
  harness,
  SUB,
  SUB_SCOPE,
  UAA,
  WRITE_METHODS,
  BREAK_GLASS_OWNER,
  type Harness,
} from "./scenario";

const writes = (h: Harness) =>
  h.simulator.calls.filter((c) => WRITE_METHODS.has(c.method) && !/\$batch|getByIds/i.test(c.path));
const byRule = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);

async function story(h: Harness) {
  const run = runState(h.deps);
  const deps = { ...h.deps, run };
  await respond(E1, deps);
  await respond(E3, deps);
  return { deps, e4: await respond(E4, deps) };
}

test("plan mode: E4 plans the reverts, and nothing is written to the tenant", async () => {
  const h = await harness("plan");
  const { e4 } = await story(h);
  assert.equal(e4.status, "processed");
  const rp = byRule(e4.findings, "RP-UNREGISTERED");
  assert.equal(rp.length, 1);
  assert.equal(rp[0]!.decision, "planned");
  const recent = byRule(e4.findings, "RA-RECENT-PRIVILEGED").find((f) =>
    f.assignmentId?.toLowerCase().endsWith(GUEST_OWNER),
  );
  assert.equal(recent?.decision, "planned");
  assert.equal(recent?.severity, "critical");
  const restore = byRule(e4.findings, "RA-PROTECTED-REMOVED");
  assert.equal(restore[0]?.decision, "planned", "the break-glass Owner deleted by alex would be restored");
  assert.equal(byRule(e4.findings, "RA-ACTOR-PRIVILEGED")[0]?.decision, "none");
  assert.deepEqual(writes(h), []);
  assert.ok(!("rejected" in e4.line) && e4.line.findings.every((f) => typeof f.decision === "string"));
});

test("plan mode over a durable store: reads it, writes nothing to it", async () => {
  const store = new FakeStore();
  const h = await harness("plan", { store });
  await story(h);
  assert.equal(store.writes, 0);
  assert.deepEqual(writes(h), []);
});

test("revert: the same event delivered 10 times at once gives one incident and each action once", async () => {
  const h = await harness("revert");
  const run = runState(h.deps);
  await respond(E1, { ...h.deps, run });
  await respond(E3, { ...h.deps, run });
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      respond(E4, { ...h.deps, run: runState(h.deps), instanceId: `worker-${i}` }),
    ),
  );
  const processed = results.filter((r) => r.status === "fulfilled" && r.value.status === "processed");
  assert.equal(processed.length, 1);
  for (const r of results) {
    if (r.status === "rejected") assert.ok(r.reason instanceof TransientError, String(r.reason));
    else assert.ok(["processed", "duplicate"].includes(r.value.status));
  }
  const guestDeletes = h.simulator.callsTo(GUEST_OWNER, "DELETE");
  assert.equal(guestDeletes.length, 1);
  assert.equal(h.simulator.callsTo("/providers/Microsoft.Security/register", "POST").length, 1);
  assert.equal(h.simulator.callsTo(BREAK_GLASS_OWNER, "PUT").length, 1, "break-glass Owner restored once");
  const incidentId = (processed[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof respond>>>).value
    .incident!.id;
  const actions = await h.deps.store.actions(incidentId);
  assert.equal(new Set(actions.map((a) => a.actionId)).size, actions.length);
  assert.ok(actions.every((a) => a.state === "done"));
  // A later redelivery is a duplicate and changes nothing.
  const again = await respond(E4, h.deps);
  assert.equal(again.status, "duplicate");
  assert.equal(h.simulator.callsTo(GUEST_OWNER, "DELETE").length, 1);
});

test("a spoofed event (operation not in the activity log) is never acted on", async () => {
  const h = await harness("revert");
  const out = await respond(E12, h.deps);
  const acting = out.findings.filter((f) => f.action !== "none");
  assert.ok(acting.length > 0);
  assert.ok(
    acting.every((f) => f.decision === "skipped:unverified"),
    JSON.stringify(acting.map((f) => f.decision)),
  );
  assert.deepEqual(writes(h), []);
});

test("faults during act: a 500 that outlasts retries is recorded as failed, published, and thrown for redelivery; the redelivery finishes", async () => {
  const h = await harness("revert", { live: true });
  const run = runState(h.deps);
  await respond(E1, { ...h.deps, run });
  const fault = h.simulator.faults.add({ kind: "500", match: { method: "DELETE" } });
  await assert.rejects(respond(E4, { ...h.deps, run }), TransientError);
  const incidents = await h.deps.store.openIncidents(SUB, ALEX, new Date(E4.time));
  const failed = incidents[0]!.findings.filter((f) => f.decision === "failed");
  assert.ok(failed.length > 0, "the failure is on the record");
  assert.ok(failed.every((f) => typeof f.error === "string" && f.error.length > 0));
  assert.equal(h.published.length, 1, "published even though an action failed");
  h.simulator.faults.remove(fault);
  const registersBefore = h.simulator.callsTo("/providers/Microsoft.Security/register", "POST").length;
  const retry = await respond(E4, { ...h.deps, run });
  assert.equal(retry.status, "processed");
  assert.ok(
    retry.findings
      .filter((f) => f.action === "delete-assignment" && f.rule === "RA-RECENT-PRIVILEGED")
      .every((f) => f.decision === "reverted"),
  );
  assert.equal(
    h.simulator.callsTo("/providers/Microsoft.Security/register", "POST").length,
    registersBefore,
    "the done register is not repeated",
  );
});

test("a reset connection during act is recorded, never silently lost", async () => {
  const h = await harness("revert");
  h.simulator.faults.add({ kind: "reset", match: { method: "POST", pathPattern: /register/i } });
  const out = await respond(E4, h.deps);
  const rp = byRule(out.findings, "RP-UNREGISTERED")[0]!;
  assert.equal(rp.decision, "failed");
  assert.ok(rp.error);
  const actions = await h.deps.store.actions(out.incident!.id);
  assert.equal(actions.find((a) => a.kind === "register-provider")?.state, "failed");
});

test("watch window (live-style): a grant made after the unregister joins the incident and is caught", async () => {
  const h = await harness("plan");
  const run = runState(h.deps);
  const e4 = await respond(E4, { ...h.deps, run });
  // After E4 was processed, alex grants the foreign SP User Access Administrator (T0+30m).
  const name = "11111111-0000-4000-8000-000000000003";
  h.simulator.state.roleAssignments.set(assignmentId(name).toLowerCase(), {
    id: assignmentId(name),
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope: SUB_SCOPE,
      roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${UAA}`,
      principalId: FOREIGN_SP,
      principalType: "ServicePrincipal",
      description: null,
      condition: null,
      conditionVersion: null,
      createdOn: E5(name).time,
      updatedOn: E5(name).time,
      createdBy: ALEX,
      updatedBy: ALEX,
      delegatedManagedIdentityResourceId: null,
    },
  });
  const e5 = await respond(E5(name), { ...h.deps, run });
  assert.equal(e5.joined, e4.incident!.id);
  const caught = e5.findings.filter((f) => f.assignmentId?.toLowerCase().endsWith(name));
  assert.ok(
    caught.some(
      (f) => f.rule === "RA-RECENT-PRIVILEGED" && f.severity === "critical" && f.decision === "planned",
    ),
    JSON.stringify(caught),
  );
  assert.ok(caught.some((f) => f.rule === "RA-EXTERNAL-PRINCIPAL" && f.decision === "planned"));
  const incident = await run.store.getIncident(e4.incident!.id);
  assert.ok(
    incident!.findings.some((f) => f.assignmentId?.toLowerCase().endsWith(name)),
    "the incident record holds the new finding",
  );
});

test("a redelivered role-assignment event is a duplicate: the incident it joined is not reviewed or published again", async () => {
  const h = await harness("plan");
  const published: string[] = [];
  const deps = {
    ...h.deps,
    publisher: { publishIncident: async (i: { id: string }) => void published.push(i.id) },
  };
  const run = runState(deps);
  const e4 = await respond(E4, { ...deps, run });
  const name = "11111111-0000-4000-8000-000000000003";
  const first = await respond(E5(name), { ...deps, run });
  assert.equal(first.status, "processed");
  assert.equal(first.joined, e4.incident!.id);
  const publishedBefore = published.length;
  const callsBefore = h.simulator.calls.length;

  const again = await respond(E5(name), { ...deps, run });
  assert.equal(again.status, "duplicate");
  assert.equal(published.length, publishedBefore, "no second publication");
  assert.equal(h.simulator.calls.length, callsBefore, "no second review");
  const incident = await run.store.getIncident(e4.incident!.id);
  assert.equal(incident!.leaseOwner, null, "the incident's lease is free");
});
