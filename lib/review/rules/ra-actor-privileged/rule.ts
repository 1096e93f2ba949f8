import type { Rule } from "../../rule";
import { describePrincipal, describeScope, isActor, isPrivileged, roleName } from "../../facts";

// Reports how much power the actor had; revoking it is a human decision (it may be a real admin).
// Every scope counts here, above the subscription too: an Owner at a management group is Owner here.
export const rule: Rule = {
  id: "RA-ACTOR-PRIVILEGED",
  title: "The actor holds a privileged role",
  description:
    "The principal that unregistered the provider holds a privileged role assignment (direct, at any scope that " +
    "applies to the subscription). Reported for context; no action.",
  defaultSeverity: "medium",
  action: "none",
  appliesTo: ["provider-unregister"],
  evaluate(ctx) {
    if (!ctx.actor.objectId) return [];
    return ctx.assignments
      .filter((a) => isActor(ctx, a.principalId) && isPrivileged(ctx, a))
      .map((a) => {
        const role = roleName(ctx, a);
        return {
          rule: "RA-ACTOR-PRIVILEGED",
          severity: "medium",
          reason: `The actor, ${describePrincipal(ctx, a.principalId)}, holds the privileged role ${role} on ${describeScope(a.scope)}.`,
          action: "none",
          assignmentId: a.id,
          principalId: a.principalId,
          roleName: role,
          scope: a.scope,
        };
      });
  },
};
