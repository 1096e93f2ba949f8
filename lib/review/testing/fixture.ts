// Test support: builds review contexts from the compact JSON the rule cases are written in, around the demo
// scenario's ids (samples/SCENARIO.md). Shorthands: "@alex" and friends stand for principal ids, "{sub}" for the
// prod subscription id, and "T0", "T0-2h", "T0+24h+1ms" for times relative to the Microsoft.Security unregister.
import type { ActivityEvent } from "../../events/types";
import type { Classification } from "../../classify/types";
import { classify } from "../../classify/classify";
import { loadSettings } from "../../config/settings";
import { snapshotOfAssignment } from "../../respond/journal";
import type { JournalEntry } from "../../store/types";
import type {
  ApplicationInfo,
  Credential,
  Principal,
  RoleAssignment,
  RoleAssignmentScheduleInstance,
  RoleDefinition,
} from "../../tenant/ports";
import type { ReviewContext } from "../context";
import { buildReviewContext } from "../context";

export const T0 = "2025-03-14T09:26:53.5897932Z";
export const TENANT = "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
export const FOREIGN_TENANT = "0c0ffee0-1111-4222-8333-444455556666";
export const SUB = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
export const DEV_SUB = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d";

export const IDS: Record<string, string> = {
  alex: "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
  guest: "7f1e2d3c-4b5a-4968-8776-655443322110",
  foreignSp: "2b3c4d5e-6f70-4819-9a2b-3c4d5e6f7081",
  spDeployer: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
  spDeployerApp: "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f",
  idRunner: "d4c3b2a1-f0e9-4d8c-9b7a-6f5e4d3c2b1a",
  idRunnerApp: "8e7d6c5b-4a39-4281-9706-f5e4d3c2b1a0",
  breakGlass: "b1eac1a5-0000-4000-8000-00000000b001",
  ops1: "c0ffee00-aaaa-4bbb-8ccc-000000000001",
  deleted: "0de1e7ed-dead-4bad-8bad-00000000dead",
  responder: "9e5b0d1e-7e5b-4c1a-9d0e-5f0a1b2c3d4e",
  grpPlatform: "9a0a0a0a-0000-4000-8000-0000000000a1",
  grpOncall: "9a0a0a0a-0000-4000-8000-0000000000a2",
  grpReaders: "9a0a0a0a-0000-4000-8000-0000000000a3",
};

