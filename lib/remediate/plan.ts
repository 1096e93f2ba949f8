// The planner: gives every proposed finding its decision by running the guard chain. In revert mode
// the findings still "planned" at the end are the steps the executor carries out.
import type { Finding, ProposedFinding } from "../review/types";
import { GUARDS, type GuardState } from "./guards";
import { actionTarget, type ActionTarget } from "./targets";
import type { Candidate, PlanContext } from "./types";

export interface PlannedStep {
  /** Index into Plan.findings. */
  index: number;
  action: ActionTarget;
  /** State read during verification (audit trail, and what a rollback would restore). */
  before: unknown;
  /** This incident claimed the action in an earlier, interrupted run: finish it, take no new token. */
  resuming: boolean;
  /** Other findings of this plan that propose the very same action (e.g. two rules, one assignment): they share its outcome. */
  followers: number[];
}

export interface Plan {
  findings: Finding[];
  /** Revert mode only: what the executor must do, in order. */
  steps: PlannedStep[];
}

export async function plan(proposed: ProposedFinding[], ctx: PlanContext): Promise<Plan> {
  const subscriptionId = ctx.event.subscriptionId ?? "";
  const candidates: Candidate[] = proposed.map((finding) => ({ finding }));
  const state: GuardState = {
    subscriptionId,
    deleting: new Set(),
    breakerTripped: false,
    tokens: new Set(),
    raised: [],
  };
  for (const guard of GUARDS) {
    const pending = candidates.filter((c) => !c.decided);
    if (pending.length === 0) break;
    await guard.apply(pending, ctx, state);
  }

  const findings: Finding[] = candidates.map((c) => ({
    ...c.finding,
    decision: c.decided?.decision ?? "flagged",
    ...(c.decided?.decisionReason ? { decisionReason: c.decided.decisionReason } : {}),
    ...(c.decided?.error ? { error: c.decided.error } : {}),
  }));
  const steps: PlannedStep[] = [];
  const leaders = new Map<string, PlannedStep>();
  for (const [index, c] of candidates.entries()) {
    if (findings[index]!.decision !== "planned") continue;
    const action = actionTarget(c.finding, subscriptionId)!;
    const leader = leaders.get(action.actionId);
    if (leader) {
      // One action, several reasons: run it once; this finding shares its outcome.
      leader.followers.push(index);
      findings[index]!.decisionReason =
        `${findings[index]!.decisionReason} (the same action as ${findings[leader.index]!.rule})`;
      continue;
    }
    const step: PlannedStep = {
      index,
      action,
      before: c.before ?? null,
      resuming: c.resuming === true,
      followers: [],
    };
    leaders.set(action.actionId, step);
    if (ctx.mode === "revert") steps.push(step);
    else await rememberPlanned(ctx, action, c.before ?? null);
  }
  return { findings: [...findings, ...state.raised], steps };
}

/** Plan mode: later incidents see "already planned by …" exactly as they would see "already reverted". */
async function rememberPlanned(ctx: PlanContext, action: ActionTarget, before: unknown): Promise<void> {
  const at = ctx.now.toISOString();
  await ctx.ledger.claim(ctx.event.subscriptionId ?? "", {
    incidentId: ctx.incidentId,
    actionId: action.actionId,
    kind: action.kind,
    target: action.target,
    state: "intent",
    decision: "planned",
    before,
    after: null,
    error: null,
    startedAt: at,
    finishedAt: null,
  });
}
