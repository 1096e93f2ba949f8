import type { Principal, RoleAssignment } from "../../../tenant/ports";
import type { ReviewContext } from "../../context";
import { guidOf } from "../../context";
import type { Rule } from "../../rule";
import type { ProposedFinding } from "../../types";
import {
  assignmentsInFocus,
  describeGroup,
  describeKnownPrincipal,
  describeGrantDuration,
  describePrincipal,
  describeScope,
  isAtOrBelowSubscription,
  isGroupAssignment,
  isGuest,
  isPrivileged,
  principalOf,
  roleName,
  sameId,
} from "../../facts";

/**
 * Tenants Microsoft's own first-party applications belong to. Their service principals hold roles for Azure
 * features to work; deleting those grants would do harm, so they are not "another tenant" here.
 */
export const MICROSOFT_TENANT_IDS = [
  "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
  "72f988bf-86f1-41af-91ab-2d7cd011db47",
  "33e01921-4d64-4f8c-a055-5bdaffd5e33d",
];

/** Why a principal counts as external, or null when it is not. */
function externalBecause(ctx: ReviewContext, p: Principal): string | null {
  if (p.kind === "user" && isGuest(p)) return "a guest user from outside the tenant";
  const owner = p.appOwnerOrganizationId;
  if (p.kind === "servicePrincipal" && owner && !sameId(owner, ctx.tenantId)) {
    if (MICROSOFT_TENANT_IDS.some((t) => sameId(t, owner))) return null;
    return `a service principal whose application is owned by another tenant (${owner})`;
  }
  return null;
}

/** The assignment's own principal, when external: deleting the assignment removes exactly that access. */
function directFindings(ctx: ReviewContext, a: RoleAssignment): ProposedFinding[] {
  const p = principalOf(ctx, a.principalId);
  const why = p ? externalBecause(ctx, p) : null;
  if (!why) return [];
  const role = roleName(ctx, a);
  const duration = describeGrantDuration(ctx, a);
  return [
    {
      rule: "RA-EXTERNAL-PRINCIPAL",
      severity: "high",
      reason: `${describePrincipal(ctx, a.principalId)}, ${why}, holds the privileged role ${role} on ${describeScope(a.scope)}${duration ? ` (${duration})` : ""}.`,
      action: "delete-assignment",
      assignmentId: a.id,
      principalId: a.principalId,
      roleName: role,
      scope: a.scope,
    },
  ];
}

/**
 * External members of a group holding the role (nested groups expanded). Action none: deleting the group's
 * assignment would strip every member, and removing the member from the group is not ours to do; a human decides.
 */
function groupFindings(ctx: ReviewContext, a: RoleAssignment): ProposedFinding[] {
  const groupId = guidOf(a.principalId);
  const members = groupId ? ctx.groupMembers.get(groupId) : undefined;
  if (!groupId || !members) return [];
  const role = roleName(ctx, a);
  const duration = describeGrantDuration(ctx, a);
  const group = describeGroup(ctx, groupId);
  return members.flatMap((m) => {
    const why = externalBecause(ctx, m);
    if (!why) return [];
    const who = describeKnownPrincipal(m);
    return [
      {
        rule: "RA-EXTERNAL-PRINCIPAL" as const,
        severity: "high" as const,
        reason:
          `${who}, ${why}, holds the privileged role ${role} on ${describeScope(a.scope)} through ${group}` +
          `${duration ? ` (${duration})` : ""}; no automatic action: deleting the group's assignment would strip every member, so a human decides.`,
        action: "none" as const,
        assignmentId: a.id,
        principalId: m.id,
        roleName: role,
        scope: a.scope,
        throughGroupId: groupId,
      },
    ];
  });
}

export const rule: Rule = {
  id: "RA-EXTERNAL-PRINCIPAL",
  title: "Privileged role held by an external principal",
  description:
    "A privileged role at or below the subscription is held by a guest user (userType Guest or #EXT# in the UPN) " +
    "or by a service principal whose application another tenant owns (Microsoft's first-party tenants excepted), " +
    "directly or as a member of a group that holds it (nested groups included; those findings carry no action).",
  defaultSeverity: "high",
  action: "delete-assignment",
  appliesTo: ["provider-unregister", "role-assignment-write"],
  evaluate(ctx) {
    return assignmentsInFocus(ctx).flatMap((a) => {
      if (!isAtOrBelowSubscription(a.scope, ctx.subscriptionId) || !isPrivileged(ctx, a)) return [];
      return isGroupAssignment(ctx, a) ? groupFindings(ctx, a) : directFindings(ctx, a);
    });
  },
};
