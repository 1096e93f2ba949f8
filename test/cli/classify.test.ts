import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCommonArgs } from "../../lib/cli/args";
import { runClassify } from "../../lib/cli/commands/classify";
import type { ReadInputs } from "../../lib/cli/intake";
import { main } from "../../lib/cli/main";
import { UsageError } from "../../lib/cli/types";
import type { IntakeItem } from "../../lib/events/types";
import { makeEvent } from "../classify/event-factory";
import { fakeIO, ndjson } from "./fake-io";

// A local fake of our own intake port: named inputs map to items; anything else is unreadable.
function fakeReader(files: Record<string, IntakeItem[]>): ReadInputs {
  return async function* (inputs, opts) {
    for (const input of inputs) {
      const items = files[input];
      if (!items) throw new UsageError(`cannot read ${input}: ENOENT`);
      for (const item of items) {
        if (opts.stats) opts.stats.records++;
        if ("rejected" in item) {
          if (opts.stats) opts.stats.rejected++;
        }
        yield item;
      }
    }
  };
}

const E4 = makeEvent({ eventId: "eg-e4", time: "2025-03-14T09:26:53.589Z" });
const E4_STARTED = makeEvent({
  eventId: "al-e4-start",
  source: "activitylog",
  status: "started",
  time: "2025-03-14T09:26:50.000Z",
});
const E4_COPY = makeEvent({
  eventId: "al-e4",
  source: "activitylog",
  operationName: "MICROSOFT.SECURITY/UNREGISTER/ACTION",
});
const STORAGE = makeEvent({
  eventId: "st-1",
  operationName: "Microsoft.Storage/storageAccounts/write",
  correlationId: "c0000000-0000-4000-8000-0000000000aa",
});
const KUSTO = makeEvent({
  eventId: "k-1",
  operationName: "Microsoft.Kusto/register/action",
  correlationId: "c0000000-0000-4000-8000-000000000011",
  time: "2025-03-14T14:26:53.000Z",
});
const BAD: IntakeItem = { rejected: true, where: "events.json:7", error: "no operationName" };
const FILES = { "a.json": [E4_STARTED, E4, STORAGE, BAD], "b.json": [E4_COPY, KUSTO] };
const read = fakeReader(FILES);

describe("cli classify", () => {
  it("prints ndjson lines of the contract shape for relevant and rejected records, dedups, summarises", async () => {
    const io = fakeIO();
    assert.equal(await runClassify(["a.json", "b.json"], io, read), 0);
    const lines = ndjson(io.out());
    assert.deepEqual(
      lines.map((l) => l.eventId ?? l.where),
      ["al-e4-start", "eg-e4", "events.json:7", "al-e4", "k-1"],
    );
    const e4 = lines[1]!;
    assert.deepEqual(Object.keys(e4), [
      "eventId",
      "source",
      "time",
      "subscriptionId",
      "operationName",
      "kind",
      "namespace",
      "status",
      "actor",
      "severity",
      "reasons",
      "attack",
      "operationKey",
      "findings",
    ]);
    assert.equal(e4.severity, "critical");
    assert.deepEqual(e4.attack, ["T1562.001"]);
    assert.deepEqual(e4.findings, []);
    assert.equal(lines[0]!.severity, "info");
    assert.equal(lines[0]!.duplicateOf, undefined);
    assert.deepEqual(lines[2], { rejected: true, where: "events.json:7", error: "no operationName" });
    assert.equal(lines[3]!.duplicateOf, "eg-e4");
    assert.deepEqual(Object.keys(lines[3]!).slice(-2), ["duplicateOf", "findings"]);
    const err = io.err();
    assert.match(err, /6 records read/);
    assert.match(err, /4 results, 1 rejected/);
    assert.match(err, /by kind: provider-unregister 3, provider-register 1/);
    assert.match(err, /by severity: critical 2, info 2/);
    assert.match(err, /duplicates 1; not relevant 1/);
  });
  it("--all prints every record", async () => {
    const io = fakeIO();
    await runClassify(["a.json", "--all"], io, read);
    const kinds = ndjson(io.out()).map((l) => l.kind ?? "rejected");
    assert.deepEqual(kinds, ["provider-unregister", "provider-unregister", "other", "rejected"]);
  });
  it("--since/--until filter by event time, inclusive", async () => {
    const io = fakeIO();
    await runClassify(
      ["a.json", "b.json", "--since", "2025-03-14T09:26:53.589Z", "--until", "2025-03-14T12:00:00Z"],
      io,
      read,
    );
    const ids = ndjson(io.out()).map((l) => l.eventId ?? l.where);
    assert.deepEqual(ids, ["eg-e4", "events.json:7", "al-e4"]);
    assert.match(io.err(), /outside --since\/--until 2/);
  });
  it("--fail-on exits 1 when a result reaches the severity, 0 otherwise", async () => {
    assert.equal(await runClassify(["a.json", "--fail-on", "critical"], fakeIO(), read), 1);
    assert.equal(
      await runClassify(["b.json", "--fail-on", "high"], fakeIO(), fakeReader({ "b.json": [KUSTO] })),
      0,
    );
    assert.equal(
      await runClassify(["b.json", "--fail-on", "info"], fakeIO(), fakeReader({ "b.json": [KUSTO] })),
      1,
    );
  });
  it("json is one array; table is aligned and colourless off a terminal", async () => {
    const json = fakeIO();
    await runClassify(["a.json", "--format", "json"], json, read);
    const arr = JSON.parse(json.out()) as unknown[];
    assert.equal(arr.length, 3);
    const table = fakeIO();
    await runClassify(["a.json", "--format", "table"], table, read);
    const rows = table.out().split("\n").filter(Boolean);
    assert.match(rows[0]!, /^TIME\s+SEVERITY\s+KIND\s+NAMESPACE\s+STATUS\s+ACTOR\s+SUBSCRIPTION\s+NOTE$/);
    assert.equal(rows.length, 4);
    assert.match(
      rows[2]!,
      /critical\s+provider-unregister\s+Microsoft\.Security\s+succeeded\s+alex\.doe@contoso\.example/,
    );
    assert.match(rows[3]!, /REJECTED.*events\.json:7: no operationName/);
    assert.equal(rows[1]!.indexOf("info"), rows[2]!.indexOf("critical"), "columns aligned");
    assert.ok(!table.out().includes("\u001b["), "no colour when not a terminal");
  });
  it("table is the default on a terminal, ndjson otherwise", async () => {
    const tty = fakeIO({ stdoutIsTTY: true });
    await runClassify(["a.json"], tty, read);
    assert.match(tty.out(), /TIME/);
    const pipe = fakeIO();
    await runClassify(["a.json"], pipe, read);
    assert.doesNotThrow(() => ndjson(pipe.out()));
  });
  it("exit 2 (UsageError) for unreadable inputs", async () => {
    await assert.rejects(
      runClassify(["missing.json"], fakeIO(), read),
      (e: Error) => e instanceof UsageError && /missing\.json/.test(e.message),
    );
  });
});

