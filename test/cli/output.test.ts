import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createResultWriter, openOutput, TABLE_SAMPLE } from "../../lib/cli/output";
import { createProgress, newIntakeStats } from "../../lib/cli/summary";
import { UsageError } from "../../lib/cli/types";
import { fakeIO } from "./fake-io";

describe("output writers", () => {
  const columns = [
    { header: "A", value: (r: { a: string; b: string }) => r.a, maxWidth: 5 },
    { header: "B", value: (r: { a: string; b: string }) => r.b },
  ];
  it("empty json is [] and empty table says so", async () => {
    const io = fakeIO();
    const json = createResultWriter("json", io.stdout, { columns });
    await json.end();
    const table = createResultWriter("table", io.stdout, { columns });
    await table.end();
    assert.equal(io.out(), "[]\n(no results)\n");
  });
  it("table cuts long cells past the sample widths and keeps streaming", async () => {
    const io = fakeIO();
    const w = createResultWriter("table", io.stdout, { columns });
    for (let i = 0; i < TABLE_SAMPLE + 1; i++)
      await w.write({ a: i === TABLE_SAMPLE ? "toolongvalue" : "abc", b: "tail\nline" });
    await w.end();
    const rows = io.out().trimEnd().split("\n");
    assert.equal(rows.length, TABLE_SAMPLE + 2);
    assert.equal(rows.at(-1), "to…  tail line");
    assert.equal(w.count, TABLE_SAMPLE + 1);
  });
  it("--out writes to a file; an unwritable path is a usage error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "out-"));
    const io = fakeIO();
    const out = await openOutput(join(dir, "r.ndjson"), io);
    const w = createResultWriter("ndjson", out.stream, { columns });
    await w.write({ a: "1", b: "2" });
    await w.end();
    await out.close();
    assert.equal(readFileSync(join(dir, "r.ndjson"), "utf8"), '{"a":"1","b":"2"}\n');
    assert.equal(io.out(), "");
    await assert.rejects(openOutput(join(dir, "no", "such", "dir.ndjson"), io), UsageError);
  });
});

describe("progress line", () => {
  it("is off when stderr is not a terminal", () => {
    const io = fakeIO();
    const p = createProgress(io, "classify", () => 10_000);
    p.update({ ...newIntakeStats(), records: 5 });
    p.done();
    assert.equal(io.err(), "");
  });
  it("redraws at most once per interval and clears at the end", () => {
    const io = fakeIO({ stderrIsTTY: true });
    let t = 0;
    const p = createProgress(io, "classify", () => t);
    const stats = { ...newIntakeStats(), records: 1, bytes: 1_048_576 };
    p.update(stats); // too soon after start
    t = 300;
    p.update(stats);
    t = 350;
    p.update(stats); // throttled
    p.done();
    assert.equal(io.err(), "\r\u001b[Kclassify: 1 records, 1.0 MB\r\u001b[K");
  });
});
