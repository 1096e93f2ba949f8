// Guard rails as a chain of small named policies (core-rest-pipeline style): each has one job, runs in
// order over the candidates nobody has decided yet, and the first to decide wins. The chain is the same
// in every mode, so `plan` shows exactly what `revert` would do; only the last step differs.
import { TransientError } from "../tenant/errors";
import type { Finding } from "../review/types";
import type { RoleAssignment } from "../tenant/ports";
import { actionTarget, DESTRUCTIVE, VERB } from "./targets";
import type { Candidate, PlanContext } from "./types";

export const OWNER_ROLE_GUID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

/** Shared by the guards of one plan: facts read once, and what earlier guards let through. */
export interface GuardState {
  subscriptionId: string;
  /** Assignment ids (lower case) this plan would delete so far: the last-Owner count subtracts them. */
  deleting: Set<string>;
  /** Owner assignments at the subscription or above, read once when a guard first needs them. */
  owners?: RoleAssignment[];
  breakerTripped: boolean;
  /** Actions that already hold a breaker token in this plan (two rules proposing one delete take one token). */
  tokens: Set<string>;
  /** Extra findings guards raise (BREAKER-TRIPPED). */
  raised: Finding[];
}

export interface Guard {
  name: string;
  apply(pending: Candidate[], ctx: PlanContext, state: GuardState): Promise<void>;
}

const decide = (c: Candidate, decision: Finding["decision"], decisionReason: string): void => {
  c.decided = { decision, decisionReason };
};

const sameGuid = (a: string | null | undefined, b: string | null | undefined): boolean =>
  !!a && !!b && a.toLowerCase() === b.toLowerCase();

const guidOf = (id: string): string => (id.split("/").filter(Boolean).pop() ?? id).toLowerCase();

/** Scope at the subscription or above it (management group, tenant root). */
const atOrAboveSubscription = (scope: string, sub: string): boolean => {
  const s = scope.toLowerCase().replace(/\/+$/, "");
  return (
    s === "" ||
    s === `/subscriptions/${sub}` ||
    s.startsWith("/providers/microsoft.management/managementgroups/")
  );
};

/** The principal an action would touch (delete-assignment: the assignment's principal). */
const principalOf = (c: Candidate, ctx: PlanContext): string | null => {
  const f = c.finding;
  if (f.principalId) return f.principalId.toLowerCase();
  const a = f.assignmentId ? ctx.reviewedAssignments?.get(f.assignmentId.toLowerCase()) : undefined;
  return a?.principalId ?? null;
};

const noAction: Guard = {
  name: "no-action",
  async apply(pending) {
    for (const c of pending)
      if (c.finding.action === "none") decide(c, "none", "this rule reports only; it has no action");
  },
};

const wellFormed: Guard = {
  name: "well-formed",
  async apply(pending, _ctx, state) {
    for (const c of pending)
      if (!actionTarget(c.finding, state.subscriptionId))
        decide(c, "flagged", `the finding names no target for ${c.finding.action}; reported, not acted on`);
  },
};

const ruleOff: Guard = {
  name: "rule-off",
  async apply(pending, ctx) {
    for (const c of pending)
      if (ctx.ruleSetting(c.finding.rule) === "off")
        decide(c, "none", `the policy turns ${c.finding.rule} off`);
  },
};

const protectedPrincipal: Guard = {
  name: "protected-principal",
  async apply(pending, ctx) {
    for (const c of pending) {
      if (!DESTRUCTIVE.has(c.finding.action)) continue;
      const p = principalOf(c, ctx);
      if (p && ctx.protectedIds.has(p))
        decide(c, "skipped:protected", `principal ${p} is protected (break-glass list): never touched`);
    }
  },
};

const ownIdentity: Guard = {
  name: "own-identity",
  async apply(pending, ctx) {
    for (const c of pending) {
      if (!DESTRUCTIVE.has(c.finding.action)) continue;
      if (sameGuid(principalOf(c, ctx), ctx.responderPrincipalId))
        decide(c, "skipped:protected", "this is the responder's own identity: it never acts on itself");
    }
  },
};

