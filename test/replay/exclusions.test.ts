// Exclusions must visibly work: an excluded finding leaves the results but is shown with the exclusion
// that matched, never silently dropped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runReplay } from "../../lib/cli/commands/replay";
import { fakeIO, ndjson } from "../cli/fake-io";

const ORPHAN = "0de1e7ed-dead-4bad-8bad-00000000dead";
const E4 = "samples/events/eventgrid/E4-security-unregister.json";

function policyFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), "policy-")), "policy.json");
  writeFileSync(path, JSON.stringify({ exclusions: [{ principalId: ORPHAN, reason: "ticket SEC-42" }] }));
  return path;
}

type Line = { findings: { rule: string; principalId?: string }[] };

test("without a policy, the orphaned assignment is reported", async () => {
  const io = fakeIO();
  assert.equal(await runReplay([E4, "--format", "ndjson"], io), 0);
  const [line] = ndjson(io.out()) as unknown as Line[];
  assert.ok(line!.findings.some((f) => f.rule === "RA-ORPHANED" && f.principalId === ORPHAN));
});

test("an excluded finding leaves the results and is shown with the exclusion that matched", async () => {
  const policy = policyFile();
  const io = fakeIO();
  assert.equal(await runReplay([E4, "--format", "ndjson", "--policy", policy], io), 0);
  const [line] = ndjson(io.out()) as unknown as Line[];
  assert.ok(line!.findings.length > 0, "the other findings remain");
  assert.ok(!line!.findings.some((f) => f.principalId === ORPHAN), "the excluded principal has no finding");

  const table = fakeIO();
  assert.equal(await runReplay([E4, "--format", "table", "--policy", policy], table), 0);
  assert.match(table.out(), new RegExp(`excluded RA-ORPHANED .*${ORPHAN}.*ticket SEC-42`));
});
