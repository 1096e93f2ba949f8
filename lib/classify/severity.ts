// The default severity table of DESIGN.md "Classification", as data. Rows are tried in order; the
// first row whose kind, outcome and group all match decides. Policy may override later.
import type { OperationStatus } from "../events/types";
import type { Kind, NamespaceGroup, Severity } from "./types";

/**
 * Outcome classes. `unknown` is a status the intake could not name (`other`): we do not know the
 * operation succeeded, so it is rated like a failure (it never reaches critical/high on a guess), and
 * the reasons say so.
 */
export type Outcome = "succeeded" | "failed" | "in-progress" | "unknown";

export const OUTCOME_OF_STATUS: Readonly<Record<OperationStatus, Outcome>> = {
  succeeded: "succeeded",
  failed: "failed",
  canceled: "failed",
  started: "in-progress",
  accepted: "in-progress",
  other: "unknown",
};

export interface SeverityRow {
  kind: Kind;
  /** "any" or the outcomes this row covers. */
  outcomes: "any" | readonly Outcome[];
  /** "any" or the namespace groups this row covers. */
  groups: "any" | readonly NamespaceGroup[];
  severity: Severity;
  /** Why, as a sentence fragment for `reasons`. */
  why: string;
}

export const SEVERITY_TABLE: readonly SeverityRow[] = [
  {
    kind: "provider-unregister",
    outcomes: ["succeeded"],
    groups: ["defense"],
    severity: "critical",
    why: "a defense provider was unregistered, which switches off detection, monitoring or policy",
  },
  {
    kind: "provider-unregister",
    outcomes: ["succeeded"],
    groups: ["identity"],
    severity: "high",
    why: "an identity provider was unregistered",
  },
  {
    kind: "provider-unregister",
    outcomes: ["succeeded"],
    groups: "any",
    severity: "medium",
    why: "a provider outside the defense and identity groups was unregistered",
  },
  {
    kind: "provider-unregister",
    outcomes: ["failed", "unknown"],
    groups: ["defense", "identity"],
    severity: "medium",
    why: "an attempt to unregister a defense or identity provider did not succeed (or its outcome is unknown)",
  },
  {
    kind: "provider-unregister",
    outcomes: ["failed", "unknown"],
    groups: "any",
    severity: "low",
    why: "an attempt to unregister a provider did not succeed (or its outcome is unknown)",
  },
  {
    kind: "provider-unregister",
    outcomes: ["in-progress"],
    groups: "any",
    severity: "info",
    why: "this row only says the operation started; its outcome row decides",
  },
  {
    kind: "feature-unregister",
    outcomes: "any",
    groups: "any",
    severity: "low",
    why: "a preview feature was unregistered",
  },
  {
    kind: "provider-register",
    outcomes: "any",
    groups: "any",
    severity: "info",
    why: "registering a provider is context, not a threat",
  },
  {
    kind: "feature-register",
    outcomes: "any",
    groups: "any",
    severity: "info",
    why: "registering a feature is context, not a threat",
  },
  {
    kind: "role-assignment-write",
    outcomes: "any",
    groups: "any",
    severity: "info",
    why: "role-assignment changes are context; the review decides whether the grant is risky",
  },
  {
    kind: "role-assignment-delete",
    outcomes: "any",
    groups: "any",
    severity: "info",
    why: "role-assignment changes are context; the review decides whether the removal matters",
  },
  {
    kind: "other",
    outcomes: "any",
    groups: "any",
    severity: "none",
    why: "the operation is not one this responder watches",
  },
];

export function severityRow(kind: Kind, status: OperationStatus, group: NamespaceGroup | null): SeverityRow {
  const outcome = OUTCOME_OF_STATUS[status] ?? "unknown";
  const g = group ?? "other";
  const row = SEVERITY_TABLE.find(
    (r) =>
      r.kind === kind &&
      (r.outcomes === "any" || r.outcomes.includes(outcome)) &&
      (r.groups === "any" || r.groups.includes(g)),
  );
  // Every kind has an "any/any" or exhaustive set of rows, so this is unreachable; keep a safe answer.
  return row ?? { kind, outcomes: "any", groups: "any", severity: "none", why: "no severity row matched" };
}
