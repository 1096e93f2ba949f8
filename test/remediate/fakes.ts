// Small in-memory fakes of OUR ports (Tenant, Store) for the planner/executor unit tests. The
// end-to-end tests (test/respond, test/replay) use the real SDK clients against the simulator instead.
import type { ActivityEvent } from "../../lib/events/types";
import { classify } from "../../lib/classify/classify";
import type { ActionRecord, IncidentRecord, JournalEntry, PoisonRecord, Store } from "../../lib/store/types";
import type { ActivityRecord, ProviderInfo, RoleAssignment, Tenant } from "../../lib/tenant/ports";
import { TransientError } from "../../lib/tenant/errors";
import { memoryBreaker, memoryLedger } from "../../lib/remediate/ledger";
import type { PlanContext } from "../../lib/remediate/types";
import { testEvent } from "../support/events";

export const SUB = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
export const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
export const ACTOR = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
export const CORR = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
export const T0 = "2025-03-14T09:26:53.589Z";

export function assignment(
  name: string,
  principalId: string,
  role = OWNER,
  scope = `/subscriptions/${SUB}`,
): RoleAssignment {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope,
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
    roleDefinitionGuid: role,
    principalId,
    principalType: "User",
    createdOn: "2025-03-14T07:26:53.000Z",
    updatedOn: null,
    createdBy: ACTOR,
    updatedBy: null,
    condition: null,
    description: null,
  };
}

export interface Call {
  op: string;
  write: boolean;
  target: string;
}

export class FakeTenant implements Tenant {
  tenantId = "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
  calls: Call[] = [];
  assignments = new Map<string, RoleAssignment>();
  providerState = new Map<string, string>();
  activity: ActivityRecord[] = [];
  /** Make the next N calls of an op throw. */
  faults = new Map<string, { count: number; error: () => Error }>();

  constructor(assignments: RoleAssignment[] = []) {
    for (const a of assignments) this.assignments.set(a.id.toLowerCase(), a);
  }
  private hit(op: string, write: boolean, target: string): void {
    this.calls.push({ op, write, target });
    const f = this.faults.get(op);
    if (f && f.count > 0) {
      f.count--;
      throw f.error();
    }
  }
  writes(): Call[] {
    return this.calls.filter((c) => c.write);
  }

  roleAssignments = {
    listForSubscription: async () => [...this.assignments.values()],
    listForPrincipal: async () => [],
    listAtScope: async (scope: string) => {
      this.hit("listAtScope", false, scope);
      return [...this.assignments.values()].filter((a) =>
        `${scope.toLowerCase()}`.startsWith(a.scope.toLowerCase()),
      );
    },
    listAssignedTo: async () => [],
    listScheduleInstances: async () => [],
    get: async (id: string) => {
      this.hit("getAssignment", false, id);
      return this.assignments.get(id.toLowerCase()) ?? null;
    },
    delete: async (id: string) => {
      this.hit("deleteAssignment", true, id);
      return { deleted: this.assignments.delete(id.toLowerCase()) };
    },
    create: async (scope: string, name: string, body: { roleDefinitionId: string; principalId: string }) => {
      this.hit("createAssignment", true, name);
      const role = body.roleDefinitionId.split("/").pop()!;
      const a = { ...assignment(name, body.principalId, role, scope), createdOn: new Date().toISOString() };
      this.assignments.set(a.id.toLowerCase(), a);
      return a;
    },
  };
  roleDefinitions = { get: async () => null, list: async () => [] };
  providers = {
    get: async (_sub: string, ns: string): Promise<ProviderInfo> => {
      this.hit("getProvider", false, ns);
      return {
        namespace: ns,
        registrationState: this.providerState.get(ns.toLowerCase()) ?? "NotRegistered",
      };
    },
    register: async (_sub: string, ns: string): Promise<ProviderInfo> => {
      this.hit("registerProvider", true, ns);
      this.providerState.set(ns.toLowerCase(), "Registered");
      return { namespace: ns, registrationState: "Registered" };
    },
    list: async () => [],
  };
  activityLog = {
    findOperation: async (_sub: string, correlationId: string) => {
      this.hit("findOperation", false, correlationId);
      return this.activity.filter((r) => r.correlationId === correlationId);
    },
    list: async () => this.activity,
  };
  directory = {
    resolve: async () => ({ found: new Map(), missing: [], applications: new Map() }),
    applicationByAppId: async () => null,
    disableServicePrincipal: async (id: string) => this.hit("disableServicePrincipal", true, id),
  };
}

