// Runs the registry's rules over a review context under a policy: off rules skipped, severity and action
// overrides applied, exclusions recorded (never silently dropped), duplicates merged.
import { severityRank } from "../classify/types";
import type { ReviewContext } from "./context";
import { isAtOrBelowScope, principalOf, sameId } from "./facts";
import type { Exclusion, Policy } from "./policy";
import { describeExclusion, rulePolicy } from "./policy";
import type { Rule } from "./rule";
import { ruleApplies } from "./rule";
import { RULES } from "./rules/index";
import type { ProposedFinding } from "./types";

export interface ExcludedFinding {
  finding: ProposedFinding;
  /** Which exclusion matched, in words (e.g. "policy excludes principal … (deployment pipeline)"). */
  why: string;
  exclusion: Exclusion;
}

export interface ReviewResult {
  findings: ProposedFinding[];
  excluded: ExcludedFinding[];
  notes: string[];
}

/** Same rule + same target = one finding (e.g. an assignment seen through two journal entries). */
export function findingKey(f: ProposedFinding): string {
  const target = f.assignmentId ?? f.restore?.id ?? f.namespace ?? f.principalId ?? "";
  // One group assignment can make several members findings of their own: the member tells them apart.
  const member = f.throughGroupId ? `|${(f.principalId ?? "").toLowerCase()}` : "";
  return `${f.rule}|${target.toLowerCase()}${member}`;
}

/** The principal an exclusion by principal id is checked against: the finding's, else the actor's. */
function subjectPrincipal(ctx: ReviewContext, f: ProposedFinding): string | null {
  return f.principalId ?? ctx.actor.objectId;
}

function exclusionMatches(ctx: ReviewContext, e: Exclusion, f: ProposedFinding): boolean {
  if (e.rules && !e.rules.includes(f.rule)) return false;
  if (e.principalId) return sameId(e.principalId, subjectPrincipal(ctx, f));
  if (e.scope) return isAtOrBelowScope(f.scope ?? `/subscriptions/${ctx.subscriptionId}`, e.scope);
  if (e.roleName) return (f.roleName ?? "").toLowerCase() === e.roleName.toLowerCase();
  if (e.appOwnerTenantId)
    return sameId(principalOf(ctx, f.principalId)?.appOwnerOrganizationId, e.appOwnerTenantId);
  return false;
}

function evaluateSafely(rule: Rule, ctx: ReviewContext, notes: string[]): ProposedFinding[] {
  try {
    return rule.evaluate(ctx);
  } catch (err) {
    // A bug in one rule must not hide the others' findings; say so loudly instead.
    notes.push(`Rule ${rule.id} failed and raised no findings: ${(err as Error).message}`);
    return [];
  }
}

function loadSummary(ctx: ReviewContext): string {
  const l = ctx.loaded;
  return (
    `Reviewed ${l.assignments} role assignment(s), ${l.roleDefinitions} role definition(s), ` +
    `${l.principalsFound} principal(s) (${l.principalsMissing} not found in Graph), ` +
    `${l.pimInstances === null ? "no PIM data (unreadable)" : `${l.pimInstances} PIM schedule instance(s)`} and ${l.journalEntries} journal ` +
    `entr${l.journalEntries === 1 ? "y" : "ies"}, window ${ctx.window.from.toISOString()} to ${ctx.window.to.toISOString()}` +
    (l.calls ? `, in ${l.calls} call(s) over ${l.roundTrips} round trip(s).` : ".")
  );
}

export function review(ctx: ReviewContext, policy: Policy, rules: readonly Rule[] = RULES): ReviewResult {
  const notes = [loadSummary(ctx), ...ctx.notes];
  const byKey = new Map<string, ProposedFinding>();
  const excluded: ExcludedFinding[] = [];
  const off: string[] = [];

  for (const rule of rules) {
    const setting = rulePolicy(policy, rule.id);
    if (setting.setting === "off") {
      off.push(rule.id);
      continue;
    }
    if (!ruleApplies(rule, ctx)) continue;
    for (const raw of evaluateSafely(rule, ctx, notes)) {
      const finding: ProposedFinding = {
        ...raw,
        severity: setting.severity ?? raw.severity,
        // The policy's action replaces the rule's default one (opt-ins such as disable-service-principal).
        action: raw.action === rule.action ? setting.action : raw.action,
      };
      const exclusion = policy.exclusions.find((e) => exclusionMatches(ctx, e, finding));
      if (exclusion) {
        excluded.push({ finding, exclusion, why: describeExclusion(exclusion) });
        continue;
      }
      const key = findingKey(finding);
      const seen = byKey.get(key);
      if (!seen || severityRank(finding.severity) > severityRank(seen.severity)) byKey.set(key, finding);
    }
  }
  if (off.length) notes.push(`Rules switched off by policy: ${off.join(", ")}.`);
  if (excluded.length)
    notes.push(`${excluded.length} finding(s) excluded by policy (listed under "excluded").`);
  return { findings: [...byKey.values()], excluded, notes };
}
