// Every setting the responder reads (DESIGN.md), parsed and validated once, with one clear message per
// problem. The Function reads them from app settings; the CLI from the environment plus flags.
import type { Mode } from "../review/types";

export type CloudName = "AzurePublicCloud" | "AzureUSGovernment" | "AzureChinaCloud";

export interface Settings {
  /** plan | flag | revert. Function default flag; replay default plan. */
  mode: Mode;
  lookbackHours: number;
  watchHours: number;
  maxActionsPerHour: number;
  verifyGraceMinutes: number;
  /** Break-glass and other principals that are never touched (canonical GUIDs). */
  protectedPrincipalIds: string[];
  /** Object id of the responder's own identity: never acted on. */
  responderPrincipalId: string | null;
  /** Client id of the user-assigned managed identity (Azure). */
  azureClientId: string | null;
  /** The Entra tenant the responder guards (canonical GUID); null = read from the identity's token (live). */
  tenantId: string | null;
  cloud: CloudName;
  /** Subscriptions this deployment watches; events from others are ignored. Empty = accept any. */
  watchedSubscriptionIds: string[];
  /** Policy JSON (inline) or a path to a policy file; null = built-in defaults. */
  policy: string | null;
  /** Table Storage: account endpoint (identity auth) or connection string (Azurite/dev). */
  tableEndpoint: string | null;
  tableConnectionString: string | null;
  tablePrefix: string;
  /** Findings topic endpoint; identity auth unless a key is given. */
  findingsTopicEndpoint: string | null;
  findingsTopicKey: string | null;
}

export interface SettingSpec {
  name: string;
  description: string;
  default: string;
}

/** The documented settings table (README and local.settings.sample.json are generated from the same words). */
export const SETTING_SPECS: SettingSpec[] = [
  {
    name: "MODE",
    description: "plan | flag | revert. Start with flag; revert deletes and restores.",
    default: "flag",
  },
  { name: "LOOKBACK_HOURS", description: "Hours before the event that the review looks at.", default: "24" },
  {
    name: "WATCH_HOURS",
    description: "Hours after the event during which role changes by the same actor join the incident.",
    default: "24",
  },
  {
    name: "MAX_ACTIONS_PER_HOUR",
    description: "Circuit breaker: destructive actions per subscription per hour.",
    default: "10",
  },
  {
    name: "VERIFY_GRACE_MINUTES",
    description:
      "While an event is younger than this and not yet in the activity log, it is retried, not flagged unverified.",
    default: "15",
  },
  {
    name: "PROTECTED_PRINCIPAL_IDS",
    description: "Comma-separated object ids never acted on (break-glass accounts).",
    default: "",
  },
  {
    name: "RESPONDER_PRINCIPAL_ID",
    description: "Object id of the responder's own identity (never acted on).",
    default: "",
  },
  { name: "AZURE_CLIENT_ID", description: "Client id of the user-assigned managed identity.", default: "" },
  {
    name: "AZURE_TENANT_ID",
    description:
      "Id of the Entra tenant the responder guards (service principals owned elsewhere are foreign). Empty reads it from the identity's token.",
    default: "",
  },
  {
    name: "AZURE_CLOUD",
    description: "AzurePublicCloud | AzureUSGovernment | AzureChinaCloud.",
    default: "AzurePublicCloud",
  },
  {
    name: "WATCHED_SUBSCRIPTION_IDS",
    description:
      "Comma-separated subscription ids; events from other subscriptions are ignored. Empty accepts any.",
    default: "",
  },
  {
    name: "POLICY",
    description: "Policy as inline JSON or a file path; empty uses the built-in defaults.",
    default: "",
  },
  {
    name: "STORE_TABLE_ENDPOINT",
    description: "Table service endpoint (identity auth), e.g. https://ACCOUNT.table.core.windows.net.",
    default: "",
  },
  {
    name: "STORE_CONNECTION_STRING",
    description: "Table connection string; for Azurite and local development only.",
    default: "",
  },
  { name: "STORE_TABLE_PREFIX", description: "Prefix of the table names.", default: "responder" },
  {
    name: "FINDINGS_TOPIC_ENDPOINT",
    description: "Event Grid custom topic endpoint for findings; empty disables publishing.",
    default: "",
  },
  {
    name: "FINDINGS_TOPIC_KEY",
    description:
      "Topic access key; leave empty to use the managed identity (recommended). Use a Key Vault reference, never a literal.",
    default: "",
  },
];

