// Property tests: the fast path never skips a relevant record whatever its escaping and casing, and
// intake never throws nor drops a valid record mixed among garbage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { Readable } from "node:stream";
import { join } from "node:path";
import fc from "fast-check";
import { readAll, tempDir } from "./_helpers";
import {
  MAYBE_RELEVANT_GLOBAL,
  MaybeRelevantScan,
  findMaybeRelevant,
  mayBeRelevant,
  mayBeRelevantBytes,
} from "../../lib/events/relevance";

/** Operation names of every relevant kind (classification: kind not `other`). */
const RELEVANT = fc.oneof(
  fc
    .constantFrom("Microsoft.Security", "microsoft.insights", "MICROSOFT.AAD", "Microsoft.Kusto", "Zz.Probe")
    .chain((ns) => fc.constantFrom(`${ns}/unregister/action`, `${ns}/register/action`)),
  fc.constantFrom(
    "Microsoft.Features/providers/features/unregister/action",
    "Microsoft.Features/providers/features/register/action",
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleAssignments/delete",
  ),
);
const IRRELEVANT = fc.constantFrom(
  "Microsoft.Storage/storageAccounts/write",
  "Microsoft.Compute/virtualMachines/restart/action",
  "Microsoft.Authorization/roleDefinitions/read",
  "Sign-in activity",
);

/** One JSON string's content with each character in random case and randomly escaped. */
function escaped(text: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      ...[...text].map(() =>
        fc.tuple(fc.boolean(), fc.constantFrom("plain", "plain", "u-lower", "u-upper", "slash")),
      ),
    )
    .map((choices) =>
      [...text]
        .map((ch, i) => {
          const [upper, how] = choices[i]!;
          const c = upper ? ch.toUpperCase() : ch.toLowerCase();
          const hex = c.charCodeAt(0).toString(16).padStart(4, "0");
          if (how === "u-lower") return `\\u${hex}`;
          if (how === "u-upper") return `\\u${hex.toUpperCase()}`;
          if (how === "slash" && c === "/") return "\\/";
          return c;
        })
        .join(""),
    );
}

/** A record line in one of the formats, with the operation name already escaped. */
function recordLine(opText: string, id: number, shape: number): string {
  const corr = `c0000000-0000-4000-8000-${String(id).padStart(12, "0")}`;
  const time = "2025-03-14T09:26:53.5897932Z";
  switch (shape % 4) {
    case 0:
      return `{"time":"${time}","operationName":"${opText}","resultType":"Success","correlationId":"${corr}","identity":{"authorization":{"evidence":{"roleAssignmentScope":"/subscriptions/x"}}}}`;
    case 1:
      return `{"id":"e-${id}","eventType":"Microsoft.Resources.ResourceActionSuccess","eventTime":"${time}","data":{"operationName":"${opText}","correlationId":"${corr}","status":"Succeeded"}}`;
    case 2:
      return `{"eventDataId":"d-${id}","eventTimestamp":"${time}","operationName":{"value":"${opText}"},"status":{"value":"Succeeded"},"correlationId":"${corr}"}`;
    default:
      return `{"specversion":"1.0","id":"e-${id}","type":"Microsoft.Resources.ResourceActionSuccess","source":"/subscriptions/x","time":"${time}","data":{"operationName":"${opText}","correlationId":"${corr}"}}`;
  }
}

/** Garbage that fits on one line. */
const GARBAGE = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? "null"),
    fc.constantFrom("{", "[", "]", "}", '{"a":', "[{", '"unterminated', "{}", "[]", "null"),
  )
  .map((g) => g.replace(/[\r\n]/g, " "));

type Entry =
  | { kind: "relevant" | "irrelevant"; op: string; text: string; shape: number }
  | { kind: "garbage"; text: string };

const ENTRY: fc.Arbitrary<Entry> = fc.oneof(
  fc
    .record({ kind: fc.constant("relevant" as const), op: RELEVANT, shape: fc.nat(3) })
    .chain((r) => escaped(r.op).map((text) => ({ ...r, text }))),
  fc
    .record({ kind: fc.constant("irrelevant" as const), op: IRRELEVANT, shape: fc.nat(3) })
    .chain((r) => escaped(r.op).map((text) => ({ ...r, text }))),
  GARBAGE.map((text) => ({ kind: "garbage" as const, text })),
);

function writeEntries(entries: Entry[], pretty: boolean): string {
  const lines = entries.map((e, id) => (e.kind === "garbage" ? e.text : recordLine(e.text, id, e.shape)));
  const path = join(tempDir(), pretty ? "records.json" : "records.jsonl");
  // As an array the records are indented elements; garbage is only mixed into the JSON Lines form.
  writeFileSync(path, pretty ? `[\n${lines.map((l) => `  ${l}`).join(",\n")}\n]\n` : lines.join("\n"));
  return path;
}

