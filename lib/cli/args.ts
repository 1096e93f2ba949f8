// Common CLI flags, parsed once with node:util parseArgs (strict: an unknown flag is a UsageError).
//
//   --format table|json|ndjson   default: table when stdout is a terminal, ndjson otherwise
//   --all                        print every record, not only relevant ones
//   --since ISO / --until ISO    keep events whose time is within [since, until] (both inclusive;
//                                no zone = UTC; a bare date at --until means through that day)
//   --fail-on SEVERITY           exit 1 when a result reaches SEVERITY
//   --mode plan|flag|revert      (replay)
//   --tenant SNAPSHOT / --live   (replay)
//   --protect ID                 repeatable; canonical GUIDs
//   --out FILE                   write results to FILE instead of stdout
//
// Commands pick the flags they accept (`allow`) and may add their own (`extra`), e.g. snapshot's
// `--subscription`. Usage:
//   const args = parseCommonArgs(argv, io, { allow: ["format", "all", "since", "until", "fail-on"] });
import { parseArgs, type ParseArgsConfig } from "node:util";
import { SEVERITY_ORDER, type Severity } from "../classify/types";
import { canonicalGuid } from "../config/settings";
import { normaliseTime } from "../events/values";
import type { Mode } from "../review/types";
import { UsageError, type CliIO } from "./types";

export type OutputFormat = "table" | "json" | "ndjson";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "json", "ndjson"];
const MODES: readonly Mode[] = ["plan", "flag", "revert"];

export type CommonFlag =
  "format" | "all" | "since" | "until" | "fail-on" | "mode" | "tenant" | "live" | "protect" | "out";

type OptionSpec = NonNullable<ParseArgsConfig["options"]>[string];

const COMMON_OPTIONS: Record<CommonFlag, OptionSpec> = {
  format: { type: "string" },
  all: { type: "boolean" },
  since: { type: "string" },
  until: { type: "string" },
  "fail-on": { type: "string" },
  mode: { type: "string" },
  tenant: { type: "string" },
  live: { type: "boolean" },
  protect: { type: "string", multiple: true },
  out: { type: "string" },
};

export const ALL_COMMON_FLAGS = Object.keys(COMMON_OPTIONS) as CommonFlag[];

export interface CommonArgs {
  format: OutputFormat;
  all: boolean;
  /** Epoch ms, inclusive. */
  since: number | null;
  /** Epoch ms, inclusive. */
  until: number | null;
  failOn: Severity | null;
  /** null when not given: each command picks its own default (replay: plan). */
  mode: Mode | null;
  tenant: string | null;
  live: boolean;
  /** Canonical GUIDs. */
  protect: string[];
  out: string | null;
  positionals: string[];
  /** Values of the command's `extra` options, as parseArgs returned them. */
  extra: Record<string, string | boolean | string[] | boolean[] | undefined>;
}

export interface ParseOptions {
  /** Common flags this command accepts; default all. */
  allow?: readonly CommonFlag[];
  /** Command-specific options (parseArgs syntax). */
  extra?: Record<string, OptionSpec>;
}

const DAY_MS = 86_400_000;

/**
 * --since/--until by the rules intake reads event times with (normaliseTime: a time without a zone is
 * UTC, never the machine's local time). A bare date is a whole day: --since from its first
 * millisecond, --until through its last, so `--since D --until D` keeps day D.
 */
function isoTime(flag: "since" | "until", value: string | undefined): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  const bareDate = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const iso = /^\d{4}-\d{2}-\d{2}/.test(text)
    ? normaliseTime(bareDate ? `${text}T00:00:00Z` : text, [])
    : null;
  if (iso === null)
    throw new UsageError(`--${flag} needs an ISO 8601 time such as 2025-03-14T09:00:00Z, got "${value}"`);
  const ms = Date.parse(iso);
  return bareDate && flag === "until" ? ms + DAY_MS - 1 : ms;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | null {
  if (value === undefined) return null;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

export function parseCommonArgs(
  argv: string[],
  io: Pick<CliIO, "stdoutIsTTY">,
  opts: ParseOptions = {},
): CommonArgs {
  const allow = opts.allow ?? ALL_COMMON_FLAGS;
  const options: Record<string, OptionSpec> = { ...opts.extra };
  for (const flag of allow) options[flag] = COMMON_OPTIONS[flag];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs' messages already name the flag ("Unknown option '--x'"); keep them, add a hint.
    throw new UsageError(
      `${(err as Error).message.replace(/\. To specify a positional.*$/s, "")} (try --help)`,
    );
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const str = (k: string): string | undefined => (typeof v[k] === "string" ? (v[k] as string) : undefined);

  const since = isoTime("since", str("since"));
  const until = isoTime("until", str("until"));
  if (since !== null && until !== null && since > until) throw new UsageError("--since is after --until");
  if (str("tenant") !== undefined && v.live === true)
    throw new UsageError("--tenant and --live cannot be used together");

  const protect = ((v.protect as string[] | undefined) ?? []).flatMap((raw) =>
    raw
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((part) => {
        const g = canonicalGuid(part);
        if (!g) throw new UsageError(`--protect needs an object id (GUID), got "${part}"`);
        return g;
      }),
  );

  const extra: CommonArgs["extra"] = {};
  for (const k of Object.keys(opts.extra ?? {})) extra[k] = v[k];

  return {
    format: oneOf("format", str("format"), OUTPUT_FORMATS) ?? (io.stdoutIsTTY ? "table" : "ndjson"),
    all: v.all === true,
    since,
    until,
    failOn: oneOf("fail-on", str("fail-on"), SEVERITY_ORDER),
    mode: oneOf("mode", str("mode"), MODES),
    tenant: str("tenant") ?? null,
    live: v.live === true,
    protect,
    out: str("out") ?? null,
    positionals: parsed.positionals,
    extra,
  };
}

/** Does an event time fall inside --since/--until? Unparseable times are kept (never silently dropped). */
export function withinTimeRange(time: string, args: Pick<CommonArgs, "since" | "until">): boolean {
  if (args.since === null && args.until === null) return true;
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return true;
  return (args.since === null || ms >= args.since) && (args.until === null || ms <= args.until);
}