/** The triggering operation must exist in the activity log (a spoofed or replayed-from-nowhere event must not act). */
const eventInActivityLog: Guard = {
  name: "event-in-activity-log",
  async apply(pending, ctx) {
    if (pending.length === 0) return;
    const ev = ctx.event;
    const unverified = (why: string): void => {
      for (const c of pending) decide(c, "skipped:unverified", why);
    };
    if (!ev.correlationId || !ev.subscriptionId)
      return unverified("the event has no correlation id or subscription to verify it by");
    const eventTime = new Date(ev.time);
    const records = await ctx.tenant.activityLog.findOperation(
      ev.subscriptionId,
      ev.correlationId,
      eventTime,
    );
    const found = records.some(
      (r) =>
        sameGuid(r.correlationId, ev.correlationId) &&
        r.operationName.toLowerCase() === ev.operationNameLower,
    );
    if (found) return;
    const ageMinutes = (ctx.now.getTime() - eventTime.getTime()) / 60_000;
    if (ctx.live && ageMinutes < ctx.verifyGraceMinutes)
      throw new TransientError(
        `operation ${ev.correlationId} is not in the activity log yet (event is ${Math.max(0, Math.round(ageMinutes))} min old, grace ${ctx.verifyGraceMinutes} min): retry later`,
        503,
        "NotYetVisible",
      );
    unverified(
      `operation ${ev.correlationId} (${ev.operationName}) is not in the activity log: unverified events are never acted on`,
    );
  },
};

/** An earlier incident already took (or planned) this action: carry its decision; our own crashed run: resume. */
const alreadyActed: Guard = {
  name: "already-acted",
  async apply(pending, ctx, state) {
    for (const c of pending) {
      const t = actionTarget(c.finding, state.subscriptionId)!;
      const prior = await ctx.ledger.lookup(state.subscriptionId, t.actionId);
      if (!prior) continue;
      if (prior.incidentId === ctx.incidentId) {
        if (prior.state === "done") decide(c, "reverted", "done in an earlier run of this incident");
        else c.resuming = true;
        continue;
      }
      c.decided = {
        decision: prior.decision,
        decisionReason: `already ${prior.decision} by incident ${prior.incidentId}; not repeated`,
        ...(prior.error ? { error: prior.error } : {}),
      };
    }
  },
};

/** Re-read the target: act only on what the review saw, and only when there is something left to do. */
type TargetCheck = (c: Candidate, ctx: PlanContext, read: TargetReads) => Promise<void>;

/**
 * The tenant reads the target checks make, one per target per plan: two rules proposing the same
 * delete (RA-RECENT-PRIVILEGED and RA-EXTERNAL-PRINCIPAL on one assignment) share one GET.
 */
interface TargetReads {
  assignment(id: string): Promise<RoleAssignment | null>;
  provider(subscriptionId: string, namespace: string): ReturnType<PlanContext["tenant"]["providers"]["get"]>;
  principals(id: string): ReturnType<PlanContext["tenant"]["directory"]["resolve"]>;
}

function targetReads(ctx: PlanContext): TargetReads {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const k = key.toLowerCase();
    if (!memo.has(k)) memo.set(k, load());
    return memo.get(k) as Promise<T>;
  };
  return {
    assignment: (id) => once(`a|${id}`, () => ctx.tenant.roleAssignments.get(id)),
    provider: (sub, ns) => once(`p|${sub}|${ns}`, () => ctx.tenant.providers.get(sub, ns)),
    principals: (id) => once(`d|${id}`, () => ctx.tenant.directory.resolve([id])),
  };
}

const differences = (now: RoleAssignment, seen: Partial<RoleAssignment>): string[] => {
  const out: string[] = [];
  if (seen.principalId && !sameGuid(now.principalId, seen.principalId)) out.push("principal");
  if (seen.roleDefinitionId && guidOf(now.roleDefinitionId) !== guidOf(seen.roleDefinitionId))
    out.push("role");
  if (seen.scope && now.scope.toLowerCase() !== seen.scope.toLowerCase()) out.push("scope");
  if (seen.createdOn && now.createdOn && Date.parse(now.createdOn) !== Date.parse(seen.createdOn))
    out.push("createdOn");
  return out;
};

