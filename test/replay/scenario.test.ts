// `replay samples/` against samples/tenant.json must give exactly SCENARIO.md's expected outcome.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runReplay } from "../../lib/cli/commands/replay";
import type { OpenedTenant } from "../../lib/tenant/open";
import { fakeIO, ndjson } from "../cli/fake-io";

const BREAK_GLASS = "b1eac1a5-0000-4000-8000-00000000b001";
const CORR = {
  E4: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
  E5: "c0000000-0000-4000-8000-000000000005",
  E6: "c0000000-0000-4000-8000-000000000006",
  E7: "c0000000-0000-4000-8000-000000000007",
  E8: "c0000000-0000-4000-8000-000000000008",
  E9: "c0000000-0000-4000-8000-000000000009",
  E10: "c0000000-0000-4000-8000-000000000010",
  E11: "c0000000-0000-4000-8000-000000000011",
  E12: "c0000000-0000-4000-8000-0000000000ff",
};

interface F {
  rule: string;
  severity: string;
  assignmentId?: string;
  principalId?: string;
  action: string;
  decision: string;
}
interface Line {
  eventId: string;
  operationKey: string;
  status: string;
  severity: string;
  duplicateOf?: string;
  findings: F[];
  rejected?: boolean;
}

async function replay(mode: string) {
  const io = fakeIO();
  let opened: OpenedTenant | undefined;
  const code = await runReplay(
    ["samples/", "--format", "ndjson", "--mode", mode, "--protect", BREAK_GLASS],
    io,
    {
      onTenant: (o) => (opened = o),
    },
  );
  const lines = ndjson(io.out()) as unknown as Line[];
  const results = lines.filter((l) => !l.rejected);
  /** The reviewed (outcome, non-duplicate) line of an operation. */
  const of = (corr: string): Line => {
    const hits = results.filter(
      (l) => l.operationKey.includes(corr) && !l.duplicateOf && !["started", "accepted"].includes(l.status),
    );
    assert.equal(hits.length, 1, `one reviewed line for ${corr}, got ${hits.length}`);
    return hits[0]!;
  };
  return { code, lines, results, of, simulator: opened!.simulator!, err: io.err() };
}

const find = (l: Line, rule: string, idEnd?: string) =>
  l.findings.filter(
    (f) =>
      f.rule === rule && (!idEnd || (f.assignmentId ?? f.principalId ?? "").toLowerCase().endsWith(idEnd)),
  );

