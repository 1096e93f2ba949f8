import type { JournalEntry } from "../../../store/types";
import type { ReviewContext } from "../../context";
import type { Rule } from "../../rule";
import { assignmentNameFromId, guidOf } from "../../context";
import { describePrincipal, describeScope, inRange, relativeToAnchor, roleName } from "../../facts";

function entryName(e: JournalEntry): string | null {
  return guidOf(e.snapshot?.name) ?? assignmentNameFromId(e.snapshot?.id ?? e.assignmentId);
}

/** Deletions of protected principals' assignments in the window that are still missing from the tenant. */
function protectedRemovals(ctx: ReviewContext): JournalEntry[] {
  const present = new Set(ctx.assignments.map((a) => guidOf(a.name) ?? assignmentNameFromId(a.id)));
  const focus = ctx.trigger ? ctx.subject.assignmentName : null;
  return ctx.journal.filter((e) => {
    const name = entryName(e);
    const principal = guidOf(e.snapshot?.principalId);
    return (
      e.operation === "delete" &&
      principal !== null &&
      ctx.protectedPrincipalIds.has(principal) &&
      inRange(e.time, ctx.window.from, ctx.window.to) &&
      !present.has(name) && // already restored (or re-created): nothing to do
      (!focus || name === focus)
    );
  });
}

// Removing the break-glass account's access is how an intruder locks the defenders out.
export const rule: Rule = {
  id: "RA-PROTECTED-REMOVED",
  title: "A protected principal's role assignment was deleted",
  description:
    "The role-assignment journal shows an assignment of a protected principal (PROTECTED_PRINCIPAL_IDS, e.g. " +
    "break-glass accounts) deleted inside the window and not present any more. The finding carries the journal's " +
    "snapshot so the assignment can be restored as it was.",
  defaultSeverity: "high",
  action: "restore-assignment",
  appliesTo: ["provider-unregister", "role-assignment-delete"],
  evaluate(ctx) {
    return protectedRemovals(ctx).flatMap((e) => {
      const snap = e.snapshot;
      if (!snap) return [];
      const role = roleName(ctx, snap);
      const by = e.actorId ? ` by ${describePrincipal(ctx, e.actorId)}` : "";
      return [
        {
          rule: "RA-PROTECTED-REMOVED" as const,
          severity: "high" as const,
          reason:
            `The ${role} assignment of protected ${describePrincipal(ctx, snap.principalId)} on ` +
            `${describeScope(snap.scope)} was deleted${by} ${relativeToAnchor(ctx, e.time)}.`,
          action: "restore-assignment" as const,
          assignmentId: snap.id || e.assignmentId,
          principalId: snap.principalId,
          roleName: role,
          scope: snap.scope,
          restore: snap,
        },
      ];
    });
  },
};
