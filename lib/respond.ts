// THE pipeline. Every entry point (the Event Grid Function, `replay`, later a webhook) calls respond():
//
//   intake item ─> classify ─> dedup (claim the incident by operation key) ─> review ─> plan ─> act ─>
//   record (incident + actions in the store, under a lease) ─> publish ─> the DESIGN.md result line
//
// Role-assignment events are journaled; when one falls inside an open incident's watch window (same
// subscription, same actor) it is reviewed against that incident, so a grant made after the unregister
// is caught too.
//
// Failure policy:
// - a record intake could not read: recorded as poison, status "rejected" (never retried);
// - a readable event that can never be processed (no subscription, bad time): poison, status "poison";
// - a transient Azure failure (after the SDK's retries), an operation not yet in the activity log, or
//   an incident another delivery is processing right now: thrown (TransientError), so Event Grid
//   redelivers; the redelivery resumes the incident from the store (done actions are not repeated);
// - an action that failed transiently in revert mode is recorded (failed + error) and published first,
//   then, when live, thrown for redelivery. Offline (replay) it is reported in the line instead.
import { randomUUID } from "node:crypto";
import { classify } from "./classify/classify";
import { isRejected, type ActivityEvent, type IntakeItem } from "./events/types";
import type { Classification } from "./classify/types";
import { toRejectedLine, toResultLine } from "./cli/result-line";
import { findingKey, loadReviewContext, review, ReviewInputError, ruleSetting } from "./review/index";
import type { Finding } from "./review/types";
import type { ExcludedFinding } from "./review/review";
import { ConflictError, type IncidentRecord, type Store } from "./store/types";
import { MemoryStore } from "./store/memory";
import { TransientError } from "./tenant/errors";
import { execute, memoryBreaker, memoryLedger, plan, storeBreaker, storeLedger } from "./remediate/index";
import type { PlanContext } from "./remediate/types";
import { newIncident } from "./respond/incident";
import { JOURNAL_OPERATIONS, journalRoleAssignment } from "./respond/journal";
import { planOverlay } from "./respond/overlay";
import type { ResponderDeps, RespondOutcome, RunState } from "./respond/types";

export type { ResponderDeps, RespondOutcome, RespondStatus, RunState } from "./respond/types";
export { incidentIdFor } from "./respond/incident";

const HOUR_MS = 3_600_000;
const DEFAULT_LEASE_MS = 5 * 60_000;
/** Only outcome rows are reviewed; a Started/Accepted row is information (DESIGN.md "Operation key"). */
const IN_PROGRESS = new Set(["started", "accepted"]);

/**
 * Run-wide state: in plan mode an in-memory ledger and breaker, and (unless the store already is a
 * MemoryStore) a write-to-memory overlay of the store; in flag/revert mode the store itself.
 */
export function runState(
  deps: Pick<ResponderDeps, "store" | "settings">,
  opts: { dedup?: RunState["dedup"] } = {},
): RunState {
  const planMode = deps.settings.mode === "plan";
  const store = planMode && !(deps.store instanceof MemoryStore) ? planOverlay(deps.store) : deps.store;
  return {
    store,
    ledger: planMode ? memoryLedger() : storeLedger(store),
    breaker: planMode ? memoryBreaker() : storeBreaker(store),
    ...(opts.dedup ? { dedup: opts.dedup } : {}),
  };
}

interface Pipeline {
  deps: ResponderDeps;
  run: RunState;
  store: Store;
  now: Date;
  /** Lease owner for this delivery: unique, since one instance handles many deliveries at once. */
  owner: string;
}

