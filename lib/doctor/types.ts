// The doctor: checks as data. Each check says what it verifies and how to fix a failure, and returns one
// result per thing it looked at (e.g. per watched subscription).
import type { Settings } from "../config/settings";
import type { Tenant } from "../tenant/ports";
import type { EventGridPort } from "./eventgrid";
import type { StoreProbe } from "./store-probe";

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  status: CheckStatus;
  /** What was looked at, e.g. a subscription id; empty for global checks. */
  subject?: string;
  /** One sentence each. */
  details: string[];
}

export interface DoctorContext {
  /** Parsed settings (null when a value is invalid: dependent checks skip). */
  settings: Settings | null;
  settingsProblems: string[];
  live: boolean;
  tenant: Tenant | null;
  eventGrid: EventGridPort | null;
  /** null: no store configured (offline replay uses memory). */
  store: StoreProbe | null;
  /** The deployed Function App's resource id, when known (FUNCTION_APP_ID): destinations must point at it. */
  functionAppId: string | null;
}

export interface Check {
  id: string;
  /** What it verifies. */
  title: string;
  /** How to fix a failure. */
  fix: string;
  run(ctx: DoctorContext): Promise<CheckResult[]>;
}

export interface CheckReport {
  id: string;
  title: string;
  fix: string;
  results: CheckResult[];
}
