// `classify INPUT…`: read captured events in any format, classify and dedup each, print one line per
// relevant record (every record with --all) and one per rejected record; summary on stderr.
import { atLeast } from "../../classify/types";
import { classify, createDeduplicator } from "../../classify/index";
import { isRejected } from "../../events/types";
import { parseCommonArgs, withinTimeRange } from "../args";
import { loadReadInputs, type ReadInputs } from "../intake";
import { createResultWriter, openOutput } from "../output";
import { RESULT_COLUMNS, toRejectedLine, toResultLine, type OutputLine } from "../result-line";
import { createProgress, createRunSummary, newIntakeStats } from "../summary";
import { UsageError, type CliIO, type Command } from "../types";

const USAGE = `usage: unregister-responder classify INPUT… [options]

INPUT: files, directories (recursive) or - for stdin; Event Grid, CloudEvents, activity-log (REST, az,
diagnostic export), alert and dead-letter records, JSON or JSON Lines, auto-detected.

options:
  --format table|json|ndjson   table on a terminal, ndjson otherwise
  --all                        print every record, not only unregister/register/role-assignment ones
  --since ISO, --until ISO     only events in this time range (inclusive)
  --fail-on SEVERITY           exit 1 when a result reaches SEVERITY (none|info|low|medium|high|critical)
  --out FILE                   write results to FILE

exit: 0 ok, 1 a result reached --fail-on, 2 usage error or unreadable input`;

export async function runClassify(argv: string[], io: CliIO, readInputs?: ReadInputs): Promise<number> {
  const args = parseCommonArgs(argv, io, { allow: ["format", "all", "since", "until", "fail-on", "out"] });
  if (args.positionals.length === 0)
    throw new UsageError("classify needs at least one INPUT: a file, a directory, or - for stdin");
  const read = readInputs ?? (await loadReadInputs());

  const out = await openOutput(args.out, io, args.positionals);
  const writer = createResultWriter<OutputLine>(args.format, out.stream, {
    columns: RESULT_COLUMNS,
    colour: out.isTTY,
  });
  const stats = newIntakeStats();
  const summary = createRunSummary("classify");
  const progress = createProgress(io, "classify");
  const dedup = createDeduplicator();
  let reached = false;

  try {
    for await (const item of read(args.positionals, {
      stdin: io.stdin,
      all: args.all,
      stats,
      onProgress: () => progress.update(stats),
    })) {
      progress.update(stats);
      if (isRejected(item)) {
        summary.rejected();
        await writer.write(toRejectedLine(item));
        continue;
      }
      if (!withinTimeRange(item.time, args)) {
        summary.outsideRange();
        continue;
      }
      const c = classify(item);
      if (c.kind === "other" && !args.all) {
        summary.notRelevant();
        continue;
      }
      const { duplicateOf } = dedup.observe(item, c);
      const line = toResultLine(item, c, duplicateOf !== undefined ? { duplicateOf } : {});
      summary.result({ kind: c.kind, severity: c.severity, duplicate: duplicateOf !== undefined });
      if (args.failOn && atLeast(c.severity, args.failOn)) reached = true;
      await writer.write(line);
    }
  } finally {
    progress.done();
    await writer.end();
    await out.close();
  }
  io.stderr.write(summary.format(stats));
  return reached ? 1 : 0;
}

export const command: Command = {
  name: "classify",
  summary: "Classify captured events (any format) and print one line per relevant record",
  usage: USAGE,
  run: (argv, io) => runClassify(argv, io),
};
