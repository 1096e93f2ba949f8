// Small questions rules ask of the context, answered one way for all of them (scope, window, privilege,
// names for human sentences). Pure functions.
import type { Principal, RoleAssignment } from "../tenant/ports";
import type { PimFacts, ReviewContext, RoleInfo } from "./context";
import { assignmentNameFromId, guidOf, roleDefinitionGuidOf } from "./context";

/** Same GUID or same ARM id, ignoring case and GUID dashes. */
export function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const ga = guidOf(a);
  const gb = guidOf(b);
  if (ga && gb) return ga === gb;
  return a.toLowerCase() === b.toLowerCase();
}

/** "At or below the subscription": the subscription itself or anything under it. Management groups and "/" are above. */
export function isAtOrBelowSubscription(scope: string, subscriptionId: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, "");
  const sub = `/subscriptions/${subscriptionId.toLowerCase()}`;
  return s === sub || s.startsWith(`${sub}/`);
}

/** Whether an ISO time falls in [from, to] (inclusive). Unparseable or missing times are outside. */
export function inRange(iso: string | null | undefined, from: Date, to: Date): boolean {
  if (!iso) return false;
  const t = Date.parse(iso);
  return !Number.isNaN(t) && t >= from.getTime() && t <= to.getTime();
}

export function roleOf(
  ctx: ReviewContext,
  a: { roleDefinitionId: string; roleDefinitionGuid?: string },
): RoleInfo | undefined {
  const guid = roleDefinitionGuidOf(a.roleDefinitionGuid || a.roleDefinitionId);
  return guid ? ctx.roles.get(guid) : undefined;
}

/** Privileged = the role's tier is not none (DESIGN.md "Role privilege analysis"). Unknown roles are not judged. */
export function isPrivileged(ctx: ReviewContext, a: RoleAssignment): boolean {
  const role = roleOf(ctx, a);
  return role !== undefined && role.analysis.tier !== "none";
}

export function roleName(
  ctx: ReviewContext,
  a: { roleDefinitionId: string; roleDefinitionGuid?: string },
): string {
  return (
    roleOf(ctx, a)?.definition.roleName ??
    `role ${roleDefinitionGuidOf(a.roleDefinitionId) ?? a.roleDefinitionId}`
  );
}

export function principalOf(ctx: ReviewContext, id: string | null | undefined): Principal | undefined {
  const g = guidOf(id);
  return g ? ctx.principals.get(g) : undefined;
}

const KIND_WORDS: Record<string, string> = {
  user: "user",
  servicePrincipal: "service principal",
  group: "group",
  application: "application",
  device: "device",
  other: "principal",
};

/** "user Alex Doe (alex.doe@contoso.example)" or "principal 0de1… (not found in Microsoft Graph)". */
export function describePrincipal(ctx: ReviewContext, id: string | null | undefined): string {
  if (!id) return "an unknown principal";
  const p = principalOf(ctx, id);
  const gid = guidOf(id) ?? id;
  if (!p)
    return ctx.missingPrincipals.has(gid)
      ? `principal ${gid} (not found in Microsoft Graph)`
      : `principal ${gid}`;
  return describeKnownPrincipal(p);
}

/** "guest user evil (evil_mail…#EXT#@…)" from a principal in hand (e.g. a group member from Graph). */
export function describeKnownPrincipal(p: Principal): string {
  const gid = guidOf(p.id) ?? p.id;
  let kind = KIND_WORDS[p.kind] ?? "principal";
  if (p.kind === "user" && isGuest(p)) kind = "guest user";
  if (p.kind === "servicePrincipal" && p.servicePrincipalType === "ManagedIdentity")
    kind = "managed identity";
  const name = p.displayName || p.userPrincipalName || gid;
  const extra = p.userPrincipalName && p.userPrincipalName !== name ? ` (${p.userPrincipalName})` : "";
  return `${kind} ${name}${extra}`;
}

export function isGuest(p: Principal): boolean {
  return (
    (p.userType ?? "").toLowerCase() === "guest" ||
    (p.userPrincipalName ?? "").toUpperCase().includes("#EXT#")
  );
}

