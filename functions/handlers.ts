// The Function's handlers, kept apart from the registrations (index.ts) so tests call them directly with
// `new InvocationContext({...})`.
//
// Event Grid semantics: return normally when the event was processed, ignored, a duplicate, or poison
// (recorded in the store: retrying would never help); throw only for transient failures so Event Grid
// redelivers and, past the retry policy, dead-letters the event for `unregister-responder replay`.
import type { EventGridEvent, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { normalizeEventGridEvent } from "../lib/events/parse";
import { isRejected, type IntakeItem } from "../lib/events/types";
import { isTransient } from "../lib/tenant/errors";
import { settingNamed } from "../lib/config/validate";
import { contextLogger } from "./logging";
import { ConfigurationError, getRuntime, settingsState, status, type RespondOutcome } from "./runtime";
import { selfTestEvent } from "./selftest";

const EXCERPT_CHARS = 2_000;

/** A bounded excerpt without claims (they hold personal data and token ids). */
function excerptOf(event: unknown): string {
  try {
    const text = JSON.stringify(event, (key, value: unknown) => (key === "claims" ? "[removed]" : value));
    return (text ?? String(event)).slice(0, EXCERPT_CHARS);
  } catch {
    return String(event).slice(0, EXCERPT_CHARS);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

export type EventResult =
  | { result: "processed" | "ignored" | "duplicate" | "poison"; outcome?: RespondOutcome }
  | { result: "poison"; error: string };

export async function eventGridHandler(
  event: EventGridEvent,
  context: InvocationContext,
): Promise<EventResult> {
  const where = `eventgrid:${context.invocationId}`;
  let log = contextLogger(context, { eventId: (event as { id?: unknown })?.id ?? null });
  let runtime;
  try {
    runtime = await getRuntime();
  } catch (err) {
    if (err instanceof ConfigurationError)
      log.error("settings invalid: event not processed (Event Grid will retry)", { problems: err.problems });
    throw err;
  }

  let item: IntakeItem;
  try {
    item = normalizeEventGridEvent(event, where);
  } catch (err) {
    // Intake promises a Rejected rather than an exception; a throw is a bug, and still poison for this event.
    item = { rejected: true, where, error: `intake failed: ${errorMessage(err)}` };
  }
  if (isRejected(item)) {
    await runtime.recordPoison({
      where,
      error: item.error,
      excerpt: excerptOf(event),
      time: new Date().toISOString(),
    });
    log.warn("poison event recorded, not retried", { error: item.error });
    status.lastOutcome = "poison";
    return { result: "poison", error: item.error };
  }

  log = contextLogger(context, {
    eventId: item.eventId,
    correlationId: item.correlationId,
    operationName: item.operationName,
  });
  const watched = runtime.settings.watchedSubscriptionIds;
  if (watched.length && (!item.subscriptionId || !watched.includes(item.subscriptionId))) {
    log.info("ignored: subscription is not watched by this deployment", {
      subscriptionId: item.subscriptionId,
    });
    status.lastEventAt = new Date().toISOString();
    status.lastOutcome = "ignored";
    return { result: "ignored" };
  }

  try {
    const outcome = await runtime.respond(item);
    status.lastEventAt = new Date().toISOString();
    status.lastOutcome = outcome.status;
    log.info(outcome.summary ?? `event ${outcome.status}`, {
      result: outcome.status,
      incidentId: outcome.incidentId ?? null,
      operationKey: outcome.operationKey ?? null,
      kind: outcome.kind,
      severity: outcome.severity,
      findings: outcome.findings,
      decisions: outcome.decisions,
    });
    return { result: outcome.status, outcome };
  } catch (err) {
    if (isTransient(err)) {
      log.warn("transient failure: Event Grid will redeliver", { error: errorMessage(err) });
      throw err;
    }
    // Permanent: record it, so it is visible and replayable, and stop Event Grid retrying in vain.
    const error = errorMessage(err);
    await runtime.recordPoison({ where, error, excerpt: excerptOf(event), time: new Date().toISOString() });
    log.error("event failed permanently; recorded as poison", { error });
    status.lastOutcome = "poison";
    return { result: "poison", error };
  }
}

/** GET /api/health (anonymous): non-secret status only. 503 while the settings are invalid or the runtime cannot be built. */
export async function healthHandler(
  _request: HttpRequest,
  _context: InvocationContext,
): Promise<HttpResponseInit> {
  const s = settingsState();
  const healthy = s.valid && status.lastStartFailure === null;
  const body = {
    status: !s.valid ? "misconfigured" : healthy ? "ok" : "runtime-failed",
    settingsValid: s.valid,
    // Names only: a problem sentence can quote a value.
    invalidSettings: [...new Set(s.problems.map(settingNamed))],
    mode: s.settings?.mode ?? null,
    watchedSubscriptions: s.settings?.watchedSubscriptionIds.length ?? 0,
    startedAt: status.startedAt,
    lastEventAt: status.lastEventAt,
    lastOutcome: status.lastOutcome,
    lastSelfTest: status.lastSelfTest,
    lastStartFailure: status.lastStartFailure,
  };
  return { status: healthy ? 200 : 503, jsonBody: body, headers: { "cache-control": "no-store" } };
}

/** POST /api/selftest (function key): a synthetic event through respond in plan mode; reports the outcome. */
export async function selfTestHandler(
  _request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const log = contextLogger(context, { selfTest: true });
  const started = Date.now();
  try {
    const runtime = await getRuntime();
    const event = selfTestEvent(runtime.settings);
    const item = normalizeEventGridEvent(event, `selftest:${context.invocationId}`);
    if (isRejected(item)) throw new Error(`the synthetic event was rejected by intake: ${item.error}`);
    const outcome = await runtime.respond(item, { mode: "plan" });
    status.lastSelfTest = { at: new Date().toISOString(), ok: true };
    log.info("self-test passed", { result: outcome.status, kind: outcome.kind, findings: outcome.findings });
    return { status: 200, jsonBody: { ok: true, durationMs: Date.now() - started, outcome } };
  } catch (err) {
    status.lastSelfTest = { at: new Date().toISOString(), ok: false };
    const problems = err instanceof ConfigurationError ? err.problems : undefined;
    log.error("self-test failed", { error: errorMessage(err), problems });
    return {
      status: 500,
      jsonBody: {
        ok: false,
        durationMs: Date.now() - started,
        error: errorMessage(err),
        transient: isTransient(err),
        problems,
      },
    };
  }
}
