// The identity of an action: what it acts on and a deterministic id, so a re-run, a redelivery or a
// later incident finds the same record. Ids avoid '/', '\\', '#', '?' (not allowed in Table keys).
import type { ActionKind, ProposedFinding } from "../review/types";

export interface ActionTarget {
  kind: Exclude<ActionKind, "none">;
  /** What it acts on: the assignment id, the provider namespace, the service principal id. */
  target: string;
  actionId: string;
}

/** Deleting and disabling take something away: they are the actions the circuit breaker counts. */
export const DESTRUCTIVE: ReadonlySet<ActionKind> = new Set<ActionKind>([
  "delete-assignment",
  "disable-service-principal",
]);

/** Past tense for reasons ("would delete …"). */
export const VERB: Record<Exclude<ActionKind, "none">, string> = {
  "delete-assignment": "delete the role assignment",
  "register-provider": "register the provider again",
  "restore-assignment": "recreate the deleted role assignment",
  "disable-service-principal": "disable the service principal",
};

const lastSegment = (id: string): string => (id.split("/").filter(Boolean).pop() ?? id).toLowerCase();

type TargetOf = (f: ProposedFinding, subscriptionId: string) => { target: string; key: string } | null;

const TARGETS: Record<Exclude<ActionKind, "none">, TargetOf> = {
  "delete-assignment": (f) =>
    f.assignmentId ? { target: f.assignmentId, key: lastSegment(f.assignmentId) } : null,
  "restore-assignment": (f) =>
    f.restore ? { target: f.restore.id, key: f.restore.name.toLowerCase() } : null,
  "register-provider": (f, sub) =>
    f.namespace ? { target: f.namespace, key: `${sub}:${f.namespace.toLowerCase()}` } : null,
  "disable-service-principal": (f) =>
    f.principalId ? { target: f.principalId, key: f.principalId.toLowerCase() } : null,
};

/** null when the finding has no action or lacks what its action needs (reported by the planner). */
export function actionTarget(f: ProposedFinding, subscriptionId: string): ActionTarget | null {
  if (f.action === "none") return null;
  const t = TARGETS[f.action]?.(f, subscriptionId);
  return t ? { kind: f.action, target: t.target, actionId: `${f.action}:${t.key}` } : null;
}
