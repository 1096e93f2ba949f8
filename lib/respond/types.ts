// What the one pipeline needs (built by the Function and the CLI) and what it returns.
import type { Settings } from "../config/settings";
import type { Policy } from "../review/policy";
import type { Finding } from "../review/types";
import type { ExcludedFinding } from "../review/review";
import type { Logger, Publisher } from "../publish/types";
import type { IncidentRecord, Store } from "../store/types";
import type { Tenant } from "../tenant/ports";
import type { OutputLine } from "../cli/result-line";
import type { ActionLedger, BreakerBudget } from "../remediate/types";
import type { Deduplicator } from "../classify/dedup";

export interface ResponderDeps {
  tenant: Tenant;
  store: Store;
  publisher: Publisher;
  /** mode, windows, breaker limit, protected ids, responder id… (settings.mode is the mode). */
  settings: Settings;
  policy: Policy;
  log: Logger;
  now: () => Date;
  /** Extra protected principals (CLI --protect), on top of settings.protectedPrincipalIds. */
  protectedIds: readonly string[];
  /** Live delivery (the Function, replay --live): a not-yet-visible operation is retried, not unverified. */
  live: boolean;
  /** Lease owner name (function instance id, or "replay-<pid>"). */
  instanceId: string;
  /** State shared by a run: the plan-mode ledger and breaker, and the in-process duplicate detector. See runState(). */
  run?: RunState;
  /** How long a processing lease lasts (default 5 minutes). */
  leaseMs?: number;
}

export interface RunState {
  ledger: ActionLedger;
  breaker: BreakerBudget;
  /** Marks later sightings of an operation in this run (replay) even before the store knows it. */
  dedup?: Deduplicator;
  /** The store respond actually writes to (plan mode: an in-memory overlay of deps.store). */
  store: Store;
}

/**
 * processed: reviewed (or journaled) and recorded; ignored: not relevant, not an outcome row, or not a
 * watched subscription; duplicate: this operation was already handled; rejected: intake could not read
 * the record; poison: a readable event that can never be processed (recorded, never retried).
 */
export type RespondStatus = "processed" | "ignored" | "duplicate" | "rejected" | "poison";

export interface RespondOutcome {
  status: RespondStatus;
  /** The DESIGN.md ndjson line (or the rejected line). */
  line: OutputLine;
  /** The incident this event opened or joined, as recorded. */
  incident?: IncidentRecord;
  /** Findings with their reasons and decisions (the line carries only the contract's fields). */
  findings: Finding[];
  /** Why it was ignored / poisoned, in words. */
  note?: string;
  /** For role-assignment events reviewed inside an incident's watch window. */
  joined?: string;
  /** Findings the policy excluded, each with the exclusion that matched (shown, never silently dropped). */
  excluded?: ExcludedFinding[];
}
