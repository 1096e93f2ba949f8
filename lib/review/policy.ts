// The review policy: per rule off | flag | revert, optional severity and action overrides, the explicit
// disable-service-principal opt-in, and exclusions. An action runs only when the mode AND the rule say revert
// (DESIGN.md "Guard rails"); by default every rule that has an action says revert, so the mode is the one switch.
//
// JSON form (inline or a file):
// {
//   "rules": { "RA-ORPHANED": "off", "RA-RECENT-PRIVILEGED": { "setting": "flag", "severity": "critical" } },
//   "disableServicePrincipal": true,
//   "exclusions": [
//     { "principalId": "…", "reason": "deployment pipeline" },
//     { "scope": "/subscriptions/…/resourceGroups/sandbox", "rules": ["RA-RECENT-PRIVILEGED"] },
//     { "roleName": "Reader" },
//     { "appOwnerTenantId": "…", "reason": "partner managing us through its own app" }
//   ]
// }
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Severity } from "../classify/types";
import { SEVERITY_ORDER } from "../classify/types";
import { canonicalGuid } from "../config/settings";
import type { ActionKind, RuleId, RuleSetting } from "./types";
import { RULES, ruleById } from "./rules/index";

export interface RulePolicy {
  setting: RuleSetting;
  /** Replaces the severity the rule computed; null keeps it. */
  severity: Severity | null;
  /** The action findings of this rule propose (the rule's own, or an opt-in one it allows). */
  action: ActionKind;
}

export interface Exclusion {
  /** Exactly one of principalId, scope, roleName, appOwnerTenantId is set. */
  principalId?: string;
  /** Matches this scope and everything below it (case-insensitive). */
  scope?: string;
  /** Matches role names case-insensitively. */
  roleName?: string;
  /** Matches service principals whose application this (trusted partner) tenant owns. */
  appOwnerTenantId?: string;
  /** Limit to these rules; null = every rule. */
  rules: RuleId[] | null;
  reason: string | null;
}

export interface Policy {
  rules: Record<RuleId, RulePolicy>;
  disableServicePrincipal: boolean;
  exclusions: Exclusion[];
}

