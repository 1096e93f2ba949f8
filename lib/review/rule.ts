// What a review rule is. Rules are data plus one pure function of the review context: no I/O, no clock,
// so the same context always yields the same findings and every rule can be tested from JSON cases.
import type { Kind, Severity } from "../classify/types";
import type { ReviewContext } from "./context";
import type { ActionKind, ProposedFinding, RuleId } from "./types";

export interface Rule {
  id: RuleId;
  title: string;
  /** What the rule looks for and why it matters, in a sentence or two (shown by explanations and docs). */
  description: string;
  defaultSeverity: Severity;
  /** The action the rule proposes by default. `none` means it only reports. */
  action: ActionKind;
  /** Stronger actions the policy may opt into explicitly (e.g. disable-service-principal). Never default. */
  optionalActions?: readonly ActionKind[];
  /** Kinds of the reviewed event (the trigger's kind when there is one, else the anchor's) this rule runs for. */
  appliesTo: readonly Kind[];
  evaluate(ctx: ReviewContext): ProposedFinding[];
}

/** Whether the rule runs for this context's subject. */
export function ruleApplies(rule: Rule, ctx: ReviewContext): boolean {
  return rule.appliesTo.includes(ctx.subject.kind);
}
