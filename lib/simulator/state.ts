// The simulator's mutable tenant: a deep copy of a snapshot plus the indexes the routes need.
// Scopes and ids are compared case-insensitively, like ARM does.
import type {
  ActivityLogEntry,
  ArmRoleAssignment,
  ArmRoleDefinition,
  ArmScheduleInstance,
  DirectoryObject,
  SnapshotApplication,
  TenantSnapshot,
} from "../tenant/snapshot";

export interface ProviderState {
  namespace: string;
  registrationState: string;
  /** GETs left before a transient state (Registering/Unregistering) settles. */
  settlesAfterGets: number;
}

export interface SubscriptionState {
  id: string;
  displayName?: string;
  providers: Map<string, ProviderState>;
}

export function lower(s: string): string {
  return s.toLowerCase();
}

/** Trims a trailing slash and lower-cases, so `/subscriptions/X/` and `/subscriptions/x` compare equal. */
export function scopeKey(scope: string): string {
  const s = scope.replace(/\/+$/, "");
  return s === "" ? "/" : lower(s);
}

/** `ancestor` is `scope` itself or above it (root `/` is above everything). */
export function isAtOrAbove(ancestor: string, scope: string): boolean {
  const a = scopeKey(ancestor);
  const s = scopeKey(scope);
  if (a === "/" || a === s) return true;
  // Management groups sit above every subscription of the tenant (the simulator has no MG hierarchy).
  if (a.startsWith("/providers/microsoft.management/managementgroups/"))
    return s.startsWith("/subscriptions/");
  return s.startsWith(a + "/");
}

export function subscriptionOfScope(scope: string): string | null {
  const m = /^\/subscriptions\/([^/]+)/i.exec(scope);
  return m?.[1] ? lower(m[1]) : null;
}

export class SimState {
  readonly tenantId: string;
  readonly subscriptions = new Map<string, SubscriptionState>();
  /** By lower-case full assignment id. */
  readonly roleAssignments = new Map<string, ArmRoleAssignment>();
  /** By lower-case definition GUID. */
  readonly roleDefinitions = new Map<string, ArmRoleDefinition>();
  readonly principals = new Map<string, DirectoryObject>();
  readonly applications: SnapshotApplication[];
  readonly activityLog: ActivityLogEntry[];
  /** PIM role assignment schedule instances, in snapshot order. */
  readonly scheduleInstances: ArmScheduleInstance[];
  /** Member id → ids of the groups that list it directly. */
  private readonly memberOf = new Map<string, Set<string>>();

  constructor(snapshot: TenantSnapshot, providerSettleGets: number) {
    const copy = structuredClone(snapshot);
    this.tenantId = copy.tenantId;
    for (const sub of copy.subscriptions) {
      const providers = new Map<string, ProviderState>();
      for (const p of sub.providers)
        providers.set(lower(p.namespace), { ...p, settlesAfterGets: providerSettleGets });
      this.subscriptions.set(lower(sub.id), {
        id: sub.id,
        ...(sub.displayName ? { displayName: sub.displayName } : {}),
        providers,
      });
    }
    for (const a of copy.roleAssignments) this.roleAssignments.set(lower(a.id), a);
    for (const d of copy.roleDefinitions) this.roleDefinitions.set(lower(d.name), d);
    for (const p of copy.principals) {
      this.principals.set(lower(p.id), p);
      for (const member of p.members ?? []) {
        const set = this.memberOf.get(lower(member)) ?? new Set<string>();
        set.add(lower(p.id));
        this.memberOf.set(lower(member), set);
      }
    }
    this.applications = copy.applications;
    this.activityLog = copy.activityLog;
    this.scheduleInstances = copy.roleAssignmentScheduleInstances ?? [];
  }

  /** The principal itself plus every group it belongs to, nested groups expanded (cycles are safe). */
  identitiesOf(principalId: string): Set<string> {
    const seen = new Set<string>([lower(principalId)]);
    const queue = [lower(principalId)];
    while (queue.length) {
      const id = queue.pop() as string;
      for (const group of this.memberOf.get(id) ?? []) {
        if (!seen.has(group)) {
          seen.add(group);
          queue.push(group);
        }
      }
    }
    return seen;
  }

  /** Groups a principal belongs to, directly or through nested groups (cycles are safe), in discovery order. */
  transitiveGroupsOf(principalId: string): string[] {
    const self = lower(principalId);
    return [...this.identitiesOf(principalId)].filter((id) => id !== self);
  }

  /**
   * Every member of a group, nested groups expanded (the nested groups themselves included, as Graph lists
   * them), each once, in discovery order; the group itself never (even inside a cycle).
   */
  transitiveMembersOf(groupId: string): string[] {
    const root = lower(groupId);
    const seen = new Set<string>([root]);
    const out: string[] = [];
    const queue = [root];
    while (queue.length) {
      const id = queue.shift() as string;
      for (const member of this.principals.get(id)?.members ?? []) {
        const m = lower(member);
        if (seen.has(m)) continue;
        seen.add(m);
        out.push(m);
        queue.push(m);
      }
    }
    return out;
  }

  /** Assignments in a stable order (creation order of the snapshot, then new ones). */
  assignments(): ArmRoleAssignment[] {
    return [...this.roleAssignments.values()];
  }

  findPrincipal(id: string): DirectoryObject | undefined {
    return this.principals.get(lower(id));
  }
}
