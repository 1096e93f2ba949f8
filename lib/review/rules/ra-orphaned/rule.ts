import type { Rule } from "../../rule";
import { assignmentsInFocus, describeScope, roleName } from "../../facts";
import { guidOf } from "../../context";

// Foreign groups live in another directory: Graph cannot resolve them here, which is not orphaning.
const UNRESOLVABLE_BY_DESIGN = new Set(["foreigngroup"]);

export const rule: Rule = {
  id: "RA-ORPHANED",
  title: "Role assignment of a principal that no longer exists",
  description:
    "Microsoft Graph did not return the assignment's principal (deleted, or never existed). Such assignments are " +
    "clutter at best, and a sign of cleanup after an intrusion at worst. Reported, never skipped; no action.",
  defaultSeverity: "low",
  action: "none",
  appliesTo: ["provider-unregister", "role-assignment-write"],
  evaluate(ctx) {
    return assignmentsInFocus(ctx)
      .filter((a) => {
        const id = guidOf(a.principalId);
        return (
          id !== null &&
          ctx.missingPrincipals.has(id) &&
          !UNRESOLVABLE_BY_DESIGN.has(a.principalType.toLowerCase())
        );
      })
      .map((a) => {
        const role = roleName(ctx, a);
        return {
          rule: "RA-ORPHANED",
          severity: "low",
          reason:
            `The ${role} assignment on ${describeScope(a.scope)} belongs to principal ${a.principalId} ` +
            `(${a.principalType}), which Microsoft Graph no longer knows.`,
          action: "none",
          assignmentId: a.id,
          principalId: a.principalId,
          roleName: role,
          scope: a.scope,
        };
      });
  },
};