export async function respond(item: IntakeItem, deps: ResponderDeps): Promise<RespondOutcome> {
  const run = deps.run ?? runState(deps);
  const p: Pipeline = {
    deps,
    run,
    store: run.store,
    now: deps.now(),
    owner: `${deps.instanceId}/${randomUUID()}`,
  };

  if (isRejected(item)) {
    await p.store.recordPoison({
      where: item.where,
      error: item.error,
      excerpt: "",
      time: p.now.toISOString(),
    });
    return { status: "rejected", line: toRejectedLine(item), findings: [] };
  }
  const event = item;
  const c = classify(event);
  const duplicateOf = run.dedup?.observe(event, c).duplicateOf;
  const line = (findings: Finding[] = [], dup = duplicateOf) =>
    toResultLine(event, c, { ...(dup !== undefined ? { duplicateOf: dup } : {}), findings });

  if (c.kind === "other")
    return { status: "ignored", line: line(), findings: [], note: "not a relevant operation" };
  const watched = deps.settings.watchedSubscriptionIds;
  if (watched.length && !watched.includes((event.subscriptionId ?? "").toLowerCase()))
    return {
      status: "ignored",
      line: line(),
      findings: [],
      note: "subscription is not watched by this deployment",
    };
  if (IN_PROGRESS.has(event.status))
    return {
      status: "ignored",
      line: line(),
      findings: [],
      note: "an in-progress row; its outcome row is reviewed",
    };
  if (!event.subscriptionId || Number.isNaN(Date.parse(event.time)))
    return poison(
      p,
      event,
      line(),
      "the event has no subscription id or no valid time; it cannot be reviewed",
    );

  try {
    const journalOp = JOURNAL_OPERATIONS[c.kind];
    if (journalOp) return await respondToRoleAssignment(p, event, c, journalOp, line);
    return await respondToAnchor(p, event, c, line);
  } catch (err) {
    if (err instanceof ReviewInputError) return poison(p, event, line(), err.message);
    // Another delivery wrote the incident in between: retry later; the retry resumes from the store.
    if (err instanceof ConflictError)
      throw new TransientError(`${err.message} (concurrent delivery)`, 412, "Conflict");
    throw err;
  }
}

async function poison(
  p: Pipeline,
  event: ActivityEvent,
  line: RespondOutcome["line"],
  error: string,
): Promise<RespondOutcome> {
  await p.store.recordPoison({
    where: event.where,
    error,
    excerpt: JSON.stringify({
      eventId: event.eventId,
      operationName: event.operationName,
      time: event.time,
    }).slice(0, 500),
    time: p.now.toISOString(),
  });
  p.deps.log.warn("poison event recorded", { eventId: event.eventId, error });
  return { status: "poison", line, findings: [], note: error };
}

/** Takes the processing lease, or throws so the delivery is retried once the holder finishes or its lease ends. */
async function lease(p: Pipeline, incidentId: string): Promise<IncidentRecord> {
  const until = new Date(p.now.getTime() + (p.deps.leaseMs ?? DEFAULT_LEASE_MS));
  const held = await p.store.acquireLease(incidentId, p.owner, until, p.now);
  if (!held)
    throw new TransientError(
      `incident ${incidentId} is being processed by another delivery; retry later`,
      409,
      "LeaseHeld",
    );
  return held;
}

/**
 * Runs `work` under the incident's lease. When the work fails transiently (Azure throttling or an
 * outage, an event the activity log does not show yet), the lease is released before the error
 * propagates, so Event Grid's next redelivery resumes at once instead of waiting out the lease. An
 * event the review cannot use (ReviewInputError) becomes poison, an orderly outcome: released too.
 * Any other error (a bug, a crash) keeps the lease until it expires, like a process that died: the
 * retry then comes later, not in a tight loop. Releasing is best effort: if it fails, the lease expires.
 */
async function withLease<T>(
  p: Pipeline,
  incidentId: string,
  work: (held: IncidentRecord) => Promise<T>,
): Promise<T> {
  const held = await lease(p, incidentId);
  try {
    return await work(held);
  } catch (err) {
    if (!(err instanceof TransientError) && !(err instanceof ReviewInputError)) throw err;
    await releaseLease(p, incidentId).catch((releaseErr: unknown) =>
      p.deps.log.warn("could not release the lease; it will expire", {
        incidentId,
        error: String(releaseErr),
      }),
    );
    throw err;
  }
}

async function releaseLease(p: Pipeline, incidentId: string): Promise<void> {
  const current = await p.store.getIncident(incidentId);
  if (!current || current.leaseOwner !== p.owner) return;
  await p.store.updateIncident({
    ...current,
    leaseOwner: null,
    leaseUntil: null,
    updatedAt: p.deps.now().toISOString(),
  });
}

function reviewSettings(p: Pipeline) {
  const ids = new Set([...p.deps.settings.protectedPrincipalIds, ...p.deps.protectedIds]);
  return { ...p.deps.settings, protectedPrincipalIds: [...ids] };
}

function windowOf(p: Pipeline, anchorTime: string): { from: Date; to: Date } {
  const at = Date.parse(anchorTime);
  return {
    from: new Date(at - p.deps.settings.lookbackHours * HOUR_MS),
    to: new Date(at + p.deps.settings.watchHours * HOUR_MS),
  };
}

