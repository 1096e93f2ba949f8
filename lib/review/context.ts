// The review context: everything the rules need, loaded once per review with few calls and few sequential
// round trips (DESIGN.md "Review rules"; bench `review` measures it):
//   round 1, together: role assignments of the subscription + role definitions visible at it (adapter-cached)
//                      + the PIM schedule instances at it (optional: without them the review goes on, and says so);
//   round 2, together: ONE directory.resolve for every principal named anywhere (+ the actor's application, the
//                      actor's transitive groups, and the transitive members of the groups holding privileged
//                      roles at or below the subscription: all sub-requests of the same Graph batches),
//                      and, rarely, individual gets for role definitions the list did not contain.
// Rules then run as pure functions of this context.
import type { Actor, ActivityEvent } from "../events/types";
import type { Classification, Kind } from "../classify/types";
import type { Settings } from "../config/settings";
import { canonicalGuid } from "../config/settings";
import type { JournalEntry } from "../store/types";
import { TenantError } from "../tenant/errors";
import type {
  ApplicationInfo,
  DirectoryLookup,
  MemberOfSubject,
  Principal,
  RoleAssignment,
  RoleAssignmentScheduleInstance,
  RoleDefinition,
  Tenant,
} from "../tenant/ports";
import { analyzeRole } from "./privilege";

export type RoleAnalysis = ReturnType<typeof analyzeRole>;

export interface RoleInfo {
  definition: RoleDefinition;
  analysis: RoleAnalysis;
}

/** What is being reviewed: the anchor itself, or a later role-assignment event (trigger) inside its incident. */
export interface ReviewSubject {
  kind: Kind;
  event: ActivityEvent;
  /** For role-assignment triggers: the GUID of the assignment the trigger wrote or deleted (null when unknown). */
  assignmentName: string | null;
}

export interface ReviewWindow {
  /** Anchor time − lookbackHours. */
  from: Date;
  /** Anchor time. */
  at: Date;
  /** Anchor time + watchHours. */
  to: Date;
}

/** What PIM says about one classic role assignment (DESIGN.md: "PIM-aware analysis (activation vs permanent)"). */
export interface PimFacts {
  /** Activated = a time-bound activation of an eligible role; Assigned = an active assignment made through PIM. */
  assignmentType: string;
  /** Direct | Group | Inherited. */
  memberType: string;
  startDateTime: string | null;
  /** null = no end (permanent). */
  endDateTime: string | null;
  status: string;
  /** The schedule instance's ARM id (for the audit trail). */
  instanceId: string;
}

export interface LoadReport {
  assignments: number;
  roleDefinitions: number;
  /** Role definitions the list did not hold, fetched one by one. */
  roleDefinitionsFetched: number;
  principalsRequested: number;
  principalsFound: number;
  principalsMissing: number;
  applicationsRequested: number;
  journalEntries: number;
  /** PIM schedule instances read; null when they could not be read (the review went on without PIM facts). */
  pimInstances: number | null;
  /** Groups whose transitive members were read (privileged at or below the subscription, capped). */
  groupsExpanded: number;
  /** Port calls made by this load, and how many of them had to wait for an earlier one. */
  calls: number;
  roundTrips: number;
}

export interface ReviewContext {
  tenantId: string;
  subscriptionId: string;
  anchor: ActivityEvent;
  classification: Classification;
  trigger: ActivityEvent | null;
  subject: ReviewSubject;
  /** The anchor's actor (an incident groups events of one actor). */
  actor: Actor;
  window: ReviewWindow;
  assignments: RoleAssignment[];
  /** By lower-case role definition GUID. */
  roles: Map<string, RoleInfo>;
  /** By canonical object id. */
  principals: Map<string, Principal>;
  /** Object ids Graph did not return. */
  missingPrincipals: Set<string>;
  /** By canonical appId; null = not registered in this tenant. */
  applications: Map<string, ApplicationInfo | null>;
  /** Journal entries of this subscription (the caller reads the window from the store). */
  journal: JournalEntry[];
  protectedPrincipalIds: Set<string>;
  /**
   * PIM facts by lower-case classic assignment id. Only assignments PIM manages have an entry; when PIM data
   * could not be read, `pimKnown` is false and absence means "unknown", not "not PIM-managed".
   */
  pim: Map<string, PimFacts>;
  pimKnown: boolean;
  /**
   * Transitive group memberships by canonical object id (the actor's). No entry = not read or not readable
   * (then a note says so): absence is "unknown", not "in no group".
   */
  memberOf: Map<string, string[]>;
  /** Transitive members by canonical group id (groups holding privileged roles); no entry = not read. */
  groupMembers: Map<string, Principal[]>;
  loaded: LoadReport;
  /** What the load noticed and the explanation should say (e.g. a role definition fetched individually). */
  notes: string[];
}

