// End to end over the real SDK clients and the simulator: the demo story replayed against a copy of
// samples/tenant.json in which the guest's Owner (1111…0001, E1) is a PIM activation. Plan and revert flag it
// (the ndjson line carries no decision reason; plan.test.ts checks the PIM wording), and revert mode never sends it a classic DELETE (the simulator's call log is the witness);
// the other story deletes still happen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runReplay } from "../../lib/cli/commands/replay";
import { armScheduleInstance } from "../../lib/simulator/builders";
import type { OpenedTenant } from "../../lib/tenant/open";
import { loadSnapshot } from "../../lib/tenant/snapshot";
import { fakeIO, ndjson } from "../cli/fake-io";

const BREAK_GLASS = "b1eac1a5-0000-4000-8000-00000000b001";
const GUEST_OWNER = "11111111-0000-4000-8000-000000000001";
const E4 = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

function tenantWithGuestActivation(): string {
  const snap = loadSnapshot("samples/tenant.json");
  const guestOwner = snap.roleAssignments.find((a) => a.name === GUEST_OWNER)!;
  snap.roleAssignmentScheduleInstances = [
    ...(snap.roleAssignmentScheduleInstances ?? []),
    armScheduleInstance({
      assignment: guestOwner,
      assignmentType: "Activated",
      startDateTime: guestOwner.properties.createdOn!,
      endDateTime: "2025-03-14T15:26:53.000Z",
    }),
  ];
  const file = join(mkdtempSync(join(tmpdir(), "pim-")), "tenant.json");
  writeFileSync(file, JSON.stringify(snap));
  return file;
}

interface Line {
  operationKey: string;
  status: string;
  duplicateOf?: string;
  rejected?: boolean;
  findings: Array<{ rule: string; assignmentId?: string; decision: string }>;
}

async function replay(mode: string, tenantFile: string) {
  const io = fakeIO();
  let opened: OpenedTenant | undefined;
  const code = await runReplay(
    ["samples/", "--format", "ndjson", "--mode", mode, "--protect", BREAK_GLASS, "--tenant", tenantFile],
    io,
    { onTenant: (o) => (opened = o) },
  );
  const lines = (ndjson(io.out()) as unknown as Line[]).filter((l) => !l.rejected);
  const e4 = lines.find(
    (l) => l.operationKey.includes(E4) && !l.duplicateOf && !["started", "accepted"].includes(l.status),
  )!;
  return { code, err: io.err(), e4, simulator: opened!.simulator! };
}

test("a PIM-activated guest Owner is flagged in plan and revert, and never DELETEd; the rest still reverts", async () => {
  const tenantFile = tenantWithGuestActivation();
  for (const mode of ["plan", "revert"]) {
    const r = await replay(mode, tenantFile);
    assert.equal(r.code, 0, r.err);
    const onGuest = r.e4.findings.filter((f) => f.assignmentId?.endsWith(GUEST_OWNER));
    assert.deepEqual(
      onGuest.map((f) => [f.rule, f.decision]).sort(),
      [
        ["RA-EXTERNAL-PRINCIPAL", "flagged"],
        ["RA-RECENT-PRIVILEGED", "flagged"],
      ],
      mode,
    );
    assert.equal(r.simulator.callsTo(GUEST_OWNER, "DELETE").length, 0, `${mode}: no classic DELETE`);
    if (mode === "revert")
      assert.equal(
        r.simulator.callsTo("11111111-0000-4000-8000-000000000002", "DELETE").length,
        1,
        "a grant PIM does not manage is still reverted",
      );
  }
});