const ROLE_PERMISSIONS: Record<string, { guid: string; actions: string[]; notActions: string[] }> = {
  Owner: { guid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", actions: ["*"], notActions: [] },
  Contributor: {
    guid: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    actions: ["*"],
    notActions: [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
      "Microsoft.Blueprint/blueprintAssignments/write",
      "Microsoft.Blueprint/blueprintAssignments/delete",
      "Microsoft.Compute/galleries/share/action",
    ],
  },
  "User Access Administrator": {
    guid: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
    notActions: [],
  },
  Reader: { guid: "acdd72a7-3385-48ef-bd42-f606fba81ae7", actions: ["*/read"], notActions: [] },
};

export function roleDefinitionId(roleName: string, sub = SUB): string {
  const r = ROLE_PERMISSIONS[roleName];
  if (!r)
    throw new Error(
      `fixture: unknown role "${roleName}" (known: ${Object.keys(ROLE_PERMISSIONS).join(", ")})`,
    );
  return `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${r.guid}`;
}

export function roleDefinitions(sub = SUB): RoleDefinition[] {
  return Object.entries(ROLE_PERMISSIONS).map(([roleName, r]) => ({
    id: roleDefinitionId(roleName, sub),
    name: r.guid,
    roleName,
    roleType: "BuiltInRole",
    description: null,
    assignableScopes: ["/"],
    permissions: [{ actions: r.actions, notActions: r.notActions, dataActions: [], notDataActions: [] }],
  }));
}

const user = (id: string, displayName: string, upn: string, userType = "Member"): Principal => ({
  id,
  kind: "user",
  odataType: "#microsoft.graph.user",
  displayName,
  userPrincipalName: upn,
  userType,
  accountEnabled: true,
});
const sp = (
  id: string,
  displayName: string,
  appId: string,
  owner: string | null,
  type = "Application",
): Principal => ({
  id,
  kind: "servicePrincipal",
  odataType: "#microsoft.graph.servicePrincipal",
  displayName,
  appId,
  appOwnerOrganizationId: owner,
  servicePrincipalType: type,
  accountEnabled: true,
});

const group = (id: string, displayName: string): Principal => ({
  id,
  kind: "group",
  odataType: "#microsoft.graph.group",
  displayName,
});

export function basePrincipals(): Principal[] {
  return [
    user(IDS.alex!, "Alex Doe", "alex.doe@contoso.example"),
    user(IDS.guest!, "evil", "evil_mail.example#EXT#@contoso.onmicrosoft.com", "Guest"),
    sp(IDS.foreignSp!, "fabrikam-sync", "6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e", FOREIGN_TENANT),
    sp(IDS.spDeployer!, "sp-deployer", IDS.spDeployerApp!, TENANT),
    sp(IDS.idRunner!, "id-runner", IDS.idRunnerApp!, null, "ManagedIdentity"),
    user(IDS.breakGlass!, "Break Glass", "breakglass@contoso.example"),
    user(IDS.ops1!, "Ops One", "ops1@contoso.example"),
    // Last: cases that add a principal start from the first one (a user).
    group(IDS.grpPlatform!, "Platform Admins"),
    group(IDS.grpOncall!, "On-call"),
    group(IDS.grpReaders!, "Readers"),
  ];
}

/** "T0", "T0-2h", "T0+24h+1ms" → ISO. */
export function relativeTime(spec: string): string | null {
  const m = /^T0((?:[+-]\d+(?:ms|h|m|s))*)$/.exec(spec);
  if (!m) return null;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let t = Date.parse(T0);
  for (const part of (m[1] ?? "").matchAll(/([+-])(\d+)(ms|h|m|s)/g))
    t += (part[1] === "-" ? -1 : 1) * Number(part[2]) * (unit[part[3]!] ?? 0);
  return new Date(t).toISOString();
}

/** Replaces the shorthands in every string of a JSON value. */
export function expand<T>(value: T): T {
  if (typeof value === "string") {
    const time = relativeTime(value);
    if (time) return time as T;
    const alias = /^@(\w+)$/.exec(value);
    if (alias) {
      const id = IDS[alias[1]!];
      if (!id) throw new Error(`fixture: unknown alias ${value}`);
      return id as T;
    }
    return value.replaceAll("{sub}", SUB).replaceAll("{dev}", DEV_SUB) as T;
  }
  if (Array.isArray(value)) return value.map((v) => expand(v)) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [expand(k), expand(v)])) as T;
  return value;
}

export interface AssignmentSpec {
  name: string;
  principalId: string;
  role: string;
  scope?: string;
  principalType?: string;
  createdOn?: string | null;
  createdBy?: string | null;
  /** PIM schedule instance behind this assignment (times as T0±… shorthands or ISO). */
  pim?: { type: "Activated" | "Assigned"; start?: string; end?: string | null; memberType?: string };
}

export interface JournalSpec {
  operation: "write" | "delete";
  time: string;
  actorId?: string | null;
  subscriptionId?: string;
  snapshot: AssignmentSpec | null;
  assignmentId?: string;
}

