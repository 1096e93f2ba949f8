// The same guarantees on the durable store: TableStore over Azurite (real Table wire protocol).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { respond, runState } from "../../lib/respond";
import { TableStore } from "../../lib/store/index";
import { TransientError } from "../../lib/tenant/errors";
import { startAzurite, type Azurite } from "../support/azurite";
import { BREAK_GLASS_OWNER, E1, E3, E4, GUEST_OWNER, harness } from "./scenario";

let azurite: Azurite | undefined;
before(async () => {
  azurite = await startAzurite();
});
after(async () => {
  await azurite?.stop();
});

test("TableStore: 10 concurrent deliveries from 10 instances give one incident and each action once", async () => {
  const store = TableStore.fromConnectionString(azurite!.connectionString, `r${Date.now().toString(36)}`);
  const h = await harness("revert", { store });
  await respond(E1, h.deps);
  await respond(E3, h.deps);
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      respond(E4, { ...h.deps, run: runState(h.deps), instanceId: `instance-${i}` }),
    ),
  );
  const processed = results.flatMap((r) =>
    r.status === "fulfilled" && r.value.status === "processed" ? [r.value] : [],
  );
  assert.equal(processed.length, 1);
  for (const r of results)
    if (r.status === "rejected") assert.ok(r.reason instanceof TransientError, String(r.reason));
  assert.equal(h.simulator.callsTo(GUEST_OWNER, "DELETE").length, 1);
  assert.equal(h.simulator.callsTo("/providers/Microsoft.Security/register", "POST").length, 1);
  assert.equal(h.simulator.callsTo(BREAK_GLASS_OWNER, "PUT").length, 1);
  const actions = await store.actions(processed[0]!.incident!.id);
  assert.deepEqual(actions.map((a) => a.state).sort(), ["done", "done", "done"]);
  const stored = await store.getIncident(processed[0]!.incident!.id);
  assert.equal(stored?.status, "reviewed");
  assert.equal(stored?.leaseOwner, null);
});

test("TableStore: a crash between two actions, then a redelivery after the lease ends, completes without repeating", async () => {
  const base = TableStore.fromConnectionString(azurite!.connectionString, `c${Date.now().toString(36)}`);
  let intents = 0;
  // Our own Store port, wrapped: the process "dies" when it records its second action intent.
  const crashing = Object.create(base) as TableStore;
  crashing.recordActionIntent = async (a) => {
    if (!a.incidentId.startsWith("ledger-") && ++intents === 2) throw new Error("process crashed");
    return base.recordActionIntent(a);
  };
  let clock = Date.parse("2025-03-14T12:30:00Z");
  const h = await harness("revert", { store: crashing, now: () => new Date(clock) });
  await respond(E1, h.deps);
  await respond(E3, h.deps);
  await assert.rejects(respond(E4, h.deps), /process crashed/);
  const writesAfterCrash = h.simulator.calls.filter((c) => c.method !== "GET" && c.service === "arm").length;
  assert.equal(writesAfterCrash, 1, "exactly one action ran before the crash");
  // Redelivery while the dead run's lease is still valid: retried later, nothing done.
  await assert.rejects(respond(E4, { ...h.deps, store: base, run: undefined }), TransientError);
  clock += 10 * 60_000;
  const resumed = await respond(E4, { ...h.deps, store: base, run: undefined });
  assert.equal(resumed.status, "processed");
  const acting = resumed.findings.filter((f) => f.action !== "none");
  assert.ok(
    acting.every((f) => f.decision === "reverted"),
    JSON.stringify(acting.map((f) => [f.rule, f.decision, f.decisionReason])),
  );
  assert.equal(h.simulator.callsTo(GUEST_OWNER, "DELETE").length, 1);
  assert.equal(h.simulator.callsTo("/providers/Microsoft.Security/register", "POST").length, 1);
  assert.equal(h.simulator.callsTo(BREAK_GLASS_OWNER, "PUT").length, 1);
});