const TARGET_CHECKS: Record<string, TargetCheck> = {
  "delete-assignment": async (c, ctx, read) => {
    const id = c.finding.assignmentId!;
    const now = await read.assignment(id);
    c.before = now;
    if (!now) {
      if (!c.resuming) decide(c, "none", "the assignment no longer exists: nothing to delete");
      return;
    }
    const seen: Partial<RoleAssignment> = { ...(ctx.reviewedAssignments?.get(id.toLowerCase()) ?? {}) };
    if (c.finding.principalId) seen.principalId = c.finding.principalId;
    const ev = ctx.event.evidence;
    if (ev.roleAssignmentId && guidOf(ev.roleAssignmentId) === guidOf(id)) {
      if (ev.principalId) seen.principalId = ev.principalId;
      if (ev.roleDefinitionId) seen.roleDefinitionId = ev.roleDefinitionId;
    }
    const diff = differences(now, seen);
    if (diff.length)
      decide(
        c,
        "skipped:unverified",
        `the assignment changed since it was reviewed (${diff.join(", ")}): not acted on`,
      );
  },
  "restore-assignment": async (c, _ctx, read) => {
    const snap = c.finding.restore!;
    const now = await read.assignment(snap.id);
    c.before = now;
    if (now && !c.resuming) {
      const diff = differences(now, snap);
      decide(
        c,
        diff.length ? "skipped:unverified" : "none",
        diff.length
          ? `an assignment with that name exists with a different ${diff.join(", ")}`
          : "the assignment is already back",
      );
    }
  },
  "register-provider": async (c, ctx, read) => {
    const sub = ctx.event.subscriptionId!;
    const info = await read.provider(sub, c.finding.namespace!);
    c.before = info;
    if (!c.resuming && /^(registered|registering)$/i.test(info.registrationState))
      decide(c, "none", `${info.namespace} is already ${info.registrationState}`);
  },
  "disable-service-principal": async (c, _ctx, read) => {
    const id = c.finding.principalId!;
    const lookup = await read.principals(id);
    const sp = lookup.found.get(id.toLowerCase());
    c.before = sp ?? null;
    if (!sp) decide(c, "skipped:unverified", "the service principal does not resolve in the directory");
    else if (sp.accountEnabled === false && !c.resuming)
      decide(c, "none", "the service principal is already disabled");
  },
};

const targetStillThere: Guard = {
  name: "target-still-there",
  async apply(pending, ctx) {
    const read = targetReads(ctx);
    await Promise.all(pending.map((c) => TARGET_CHECKS[c.finding.action]?.(c, ctx, read)));
  },
};

/** "activated until 2025-03-14T15:26:53.000Z" / "permanent PIM assignment": what PIM says about the grant. */
const pimTerm = (pim: { assignmentType: string; endDateTime: string | null }): string => {
  const kind = pim.assignmentType.toLowerCase() === "activated" ? "activated" : "assigned";
  return pim.endDateTime ? `${kind} until ${pim.endDateTime}` : `${kind}, permanent`;
};

/**
 * PIM owns the assignments it creates: a classic roleAssignments DELETE would bypass PIM's schedule (which may
 * recreate the assignment, or refuse), and leaves the eligibility that allows the next activation. Revoking goes
 * through a PIM schedule request (AdminRemove), which the responder does not make: a human does, so it is flagged.
 */
const pimManaged: Guard = {
  name: "pim-managed",
  async apply(pending, ctx) {
    for (const c of pending) {
      if (c.finding.action !== "delete-assignment") continue;
      const pim = ctx.reviewedPim?.get(c.finding.assignmentId!.toLowerCase());
      if (pim)
        decide(
          c,
          "flagged",
          `managed by PIM (${pimTerm(pim)}): revoke it through PIM; a classic delete would be undone or refused`,
        );
    }
  },
};

