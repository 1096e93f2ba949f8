// `replay INPUT…`: re-runs captured events through the same pipeline as the Function (lib/respond),
// offline against a tenant snapshot (in-process simulator, in-memory store) or --live against Azure.
// Relevant events are rare, so they are buffered and replayed in event-time order: the journal and the
// watch windows then see the story in the order it happened. The buffer is a bounded sliding window
// (ORDER_WINDOW events): past it, the oldest half is replayed, so memory does not grow with the input
// and only events more than a window out of order are replayed late (the user is told). Irrelevant
// (--all) and rejected records are reported as they are read, as `classify` does.
import { atLeast, severityRank, type Severity } from "../../classify/types";
import { classify, createDeduplicator } from "../../classify/index";
import { loadSettings, type Settings } from "../../config/settings";
import { isRejected, type ActivityEvent } from "../../events/types";
import type { Logger, Publisher } from "../../publish/types";
import { createPublisher } from "../../publish/index";
import { respondAll, runState, type ResponderDeps, type RespondOutcome } from "../../respond";
import { loadPolicy, PolicyError, type Policy } from "../../review/index";
import { createStore, MemoryStore } from "../../store/index";
import { DEFAULT_SNAPSHOT, openTenant, type OpenedTenant } from "../../tenant/open";
import { parseCommonArgs, withinTimeRange } from "../args";
import { loadReadInputs, type ReadInputs } from "../intake";
import { createResultWriter, openOutput } from "../output";
import { createReportWriter } from "../report";
import { toRejectedLine, toResultLine, type OutputLine } from "../result-line";
import { createProgress, createRunSummary, newIntakeStats } from "../summary";
import { UsageError, type CliIO, type Command } from "../types";

const USAGE = `usage: unregister-responder replay INPUT… [options]

Re-runs captured events (any format classify reads) through the full pipeline: classify, dedup,
review, plan, act, record. Offline by default, against a tenant snapshot; nothing in Azure changes.

options:
  --tenant SNAPSHOT            tenant snapshot (default ${DEFAULT_SNAPSHOT}); offline, in-memory store
  --live                       use Azure (credentials from the environment) and the configured store
  --mode plan|flag|revert      plan (default): decide, change nothing; flag: record findings;
                               revert: carry out what policy allows (guard rails always apply)
  --protect ID                 never touch this principal (repeatable; adds to PROTECTED_PRINCIPAL_IDS)
  --policy FILE                policy JSON (default: POLICY setting, else built-in defaults)
  --format table|json|ndjson   table (a readable report) on a terminal, ndjson otherwise
  --all                        also print records that are not unregister/register/role-assignment
  --since ISO, --until ISO     only events in this time range (inclusive)
  --fail-on SEVERITY           exit 1 when a result or finding reaches SEVERITY
  --out FILE                   write results to FILE

exit: 0 ok, 1 --fail-on reached, 2 usage error or unreadable input, 3 an event could not be processed`;

const quietLogger = (io: CliIO): Logger => ({
  info() {},
  warn: (m, f) => io.stderr.write(`warning: ${m}${f ? ` ${JSON.stringify(f)}` : ""}\n`),
  error: (m, f) => io.stderr.write(`error: ${m}${f ? ` ${JSON.stringify(f)}` : ""}\n`),
});

const noPublisher: Publisher = { publishIncident: async () => {} };