export interface ReviewInput {
  anchor: ActivityEvent;
  classification: Classification;
  trigger?: ActivityEvent | null;
  journal: JournalEntry[];
  settings: Settings;
}

/** Raw material of a context, as loaded from a tenant (or written by hand in rule cases). */
export interface ReviewData extends ReviewInput {
  tenantId: string;
  assignments: RoleAssignment[];
  roleDefinitions: RoleDefinition[];
  principals: Principal[];
  missingPrincipals: string[];
  applications: Map<string, ApplicationInfo | null>;
  /** PIM schedule instances; null = could not be read. Absent = none (the tenant has no PIM-managed assignments). */
  scheduleInstances?: RoleAssignmentScheduleInstance[] | null;
  /** Transitive group memberships by object id (as DirectoryLookup.memberOf). */
  memberOf?: Map<string, string[]>;
  /** Transitive members by group id (as DirectoryLookup.groupMembers). */
  groupMembers?: Map<string, Principal[]>;
  loaded?: Partial<LoadReport>;
  notes?: string[];
}

export class ReviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReviewInputError";
  }
}

/** Kinds a trigger can have, by lower-case operation name. Other triggers are not reviewed against an incident. */
const TRIGGER_KINDS: Record<string, Kind> = {
  "microsoft.authorization/roleassignments/write": "role-assignment-write",
  "microsoft.authorization/roleassignments/delete": "role-assignment-delete",
};

const HOUR_MS = 3_600_000;

/**
 * Most groups whose members one review reads: each is a sub-request (and a page per 999 members), and a tenant
 * with hundreds of privileged groups would otherwise turn one Graph round trip into many batches.
 */
export const MAX_GROUPS_EXPANDED = 50;

export function guidOf(value: string | null | undefined): string | null {
  if (!value) return null;
  return canonicalGuid(value);
}

/** Trailing GUID of `…/roleAssignments/{guid}` (any casing), or null. */
export function assignmentNameFromId(id: string | null | undefined): string | null {
  if (!id) return null;
  const m = /\/roleassignments\/([^/]+)\/?$/i.exec(id);
  return m?.[1] ? canonicalGuid(m[1]) : null;
}

/** Trailing GUID of a role definition id (full id or bare GUID). */
export function roleDefinitionGuidOf(id: string): string | null {
  const last = id.split("/").filter(Boolean).pop() ?? "";
  return canonicalGuid(last);
}

function subjectOf(input: ReviewInput, notes: string[]): ReviewSubject {
  const trigger = input.trigger ?? null;
  if (!trigger) return { kind: input.classification.kind, event: input.anchor, assignmentName: null };
  const kind = TRIGGER_KINDS[trigger.operationNameLower] ?? "other";
  if (kind === "other")
    notes.push(
      `The trigger ${trigger.operationName} is not a role-assignment change, so no rule reviews it.`,
    );
  const assignmentName = assignmentNameFromId(trigger.resourceId);
  if (kind !== "other" && !assignmentName)
    notes.push(
      `The trigger ${trigger.eventId} names no role assignment in its resource id, so every assignment in the window was reviewed.`,
    );
  return { kind, event: trigger, assignmentName };
}