const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function canonicalGuid(value: string): string | null {
  const v = value.trim().replace(/^\{|\}$/g, "");
  if (!GUID.test(v)) return null;
  const hex = v.replace(/-/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n- ${problems.join("\n- ")}`);
    this.name = "SettingsError";
  }
}

/** Parses settings from an environment-like record. Throws SettingsError listing every problem at once. */
export function loadSettings(
  env: Record<string, string | undefined>,
  defaults: Partial<Settings> = {},
): Settings {
  const { settings, problems } = parseSettings(env, defaults);
  if (problems.length) throw new SettingsError(problems);
  return settings;
}

/**
 * Parses without throwing: every value problem, and best-effort settings (an invalid value falls back to
 * its default), so a profile check can still list what else is missing in the same report.
 */
export function parseSettings(
  env: Record<string, string | undefined>,
  defaults: Partial<Settings> = {},
): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const get = (name: string): string => (env[name] ?? "").trim();

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const guids = (name: string): string[] => {
    const raw = get(name);
    if (!raw) return [];
    const out: string[] = [];
    for (const part of raw.split(/[,;\s]+/).filter(Boolean)) {
      const g = canonicalGuid(part);
      if (g) out.push(g);
      else problems.push(`${name} holds "${part}", which is not an object id (GUID)`);
    }
    return out;
  };
  const optionalGuid = (name: string): string | null => {
    const raw = get(name);
    if (!raw) return null;
    const g = canonicalGuid(raw);
    if (!g) problems.push(`${name} must be a GUID, got "${raw}"`);
    return g;
  };

  const modeRaw = get("MODE") || defaults.mode || "flag";
  if (!["plan", "flag", "revert"].includes(modeRaw))
    problems.push(`MODE must be plan, flag or revert, got "${modeRaw}"`);
  const cloudRaw = get("AZURE_CLOUD") || "AzurePublicCloud";
  if (!["AzurePublicCloud", "AzureUSGovernment", "AzureChinaCloud"].includes(cloudRaw))
    problems.push(
      `AZURE_CLOUD must be AzurePublicCloud, AzureUSGovernment or AzureChinaCloud, got "${cloudRaw}"`,
    );
  const topicKey = get("FINDINGS_TOPIC_KEY") || null;
  const topicEndpoint = get("FINDINGS_TOPIC_ENDPOINT") || null;
  if (topicEndpoint && !/^https:\/\//i.test(topicEndpoint))
    problems.push(`FINDINGS_TOPIC_ENDPOINT must be an https URL, got "${topicEndpoint}"`);
  const tableEndpoint = get("STORE_TABLE_ENDPOINT") || null;
  const tableConnectionString = get("STORE_CONNECTION_STRING") || null;

  const settings: Settings = {
    mode: (["plan", "flag", "revert"].includes(modeRaw) ? modeRaw : "flag") as Mode,
    lookbackHours: int("LOOKBACK_HOURS", defaults.lookbackHours ?? 24, 1, 24 * 30),
    watchHours: int("WATCH_HOURS", defaults.watchHours ?? 24, 0, 24 * 30),
    maxActionsPerHour: int("MAX_ACTIONS_PER_HOUR", defaults.maxActionsPerHour ?? 10, 0, 10_000),
    verifyGraceMinutes: int("VERIFY_GRACE_MINUTES", defaults.verifyGraceMinutes ?? 15, 0, 24 * 60),
    protectedPrincipalIds: guids("PROTECTED_PRINCIPAL_IDS"),
    responderPrincipalId: optionalGuid("RESPONDER_PRINCIPAL_ID"),
    azureClientId: optionalGuid("AZURE_CLIENT_ID"),
    tenantId: optionalGuid("AZURE_TENANT_ID"),
    cloud: cloudRaw as CloudName,
    watchedSubscriptionIds: guids("WATCHED_SUBSCRIPTION_IDS"),
    policy: get("POLICY") || null,
    tableEndpoint,
    tableConnectionString,
    tablePrefix: get("STORE_TABLE_PREFIX") || "responder",
    findingsTopicEndpoint: topicEndpoint,
    findingsTopicKey: topicKey,
  };
  if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(settings.tablePrefix))
    problems.push(
      `STORE_TABLE_PREFIX must be letters and digits starting with a letter, got "${settings.tablePrefix}"`,
    );
  return { settings, problems };
}
