import type { Rule } from "../../rule";
import {
  assignmentsInFocus,
  describeGrantDuration,
  describePrincipal,
  describeScope,
  inRange,
  isActor,
  isAtOrBelowSubscription,
  isPrivileged,
  relativeToAnchor,
  roleName,
} from "../../facts";

// Attackers who blind Defender usually grant themselves (or a friend) a way back in around the same time.
export const rule: Rule = {
  id: "RA-RECENT-PRIVILEGED",
  title: "Privileged role assignment created around the unregister",
  description:
    "A privileged role (Owner-like or broad write) was assigned at or below the subscription inside the window " +
    "[event − lookback, event + watch]. Critical when the actor who unregistered the provider created it.",
  defaultSeverity: "high",
  action: "delete-assignment",
  appliesTo: ["provider-unregister", "role-assignment-write"],
  evaluate(ctx) {
    return assignmentsInFocus(ctx)
      .filter(
        (a) =>
          isAtOrBelowSubscription(a.scope, ctx.subscriptionId) &&
          inRange(a.createdOn, ctx.window.from, ctx.window.to) &&
          isPrivileged(ctx, a),
      )
      .map((a) => {
        const byActor = isActor(ctx, a.createdBy);
        const creator = a.createdBy
          ? `${byActor ? "the actor, " : ""}${describePrincipal(ctx, a.createdBy)}`
          : "an unrecorded creator";
        const role = roleName(ctx, a);
        const duration = describeGrantDuration(ctx, a);
        return {
          rule: "RA-RECENT-PRIVILEGED",
          severity: byActor ? "critical" : "high",
          reason:
            `${describePrincipal(ctx, a.principalId)} was granted the privileged role ${role} on ` +
            `${describeScope(a.scope)} ${relativeToAnchor(ctx, a.createdOn ?? "")} by ${creator}` +
            `${duration ? `; ${duration}` : ""}.`,
          action: "delete-assignment",
          assignmentId: a.id,
          principalId: a.principalId,
          roleName: role,
          scope: a.scope,
        };
      });
  },
};