/** "subscription 3f2b…" or "resource group rg-app in subscription 3f2b…" or the raw scope. */
export function describeScope(scope: string): string {
  const m = /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?(\/.*)?$/i.exec(
    scope.replace(/\/+$/, ""),
  );
  if (!m) return `scope ${scope}`;
  if (m[3]) return `resource ${scope}`;
  if (m[2]) return `resource group ${m[2]} in subscription ${m[1]}`;
  return `subscription ${m[1]}`;
}

/** "2 h 0 min before the unregister" relative to the anchor. */
export function relativeToAnchor(ctx: ReviewContext, iso: string): string {
  const diff = Date.parse(iso) - ctx.window.at.getTime();
  if (Number.isNaN(diff)) return "at an unknown time";
  const minutes = Math.round(Math.abs(diff) / 60_000);
  const text = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  const what =
    ctx.classification.kind === "provider-unregister"
      ? `the ${ctx.classification.namespace ?? "provider"} unregister`
      : "the incident's event";
  return diff < 0 ? `${text} before ${what}` : diff > 0 ? `${text} after ${what}` : `at the time of ${what}`;
}

/**
 * The assignments a rule looks at. Reviewing the anchor: all of them. Reviewing a role-assignment trigger inside an
 * incident: only the assignment the trigger changed (the rest was reviewed with the anchor).
 */
export function assignmentsInFocus(ctx: ReviewContext): RoleAssignment[] {
  const target = ctx.subject.assignmentName;
  if (!ctx.trigger || !target) return ctx.assignments;
  return ctx.assignments.filter((a) => (guidOf(a.name) ?? assignmentNameFromId(a.id)) === target);
}

export function isActor(ctx: ReviewContext, id: string | null | undefined): boolean {
  return sameId(ctx.actor.objectId, id);
}

/** Whether `scope` is `ancestor` or below it (case-insensitive, on path-segment boundaries). */
export function isAtOrBelowScope(scope: string, ancestor: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, "");
  const a = ancestor.toLowerCase().replace(/\/+$/, "");
  return a === "" || s === a || s.startsWith(`${a}/`);
}

/** PIM facts of an assignment, when PIM manages it (and PIM data was read). */
export function pimOf(ctx: ReviewContext, a: { id: string }): PimFacts | undefined {
  return ctx.pim.get(a.id.toLowerCase());
}

/** "2025-03-14 17:26 UTC": minutes are enough for a human deciding what to revoke. */
function shortTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Phrases by PIM assignment type: activations are time-bound by nature; "Assigned" may or may not end. */
const PIM_PHRASE: Record<string, (end: string | null) => string> = {
  activated: (end) =>
    end ? `activated through PIM until ${shortTime(end)} (time-bound)` : "activated through PIM, with no end",
  assigned: (end) =>
    end ? `assigned through PIM until ${shortTime(end)} (time-bound)` : "PIM-managed, permanent assignment",
};

/**
 * How long the grant lasts, for a finding's reason: "activated through PIM until … (time-bound)", "PIM-managed,
 * permanent assignment", or "permanent" (no PIM record). Empty when PIM data could not be read: then we do not know.
 */
export function describeGrantDuration(ctx: ReviewContext, a: { id: string }): string {
  const pim = pimOf(ctx, a);
  if (pim) {
    const phrase = PIM_PHRASE[pim.assignmentType.toLowerCase()];
    return phrase ? phrase(pim.endDateTime) : `PIM-managed (${pim.assignmentType})`;
  }
  return ctx.pimKnown ? "permanent" : "";
}

/** Whether an assignment is held by a group (ARM's principalType, else what Graph said the principal is). */
export function isGroupAssignment(ctx: ReviewContext, a: RoleAssignment): boolean {
  return a.principalType.toLowerCase() === "group" || principalOf(ctx, a.principalId)?.kind === "group";
}

/** "group Platform Admins" (or the group's id when Graph did not name it). */
export function describeGroup(ctx: ReviewContext, groupId: string): string {
  const g = principalOf(ctx, groupId);
  return `group ${g?.displayName || guidOf(groupId) || groupId}`;
}

/** The groups (canonical ids) a principal belongs to transitively, when they were read; empty otherwise. */
export function groupsOf(ctx: ReviewContext, id: string | null | undefined): Set<string> {
  const g = guidOf(id);
  return new Set(g ? (ctx.memberOf.get(g) ?? []) : []);
}