function replaySettings(io: CliIO, mode: Settings["mode"]): Settings {
  // The CLI's mode comes from --mode (default plan), never from a MODE meant for the Function.
  const env = { ...io.env, MODE: mode };
  try {
    return loadSettings(env, { mode });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function replayPolicy(source: string | null): Policy {
  try {
    return loadPolicy(source);
  } catch (err) {
    if (err instanceof PolicyError || (err as NodeJS.ErrnoException).code === "ENOENT")
      throw new UsageError((err as Error).message);
    throw err;
  }
}

/** Worst severity of a line: the classification or any finding. */
function worst(o: RespondOutcome): Severity {
  if ("rejected" in o.line) return "none";
  let s = o.line.severity;
  for (const f of o.findings) if (severityRank(f.severity) > severityRank(s)) s = f.severity;
  return s;
}

/** Relevant events held at once to replay in event-time order (bounds replay's memory). */
export const ORDER_WINDOW = 20_000;

export interface ReplayHooks {
  readInputs?: ReadInputs;
  /** Overrides ORDER_WINDOW (tests). */
  orderWindow?: number;
  /** Sees the opened tenant (tests read the simulator's call log). */
  onTenant?: (opened: OpenedTenant) => void;
}

export async function runReplay(argv: string[], io: CliIO, hooks: ReplayHooks = {}): Promise<number> {
  const args = parseCommonArgs(argv, io, { extra: { policy: { type: "string" } } });
  if (args.positionals.length === 0)
    throw new UsageError("replay needs at least one INPUT: a file, a directory, or - for stdin");
  const mode = args.mode ?? "plan";
  const settings = replaySettings(io, mode);
  const policyArg = typeof args.extra.policy === "string" ? args.extra.policy : null;
  const policy = replayPolicy(policyArg ?? settings.policy);
  const read = hooks.readInputs ?? (await loadReadInputs());

  const opened = await openTenant(
    args.live
      ? { live: true, settings }
      : { snapshot: args.tenant ?? DEFAULT_SNAPSHOT, settings, cwd: io.cwd },
  );
  hooks.onTenant?.(opened);
  const log = quietLogger(io);
  const store = args.live ? createStore(settings) : new MemoryStore();
  const deps: ResponderDeps = {
    tenant: opened.tenant,
    store,
    publisher: args.live ? createPublisher(settings, undefined, { logger: log }) : noPublisher,
    settings,
    policy,
    log,
    now: () => new Date(),
    protectedIds: args.protect,
    live: args.live,
    instanceId: `replay-${process.pid}`,
  };
  deps.run = runState(deps, { dedup: createDeduplicator() });

  const out = await openOutput(args.out, io, args.positionals);
  const table = args.format === "table" ? createReportWriter(out.stream, { colour: out.isTTY }) : null;
  const writer = table ? null : createResultWriter<OutputLine>(args.format, out.stream, { columns: [] });
  const emit = async (o: RespondOutcome): Promise<void> => {
    if (table) await table.write(o);
    else await writer!.write(o.line);
  };
  const stats = newIntakeStats();
  const summary = createRunSummary(`replay (${mode}${args.live ? ", live" : ""})`);
  const progress = createProgress(io, "replay");
  let reached = false;
  let failures = 0;
  const orderWindow = Math.max(2, hooks.orderWindow ?? ORDER_WINDOW);
  let buffered: ActivityEvent[] = [];
  let windowed = false;
  const byTime = (a: ActivityEvent, b: ActivityEvent): number => Date.parse(a.time) - Date.parse(b.time);
  const replayInOrder = async (events: ActivityEvent[]): Promise<void> => {
    for await (const o of respondAll(events, deps)) {
      if (o.status === "error") {
        failures++;
        summary.rejected();
        await emit({
          status: "rejected",
          line: { rejected: true, where: o.item.where, error: `not processed: ${o.error.message}` },
          findings: [],
        });
        continue;
      }
      if (!("rejected" in o.line))
        summary.result({
          kind: o.line.kind,
          severity: o.line.severity,
          duplicate: o.line.duplicateOf !== undefined,
        });
      if (args.failOn && atLeast(worst(o), args.failOn)) reached = true;
      await emit(o);
    }
  };

  try {
    for await (const item of read(args.positionals, { stdin: io.stdin, all: args.all, stats })) {
      progress.update(stats);
      if (isRejected(item)) {
        summary.rejected();
        await emit({ status: "rejected", line: toRejectedLine(item), findings: [] });
        continue;
      }
      if (!withinTimeRange(item.time, args)) {
        summary.outsideRange();
        continue;
      }
      const c = classify(item);
      if (c.kind !== "other") {
        buffered.push(item);
        if (buffered.length >= orderWindow) {
          if (!windowed)
            io.stderr.write(
              `replay: more than ${orderWindow} relevant events: replaying them in a sliding window by event time\n`,
            );
          windowed = true;
          // Array.prototype.sort is stable: equal times keep reading order.
          buffered.sort(byTime);
          const half = Math.floor(orderWindow / 2);
          const oldest = buffered.slice(0, half);
          buffered = buffered.slice(half);
          await replayInOrder(oldest);
        }
      } else if (args.all) {
        summary.result({ kind: c.kind, severity: c.severity });
        await emit({
          status: "ignored",
          line: toResultLine(item, c),
          findings: [],
          note: "not a relevant operation",
        });
      } else summary.notRelevant();
    }
    // Event-time order (stable: equal times keep reading order).
    await replayInOrder(buffered.sort(byTime));
  } finally {
    progress.done();
    if (table) await table.end();
    else await writer!.end();
    await out.close();
    await opened.close();
  }
  io.stderr.write(summary.format(stats));
  if (failures) return 3;
  return reached ? 1 : 0;
}

export const command: Command = {
  name: "replay",
  summary: "Re-run captured events through the full pipeline against a tenant snapshot or --live",
  usage: USAGE,
  run: (argv, io) => runReplay(argv, io),
};