export class PolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid policy:\n- ${problems.join("\n- ")}`);
    this.name = "PolicyError";
  }
}

/** Rules not in the registry that still need a setting (raised by the planner itself). */
const BUILT_IN_EXTRA: Record<string, RulePolicy> = {
  "BREAKER-TRIPPED": { setting: "flag", severity: null, action: "none" },
};

export function defaultPolicy(): Policy {
  const rules = { ...BUILT_IN_EXTRA } as Record<RuleId, RulePolicy>;
  for (const r of RULES)
    rules[r.id] = { setting: r.action === "none" ? "flag" : "revert", severity: null, action: r.action };
  return { rules, disableServicePrincipal: false, exclusions: [] };
}

const settingSchema = z.enum(["off", "flag", "revert"]);
const severitySchema = z.enum(SEVERITY_ORDER as [Severity, ...Severity[]]);
const actionSchema = z.enum([
  "delete-assignment",
  "register-provider",
  "restore-assignment",
  "disable-service-principal",
  "none",
]);
const ruleEntrySchema = z.union([
  settingSchema,
  z.strictObject({
    setting: settingSchema.optional(),
    severity: severitySchema.optional(),
    action: actionSchema.optional(),
  }),
]);
const guidSchema = z
  .string()
  .refine((v) => canonicalGuid(v) !== null, { message: "must be an object id (GUID)" });
const exclusionSchema = z
  .strictObject({
    principalId: guidSchema.optional(),
    scope: z.string().startsWith("/", { message: 'must be an ARM scope starting with "/"' }).optional(),
    roleName: z.string().min(1).optional(),
    appOwnerTenantId: guidSchema.optional(),
    rules: z.array(z.string()).min(1).optional(),
    reason: z.string().optional(),
  })
  .refine(
    (e) =>
      [e.principalId, e.scope, e.roleName, e.appOwnerTenantId].filter((v) => v !== undefined).length === 1,
    {
      message: "needs exactly one of principalId, scope, roleName, appOwnerTenantId",
    },
  );
const policySchema = z.strictObject({
  rules: z.record(z.string(), ruleEntrySchema).optional(),
  disableServicePrincipal: z.boolean().optional(),
  exclusions: z.array(exclusionSchema).optional(),
});

function where(path: PropertyKey[]): string {
  return ["policy", ...path.map(String)].join(".");
}

/** Validates a parsed policy object and merges it over the defaults. */
export function parsePolicy(raw: unknown): Policy {
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success)
    throw new PolicyError(parsed.error.issues.map((i) => `${where(i.path)}: ${i.message}`));
  const input = parsed.data;
  const policy = defaultPolicy();
  const problems: string[] = [];
  const known = Object.keys(policy.rules);

  policy.disableServicePrincipal = input.disableServicePrincipal ?? false;
  if (policy.disableServicePrincipal) {
    // The opt-in names the action explicitly; the rule then reverts unless the policy says otherwise below.
    policy.rules["SP-NEW-CREDENTIAL"] = {
      setting: "revert",
      severity: null,
      action: "disable-service-principal",
    };
  }

  for (const [id, entry] of Object.entries(input.rules ?? {})) {
    const current = policy.rules[id as RuleId];
    if (!current) {
      problems.push(`policy.rules.${id}: unknown rule; known rules are ${known.join(", ")}`);
      continue;
    }
    const e = typeof entry === "string" ? { setting: entry } : entry;
    const rule = ruleById(id);
    if (e.action !== undefined) {
      const allowed = rule ? [rule.action, ...(rule.optionalActions ?? [])] : [current.action];
      if (!allowed.includes(e.action)) {
        problems.push(
          `policy.rules.${id}.action: "${e.action}" is not an action of this rule (allowed: ${allowed.join(", ")})`,
        );
        continue;
      }
    }
    policy.rules[id as RuleId] = {
      setting: e.setting ?? current.setting,
      severity: e.severity ?? current.severity,
      action: e.action ?? current.action,
    };
  }

  (input.exclusions ?? []).forEach((e, i) => {
    const rules = e.rules ?? null;
    for (const r of rules ?? [])
      if (!policy.rules[r as RuleId]) problems.push(`policy.exclusions.${i}.rules: unknown rule "${r}"`);
    policy.exclusions.push({
      ...(e.principalId !== undefined ? { principalId: canonicalGuid(e.principalId) ?? e.principalId } : {}),
      ...(e.scope !== undefined ? { scope: e.scope.replace(/\/+$/, "") } : {}),
      ...(e.roleName !== undefined ? { roleName: e.roleName } : {}),
      ...(e.appOwnerTenantId !== undefined
        ? { appOwnerTenantId: canonicalGuid(e.appOwnerTenantId) ?? e.appOwnerTenantId }
        : {}),
      rules: rules as RuleId[] | null,
      reason: e.reason ?? null,
    });
  });
  if (problems.length) throw new PolicyError(problems);
  return policy;
}

/**
 * Loads the policy from inline JSON (starts with "{" or "[") or a file path; null or blank = built-in defaults.
 * Throws PolicyError naming the field of every problem.
 */
export function loadPolicy(source: string | null): Policy {
  const text = source?.trim() ?? "";
  if (text === "") return defaultPolicy();
  let json: string;
  let origin: string;
  if (/^[{[]/.test(text)) {
    json = text;
    origin = "inline policy";
  } else {
    origin = `policy file ${text}`;
    try {
      json = readFileSync(text, "utf8");
    } catch (err) {
      throw new PolicyError([`${origin} cannot be read: ${(err as Error).message}`]);
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new PolicyError([`${origin} is not valid JSON: ${(err as Error).message}`]);
  }
  return parsePolicy(raw);
}

/** off | flag | revert for a rule. Unknown ids are flagged (reported, never acted on). */
export function ruleSetting(policy: Policy, ruleId: RuleId): RuleSetting {
  return policy.rules[ruleId]?.setting ?? "flag";
}

/** The full per-rule policy entry (setting, severity override, action). */
export function rulePolicy(policy: Policy, ruleId: RuleId): RulePolicy {
  return policy.rules[ruleId] ?? { setting: "flag", severity: null, action: "none" };
}

/** One line describing an exclusion, for review output. */
export function describeExclusion(e: Exclusion): string {
  const what = e.principalId
    ? `principal ${e.principalId}`
    : e.scope
      ? `scope ${e.scope} and below`
      : e.appOwnerTenantId
        ? `applications owned by tenant ${e.appOwnerTenantId}`
        : `role ${e.roleName ?? "?"}`;
  const rules = e.rules ? ` for ${e.rules.join(", ")}` : "";
  return `policy excludes ${what}${rules}${e.reason ? ` (${e.reason})` : ""}`;
}