export function activity(
  correlationId = CORR,
  operationName = "Microsoft.Security/unregister/action",
): ActivityRecord {
  return {
    eventDataId: null,
    correlationId,
    operationName,
    status: "Succeeded",
    eventTimestamp: T0,
    caller: ACTOR,
    resourceId: null,
  };
}

export function event(over: Partial<ActivityEvent> = {}): ActivityEvent {
  return testEvent({ correlationId: CORR, time: T0, actor: { objectId: ACTOR, type: "user" }, ...over });
}

export const classification = classify(event());

export function planContext(tenant: FakeTenant, over: Partial<PlanContext> = {}): PlanContext {
  return {
    mode: "plan",
    incidentId: "inc-1",
    event: event(),
    classification,
    tenant,
    ruleSetting: () => "revert",
    protectedIds: new Set(),
    responderPrincipalId: null,
    maxActionsPerHour: 10,
    verifyGraceMinutes: 15,
    live: false,
    now: new Date("2025-03-14T12:00:00Z"),
    breaker: memoryBreaker(),
    ledger: memoryLedger(),
    ...over,
  };
}

/** A store fake with create-if-absent semantics; counts writes so tests can prove plan mode wrote nothing. */
export class FakeStore implements Store {
  incidents = new Map<string, IncidentRecord>();
  actionRows = new Map<string, ActionRecord>();
  journalRows: JournalEntry[] = [];
  poisonRows: PoisonRecord[] = [];
  writes = 0;
  tokens = new Map<string, number>();
  /** Throw from recordActionIntent after this many successful calls (simulates a crash). */
  crashAfterIntents = Infinity;

  async claimIncident(incident: IncidentRecord) {
    const existing = this.incidents.get(incident.id);
    if (existing) return { claimed: false, incident: existing };
    this.writes++;
    const stored = { ...incident, etag: "1" };
    this.incidents.set(incident.id, stored);
    return { claimed: true, incident: stored };
  }
  async getIncident(id: string) {
    return this.incidents.get(id) ?? null;
  }
  async updateIncident(incident: IncidentRecord) {
    this.writes++;
    const stored = { ...incident, etag: String(Number(incident.etag ?? 0) + 1) };
    this.incidents.set(incident.id, stored);
    return stored;
  }
  async acquireLease(id: string, owner: string, until: Date) {
    const i = this.incidents.get(id);
    if (!i) throw new Error("no incident");
    const updated = { ...i, leaseOwner: owner, leaseUntil: until.toISOString() };
    this.incidents.set(id, updated);
    return updated;
  }
  async openIncidents() {
    return [];
  }
  async recordActionIntent(action: ActionRecord) {
    const k = `${action.incidentId}|${action.actionId}`;
    const existing = this.actionRows.get(k);
    if (existing) return { created: false, action: existing };
    if (this.crashAfterIntents <= 0) throw new TransientError("simulated crash", 500);
    this.crashAfterIntents--;
    this.writes++;
    this.actionRows.set(k, { ...action });
    return { created: true, action };
  }
  async recordActionOutcome(action: ActionRecord) {
    this.writes++;
    this.actionRows.set(`${action.incidentId}|${action.actionId}`, { ...action });
  }
  async actions(incidentId: string) {
    return [...this.actionRows.values()].filter((a) => a.incidentId === incidentId);
  }
  async action(incidentId: string, actionId: string) {
    return this.actionRows.get(`${incidentId}|${actionId}`) ?? null;
  }
  async appendJournal(entry: JournalEntry) {
    this.writes++;
    this.journalRows.push(entry);
  }
  async journal() {
    return this.journalRows;
  }
  async takeBreakerToken(sub: string, _now: Date, limit: number) {
    const n = this.tokens.get(sub) ?? 0;
    if (n >= limit) return false;
    this.writes++;
    this.tokens.set(sub, n + 1);
    return true;
  }
  async recordPoison(record: PoisonRecord) {
    this.writes++;
    this.poisonRows.push(record);
  }
}