/**
 * The review window of an anchor: [time − lookbackHours, time + watchHours]. Exported so the caller can read the
 * store's journal for exactly this window before loading the context.
 */
export function reviewWindow(input: Pick<ReviewInput, "anchor" | "settings">): ReviewWindow {
  const at = new Date(input.anchor.time);
  if (Number.isNaN(at.getTime()))
    throw new ReviewInputError(
      `anchor event ${input.anchor.eventId} has no valid time ("${input.anchor.time}")`,
    );
  return {
    from: new Date(at.getTime() - input.settings.lookbackHours * HOUR_MS),
    at,
    to: new Date(at.getTime() + input.settings.watchHours * HOUR_MS),
  };
}

function subscriptionOf(anchor: ActivityEvent): string {
  const sub = guidOf(anchor.subscriptionId);
  if (!sub)
    throw new ReviewInputError(
      `anchor event ${anchor.eventId} has no subscription id; it cannot be reviewed`,
    );
  return sub;
}

/** PIM facts by the lower-case id of the classic assignment each instance backs. */
export function pimFactsByAssignment(instances: RoleAssignmentScheduleInstance[]): Map<string, PimFacts> {
  const out = new Map<string, PimFacts>();
  for (const si of instances) {
    if (!si.roleAssignmentId) continue;
    out.set(si.roleAssignmentId.toLowerCase(), {
      assignmentType: si.assignmentType,
      memberType: si.memberType,
      startDateTime: si.startDateTime,
      endDateTime: si.endDateTime,
      status: si.status,
      instanceId: si.id,
    });
  }
  return out;
}

function canonicalKeys<T>(map: Map<string, T> | undefined, value: (v: T) => T): Map<string, T> {
  const out = new Map<string, T>();
  for (const [k, v] of map ?? []) out.set(guidOf(k) ?? k.toLowerCase(), value(v));
  return out;
}

/** Builds the context from loaded data. Pure: used by loadReviewContext and by rule cases. */
export function buildReviewContext(data: ReviewData): ReviewContext {
  const notes = [...(data.notes ?? [])];
  const subscriptionId = subscriptionOf(data.anchor);
  const roles = new Map<string, RoleInfo>();
  for (const definition of data.roleDefinitions) {
    const guid = roleDefinitionGuidOf(definition.name) ?? roleDefinitionGuidOf(definition.id);
    if (guid) roles.set(guid, { definition, analysis: analyzeRole(definition) });
  }
  const principals = new Map<string, Principal>();
  for (const p of data.principals) principals.set(guidOf(p.id) ?? p.id.toLowerCase(), p);
  const journal = data.journal.filter((e) => guidOf(e.subscriptionId) === subscriptionId);
  const report: LoadReport = {
    assignments: data.assignments.length,
    roleDefinitions: roles.size,
    roleDefinitionsFetched: 0,
    principalsRequested: principals.size + data.missingPrincipals.length,
    principalsFound: principals.size,
    principalsMissing: data.missingPrincipals.length,
    applicationsRequested: data.applications.size,
    journalEntries: journal.length,
    pimInstances: data.scheduleInstances === null ? null : (data.scheduleInstances?.length ?? 0),
    groupsExpanded: data.groupMembers?.size ?? 0,
    calls: 0,
    roundTrips: 0,
    ...data.loaded,
  };
  return {
    tenantId: data.tenantId,
    subscriptionId,
    anchor: data.anchor,
    classification: data.classification,
    trigger: data.trigger ?? null,
    subject: subjectOf(data, notes),
    actor: data.anchor.actor,
    window: reviewWindow(data),
    assignments: data.assignments,
    roles,
    principals,
    missingPrincipals: new Set(data.missingPrincipals.map((id) => guidOf(id) ?? id.toLowerCase())),
    applications: data.applications,
    journal,
    protectedPrincipalIds: new Set(
      data.settings.protectedPrincipalIds.map((id) => guidOf(id) ?? id.toLowerCase()),
    ),
    pim: pimFactsByAssignment(data.scheduleInstances ?? []),
    pimKnown: data.scheduleInstances !== null,
    memberOf: canonicalKeys(data.memberOf, (groups) => groups.map((g) => guidOf(g) ?? g.toLowerCase())),
    groupMembers: canonicalKeys(data.groupMembers, (members) => members),
    loaded: report,
    notes,
  };
}