const lastOwner: Guard = {
  name: "last-owner",
  async apply(pending, ctx, state) {
    for (const c of pending) {
      if (c.finding.action !== "delete-assignment") continue;
      const a = (c.before as RoleAssignment | null) ?? null;
      const id = c.finding.assignmentId!.toLowerCase();
      if (
        a &&
        a.roleDefinitionGuid?.toLowerCase() === OWNER_ROLE_GUID &&
        atOrAboveSubscription(a.scope, state.subscriptionId)
      ) {
        state.owners ??= (
          await ctx.tenant.roleAssignments.listAtScope(`/subscriptions/${state.subscriptionId}`)
        ).filter(
          (o) =>
            o.roleDefinitionGuid.toLowerCase() === OWNER_ROLE_GUID &&
            atOrAboveSubscription(o.scope, state.subscriptionId),
        );
        const remaining = state.owners.filter(
          (o) => o.id.toLowerCase() !== id && !state.deleting.has(o.id.toLowerCase()),
        );
        if (remaining.length === 0) {
          decide(c, "skipped:protected", "this is the last Owner of the subscription: never deleted");
          continue;
        }
      }
      state.deleting.add(id);
    }
  },
};

const modeAndRule: Guard = {
  name: "mode-and-rule",
  async apply(pending, ctx) {
    for (const c of pending) {
      const setting = ctx.ruleSetting(c.finding.rule);
      if (setting === "flag") decide(c, "flagged", `the policy sets ${c.finding.rule} to flag`);
      else if (ctx.mode === "flag") decide(c, "flagged", "mode is flag: reported, not acted on");
    }
  },
};

const breaker: Guard = {
  name: "circuit-breaker",
  async apply(pending, ctx, state) {
    for (const c of pending) {
      if (!DESTRUCTIVE.has(c.finding.action) || c.resuming) continue;
      const actionId = actionTarget(c.finding, state.subscriptionId)!.actionId;
      if (state.tokens.has(actionId)) continue;
      if (await ctx.breaker.take(state.subscriptionId, ctx.now, ctx.maxActionsPerHour)) {
        state.tokens.add(actionId);
        continue;
      }
      decide(
        c,
        "skipped:breaker",
        `more than ${ctx.maxActionsPerHour} destructive actions this hour in this subscription`,
      );
      if (!state.breakerTripped) {
        state.breakerTripped = true;
        state.raised.push({
          rule: "BREAKER-TRIPPED",
          severity: "critical",
          reason: `The circuit breaker tripped: at most ${ctx.maxActionsPerHour} destructive actions per hour in subscription ${state.subscriptionId}; the rest are reported for a human to decide.`,
          action: "none",
          // DESIGN.md: `none` = the finding has no action (this one asks a human to decide).
          decision: "none",
          decisionReason: "raised by the circuit breaker",
        });
      }
    }
  },
};

const finalStep: Guard = {
  name: "final",
  async apply(pending, ctx) {
    for (const c of pending)
      c.decided =
        ctx.mode === "plan"
          ? {
              decision: "planned",
              decisionReason: `would ${VERB[c.finding.action as keyof typeof VERB]} in revert mode`,
            }
          : { decision: "planned", decisionReason: `will ${VERB[c.finding.action as keyof typeof VERB]}` };
  },
};

/**
 * In order. Cheap, local guards first; guards that read the tenant only see what is still undecided.
 * Verification runs in every mode (DESIGN.md "Verify before acting … in every mode"): the event against the
 * activity log, then each target re-read and the last-Owner count, BEFORE the mode decides. So flag mode
 * says `skipped:protected` for a last Owner and `none` for an assignment already gone, exactly as plan and
 * revert would; the price is one GET per actionable finding in flag mode too.
 * A PIM-managed target is flagged before the last-Owner count, so an assignment that will not be deleted is
 * not subtracted from the remaining Owners.
 * Every guard that protects a target (gone, changed, PIM-managed, last Owner) runs before the breaker: a protected
 * target is `skipped:protected` whatever the budget (never `skipped:breaker`, which would read as "retry
 * later"), and it never spends a breaker token that a real action then lacks.
 */
export const GUARDS: readonly Guard[] = [
  noAction,
  wellFormed,
  ruleOff,
  protectedPrincipal,
  ownIdentity,
  eventInActivityLog,
  alreadyActed,
  targetStillThere,
  pimManaged,
  lastOwner,
  modeAndRule,
  breaker,
  finalStep,
];
