// Settings validation per deployment profile. loadSettings (settings.ts) checks each value; these rules
// check what a profile needs on top, e.g. the Function must have a durable store (else dedup and the
// circuit breaker would reset on every cold start) and must know its own identity (never act on itself).
// Rules are data: add a row, not a branch.
import { loadPolicy, PolicyError } from "../review/policy";
import { parseSettings, type Settings } from "./settings";

export type SettingsProfile = "function" | "live-cli" | "offline";

export interface ProfileRule {
  id: string;
  profiles: readonly SettingsProfile[];
  /** A problem sentence when the rule is broken, naming the setting first; null when satisfied. */
  check(settings: Settings, env: Record<string, string | undefined>): string | null;
}

const has = (env: Record<string, string | undefined>, name: string): boolean =>
  (env[name] ?? "").trim() !== "";

export const PROFILE_RULES: readonly ProfileRule[] = [
  {
    id: "store-configured",
    profiles: ["function", "live-cli"],
    check: (s) =>
      s.tableEndpoint || s.tableConnectionString
        ? null
        : "STORE_TABLE_ENDPOINT is required (or STORE_CONNECTION_STRING for Azurite): without a durable store, deliveries cannot be deduplicated and the circuit breaker resets on every cold start",
  },
  {
    id: "store-endpoint-https",
    profiles: ["function", "live-cli"],
    check: (s) =>
      !s.tableEndpoint || /^https:\/\//i.test(s.tableEndpoint)
        ? null
        : `STORE_TABLE_ENDPOINT must be an https URL, got "${s.tableEndpoint}"`,
  },
  {
    id: "responder-identity-known",
    profiles: ["function"],
    check: (s) =>
      s.responderPrincipalId
        ? null
        : "RESPONDER_PRINCIPAL_ID is required in the Function: it is the guard that stops the responder from acting on its own identity",
  },
  {
    id: "policy-usable",
    profiles: ["function"],
    // Checked at start-up with the other settings: a policy that fails later only when the runtime is
    // built leaves every event failing while /api/health reports the settings valid.
    check: (s) => policyProblem(s.policy),
  },
  {
    id: "managed-identity-client-id",
    profiles: ["function"],
    // Only inside App Service / Functions (WEBSITE_SITE_NAME is set by the platform): locally a developer
    // credential is fine.
    check: (s, env) =>
      has(env, "WEBSITE_SITE_NAME") && !s.azureClientId
        ? "AZURE_CLIENT_ID is required in Azure: the client id of the user-assigned managed identity the responder runs as"
        : null,
  },
];

export interface SettingsReport {
  /** Parsed settings; null only when a value itself is invalid. Usable for diagnosis even when `ok` is false. */
  settings: Settings | null;
  /** No problems at all: the profile can run. */
  ok: boolean;
  /** Every problem, one sentence each, naming the setting first. */
  problems: string[];
}

/** Loads and validates settings for a profile; never throws for bad settings (every problem is listed). */
export function validateSettings(
  env: Record<string, string | undefined>,
  profile: SettingsProfile,
  defaults: Partial<Settings> = {},
): SettingsReport {
  const { settings, problems: valueProblems } = parseSettings(env, defaults);
  // A setting with a bad value already has its sentence: the profile does not add "is required" too.
  const named = new Set(valueProblems.map(settingNamed));
  const profileProblems = PROFILE_RULES.filter((r) => r.profiles.includes(profile))
    .map((r) => r.check(settings, env))
    .filter((p): p is string => p !== null && !named.has(settingNamed(p)));
  const problems = [...valueProblems, ...profileProblems];
  return { settings: valueProblems.length ? null : settings, ok: problems.length === 0, problems };
}

/** The setting a problem sentence names (its leading UPPER_CASE word), for status pages that must not echo values. */
export function settingNamed(problem: string): string {
  return /^[A-Z][A-Z0-9_]*/.exec(problem)?.[0] ?? "unknown";
}

/** The policy's problems as one sentence naming POLICY, or null when it loads. */
function policyProblem(source: string | null): string | null {
  try {
    loadPolicy(source);
    return null;
  } catch (err) {
    if (err instanceof PolicyError) return `POLICY is not usable: ${err.problems.join("; ")}`;
    throw err;
  }
}
