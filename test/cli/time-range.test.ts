// --since/--until: read by the same rules as event times (a time without a zone is UTC, as intake reads
// it), inclusive, a bare date at --until covers that whole day, impossible dates are usage errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCommonArgs, withinTimeRange } from "../../lib/cli/args";
import { UsageError } from "../../lib/cli/types";

const tty = { stdoutIsTTY: false };
const range = (...argv: string[]) => parseCommonArgs(["x.json", ...argv], tty);

test("a --since/--until time without a zone is UTC, like an event time without one, whatever TZ says", () => {
  const saved = process.env.TZ;
  process.env.TZ = "America/New_York";
  try {
    const a = range("--since", "2025-03-14T09:00:00", "--until", "2025-03-14T09:30");
    assert.equal(a.since, Date.parse("2025-03-14T09:00:00Z"));
    assert.equal(a.until, Date.parse("2025-03-14T09:30:00Z"));
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

test("offsets and 7-digit fractions are read as intake reads them", () => {
  const a = range("--since", "2025-03-14T10:00:00+01:00", "--until", "2025-03-14T09:26:53.5897932Z");
  assert.equal(a.since, Date.parse("2025-03-14T09:00:00Z"));
  assert.equal(a.until, Date.parse("2025-03-14T09:26:53.589Z"));
});

test("a bare date: --since from its first millisecond, --until through its last (inclusive)", () => {
  const a = range("--since", "2025-03-14", "--until", "2025-03-14");
  assert.equal(a.since, Date.parse("2025-03-14T00:00:00.000Z"));
  assert.equal(a.until, Date.parse("2025-03-14T23:59:59.999Z"));
  assert.ok(withinTimeRange("2025-03-14T09:26:53.589Z", a));
  assert.ok(withinTimeRange("2025-03-14T23:59:59.999Z", a));
  assert.ok(!withinTimeRange("2025-03-15T00:00:00.000Z", a));
  assert.ok(!withinTimeRange("2025-03-13T23:59:59.999Z", a));
});

test("impossible dates are usage errors, not silently moved to the next month", () => {
  for (const bad of ["2025-02-30", "2025-02-30T00:00:00Z", "2025-04-31T12:00:00Z", "2025-13-01"])
    assert.throws(() => range("--since", bad), UsageError, bad);
  assert.equal(range("--since", "2024-02-29").since, Date.parse("2024-02-29T00:00:00Z"));
});