/** Every object id worth naming in a finding: assignment principals and creators, the actor, journal principals. */
function principalIdsToResolve(input: ReviewInput, assignments: RoleAssignment[]): string[] {
  const ids = new Set<string>();
  const add = (v: string | null | undefined) => {
    const g = guidOf(v);
    if (g) ids.add(g);
  };
  for (const a of assignments) {
    add(a.principalId);
    add(a.createdBy);
  }
  add(input.anchor.actor.objectId);
  for (const e of input.journal) add(e.snapshot?.principalId);
  return [...ids].sort();
}

/**
 * The actor's application is needed only for service principals (SP-NEW-CREDENTIAL). Managed identities have
 * no application registration to gain credentials on, so asking would only cost a sub-request.
 */
function applicationAppIdsFor(actor: Actor): string[] {
  if (actor.type !== "servicePrincipal") return [];
  const appId = guidOf(actor.appId);
  return appId ? [appId] : [];
}

/**
 * PIM data is an enrichment: an older deployment lacks the read permission, a cloud may lack the API, the call may
 * keep failing. None of that may fail a review (the assignments are still there to judge), so any tenant failure
 * becomes null and a note that says what is missing and why. Defects (non-tenant errors) still surface.
 */
async function pimInstancesOrNull(
  tenant: Tenant,
  subscriptionId: string,
  notes: string[],
): Promise<RoleAssignmentScheduleInstance[] | null> {
  try {
    return await tenant.roleAssignments.listScheduleInstances(subscriptionId);
  } catch (err) {
    if (!(err instanceof TenantError)) throw err;
    notes.push(
      `PIM schedule instances could not be read (${err.message}); reviewed without PIM facts: activations and ` +
        "permanent grants are not told apart, and PIM-managed assignments are not recognised.",
    );
    return null;
  }
}

/** Graph collection of an actor, for its transitiveMemberOf (users by default). */
const ACTOR_KIND: Record<string, "user" | "servicePrincipal"> = {
  user: "user",
  servicePrincipal: "servicePrincipal",
  managedIdentity: "servicePrincipal",
};

function actorMemberOf(actor: Actor): MemberOfSubject[] {
  const id = guidOf(actor.objectId);
  const kind = ACTOR_KIND[actor.type];
  return id && kind ? [{ id, kind }] : [];
}

function isGroupPrincipal(a: RoleAssignment): boolean {
  return a.principalType.toLowerCase() === "group";
}

/**
 * Groups whose members the rules need: holders of a privileged role at or below the subscription (what
 * RA-EXTERNAL-PRINCIPAL judges; the actor's own group privilege comes from its memberOf instead). Sorted so the
 * cap keeps the same groups from one review to the next.
 */
function privilegedGroupsToExpand(
  assignments: RoleAssignment[],
  definitions: RoleDefinition[],
  subscriptionId: string,
): string[] {
  const privileged = new Set(
    definitions
      .filter((d) => analyzeRole(d).tier !== "none")
      .map((d) => roleDefinitionGuidOf(d.name) ?? roleDefinitionGuidOf(d.id)),
  );
  const sub = `/subscriptions/${subscriptionId}`;
  const groups = new Set<string>();
  for (const a of assignments) {
    const scope = a.scope.toLowerCase().replace(/\/+$/, "");
    const atOrBelow = scope === sub || scope.startsWith(`${sub}/`);
    const role = roleDefinitionGuidOf(a.roleDefinitionGuid || a.roleDefinitionId);
    const id = guidOf(a.principalId);
    if (atOrBelow && isGroupPrincipal(a) && role && privileged.has(role) && id) groups.add(id);
  }
  return [...groups].sort();
}

