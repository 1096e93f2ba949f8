// The audit store: incidents, actions, the role-assignment journal, breaker counters, poison records.
// Two implementations with the same semantics: Azure Table Storage (production, Azurite in tests) and
// in memory (offline replay). Concurrency relies on the table's own conflict (409) and etag (412) rules.
import type { ActivityEvent } from "../events/types";
import type { Classification } from "../classify/types";
import type { ActionKind, AssignmentSnapshot, Decision, Finding } from "../review/types";

export type IncidentStatus = "open" | "reviewed" | "failed";

export interface IncidentRecord {
  /** Deterministic from the operation key (so every delivery of one operation names the same incident). */
  id: string;
  operationKey: string;
  subscriptionId: string;
  /** Object id of the actor, null when unknown. */
  actorId: string | null;
  eventId: string;
  /** Event time (ISO). */
  time: string;
  /** End of the watch window (ISO): role-assignment events by the same actor until then join this incident. */
  watchUntil: string;
  classification: Classification;
  event: ActivityEvent;
  status: IncidentStatus;
  findings: Finding[];
  /** Who holds the processing lease and until when (ISO); lets a crashed run be resumed, but not twice at once. */
  leaseOwner: string | null;
  leaseUntil: string | null;
  createdAt: string;
  updatedAt: string;
  /** How many findings were left out because the record would not fit in storage (least severe first). */
  findingsOmitted?: number;
  /** Opaque concurrency token (Table etag, or a counter in memory). */
  etag?: string;
}

export type ActionState = "intent" | "done" | "failed";

export interface ActionRecord {
  incidentId: string;
  /** Deterministic: kind + target, so a re-run finds the same record. */
  actionId: string;
  kind: ActionKind;
  /** What it acts on: an assignment id, a provider namespace, a service principal id. */
  target: string;
  state: ActionState;
  decision: Decision;
  /** State read before acting (e.g. the assignment), for the audit trail and for "what a rollback restored". */
  before: unknown;
  after: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface JournalEntry {
  subscriptionId: string;
  assignmentId: string;
  operation: "write" | "delete";
  /** Event time (ISO). */
  time: string;
  actorId: string | null;
  eventId: string;
  /** The assignment as last known (null when never seen). */
  snapshot: AssignmentSnapshot | null;
}

export interface PoisonRecord {
  where: string;
  error: string;
  /** Bounded excerpt of the raw input (never secrets: claims are not kept). */
  excerpt: string;
  time: string;
}

export interface Store {
  /** Creates the incident if no incident has this id. `claimed` false means another delivery got there first. */
  claimIncident(incident: IncidentRecord): Promise<{ claimed: boolean; incident: IncidentRecord }>;
  getIncident(id: string): Promise<IncidentRecord | null>;
  /** Optimistic update: fails with a ConflictError when the etag is stale. */
  updateIncident(incident: IncidentRecord): Promise<IncidentRecord>;
  /**
   * Takes the processing lease for crash-resume without double processing: succeeds (returning the
   * updated incident, fresh etag) when nobody holds it, its holder is `owner`, or the lease ended before
   * `now`; returns null while another owner's lease runs. Throws when the incident does not exist.
   */
  acquireLease(incidentId: string, owner: string, until: Date, now?: Date): Promise<IncidentRecord | null>;
  /** Incidents of this subscription and actor whose watch window contains `at` (watchUntil >= at). */
  openIncidents(subscriptionId: string, actorId: string, at: Date): Promise<IncidentRecord[]>;

  /** Records the intent before acting. Returns the existing record if the action was already recorded. */
  recordActionIntent(action: ActionRecord): Promise<{ created: boolean; action: ActionRecord }>;
  recordActionOutcome(action: ActionRecord): Promise<void>;
  actions(incidentId: string): Promise<ActionRecord[]>;
  /** One action record by its keys (a point read), null when absent. */
  action(incidentId: string, actionId: string): Promise<ActionRecord | null>;

  appendJournal(entry: JournalEntry): Promise<void>;
  journal(subscriptionId: string, from: Date, to: Date): Promise<JournalEntry[]>;

  /** Atomically takes one destructive-action token for the subscription's current hour. false = breaker open. */
  takeBreakerToken(subscriptionId: string, now: Date, limitPerHour: number): Promise<boolean>;

  recordPoison(record: PoisonRecord): Promise<void>;
}

/** Reading back poison records (operators, tests). Both stores implement it. */
export interface PoisonReader {
  poison(from: Date, to: Date): Promise<PoisonRecord[]>;
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}