export interface CaseGiven {
  event?: Partial<Omit<ActivityEvent, "actor">> & { actor?: Partial<ActivityEvent["actor"]> };
  classification?: Partial<Classification>;
  trigger?: Partial<ActivityEvent> | null;
  assignments?: AssignmentSpec[];
  principals?: Array<Partial<Principal> & { id: string }>;
  missing?: string[];
  applications?: Record<string, { displayName?: string; credentials: Array<Partial<Credential>> } | null>;
  journal?: JournalSpec[];
  protected?: string[];
  settings?: { lookbackHours?: number; watchHours?: number };
  /**
   * Group id → direct member ids (nested groups by their id). The context gets the actor's transitive groups
   * and every listed group's transitive members, as loadReviewContext would read them from Graph.
   */
  groups?: Record<string, string[]>;
  /** PIM schedule instances could not be read (e.g. 403): the context has no PIM facts. */
  pimUnavailable?: boolean;
}

const PRINCIPAL_TYPE: Record<string, string> = {
  user: "User",
  servicePrincipal: "ServicePrincipal",
  group: "Group",
};

/** Every member reachable from a group, nested groups expanded, each once, the group itself never. */
function transitiveMembers(groups: Record<string, string[]>, root: string): string[] {
  const seen = new Set([root]);
  const out: string[] = [];
  const queue = [root];
  while (queue.length)
    for (const m of groups[queue.shift()!] ?? [])
      if (!seen.has(m)) {
        seen.add(m);
        out.push(m);
        queue.push(m);
      }
  return out;
}

/** What Graph would say about memberships: the actor's groups, and each listed group's members. */
function membershipsOf(
  groups: Record<string, string[]>,
  actorId: string | null,
  principals: Map<string, Principal>,
): { memberOf: Map<string, string[]>; groupMembers: Map<string, Principal[]> } {
  const groupMembers = new Map<string, Principal[]>();
  for (const g of Object.keys(groups))
    groupMembers.set(
      g,
      transitiveMembers(groups, g).flatMap((id) => principals.get(id) ?? []),
    );
  const memberOf = new Map<string, string[]>();
  if (actorId)
    memberOf.set(
      actorId,
      Object.keys(groups).filter((g) => transitiveMembers(groups, g).includes(actorId)),
    );
  return { memberOf, groupMembers };
}

