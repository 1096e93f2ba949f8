// What the Function needs at run time, created lazily once per worker and reused across invocations
// (clients, caches and the store are expensive; Event Grid may call thousands of times per instance).
// Settings are validated once at start-up; a misconfigured app keeps failing every invocation with the
// full list of problems, so it is visible in logs and Event Grid retries/dead-letters the events
// instead of losing them.
import type { IntakeItem } from "../lib/events/types";
import type { Mode } from "../lib/review/types";
import type { PoisonRecord } from "../lib/store/types";
import type { Settings } from "../lib/config/settings";
import { validateSettings } from "../lib/config/validate";

/**
 * What one event came to. `ignored` covers irrelevant kinds and unwatched subscriptions; `poison` means
 * the pipeline found it can never be processed and has already recorded it.
 */
export interface RespondOutcome {
  status: "processed" | "ignored" | "duplicate" | "poison";
  incidentId?: string | null;
  operationKey?: string | null;
  severity?: string;
  kind?: string;
  findings?: number;
  /** Decisions by count, e.g. { flagged: 2, none: 1 }. */
  decisions?: Record<string, number>;
  /** Human sentence for logs. */
  summary?: string;
}

export interface ResponderRuntime {
  settings: Settings;
  /** Runs one intake item through the pipeline (lib/respond). Throws TransientError to ask for redelivery. */
  respond(item: IntakeItem, options?: { mode?: Mode }): Promise<RespondOutcome>;
  /** Keeps a record that can never be processed (bad shape, permanent failure), so it is not retried forever. */
  recordPoison(record: PoisonRecord): Promise<void>;
}

export type RuntimeFactory = (settings: Settings) => Promise<ResponderRuntime>;

/** Thrown on every invocation while the app settings are invalid. */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`the app settings are invalid, so no event can be processed:\n- ${problems.join("\n- ")}`);
    this.name = "ConfigurationError";
  }
}

type State =
  | { kind: "unstarted" }
  | { kind: "misconfigured"; problems: string[] }
  | { kind: "starting" | "ready"; settings: Settings; runtime: Promise<ResponderRuntime> };

const productionFactory: RuntimeFactory = async (settings) =>
  (await import("./wiring")).createProductionRuntime(settings);

let factory: RuntimeFactory = productionFactory;
let env: Record<string, string | undefined> = process.env;
let state: State = { kind: "unstarted" };
let onProblems: ((problems: string[]) => void) | null = null;

/**
 * Loads the pipeline's code (Azure SDKs included) without creating any client or reading settings.
 * Cold-start measurements call it to time what the first invocation pays for.
 */
export async function warmUp(): Promise<void> {
  await import("./wiring");
}

/** Tests: inject a runtime factory and an environment; resets the cached runtime. */
export function configureRuntime(options: {
  factory?: RuntimeFactory;
  env?: Record<string, string | undefined>;
}): void {
  if (options.factory) factory = options.factory;
  if (options.env) env = options.env;
  state = { kind: "unstarted" };
  status.startedAt = new Date().toISOString();
}

/** Tests: back to the production factory and process.env. */
export function resetRuntime(): void {
  factory = productionFactory;
  env = process.env;
  state = { kind: "unstarted" };
  Object.assign(status, { lastEventAt: null, lastOutcome: null, lastSelfTest: null, lastStartFailure: null });
}

/** Called once with the problems when start-up finds the settings invalid (logs them all at once). */
export function onSettingsProblems(listener: (problems: string[]) => void): void {
  onProblems = listener;
}

function start(): State {
  if (state.kind !== "unstarted") return state;
  const report = validateSettings(env, "function", { mode: "flag" });
  if (!report.ok || !report.settings) {
    state = { kind: "misconfigured", problems: report.problems };
    onProblems?.(report.problems);
    return state;
  }
  const settings = report.settings;
  const runtime = factory(settings);
  state = { kind: "starting", settings, runtime };
  runtime.then(
    () => {
      status.lastStartFailure = null;
      if (state.kind === "starting" && state.runtime === runtime)
        state = { kind: "ready", settings, runtime };
    },
    // A failed start (e.g. a client could not be built) is retried on the next invocation; health
    // reports it meanwhile, since valid settings alone would read as healthy.
    () => {
      status.lastStartFailure = { at: new Date().toISOString() };
      if (state.kind === "starting" && state.runtime === runtime) state = { kind: "unstarted" };
    },
  );
  return state;
}

/** The shared runtime. Throws ConfigurationError while settings are invalid. */
export async function getRuntime(): Promise<ResponderRuntime> {
  const s = start();
  if (s.kind === "misconfigured") throw new ConfigurationError(s.problems);
  if (s.kind === "unstarted") throw new Error("runtime did not start");
  return s.runtime;
}

/** Non-secret status for /api/health. */
export interface RuntimeStatus {
  startedAt: string;
  lastEventAt: string | null;
  lastOutcome: string | null;
  lastSelfTest: { at: string; ok: boolean } | null;
  /** When the last attempt to build the runtime failed (its error goes to the invocation's log, not here). */
  lastStartFailure: { at: string } | null;
}

export const status: RuntimeStatus = {
  startedAt: new Date().toISOString(),
  lastEventAt: null,
  lastOutcome: null,
  lastSelfTest: null,
  lastStartFailure: null,
};

export function settingsState(): { valid: boolean; problems: string[]; settings: Settings | null } {
  const s = start();
  if (s.kind === "misconfigured") return { valid: false, problems: s.problems, settings: null };
  if (s.kind === "unstarted") return { valid: false, problems: [], settings: null };
  return { valid: true, problems: [], settings: s.settings };
}
