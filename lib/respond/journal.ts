// The role-assignment journal: every role-assignment write or delete is recorded with the assignment as
// last known, so a later review can say what was granted or removed and restore what was deleted.
//   write:  GET the assignment (the event carries no body), else the activity log's responseBody;
//   delete: the activity log's responseBody (ARM returns the deleted object), else the journal's last
//           snapshot of that assignment, else null (reported in the line's notes, never invented).
import type { ActivityEvent } from "../events/types";
import type { AssignmentSnapshot } from "../review/types";
import type { JournalEntry, Store } from "../store/types";
import type { RoleAssignment, Tenant } from "../tenant/ports";
import { canonicalGuid } from "../config/settings";

const DAY_MS = 86_400_000;
/** How far back a delete looks for the last journaled snapshot of the same assignment. */
const SNAPSHOT_LOOKBACK_DAYS = 90;

/** The journal's record of an assignment as last read (also what the review fixtures journal). */
export function snapshotOfAssignment(a: RoleAssignment): AssignmentSnapshot {
  return {
    id: a.id,
    name: a.name,
    scope: a.scope,
    roleDefinitionId: a.roleDefinitionId,
    principalId: a.principalId,
    principalType: a.principalType,
    createdOn: a.createdOn,
    createdBy: a.createdBy,
    condition: a.condition,
    description: a.description,
  };
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** ARM's role-assignment object from an activity-log responseBody (JSON string or object); null when unusable. */
export function snapshotFromResponseBody(
  body: unknown,
  fallbackId: string | null,
): AssignmentSnapshot | null {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== "object") return null;
  const o = value as Record<string, unknown>;
  const p = (o.properties && typeof o.properties === "object" ? o.properties : o) as Record<string, unknown>;
  const id = str(o.id) ?? fallbackId;
  const principalId = canonicalGuid(str(p.principalId) ?? "");
  const roleDefinitionId = str(p.roleDefinitionId);
  if (!id || !principalId || !roleDefinitionId) return null;
  const name = str(o.name) ?? id.split("/").pop() ?? id;
  const scope =
    str(p.scope) ?? id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, "");
  return {
    id,
    name,
    scope,
    roleDefinitionId,
    principalId,
    principalType: str(p.principalType) ?? "Unknown",
    createdOn: str(p.createdOn),
    createdBy: canonicalGuid(str(p.createdBy) ?? "") ?? str(p.createdBy),
    condition: str(p.condition),
    description: str(p.description),
  };
}

export type JournalOperation = "write" | "delete";

export const JOURNAL_OPERATIONS: Record<string, JournalOperation> = {
  "role-assignment-write": "write",
  "role-assignment-delete": "delete",
};

/** Builds and appends the journal entry for a role-assignment event. Returns it (snapshot may be null). */
export async function journalRoleAssignment(
  event: ActivityEvent,
  operation: JournalOperation,
  tenant: Tenant,
  store: Store,
): Promise<JournalEntry | null> {
  const assignmentId = event.resourceId;
  if (!assignmentId || !event.subscriptionId) return null;
  let snapshot: AssignmentSnapshot | null;
  if (operation === "write") {
    const now = await tenant.roleAssignments.get(assignmentId);
    snapshot = now ? snapshotOfAssignment(now) : snapshotFromResponseBody(event.responseBody, assignmentId);
  } else {
    snapshot = snapshotFromResponseBody(event.responseBody, assignmentId);
    if (!snapshot) {
      const at = new Date(event.time);
      const earlier = await store.journal(
        event.subscriptionId,
        new Date(at.getTime() - SNAPSHOT_LOOKBACK_DAYS * DAY_MS),
        at,
      );
      const last = earlier
        .filter((e) => e.assignmentId.toLowerCase() === assignmentId.toLowerCase() && e.snapshot)
        .pop();
      snapshot = last?.snapshot ?? null;
    }
  }
  const entry: JournalEntry = {
    subscriptionId: event.subscriptionId,
    assignmentId,
    operation,
    time: event.time,
    actorId: event.actor.objectId,
    eventId: event.eventId,
    snapshot,
  };
  await store.appendJournal(entry);
  return entry;
}