/** Review (anchor alone, or a trigger inside its window), plan, act. Returns the findings with decisions. */
async function reviewPlanAct(
  p: Pipeline,
  incident: IncidentRecord,
  trigger: ActivityEvent | null,
): Promise<{ findings: Finding[]; transient: Error[]; excluded: ExcludedFinding[] }> {
  const settings = reviewSettings(p);
  const { from, to } = windowOf(p, incident.time);
  const journal = await p.store.journal(incident.subscriptionId, from, to);
  const ctx = await loadReviewContext(p.deps.tenant, {
    anchor: incident.event,
    classification: incident.classification,
    trigger,
    journal,
    settings,
  });
  const reviewed = review(ctx, p.deps.policy);
  // Exclusions must visibly work: each excluded finding is logged with the exclusion that matched.
  for (const x of reviewed.excluded)
    p.deps.log.info("finding excluded by policy", {
      incidentId: incident.id,
      rule: x.finding.rule,
      assignmentId: x.finding.assignmentId,
      principalId: x.finding.principalId,
      why: x.why,
    });
  const excluded = reviewed.excluded;
  const planCtx: PlanContext = {
    mode: settings.mode,
    incidentId: incident.id,
    event: trigger ?? incident.event,
    classification: incident.classification,
    tenant: p.deps.tenant,
    ruleSetting: (rule) => ruleSetting(p.deps.policy, rule),
    protectedIds: new Set(settings.protectedPrincipalIds),
    responderPrincipalId: settings.responderPrincipalId,
    maxActionsPerHour: settings.maxActionsPerHour,
    verifyGraceMinutes: settings.verifyGraceMinutes,
    live: p.deps.live,
    now: p.now,
    breaker: p.run.breaker,
    ledger: p.run.ledger,
    reviewedAssignments: new Map(ctx.assignments.map((a) => [a.id.toLowerCase(), a])),
    reviewedPim: ctx.pim,
  };
  const planned = await plan(reviewed.findings, planCtx);
  if (settings.mode !== "revert" || planned.steps.length === 0)
    return { findings: planned.findings, transient: [], excluded };
  const executed = await execute(planned, {
    incidentId: incident.id,
    subscriptionId: incident.subscriptionId,
    tenant: p.deps.tenant,
    store: p.store,
    ledger: p.run.ledger,
    now: p.deps.now,
  });
  return { ...executed, excluded };
}

/** Records the findings, publishes (not in plan mode), then marks the incident reviewed and releases the lease. */
async function recordAndPublish(
  p: Pipeline,
  incident: IncidentRecord,
  findings: Finding[],
  transient: Error[],
): Promise<IncidentRecord> {
  const at = p.deps.now().toISOString();
  let saved = await p.store.updateIncident({ ...incident, findings, updatedAt: at });
  // Plan mode writes nothing (DESIGN.md), and a published incident is a write other systems act on:
  // a self-test or a plan-mode replay must not page anyone. The log line still shows the outcome.
  if (p.deps.settings.mode === "plan")
    p.deps.log.info("plan mode: incident not published", { incidentId: saved.id, findings: findings.length });
  else await p.deps.publisher.publishIncident(saved);
  saved = await p.store.updateIncident({
    ...saved,
    status: transient.length ? "failed" : "reviewed",
    leaseOwner: null,
    leaseUntil: null,
    updatedAt: p.deps.now().toISOString(),
  });
  for (const f of findings)
    if (f.decision === "failed")
      p.deps.log.error("action failed", { incidentId: incident.id, rule: f.rule, error: f.error });
  if (transient.length && p.deps.live)
    throw new TransientError(
      `incident ${incident.id}: ${transient.length} action(s) failed transiently and will be retried`,
      503,
    );
  return saved;
}