const corrOf = (id: number) => `c0000000-0000-4000-8000-${String(id).padStart(12, "0")}`;

test("the fast path never skips a relevant record, whatever its escaping and casing", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(ENTRY, { minLength: 1, maxLength: 30 }),
      fc.boolean(),
      async (entries, pretty) => {
        const list = pretty ? entries.filter((e) => e.kind !== "garbage") : entries;
        const path = writeEntries(list, pretty);
        const { events } = await readAll([path]);
        const seen = new Set(events.map((e) => e.correlationId));
        list.forEach((e, id) => {
          if (e.kind === "relevant") {
            assert.ok(seen.has(corrOf(id)), `relevant record ${id} (${e.text}) was skipped`);
            const event = events.find((x) => x.correlationId === corrOf(id))!;
            assert.equal(event.operationNameLower, e.op.toLowerCase());
          }
        });
      },
    ),
    { numRuns: 150 },
  );
});

test("intake never throws and never drops a valid record mixed among garbage", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(ENTRY, { minLength: 1, maxLength: 30 }), async (entries) => {
      const path = writeEntries(entries, false);
      const { events, rejected, stats } = await readAll([path], { all: true });
      const seen = new Set(events.map((e) => e.correlationId));
      entries.forEach((e, id) => {
        if (e.kind !== "garbage") assert.ok(seen.has(corrOf(id)), `valid record ${id} was dropped`);
      });
      for (const r of rejected) {
        assert.match(r.where, /records\.jsonl:\d+$/);
        assert.ok(r.error.length > 0 && r.error.length < 600);
      }
      assert.equal(stats.skipped, 0);
    }),
    { numRuns: 150 },
  );
});

/** Text around the fast path's needles: pieces of them, random case, escapes, newlines and any byte. */
const NEAR_NEEDLE = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "register",
        "regis",
        "gister",
        "roleassignments",
        "roleAssignmentScope",
        "roleassignments/",
        "roleassignments\\/",
        "roleassignments\\",
        "\\u",
        "\\U",
        "\\",
        "/",
        "g",
        "G",
        "\n",
        "{",
      ),
      fc.string({ maxLength: 6 }),
      fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)),
    ),
    { maxLength: 12 },
  )
  .chain((pieces) =>
    fc
      .array(fc.boolean(), { minLength: pieces.join("").length, maxLength: pieces.join("").length })
      .map((upper) => [...pieces.join("")].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join("")),
  )
  .map((text) => Buffer.from(text, "latin1"));

test("the byte scan finds exactly the lines the relevance regex finds", () => {
  fc.assert(
    fc.property(NEAR_NEEDLE, fc.nat(), fc.nat(), (buf, a, b) => {
      const from = Math.min(a, b) % (buf.length + 1);
      const to = Math.max(from, Math.max(a, b) % (buf.length + 1));
      const text = buf.toString("latin1", from, to);
      assert.equal(mayBeRelevantBytes(buf.subarray(from, to)), mayBeRelevant(text));
      const hit = findMaybeRelevant(buf, from, to);
      MAYBE_RELEVANT_GLOBAL.lastIndex = 0;
      const first = MAYBE_RELEVANT_GLOBAL.exec(text);
      if (first === null) assert.equal(hit, -1);
      else {
        // The same line as the regex's first match (the caller only needs the line).
        assert.ok(hit >= from && hit < to, `hit ${hit} outside [${from}, ${to})`);
        const lineOf = (at: number) => text.slice(0, at).split("\n").length;
        assert.equal(lineOf(hit - from), lineOf(first.index));
      }
      // Scanning on from line to line with one MaybeRelevantScan (its cached anchors) answers the same
      // as asking afresh each time.
      const scan = new MaybeRelevantScan(buf, to);
      let pos = from;
      for (;;) {
        const fresh = findMaybeRelevant(buf, pos, to);
        assert.equal(scan.next(pos), fresh);
        if (fresh < 0) break;
        const nl = buf.indexOf(10, fresh);
        if (nl < 0 || nl >= to) break;
        pos = nl + 1;
      }
    }),
    { numRuns: 2000 },
  );
});

test("where the reads split the input changes nothing: relevant words across chunk boundaries", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(ENTRY, { minLength: 1, maxLength: 20 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      async (entries, cuts) => {
        const path = writeEntries(entries, false);
        const bytes = readFileSync(path);
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length));
        const whole = await readAll([path]);
        const split = await readAll(["-"], { stdin: Readable.from(pieces.filter((p) => p.length > 0)) });
        const summary = (r: typeof whole) => ({
          events: r.events.map((e) => e.correlationId),
          rejected: r.rejected.map((x) => x.where.replace(/^.*:(\d+)$/, "$1")),
          skipped: r.stats.skipped,
        });
        assert.deepEqual(summary(split), summary(whole));
      },
    ),
    { numRuns: 150 },
  );
});
