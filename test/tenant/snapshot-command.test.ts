// `snapshot` round trip: a snapshot read through the simulator and the ports, written, parsed back by the
// snapshot loader, holds the same tenant; snapshotting that output again gives the same content.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, it } from "node:test";
import { command } from "../../lib/cli/commands/snapshot";
import { UsageError, type CliIO } from "../../lib/cli/types";
import { parseSnapshot } from "../../lib/tenant/snapshot";
import { ALEX, SP_APP, SUB, fixtureSnapshot } from "./fixture";

function io(cwd: string): CliIO & { err: () => string } {
  const stderr = new PassThrough();
  let err = "";
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  return {
    stdin: Readable.from([]),
    stdout: new PassThrough(),
    stderr,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: {},
    cwd,
    err: () => err,
  };
}

const WINDOW = ["--until", "2025-03-15T00:00:00Z", "--days", "7"];

describe("snapshot command", () => {
  it("round-trips a tenant through the ports", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snapshot-test-"));
    const original = fixtureSnapshot(60);
    writeFileSync(join(dir, "in.json"), JSON.stringify(original));
    const first = io(dir);
    assert.equal(
      await command.run(
        ["--subscription", SUB, "--tenant", "in.json", "--out", "out.json", ...WINDOW],
        first,
      ),
      0,
    );
    const out = parseSnapshot(JSON.parse(readFileSync(join(dir, "out.json"), "utf8")), "out.json");
    assert.equal(out.tenantId, original.tenantId);
    assert.deepEqual(
      out.roleAssignments.map((a) => a.id.toLowerCase()).sort(),
      original.roleAssignments.map((a) => a.id.toLowerCase()).sort(),
    );
    const assigned = new Set(original.roleAssignments.map((a) => a.properties.principalId));
    assert.equal(out.principals.length, assigned.size, "every assigned principal resolved");
    assert.equal(out.principals.find((p) => p.id === ALEX)?.userType, "Member");
    // PIM facts survive the round trip: the same instances, backing the same assignments.
    const pimOf = (sn: { roleAssignmentScheduleInstances?: { properties: Record<string, unknown> }[] }) =>
      (sn.roleAssignmentScheduleInstances ?? [])
        .map(
          (i) =>
            `${String(i.properties.originRoleAssignmentId).toLowerCase()}|${String(i.properties.assignmentType)}`,
        )
        .sort();
    assert.ok(pimOf(original).length > 0, "the fixture has PIM instances");
    assert.deepEqual(pimOf(out), pimOf(original));
    assert.deepEqual(
      out.applications.map((a) => a.appId),
      [SP_APP],
    );
    assert.equal(out.activityLog.length, original.activityLog.length);
    assert.deepEqual(out.subscriptions[0]?.providers, original.subscriptions[0]?.providers);
    assert.match(first.err(), /"roleAssignments":25/);

    const second = io(dir);
    assert.equal(
      await command.run(
        ["--subscription", SUB, "--tenant", "out.json", "--out", "again.json", ...WINDOW],
        second,
      ),
      0,
    );
    const again = parseSnapshot(JSON.parse(readFileSync(join(dir, "again.json"), "utf8")), "again.json");
    assert.deepEqual({ ...again, generatedBy: undefined }, { ...out, generatedBy: undefined });
  });

  it("rejects bad flags as usage errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snapshot-test-"));
    await assert.rejects(command.run([], io(dir)), UsageError);
    await assert.rejects(command.run(["--subscription", "prod"], io(dir)), /must be a subscription id/);
    await assert.rejects(
      command.run(["--subscription", SUB, "--live", "--tenant", "x.json"], io(dir)),
      /exclude each other/,
    );
    await assert.rejects(command.run(["--subscription", SUB, "--days=0"], io(dir)), /--days must be/);
  });
});
