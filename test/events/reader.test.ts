// readInputs: containers, streaming, malformed input and unreadable paths.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { InputError, readInputs } from "../../lib/events/index";
import { UsageError } from "../../lib/cli/types";
import { readAll, tempDir, tempFile } from "./_helpers";

const op = (name: string, i = 0) => ({
  time: "2025-03-14T09:26:53.5897932Z",
  operationName: name,
  resultType: "Success",
  correlationId: `c0000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
});
const UNREG = "Microsoft.Security/unregister/action";

test("JSON Lines with a last line without newline, CRLF and blank lines", async () => {
  const path = tempFile(
    "a.jsonl",
    `${JSON.stringify(op(UNREG, 1))}\r\n\r\n${JSON.stringify(op("x/write", 2))}\n${JSON.stringify(op(UNREG, 3))}`,
  );
  const { events, stats } = await readAll([path]);
  assert.deepEqual(
    events.map((e) => e.where.split(":").pop()),
    ["1", "4"],
  );
  assert.equal(stats.records, 3);
  assert.equal(stats.skipped, 1);
});

test("a pretty-printed array, {records:[…]}, {value:[…]}, concatenated documents: where is the record's first line", async () => {
  const records = [op(UNREG, 1), op("Microsoft.Kusto/register/action", 2)];
  const pretty = tempFile("arr.json", JSON.stringify(records, null, 2));
  const wrapped = tempFile("wrap.json", JSON.stringify({ records, nextLink: null }, null, 2));
  const page = tempFile("page.json", JSON.stringify({ value: records }, null, 4));
  const concatenated = tempFile(
    "cat.json",
    `${JSON.stringify(records[0], null, 2)}\n${JSON.stringify(records[1], null, 2)}\n`,
  );
  for (const path of [pretty, wrapped, page, concatenated]) {
    const { events, rejected } = await readAll([path]);
    assert.equal(rejected.length, 0, path);
    assert.deepEqual(
      events.map((e) => e.operationName),
      [UNREG, "Microsoft.Kusto/register/action"],
      path,
    );
    const lines = events.map((e) => Number(e.where.split(":").pop()));
    assert.ok(lines[1]! > lines[0]!, `${path}: ${lines}`);
  }
  const { events } = await readAll([pretty]);
  assert.equal(events[0]!.where, `${pretty}:2`); // `[` on line 1, the first element opens on line 2
});

test("a single-line array (dead-letter blob) and a one-line {records} Event Hubs message", async () => {
  const path = tempFile(
    "one.json",
    `${JSON.stringify([op(UNREG, 1), op(UNREG, 2)])}\n${JSON.stringify({ records: [op(UNREG, 3)] })}\n`,
  );
  const { events } = await readAll([path]);
  assert.equal(events.length, 3);
});

test("malformed records each give one Rejected naming file:line, and the batch goes on", async () => {
  const big = JSON.stringify("x".repeat(10 * 1024 * 1024));
  const lines = [
    JSON.stringify(op(UNREG, 1)),
    '{"time":"2025-03-14T09:26:53Z","operationName":"Microsoft.Security/unregister/act', // truncated
    "42",
    '"x"',
    "\u0000\u0001\u0002binary\u00ff",
    big, // a 10 MB string
    JSON.stringify({ ...op(UNREG, 2), operationName: 17 }), // wrong type
    JSON.stringify({ time: "2025-03-14T09:26:53Z" }), // missing fields
    JSON.stringify(op(UNREG, 3)),
  ];
  const path = tempFile("bad.jsonl", `${lines.join("\n")}\n`);
  for (const all of [false, true]) {
    const { events, rejected } = await readAll([path], { all });
    assert.deepEqual(
      events.map((e) => e.correlationId),
      ["c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-000000000003"],
    );
    const byLine = new Map(rejected.map((r) => [Number(r.where.split(":").pop()), r.error]));
    assert.match(byLine.get(2)!, /not valid JSON/);
    assert.match(byLine.get(3)!, /got number 42/);
    assert.match(byLine.get(4)!, /got a string "x"/);
    assert.match(byLine.get(5)!, /binary data/);
    assert.match(byLine.get(6)!, /10485760 characters/);
    assert.ok(byLine.get(6)!.length < 300, "the message does not carry the 10 MB string");
    if (all) {
      // Object-shaped records without a relevant keyword are skipped by the fast path (they cannot be
      // relevant); with --all they are parsed and explained.
      assert.match(byLine.get(7)!, /operationName/);
      assert.match(byLine.get(8)!, /without an operationName|not a recognised event format/);
    } else assert.equal(byLine.size, 5);
  }
});

test("a broken element in a big array is reported; the scan resyncs and reads the rest", async () => {
  const good = (i: number) => JSON.stringify(op(UNREG, i), null, 2).replace(/^/gm, "  ");
  const text = `[\n${good(1)},\n  {\n    "time": "2025-03-14T09:26:53Z",\n    "operationName": "broken\n  },\n${good(2)},\n${good(3)}\n]\n`;
  const path = tempFile("broken.json", text);
  const { events, rejected } = await readAll([path]);
  assert.deepEqual(
    events.map((e) => e.correlationId?.slice(-1)),
    ["1", "2", "3"],
  );
  assert.equal(rejected.length, 1);
  assert.match(rejected[0]!.where, /broken\.json:8$/);
  assert.match(rejected[0]!.error, /line break inside a string/);
});

test("a truncated array file is reported, not dropped", async () => {
  const text = JSON.stringify([op(UNREG, 1), op(UNREG, 2)], null, 2);
  const { events, rejected } = await readAll([tempFile("trunc.json", text.slice(0, text.length - 40))]);
  assert.equal(events.length, 1);
  assert.equal(rejected.length, 1);
  assert.match(rejected[0]!.error, /ends inside this record/);
});

test("directories recursively in sorted order, stdin as -, stats per input", async () => {
  const dir = tempDir();
  mkdirSync(join(dir, "b"));
  writeFileSync(join(dir, "b", "2.json"), JSON.stringify(op(UNREG, 2)));
  writeFileSync(join(dir, "a.jsonl"), JSON.stringify(op(UNREG, 1)));
  writeFileSync(join(dir, "notes.md"), "not read");
  const stdin = Readable.from([
    Buffer.from(JSON.stringify(op(UNREG, 3)).slice(0, 20)),
    Buffer.from(`${JSON.stringify(op(UNREG, 3)).slice(20)}\n`),
  ]);
  const { events, stats } = await readAll([dir, "-"], { stdin });
  assert.deepEqual(
    events.map((e) => e.correlationId?.slice(-1)),
    ["1", "2", "3"],
  );
  assert.equal(events[2]!.where, "stdin:1");
  assert.equal(stats.files, 3);
  assert.ok(stats.bytes > 0);
});

test("an unreadable input throws InputError (a UsageError: exit 2) before any record", async () => {
  const good = tempFile("ok.json", JSON.stringify(op(UNREG, 1)));
  const consume = async (inputs: string[]) => {
    for await (const _ of readInputs(inputs, {})) void _;
  };
  await assert.rejects(consume([good, "/no/such/file.json"]), (err: unknown) => {
    assert.ok(err instanceof InputError && err instanceof UsageError);
    assert.match(err.message, /cannot read \/no\/such\/file\.json: no such file or directory/);
    return true;
  });
  await assert.rejects(consume([tempDir()]), /holds no \.json/);
  if (process.getuid?.() !== 0) {
    const locked = tempFile("locked.json", "{}");
    chmodSync(locked, 0o000);
    await assert.rejects(consume([locked]), /cannot read .*locked\.json: EACCES/);
  }
});

test("streaming: a multi-MB array is read element by element with bounded memory", async () => {
  const dir = tempDir();
  const path = join(dir, "big.json");
  const count = 40_000;
  const parts: string[] = ["[\n"];
  for (let i = 0; i < count; i++) {
    const record = {
      ...op(i % 400 === 0 ? UNREG : "Microsoft.Storage/storageAccounts/write", i),
      padding: "p".repeat(400),
    };
    parts.push(`  ${JSON.stringify(record)}${i < count - 1 ? "," : ""}\n`);
  }
  parts.push("]\n");
  writeFileSync(path, parts.join(""));
  const before = process.memoryUsage().heapUsed;
  let peak = 0;
  let n = 0;
  const stats = { records: 0, skipped: 0, rejected: 0, bytes: 0 };
  for await (const _ of readInputs([path], {
    stats,
    onProgress: () => (peak = Math.max(peak, process.memoryUsage().heapUsed)),
  }))
    n++;
  assert.equal(stats.records, count);
  assert.equal(n, count / 400);
  assert.equal(stats.skipped, count - count / 400);
  assert.ok(stats.bytes > 18 * 1024 * 1024);
  // The file is ~19 MB; holding it (as bytes and as a string) would add far more than this.
  assert.ok(peak - before < 16 * 1024 * 1024, `heap grew by ${((peak - before) / 1048576).toFixed(1)} MB`);
});