test("plan mode: SCENARIO.md's expected outcome", async () => {
  const r = await replay("plan");
  assert.equal(r.code, 0, r.err);
  const e4 = r.of(CORR.E4);
  assert.equal(e4.severity, "critical");
  assert.equal(find(e4, "RP-UNREGISTERED")[0]?.decision, "planned");
  const recent1 = find(e4, "RA-RECENT-PRIVILEGED", "11111111-0000-4000-8000-000000000001")[0];
  assert.deepEqual([recent1?.severity, recent1?.decision], ["critical", "planned"]);
  const recent2 = find(e4, "RA-RECENT-PRIVILEGED", "11111111-0000-4000-8000-000000000002")[0];
  assert.deepEqual([recent2?.severity, recent2?.decision], ["critical", "planned"]);
  for (const id of ["11111111-0000-4000-8000-000000000001", "11111111-0000-4000-8000-000000000002"]) {
    const ext = find(e4, "RA-EXTERNAL-PRINCIPAL", id)[0];
    assert.deepEqual([ext?.severity, ext?.decision], ["high", "planned"], id);
  }
  assert.deepEqual(
    find(e4, "RA-ACTOR-PRIVILEGED").map((f) => [f.severity, f.decision]),
    [["medium", "none"]],
  );
  assert.deepEqual(
    find(e4, "RA-ORPHANED", "33333333-0000-4000-8000-000000000006").map((f) => [f.severity, f.decision]),
    [["low", "none"]],
  );

  const e5 = r.of(CORR.E5);
  assert.equal(
    find(e5, "RA-RECENT-PRIVILEGED", "11111111-0000-4000-8000-000000000003")[0]?.decision,
    "planned",
  );
  assert.equal(
    find(e5, "RA-RECENT-PRIVILEGED", "11111111-0000-4000-8000-000000000003")[0]?.severity,
    "critical",
  );
  assert.equal(
    find(e5, "RA-EXTERNAL-PRINCIPAL", "11111111-0000-4000-8000-000000000003")[0]?.decision,
    "planned",
  );

  const e6 = r.of(CORR.E6);
  assert.equal(e6.severity, "critical");
  assert.equal(find(e6, "RP-UNREGISTERED")[0]?.decision, "planned");
  assert.deepEqual(
    find(e6, "SP-NEW-CREDENTIAL").map((f) => [f.severity, f.decision]),
    [["high", "none"]],
  );
  assert.deepEqual(
    find(e6, "RA-ACTOR-PRIVILEGED").map((f) => [f.severity, f.decision]),
    [["medium", "none"]],
  );
  const e6Copies = r.results.filter((l) => l.operationKey.includes(CORR.E6) && l.duplicateOf);
  assert.equal(e6Copies.length, 1, "the dead-letter copy");
  assert.equal(e6Copies[0]!.duplicateOf, e6.eventId);
  assert.deepEqual(e6Copies[0]!.findings, []);
  // Overlapping windows: E6 sees the guest Owner, but does not plan it twice.
  assert.match(
    find(e6, "RA-RECENT-PRIVILEGED", "11111111-0000-4000-8000-000000000001")[0]?.decision ?? "",
    /planned/,
  );

  assert.equal(find(r.of(CORR.E8), "RP-UNREGISTERED").length, 0, "E8 failed: nothing was unregistered");
  for (const c of [CORR.E9, CORR.E10, CORR.E11])
    assert.deepEqual(
      r.of(c).findings.filter((f) => f.action !== "none"),
      [],
    );
  const e12 = r.of(CORR.E12);
  assert.ok(e12.findings.some((f) => f.decision === "skipped:unverified"));
  assert.ok(e12.findings.every((f) => f.decision !== "planned"));

  const writes = r.simulator.calls.filter((c) => c.service === "arm" && c.method !== "GET");
  assert.deepEqual(writes, [], "plan mode writes nothing to the tenant");
});

test("plan mode: intake-dependent parts (E3's responseBody restores break-glass; E7's diagnostic export)", async () => {
  const r = await replay("plan");
  const e4 = r.of(CORR.E4);
  const restore = find(e4, "RA-PROTECTED-REMOVED");
  assert.deepEqual(
    restore.map((f) => [f.severity, f.action, f.decision]),
    [["high", "restore-assignment", "planned"]],
  );
  const e7 = r.of(CORR.E7);
  assert.equal(find(e7, "RP-UNREGISTERED")[0]?.decision, "planned");
  assert.equal(find(e7, "RA-ACTOR-PRIVILEGED")[0]?.decision, "none");
});

test("revert mode: the deletes and the registers happen once each, guard rails hold", async () => {
  const r = await replay("revert");
  assert.equal(r.code, 0, r.err);
  const calls = (method: string, pathPart: string) => r.simulator.callsTo(pathPart, method).length;
  for (const n of ["1", "2", "3"])
    assert.equal(calls("DELETE", `11111111-0000-4000-8000-00000000000${n}`), 1, `delete ${n}`);
  assert.equal(calls("POST", "/providers/Microsoft.Security/register"), 1);
  assert.equal(calls("POST", "/providers/Microsoft.Insights/register"), 1);
  assert.equal(calls("POST", "/providers/Microsoft.PolicyInsights/register"), 0, "E12 is spoofed");
  assert.equal(
    calls("DELETE", "33333333-0000-4000-8000-000000000001"),
    0,
    "alex's Owner is reported, not removed",
  );
  const e4 = r.of(CORR.E4);
  assert.equal(
    find(e4, "RA-RECENT-PRIVILEGED", "11111111-0000-4000-8000-000000000001")[0]?.decision,
    "reverted",
  );
  assert.equal(find(e4, "RP-UNREGISTERED")[0]?.decision, "reverted");
  const e6 = r.of(CORR.E6);
  const carried = find(e6, "RA-EXTERNAL-PRINCIPAL", "11111111-0000-4000-8000-000000000001")[0];
  assert.ok(
    !carried || carried.decision === "reverted",
    "a later incident carries the earlier action's decision",
  );
});
