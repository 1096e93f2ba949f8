// What the planner and the executor need. Kept apart from lib/review/types.ts because only the
// pipeline (lib/respond) builds these; rules never see them.
import type { ActivityEvent } from "../events/types";
import type { Classification } from "../classify/types";
import type { PimFacts } from "../review/context";
import type { Finding, Mode, ProposedFinding, RuleId, RuleSetting } from "../review/types";
import type { RoleAssignment, Tenant } from "../tenant/ports";
import type { ActionRecord, Store } from "../store/types";

/** Where destructive-action tokens come from: the store in revert mode, an in-memory counter in plan mode. */
export interface BreakerBudget {
  take(subscriptionId: string, now: Date, limitPerHour: number): Promise<boolean>;
}

/**
 * Cross-incident memory of actions per target ("an action an earlier incident already took or planned
 * is not run twice"). In revert mode it lives in the store; in plan mode in memory only.
 */
export interface ActionLedger {
  /** Every action recorded against a target in this subscription, keyed by actionId. */
  lookup(subscriptionId: string, actionId: string): Promise<ActionRecord | null>;
  /** Atomically claims the target for an incident; `created` false returns the earlier claim. */
  claim(subscriptionId: string, record: ActionRecord): Promise<{ created: boolean; action: ActionRecord }>;
  /** Records how the claimed action ended (carried to later incidents). */
  settle(subscriptionId: string, record: ActionRecord): Promise<void>;
}

export interface PlanContext {
  mode: Mode;
  incidentId: string;
  event: ActivityEvent;
  classification: Classification;
  tenant: Tenant;
  /** Per-rule setting from the policy (off | flag | revert). */
  ruleSetting: (rule: RuleId) => RuleSetting;
  /** Protected principals (settings + --protect), canonical GUIDs. */
  protectedIds: ReadonlySet<string>;
  /** The responder's own object id: never acted on. */
  responderPrincipalId: string | null;
  maxActionsPerHour: number;
  verifyGraceMinutes: number;
  /** Live delivery: a not-yet-visible operation is retried (TransientError) during the grace period. */
  live: boolean;
  now: Date;
  breaker: BreakerBudget;
  ledger: ActionLedger;
  /**
   * The assignments as the review saw them (by lower-cased id), so verification can tell "same
   * assignment" from "same name, recreated". Optional: without it only the event evidence is compared.
   */
  reviewedAssignments?: ReadonlyMap<string, RoleAssignment>;
  /**
   * PIM facts of the reviewed assignments (by lower-cased id): a PIM-managed assignment is revoked through PIM,
   * never with a classic delete. Optional: without it no assignment is known to be PIM-managed.
   */
  reviewedPim?: ReadonlyMap<string, PimFacts>;
}

export interface ExecuteContext {
  incidentId: string;
  subscriptionId: string;
  tenant: Tenant;
  store: Store;
  ledger: ActionLedger;
  now: () => Date;
}

/** A finding with the facts the guards gathered, before the decision is final. */
export interface Candidate {
  finding: ProposedFinding;
  /** Set by the first guard that decides; later guards leave it alone. */
  decided?: Pick<Finding, "decision" | "decisionReason" | "error">;
  /** State read during verification (the assignment, the provider), kept for the audit trail. */
  before?: unknown;
  /** This incident already claimed the target in an earlier (crashed) run: resume, do not re-take tokens. */
  resuming?: boolean;
}

export type { ActionRecord };