describe("cli classify through main()", () => {
  const cases: [string[], RegExp][] = [
    [["classify"], /needs at least one INPUT/],
    [["classify", "x.json", "--format", "xml"], /--format must be one of table, json, ndjson/],
    [["classify", "x.json", "--fail-on", "severe"], /--fail-on must be one of/],
    [["classify", "x.json", "--since", "yesterday"], /--since needs an ISO 8601 time/],
    [["classify", "x.json", "--wat"], /Unknown option '--wat'/],
    [
      ["classify", "x.json", "--since", "2025-03-15T00:00:00Z", "--until", "2025-03-14T00:00:00Z"],
      /--since is after --until/,
    ],
  ];
  for (const [argv, message] of cases) {
    it(`exit 2: ${argv.slice(1).join(" ") || "(no inputs)"}`, async () => {
      const io = fakeIO();
      assert.equal(await main(argv, io), 2);
      assert.match(io.err(), message);
    });
  }
  it("--help prints the usage", async () => {
    const io = fakeIO();
    assert.equal(await main(["classify", "--help"], io), 0);
    assert.match(io.out(), /usage: unregister-responder classify INPUT/);
  });
});

describe("parseCommonArgs", () => {
  it("parses every common flag", () => {
    const a = parseCommonArgs(
      [
        "f",
        "--format",
        "json",
        "--all",
        "--mode",
        "revert",
        "--tenant",
        "t.json",
        "--protect",
        "{B1EAC1A5-0000-4000-8000-00000000B001}",
        "--protect",
        "c0ffee00-aaaa-4bbb-8ccc-000000000001",
        "--out",
        "o.ndjson",
        "--fail-on",
        "high",
      ],
      { stdoutIsTTY: true },
    );
    assert.equal(a.format, "json");
    assert.equal(a.all, true);
    assert.equal(a.mode, "revert");
    assert.equal(a.tenant, "t.json");
    assert.deepEqual(a.protect, [
      "b1eac1a5-0000-4000-8000-00000000b001",
      "c0ffee00-aaaa-4bbb-8ccc-000000000001",
    ]);
    assert.equal(a.out, "o.ndjson");
    assert.equal(a.failOn, "high");
    assert.deepEqual(a.positionals, ["f"]);
  });
  it("rejects flags a command does not allow, bad GUIDs and --tenant with --live", () => {
    assert.throws(
      () => parseCommonArgs(["--mode", "plan"], { stdoutIsTTY: false }, { allow: ["format"] }),
      UsageError,
    );
    assert.throws(
      () => parseCommonArgs(["--protect", "nope"], { stdoutIsTTY: false }),
      /--protect needs an object id/,
    );
    assert.throws(
      () => parseCommonArgs(["--tenant", "t", "--live"], { stdoutIsTTY: false }),
      /cannot be used together/,
    );
    assert.throws(
      () => parseCommonArgs(["--mode", "yolo"], { stdoutIsTTY: false }),
      /--mode must be one of plan, flag, revert/,
    );
  });
});
