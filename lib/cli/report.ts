// The human report of `replay --format table` (what `npm run demo` shows): per incident, who did what,
// why it matters, and each finding with its reason and what the responder decided (and why). Lines
// that open no incident (journaled role changes, duplicates, in-progress rows, rejected records) get one
// short line each, so nothing is hidden.
import type { Writable } from "node:stream";
import type { ProposedFinding } from "../review/types";
import type { RespondOutcome } from "../respond/types";
import type { Actor } from "../events/types";
import { put as putText } from "./output";
import { isRejectedLine } from "./result-line";

const SEVERITY_SGR: Record<string, string> = {
  critical: "1;31",
  high: "31",
  medium: "33",
  low: "36",
  info: "2",
  none: "2",
};
const DECISION_SGR: Record<string, string> = {
  planned: "1;35",
  reverted: "1;32",
  flagged: "33",
  none: "2",
  failed: "1;31",
  "skipped:protected": "36",
  "skipped:breaker": "1;33",
  "skipped:unverified": "1;33",
};
const DECISION_WORDS: Record<string, string> = {
  planned: "PLANNED (would run in revert mode)",
  reverted: "REVERTED",
  flagged: "FLAGGED (reported, not acted on)",
  none: "report only",
  failed: "FAILED",
  "skipped:protected": "SKIPPED: protected",
  "skipped:breaker": "SKIPPED: circuit breaker",
  "skipped:unverified": "SKIPPED: unverified",
};

export interface ReportWriter {
  write(outcome: RespondOutcome): Promise<void>;
  /** Prints the decision totals. */
  end(): Promise<void>;
}

function actorLabel(a: Actor): string {
  const who = a.upn ?? a.appId ?? a.objectId ?? "unknown caller";
  return a.objectId && who !== a.objectId ? `${who} (${a.type}, ${a.objectId})` : `${who} (${a.type})`;
}

const shortTime = (iso: string): string => iso.replace(/\.\d+Z$/, "Z").replace("T", " ");
const lastSegment = (id: string): string => id.split("/").filter(Boolean).pop() ?? id;

function target(f: ProposedFinding): string {
  if (f.namespace && f.action === "register-provider") return f.namespace;
  if (f.restore) return `${lastSegment(f.restore.id)} (${f.restore.principalId})`;
  const parts = [
    f.assignmentId ? lastSegment(f.assignmentId) : null,
    f.roleName ?? null,
    f.principalId ?? null,
  ].filter(Boolean);
  return parts.join(" ");
}

export function createReportWriter(stream: Writable, opts: { colour: boolean }): ReportWriter {
  const paint = (code: string | undefined, text: string): string =>
    opts.colour && code ? `\u001b[${code}m${text}\u001b[0m` : text;
  const totals = new Map<string, number>();
  const put = (text: string): Promise<void> => putText(stream, text);

  function headline(line: Exclude<RespondOutcome["line"], { rejected: true }>): string {
    const sev = paint(SEVERITY_SGR[line.severity], line.severity.toUpperCase().padEnd(8));
    const what = `${line.kind}${line.namespace ? ` ${line.namespace}` : ""} (${line.status})`;
    return `${shortTime(line.time)}  ${sev}  ${what}  via ${line.source}${line.attack.length ? `  [${line.attack.join(", ")}]` : ""}`;
  }

  return {
    async write(o) {
      const line = o.line;
      if (isRejectedLine(line)) {
        await put(`${paint("35", "REJECTED")}  ${line.where}: ${line.error}\n`);
        return;
      }
      if (o.status === "duplicate") {
        await put(
          `${shortTime(line.time)}  ${paint("2", `duplicate of ${line.duplicateOf ?? "an earlier delivery"}: ${line.operationName} (${line.source}), already handled`)}\n`,
        );
        return;
      }
      if (o.status === "ignored" || o.status === "poison" || (o.findings.length === 0 && !o.incident)) {
        const note = o.note ?? (o.status === "processed" ? "recorded" : o.status);
        await put(
          `${shortTime(line.time)}  ${paint("2", `${line.kind} ${line.operationName} by ${actorLabel(line.actor)}: ${note}`)}\n`,
        );
        return;
      }
      const out: string[] = [];
      out.push("");
      out.push(headline(line));
      out.push(`  actor        ${actorLabel(line.actor)}`);
      out.push(
        `  subscription ${line.subscriptionId ?? "?"}   correlation ${line.operationKey.split("|")[1] || "?"}`,
      );
      if (o.joined) out.push(`  joined       incident ${o.joined} (inside its watch window)`);
      else if (o.incident) out.push(`  incident     ${o.incident.id}`);
      for (const r of line.reasons) out.push(`  why          ${r}`);
      if (o.findings.length === 0) out.push("  findings     none");
      for (const f of o.findings) {
        totals.set(f.decision, (totals.get(f.decision) ?? 0) + 1);
        const sev = paint(SEVERITY_SGR[f.severity], f.severity.padEnd(8));
        const decision = paint(DECISION_SGR[f.decision], DECISION_WORDS[f.decision] ?? f.decision);
        const action = f.action === "none" ? "" : `  ${f.action} ${target(f)}`;
        out.push(`  - ${sev} ${f.rule}${action}`);
        out.push(`      ${f.reason}`);
        out.push(
          `      -> ${decision}${f.decisionReason ? `: ${f.decisionReason}` : ""}${f.error ? ` (${f.error})` : ""}`,
        );
      }
      for (const x of o.excluded ?? [])
        out.push(`  - excluded ${x.finding.rule} ${target(x.finding)}: ${x.why}`);
      await put(`${out.join("\n")}\n`);
    },
    async end() {
      if (totals.size === 0) return;
      const parts = [...totals.entries()].map(([d, n]) => `${d} ${n}`);
      await put(`\nfindings by decision: ${parts.join(", ")}\n`);
    },
  };
}