async function respondToAnchor(
  p: Pipeline,
  event: ActivityEvent,
  c: Classification,
  line: (f?: Finding[], dup?: string) => RespondOutcome["line"],
): Promise<RespondOutcome> {
  const claim = await p.store.claimIncident(newIncident(event, c, p.deps.settings.watchHours, p.now));
  const duplicate = (incident: IncidentRecord): RespondOutcome => ({
    status: "duplicate",
    line: line([], incident.eventId),
    incident,
    findings: [],
  });
  if (!claim.claimed && claim.incident.status === "reviewed") return duplicate(claim.incident);
  const done = await withLease(p, claim.incident.id, async (held) => {
    // Another delivery may have finished between our claim and our lease: the lease read is the truth.
    if (held.status === "reviewed") {
      await releaseLease(p, held.id);
      return { duplicateOf: held } as const;
    }
    const { findings, transient, excluded } = await reviewPlanAct(p, held, null);
    return { findings, excluded, saved: await recordAndPublish(p, held, findings, transient) };
  });
  if (done.duplicateOf) return duplicate(done.duplicateOf);
  const { findings, excluded, saved } = done;
  p.deps.log.info("incident reviewed", {
    incidentId: saved.id,
    eventId: event.eventId,
    findings: findings.length,
  });
  return { status: "processed", line: line(findings), incident: saved, findings, excluded };
}

/**
 * A role-assignment event: journal it, and if it falls inside an open incident's watch window (same
 * subscription, same actor), review it against that incident. Each role-assignment operation is claimed
 * once, like an incident (a marker record named by its operation key, with no watch window of its own),
 * so Event Grid's redeliveries and copies from other sources do not review and publish the incident
 * again. The marker is marked reviewed only after the work succeeded: a transient failure is retried.
 */
async function respondToRoleAssignment(
  p: Pipeline,
  event: ActivityEvent,
  c: Classification,
  operation: "write" | "delete",
  line: (f?: Finding[], dup?: string) => RespondOutcome["line"],
): Promise<RespondOutcome> {
  const marker = await p.store.claimIncident(newIncident(event, c, 0, p.now));
  const duplicate = (of: IncidentRecord): RespondOutcome => ({
    status: "duplicate",
    line: line([], of.eventId),
    findings: [],
    note: "this role-assignment operation was already reviewed",
  });
  if (!marker.claimed && marker.incident.status === "reviewed") return duplicate(marker.incident);
  const markReviewed = async (): Promise<void> => {
    const current = await p.store.getIncident(marker.incident.id);
    if (current && current.status !== "reviewed")
      await p.store.updateIncident({ ...current, status: "reviewed", updatedAt: p.deps.now().toISOString() });
  };

  await journalRoleAssignment(event, operation, p.deps.tenant, p.store);
  const actor = event.actor.objectId;
  if (!actor) {
    await markReviewed();
    return {
      status: "processed",
      line: line(),
      findings: [],
      note: "journaled; no actor to match an incident",
    };
  }
  const at = new Date(event.time);
  const open = (await p.store.openIncidents(event.subscriptionId!, actor, at)).filter(
    (i) =>
      Date.parse(i.time) <= at.getTime() &&
      i.eventId !== event.eventId &&
      !JOURNAL_OPERATIONS[i.classification.kind],
  );
  if (open.length === 0) {
    await markReviewed();
    return { status: "processed", line: line(), findings: [], note: "journaled" };
  }
  // The most recent incident is the one this change belongs to; earlier ones saw it through the journal.
  const target = open.sort((a, b) => a.time.localeCompare(b.time)).at(-1)!;
  const result = await withLease(p, target.id, async (held) => {
    // A concurrent delivery of this same operation may have finished while we waited for the lease.
    const again = await p.store.getIncident(marker.incident.id);
    if (again?.status === "reviewed") {
      await releaseLease(p, held.id);
      return null;
    }
    const { findings, transient, excluded } = await reviewPlanAct(p, held, event);
    const merged = new Map(held.findings.map((f) => [findingKey(f), f]));
    for (const f of findings) merged.set(findingKey(f), f);
    const saved = await recordAndPublish(p, held, [...merged.values()], transient);
    await markReviewed();
    return { findings, excluded, saved };
  });
  if (!result) return duplicate(marker.incident);
  const { findings, excluded, saved } = result;
  return {
    status: "processed",
    line: line(findings),
    incident: saved,
    findings,
    excluded,
    joined: saved.id,
  };
}

/** Runs many items through respond in order (replay): one outcome per item, errors per item, never a stop. */
export async function* respondAll(
  items: AsyncIterable<IntakeItem> | Iterable<IntakeItem>,
  deps: ResponderDeps,
): AsyncGenerator<RespondOutcome | { status: "error"; item: IntakeItem; error: Error }> {
  const run = deps.run ?? runState(deps);
  for await (const item of items) {
    try {
      yield await respond(item, { ...deps, run });
    } catch (err) {
      yield { status: "error", item, error: err as Error };
    }
  }
}
