// The ndjson result line of DESIGN.md "CLI", built in one place so `classify` and `replay` print the
// same shape. Key order follows the contract.
import type { Classification, Severity } from "../classify/types";
import type { ActivityEvent, Actor, Rejected } from "../events/types";
import type { Finding } from "../review/types";

export interface FindingLine {
  rule: string;
  severity: Severity;
  assignmentId?: string;
  principalId?: string;
  roleName?: string;
  action: string;
  decision: string;
  /** With decision `failed`. */
  error?: string;
}

export interface ResultLine {
  eventId: string;
  source: string;
  time: string;
  subscriptionId: string | null;
  operationName: string;
  kind: string;
  namespace: string | null;
  status: string;
  actor: Actor;
  severity: Severity;
  reasons: string[];
  attack: string[];
  operationKey: string;
  duplicateOf?: string;
  findings: FindingLine[];
}

export interface RejectedLine {
  rejected: true;
  where: string;
  error: string;
}

export type OutputLine = ResultLine | RejectedLine;

export function isRejectedLine(line: OutputLine): line is RejectedLine {
  return (line as RejectedLine).rejected === true;
}

/** Projects a Finding onto the contract's finding shape (no extra keys). */
export function toFindingLine(f: Finding): FindingLine {
  const line: FindingLine = { rule: f.rule, severity: f.severity } as FindingLine;
  if (f.assignmentId !== undefined) line.assignmentId = f.assignmentId;
  if (f.principalId !== undefined) line.principalId = f.principalId;
  if (f.roleName !== undefined) line.roleName = f.roleName;
  line.action = f.action;
  line.decision = f.decision;
  if (f.error !== undefined) line.error = f.error;
  return line;
}

export function toResultLine(
  event: ActivityEvent,
  c: Classification,
  extras: { duplicateOf?: string; findings?: Finding[] } = {},
): ResultLine {
  const line: ResultLine = {
    eventId: event.eventId,
    source: event.source,
    time: event.time,
    subscriptionId: event.subscriptionId,
    operationName: event.operationName,
    kind: c.kind,
    namespace: c.namespace,
    status: event.status,
    actor: event.actor,
    severity: c.severity,
    reasons: c.reasons,
    attack: c.attack,
    operationKey: c.operationKey,
  } as ResultLine;
  if (extras.duplicateOf !== undefined) line.duplicateOf = extras.duplicateOf;
  line.findings = (extras.findings ?? []).map(toFindingLine);
  return line;
}

export function toRejectedLine(r: Rejected): RejectedLine {
  return { rejected: true, where: r.where, error: r.error };
}

function actorLabel(a: Actor): string {
  return a.upn ?? a.objectId ?? a.appId ?? "?";
}

/** Table columns for result lines (rejected rows show REJECTED, where and the error). */
export const RESULT_COLUMNS: import("./output").Column<OutputLine>[] = [
  { header: "TIME", value: (l) => (isRejectedLine(l) ? "" : l.time.replace(/\.\d+Z$/, "Z")), maxWidth: 20 },
  {
    header: "SEVERITY",
    value: (l) => (isRejectedLine(l) ? "REJECTED" : l.severity),
    colour: (l) => (isRejectedLine(l) ? "35" : SEVERITY_CODES[l.severity]),
  },
  { header: "KIND", value: (l) => (isRejectedLine(l) ? "" : l.kind) },
  { header: "NAMESPACE", value: (l) => (isRejectedLine(l) ? "" : (l.namespace ?? "")), maxWidth: 32 },
  { header: "STATUS", value: (l) => (isRejectedLine(l) ? "" : l.status) },
  { header: "ACTOR", value: (l) => (isRejectedLine(l) ? "" : actorLabel(l.actor)), maxWidth: 36 },
  { header: "SUBSCRIPTION", value: (l) => (isRejectedLine(l) ? "" : (l.subscriptionId ?? "")), maxWidth: 36 },
  {
    header: "NOTE",
    value: (l) => {
      if (isRejectedLine(l)) return `${l.where}: ${l.error}`;
      const parts: string[] = [];
      if (l.duplicateOf) parts.push(`duplicate of ${l.duplicateOf}`);
      if (l.findings.length)
        parts.push(
          `${l.findings.length} findings: ${l.findings.map((f) => `${f.rule} ${f.decision}`).join(", ")}`,
        );
      if (l.attack.length) parts.push(l.attack.join(","));
      return parts.join("; ");
    },
  },
];

const SEVERITY_CODES: Record<string, string | undefined> = {
  critical: "1;31",
  high: "31",
  medium: "33",
  low: "36",
  info: "2",
};
