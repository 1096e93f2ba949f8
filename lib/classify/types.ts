// Classification contract (DESIGN.md "Classification").

export type Kind =
  | "provider-unregister"
  | "feature-unregister"
  | "provider-register"
  | "feature-register"
  | "role-assignment-write"
  | "role-assignment-delete"
  | "other";

export type Severity = "none" | "info" | "low" | "medium" | "high" | "critical";

export const SEVERITY_ORDER: readonly Severity[] = ["none", "info", "low", "medium", "high", "critical"];

export function severityRank(s: Severity): number {
  return SEVERITY_ORDER.indexOf(s);
}

export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold);
}

export type NamespaceGroup = "defense" | "identity" | "other";

export interface Classification {
  kind: Kind;
  /** Provider namespace in canonical casing where known (e.g. Microsoft.Security), else as received; null when not applicable. */
  namespace: string | null;
  /** For feature-register/unregister: the feature name from the resource id. */
  feature?: string | null;
  group: NamespaceGroup | null;
  severity: Severity;
  /** Human sentences saying why. */
  reasons: string[];
  /** MITRE ATT&CK technique ids. */
  attack: string[];
  /** `subscriptionId|correlationId|lower(operationName)` */
  operationKey: string;
}
