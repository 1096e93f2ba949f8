// The run summary (stderr) and a progress line for long inputs, shared by `classify` and `replay`.
//
//   const summary = createRunSummary("classify");
//   summary.result({ kind, severity, duplicate });  summary.rejected();  summary.outsideRange();
//   io.stderr.write(summary.format(stats));
//
//   const progress = createProgress(io, "classify");  progress.update(stats);  progress.done();
import type { CliIO } from "./types";

/** Counters kept by intake's readInputs (records parsed, skipped by the fast path, rejected, bytes). */
export interface IntakeStats {
  records: number;
  skipped: number;
  rejected: number;
  bytes: number;
}

export function newIntakeStats(): IntakeStats {
  return { records: 0, skipped: 0, rejected: 0, bytes: 0 };
}

export interface RunSummary {
  /** A result line that was printed. */
  result(r: { kind: string; severity: string; duplicate?: boolean }): void;
  /** A record whose kind is `other` and was not printed (no --all). */
  notRelevant(): void;
  /** An event outside --since/--until. */
  outsideRange(): void;
  rejected(): void;
  readonly counts: SummaryCounts;
  /** Human text, one or more lines ending in "\n". */
  format(stats?: IntakeStats): string;
}

export interface SummaryCounts {
  printed: number;
  byKind: Record<string, number>;
  bySeverity: Record<string, number>;
  duplicates: number;
  notRelevant: number;
  outsideRange: number;
  rejected: number;
}

const SEVERITY_DISPLAY_ORDER = ["critical", "high", "medium", "low", "info", "none"];

function list(counts: Record<string, number>, order?: string[]): string {
  const keys = Object.keys(counts).sort((a, b) =>
    order ? order.indexOf(a) - order.indexOf(b) : (counts[b] ?? 0) - (counts[a] ?? 0) || a.localeCompare(b),
  );
  return keys.length ? keys.map((k) => `${k} ${counts[k]}`).join(", ") : "none";
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export function createRunSummary(command: string): RunSummary {
  const counts: SummaryCounts = {
    printed: 0,
    byKind: {},
    bySeverity: {},
    duplicates: 0,
    notRelevant: 0,
    outsideRange: 0,
    rejected: 0,
  };
  return {
    result({ kind, severity, duplicate }) {
      counts.printed++;
      counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
      counts.bySeverity[severity] = (counts.bySeverity[severity] ?? 0) + 1;
      if (duplicate) counts.duplicates++;
    },
    notRelevant() {
      counts.notRelevant++;
    },
    outsideRange() {
      counts.outsideRange++;
    },
    rejected() {
      counts.rejected++;
    },
    counts,
    format(stats) {
      const read = stats ? `${stats.records} records read (${megabytes(stats.bytes)}), ` : "";
      const lines = [
        `${command}: ${read}${counts.printed} results, ${counts.rejected} rejected`,
        `  by kind: ${list(counts.byKind)}`,
        `  by severity: ${list(counts.bySeverity, SEVERITY_DISPLAY_ORDER)}`,
        `  duplicates ${counts.duplicates}; not relevant ${counts.notRelevant}; outside --since/--until ${counts.outsideRange}` +
          (stats ? `; skipped by the fast path ${stats.skipped}` : ""),
      ];
      return `${lines.join("\n")}\n`;
    },
  };
}

export interface Progress {
  update(stats: IntakeStats): void;
  /** Clears the line (call before printing the summary). */
  done(): void;
}

export const PROGRESS_INTERVAL_MS = 250;

/**
 * A single self-overwriting stderr line ("classify: 120000 records, 48.2 MB"), only when stderr is a
 * terminal, redrawn at most every PROGRESS_INTERVAL_MS; cleared by done(). Off otherwise (logs and
 * pipes never see carriage returns).
 */
export function createProgress(
  io: Pick<CliIO, "stderr" | "stderrIsTTY">,
  label: string,
  now: () => number = Date.now,
): Progress {
  if (!io.stderrIsTTY) return { update() {}, done() {} };
  let last = now();
  let shown = false;
  return {
    update(stats) {
      const t = now();
      if (t - last < PROGRESS_INTERVAL_MS) return;
      last = t;
      shown = true;
      io.stderr.write(`\r\u001b[K${label}: ${stats.records} records, ${megabytes(stats.bytes)}`);
    },
    done() {
      if (shown) io.stderr.write("\r\u001b[K");
      shown = false;
    },
  };
}
