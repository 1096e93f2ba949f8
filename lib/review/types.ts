// Review and remediation contract (DESIGN.md "Review rules", "Guard rails", CLI `findings`).
import type { Severity } from "../classify/types";

export type RuleId =
  | "RA-RECENT-PRIVILEGED"
  | "RA-EXTERNAL-PRINCIPAL"
  | "RA-ACTOR-PRIVILEGED"
  | "RA-ORPHANED"
  | "RA-PROTECTED-REMOVED"
  | "RP-UNREGISTERED"
  | "SP-NEW-CREDENTIAL"
  /** Raised by the circuit breaker itself when it trips. */
  | "BREAKER-TRIPPED";

export type ActionKind =
  "delete-assignment" | "register-provider" | "restore-assignment" | "disable-service-principal" | "none";

export type Decision =
  | "planned"
  | "flagged"
  | "reverted"
  | "none"
  | "skipped:protected"
  | "skipped:breaker"
  | "skipped:unverified"
  | "failed";

/** Per-rule setting in the policy. An action runs only when the mode AND the rule say revert. */
export type RuleSetting = "off" | "flag" | "revert";

export type Mode = "plan" | "flag" | "revert";

/** A snapshot of a role assignment kept in the journal, enough to recreate it. */
export interface AssignmentSnapshot {
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
  createdOn: string | null;
  createdBy: string | null;
  condition: string | null;
  description: string | null;
}

/** What a rule proposes. The planner adds the decision. */
export interface ProposedFinding {
  rule: RuleId;
  severity: Severity;
  /** One human sentence: why this was raised. */
  reason: string;
  action: ActionKind;
  assignmentId?: string;
  principalId?: string;
  roleName?: string;
  scope?: string;
  /** register-provider target. */
  namespace?: string;
  /**
   * Set when the principal holds the role through this group (the assignment is the group's): the finding is
   * about one member, so principalId is that member and the action is none (a human decides for the group).
   */
  throughGroupId?: string;
  /** restore-assignment: the snapshot to recreate. */
  restore?: AssignmentSnapshot;
}

export interface Finding extends ProposedFinding {
  decision: Decision;
  /** Why the decision (e.g. which guard skipped it). */
  decisionReason?: string;
  /** With decision `failed`. */
  error?: string;
}