/** Notes for membership lookups that failed: the review goes on, and says what it could not see. */
function membershipNotes(lookup: DirectoryLookup, notes: string[]): void {
  for (const i of lookup.incomplete ?? [])
    notes.push(
      i.relation === "transitiveMemberOf"
        ? `The group memberships of ${i.id} could not be read (${i.reason}); privilege held through groups was not seen for it.`
        : `The members of group ${i.id} could not be read (${i.reason}); external principals inside it were not checked.`,
    );
}

export async function loadReviewContext(tenant: Tenant, input: ReviewInput): Promise<ReviewContext> {
  const subscriptionId = subscriptionOf(input.anchor);
  reviewWindow(input); // fail on a bad time before any call
  const notes: string[] = [];

  // Round 1: the three ARM reads do not depend on each other.
  const [assignments, definitions, scheduleInstances] = await Promise.all([
    tenant.roleAssignments.listForSubscription(subscriptionId),
    tenant.roleDefinitions.list(`/subscriptions/${subscriptionId}`),
    pimInstancesOrNull(tenant, subscriptionId, notes),
  ]);
  let calls = 3;

  // Round 2: one directory lookup, plus (rarely) the role definitions the list lacked, all at once.
  const known = new Set(definitions.map((d) => roleDefinitionGuidOf(d.name) ?? roleDefinitionGuidOf(d.id)));
  const unknownRoleIds = new Map<string, string>();
  for (const a of assignments) {
    const guid = roleDefinitionGuidOf(a.roleDefinitionGuid || a.roleDefinitionId);
    if (guid && !known.has(guid) && !unknownRoleIds.has(guid)) unknownRoleIds.set(guid, a.roleDefinitionId);
  }
  const ids = principalIdsToResolve(input, assignments);
  const applicationAppIds = applicationAppIdsFor(input.anchor.actor);
  const transitiveMemberOf = actorMemberOf(input.anchor.actor);
  const groups = privilegedGroupsToExpand(assignments, definitions, subscriptionId);
  const transitiveMembersOf = groups.slice(0, MAX_GROUPS_EXPANDED);
  if (groups.length > transitiveMembersOf.length)
    notes.push(
      `${groups.length} groups hold privileged roles at or below the subscription; the members of the first ` +
        `${transitiveMembersOf.length} (by id) were checked, the other ${groups.length - transitiveMembersOf.length} were not.`,
    );
  const [lookup, ...fetched] = await Promise.all([
    tenant.directory.resolve(ids, { applicationAppIds, transitiveMemberOf, transitiveMembersOf }),
    ...[...unknownRoleIds.values()].map((id) =>
      tenant.roleDefinitions.get(id, `/subscriptions/${subscriptionId}`),
    ),
  ]);
  calls += 1 + unknownRoleIds.size;

  const extraDefinitions: RoleDefinition[] = [];
  [...unknownRoleIds.keys()].forEach((guid, i) => {
    const def = fetched[i];
    if (def) {
      extraDefinitions.push(def);
      notes.push(`Role definition ${guid} was not in the subscription's list; it was fetched on its own.`);
    } else {
      notes.push(
        `Role definition ${guid} is unknown to ARM; assignments of it could not be judged privileged or not.`,
      );
    }
  });
  membershipNotes(lookup, notes);
  if (lookup.missing.length)
    notes.push(
      `${lookup.missing.length} principal(s) did not resolve in Microsoft Graph (deleted or never existed).`,
    );

  return buildReviewContext({
    ...input,
    tenantId: tenant.tenantId,
    assignments,
    roleDefinitions: [...definitions, ...extraDefinitions],
    principals: [...lookup.found.values()],
    missingPrincipals: lookup.missing,
    applications: lookup.applications,
    scheduleInstances,
    memberOf: lookup.memberOf,
    groupMembers: lookup.groupMembers,
    notes,
    loaded: {
      roleDefinitionsFetched: extraDefinitions.length,
      principalsRequested: ids.length,
      applicationsRequested: applicationAppIds.length,
      calls,
      roundTrips: 2,
    },
  });
}
