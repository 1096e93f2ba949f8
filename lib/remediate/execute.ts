// The executor: carries out a revert-mode plan, one action at a time, each recorded BEFORE it runs
// (intent, with the state read before) and AFTER (outcome, with the state after or the error).
//
// Idempotency: the action id is deterministic (kind + target), so a re-run after a crash finds its own
// intent and finishes it (deleting an assignment that is already gone is success; creating one that is
// already back is success); an action recorded as done is never repeated; a target another incident
// claimed is left to that incident, and the finding carries its decision.
//
// Faults: every failure is recorded (action record `failed` with the error, finding `failed` + error);
// nothing is silently lost. The SDK clients have already retried 429/5xx/resets by the time an error
// reaches us. A TransientError is reported back in `transient` so the caller can rethrow AFTER recording
// the incident: Event Grid then redelivers, the redelivery resumes the incident and retries only the
// failed actions (done ones are skipped). Permission and request errors are final: retrying won't help.
import { isTransient } from "../tenant/errors";
import type { Finding } from "../review/types";
import type { ActionRecord } from "../store/types";
import type { RoleAssignment, Tenant } from "../tenant/ports";
import type { Plan, PlannedStep } from "./plan";
import type { ExecuteContext } from "./types";

export interface ExecutionResult {
  findings: Finding[];
  /** Transient failures (already recorded): the caller should let the delivery be retried. */
  transient: Error[];
}

type Perform = (
  finding: Finding,
  step: PlannedStep,
  tenant: Tenant,
  subscriptionId: string,
) => Promise<unknown>;

const guidOf = (id: string): string => (id.split("/").filter(Boolean).pop() ?? id).toLowerCase();

/** Each action does its work and returns the state after, verified by a re-read where ARM allows. */
const PERFORM: Record<string, Perform> = {
  "delete-assignment": async (f, _s, tenant) => {
    const res = await tenant.roleAssignments.delete(f.assignmentId!);
    const after = await tenant.roleAssignments.get(f.assignmentId!);
    if (after) throw new Error(`the assignment is still there after the delete (deleted=${res.deleted})`);
    return { deleted: res.deleted, exists: false };
  },
  "register-provider": async (f, _s, tenant, sub) => tenant.providers.register(sub, f.namespace!),
  "restore-assignment": async (f, _s, tenant) => {
    const snap = f.restore!;
    const existing = await tenant.roleAssignments.get(snap.id);
    const same = (a: RoleAssignment): boolean =>
      a.principalId.toLowerCase() === snap.principalId.toLowerCase() &&
      guidOf(a.roleDefinitionId) === guidOf(snap.roleDefinitionId);
    if (existing && same(existing)) return existing;
    if (existing)
      throw new Error(
        `an assignment named ${snap.name} exists with another principal or role; not overwritten`,
      );
    const created = await tenant.roleAssignments.create(snap.scope, snap.name, {
      roleDefinitionId: snap.roleDefinitionId,
      principalId: snap.principalId,
      principalType: snap.principalType,
      description: snap.description ?? "Restored by unregister-responder",
      condition: snap.condition,
      ...(snap.condition ? { conditionVersion: "2.0" } : {}),
    });
    if (!same(created)) throw new Error("the recreated assignment does not match the journal snapshot");
    return created;
  },
  "disable-service-principal": async (f, _s, tenant) => {
    await tenant.directory.disableServicePrincipal(f.principalId!);
    return { accountEnabled: false };
  },
};

const message = (err: unknown): string =>
  err instanceof Error ? `${err.name}: ${err.message}` : String(err);

export async function execute(plan: Plan, ctx: ExecuteContext): Promise<ExecutionResult> {
  const findings = plan.findings.map((f) => ({ ...f }));
  const transient: Error[] = [];
  for (const step of plan.steps) {
    await runStep(step, findings, ctx, transient);
    const leader = findings[step.index]!;
    for (const i of step.followers)
      Object.assign(findings[i]!, {
        decision: leader.decision,
        decisionReason: `${leader.decisionReason ?? leader.decision} (the same action as ${leader.rule})`,
        ...(leader.error ? { error: leader.error } : {}),
      });
  }
  return { findings, transient };
}

async function runStep(
  step: PlannedStep,
  findings: Finding[],
  ctx: ExecuteContext,
  transient: Error[],
): Promise<void> {
  {
    const finding = findings[step.index]!;
    const intent: ActionRecord = {
      incidentId: ctx.incidentId,
      actionId: step.action.actionId,
      kind: step.action.kind,
      target: step.action.target,
      state: "intent",
      decision: "planned",
      before: step.before,
      after: null,
      error: null,
      startedAt: ctx.now().toISOString(),
      finishedAt: null,
    };
    const claim = await ctx.ledger.claim(ctx.subscriptionId, intent);
    if (!claim.created && claim.action.incidentId !== ctx.incidentId) {
      // Another incident won the race for this target: its decision is ours.
      Object.assign(finding, {
        decision: claim.action.decision,
        decisionReason: `already ${claim.action.decision} by incident ${claim.action.incidentId}; not repeated`,
      });
      return;
    }
    const recorded = await ctx.store.recordActionIntent(intent);
    if (!recorded.created && recorded.action.state === "done") {
      Object.assign(finding, {
        decision: "reverted",
        decisionReason: "done in an earlier run of this incident",
      });
      return;
    }
    const startedAt = recorded.created ? intent.startedAt : recorded.action.startedAt;
    try {
      const after = await PERFORM[step.action.kind]!(finding, step, ctx.tenant, ctx.subscriptionId);
      await recordOutcome(ctx, intent, startedAt, { state: "done", decision: "reverted", after });
      Object.assign(finding, {
        decision: "reverted",
        decisionReason: step.resuming ? "finished after an interrupted run" : "done and verified",
      });
    } catch (err) {
      const error = message(err);
      await recordOutcome(ctx, intent, startedAt, { state: "failed", decision: "failed", error });
      Object.assign(finding, {
        decision: "failed",
        error,
        decisionReason: isTransient(err)
          ? "transient Azure failure after retries: the delivery will be retried"
          : "Azure refused the action",
      });
      if (isTransient(err)) transient.push(err as Error);
    }
  }
}

/** How an action ended (done or failed): recorded on the incident, then settled on the target's ledger claim. */
async function recordOutcome(
  ctx: ExecuteContext,
  intent: ActionRecord,
  startedAt: string,
  outcome: Pick<ActionRecord, "state" | "decision"> & Partial<Pick<ActionRecord, "after" | "error">>,
): Promise<void> {
  const record: ActionRecord = { ...intent, startedAt, ...outcome, finishedAt: ctx.now().toISOString() };
  await ctx.store.recordActionOutcome(record);
  await ctx.ledger.settle(ctx.subscriptionId, record);
}
