import type { RoleAssignment } from "../../../tenant/ports";
import type { ReviewContext } from "../../context";
import type { Rule } from "../../rule";
import type { ProposedFinding } from "../../types";
import {
  describeGroup,
  describePrincipal,
  describeScope,
  groupsOf,
  isActor,
  isPrivileged,
  roleName,
} from "../../facts";
import { guidOf } from "../../context";

// Reports how much power the actor had; revoking it is a human decision (it may be a real admin).
// Every scope counts here, above the subscription too: an Owner at a management group is Owner here.
// Privilege through a group counts the same (the actor's transitive groups, nested groups expanded).

/** How the actor holds an assignment: directly, through one of its groups, or not at all. */
function holding(ctx: ReviewContext, a: RoleAssignment, groups: Set<string>): "direct" | "group" | null {
  if (isActor(ctx, a.principalId)) return "direct";
  const g = guidOf(a.principalId);
  return g && groups.has(g) ? "group" : null;
}

function finding(ctx: ReviewContext, a: RoleAssignment, how: "direct" | "group"): ProposedFinding {
  const role = roleName(ctx, a);
  const actorId = how === "direct" ? a.principalId : (ctx.actor.objectId as string);
  const through = how === "group" ? ` through ${describeGroup(ctx, a.principalId)}` : "";
  return {
    rule: "RA-ACTOR-PRIVILEGED",
    severity: "medium",
    reason: `The actor, ${describePrincipal(ctx, actorId)}, holds the privileged role ${role} on ${describeScope(a.scope)}${through}.`,
    action: "none",
    assignmentId: a.id,
    principalId: actorId,
    roleName: role,
    scope: a.scope,
    ...(how === "group" ? { throughGroupId: guidOf(a.principalId) ?? a.principalId } : {}),
  };
}

export const rule: Rule = {
  id: "RA-ACTOR-PRIVILEGED",
  title: "The actor holds a privileged role",
  description:
    "The principal that unregistered the provider holds a privileged role assignment (directly or through a " +
    "group, nested groups included, at any scope that applies to the subscription). Reported for context; no action.",
  defaultSeverity: "medium",
  action: "none",
  appliesTo: ["provider-unregister"],
  evaluate(ctx) {
    if (!ctx.actor.objectId) return [];
    const groups = groupsOf(ctx, ctx.actor.objectId);
    return ctx.assignments.flatMap((a) => {
      const how = holding(ctx, a, groups);
      if (!how || !isPrivileged(ctx, a)) return [];
      return [finding(ctx, a, how)];
    });
  },
};