export function assignment(spec: AssignmentSpec): RoleAssignment {
  const scope = spec.scope ?? `/subscriptions/${SUB}`;
  const roleDefinitionIdValue = roleDefinitionId(spec.role);
  const principal = basePrincipals().find((p) => p.id === spec.principalId);
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${spec.name}`,
    name: spec.name,
    scope,
    roleDefinitionId: roleDefinitionIdValue,
    roleDefinitionGuid: roleDefinitionIdValue.split("/").pop()!,
    principalId: spec.principalId,
    principalType: spec.principalType ?? PRINCIPAL_TYPE[principal?.kind ?? "user"] ?? "User",
    createdOn: spec.createdOn ?? "2023-01-01T00:00:00.0000000Z",
    updatedOn: spec.createdOn ?? "2023-01-01T00:00:00.0000000Z",
    createdBy: spec.createdBy ?? null,
    updatedBy: spec.createdBy ?? null,
    condition: null,
    description: null,
  };
}

export function anchorEvent(over: CaseGiven["event"] = {}): ActivityEvent {
  const operationName = over.operationName ?? "Microsoft.Security/unregister/action";
  return {
    source: "eventgrid",
    eventId: "e4-event",
    correlationId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
    time: relativeTime("T0")!,
    resourceId: `/subscriptions/${SUB}/providers/Microsoft.Security`,
    status: "succeeded",
    subscriptionId: SUB,
    tenantId: TENANT,
    evidence: {
      roleAssignmentId: null,
      roleDefinitionId: null,
      principalId: null,
      principalType: null,
      scope: null,
    },
    where: "fixture",
    notes: [],
    ...over,
    operationName,
    operationNameLower: operationName.toLowerCase(),
    actor: { objectId: IDS.alex!, type: "user", upn: "alex.doe@contoso.example", ...over.actor },
  };
}

export function triggerEvent(over: Partial<ActivityEvent>): ActivityEvent {
  const operationName = over.operationName ?? "Microsoft.Authorization/roleAssignments/write";
  return anchorEvent({
    eventId: "trigger-event",
    correlationId: "c0000000-0000-4000-8000-000000000005",
    ...over,
    operationName,
  });
}

/** A whole context from a case's `given` (already expanded or not: expansion is idempotent). */
export function fixtureContext(raw: CaseGiven = {}): ReviewContext {
  const given = expand(raw);
  const settings = loadSettings(
    {
      LOOKBACK_HOURS: String(given.settings?.lookbackHours ?? 24),
      WATCH_HOURS: String(given.settings?.watchHours ?? 24),
      PROTECTED_PRINCIPAL_IDS: (given.protected ?? [IDS.breakGlass!]).join(","),
    },
    {},
  );
  const anchor = anchorEvent(given.event);
  // The classifier decides, as in the pipeline; a case may override parts of it.
  const classification: Classification = { ...classify(anchor), ...given.classification };
  const principals = new Map(basePrincipals().map((p) => [p.id, p]));
  for (const p of given.principals ?? [])
    principals.set(p.id, { ...(principals.get(p.id) ?? basePrincipals()[0]!), ...p } as Principal);
  for (const id of given.missing ?? []) principals.delete(id);
  const applications = new Map<string, ApplicationInfo | null>();
  for (const [appId, app] of Object.entries(given.applications ?? {}))
    applications.set(
      appId,
      app && {
        id: `app-${appId}`,
        appId,
        displayName: app.displayName ?? null,
        credentials: app.credentials.map((c, i) => ({
          keyId: c.keyId ?? `key-${i}`,
          kind: c.kind ?? "password",
          displayName: c.displayName ?? null,
          startDateTime: c.startDateTime ?? null,
          endDateTime: c.endDateTime ?? null,
        })),
      },
    );
  const journal: JournalEntry[] = (given.journal ?? []).map((j, i) => ({
    subscriptionId: j.subscriptionId ?? SUB,
    assignmentId: j.assignmentId ?? (j.snapshot ? assignment(j.snapshot).id : `unknown-${i}`),
    operation: j.operation,
    time: j.time,
    actorId: j.actorId ?? null,
    eventId: `journal-${i}`,
    snapshot: j.snapshot ? snapshotOfAssignment(assignment(j.snapshot)) : null,
  }));
  const assignments = (given.assignments ?? []).map(assignment);
  const scheduleInstances: RoleAssignmentScheduleInstance[] | null = given.pimUnavailable
    ? null
    : (given.assignments ?? []).flatMap((spec, i) => {
        const a = assignments[i]!;
        if (!spec.pim) return [];
        return [
          {
            id: `${a.scope}/providers/Microsoft.Authorization/roleAssignmentScheduleInstances/${a.name}-pim`,
            name: `${a.name}-pim`,
            scope: a.scope,
            roleAssignmentId: a.id,
            roleDefinitionId: a.roleDefinitionId,
            principalId: a.principalId,
            principalType: a.principalType,
            assignmentType: spec.pim.type,
            memberType: spec.pim.memberType ?? "Direct",
            status: "Provisioned",
            startDateTime: spec.pim.start ?? a.createdOn,
            endDateTime: spec.pim.end ?? null,
            linkedRoleEligibilityScheduleId: null,
          },
        ];
      });
  const memberships = membershipsOf(given.groups ?? {}, anchor.actor.objectId, principals);
  return buildReviewContext({
    ...memberships,
    anchor,
    classification,
    trigger: given.trigger ? triggerEvent(given.trigger) : null,
    journal,
    settings,
    tenantId: TENANT,
    assignments,
    scheduleInstances,
    roleDefinitions: roleDefinitions(),
    principals: [...principals.values()],
    missingPrincipals: given.missing ?? [],
    applications,
  });
}
