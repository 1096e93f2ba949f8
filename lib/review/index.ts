// Public surface of the review: context loading, rules, policy, and the review itself.
export type { Rule } from "./rule";
export { ruleApplies } from "./rule";
export { RULES, RULE_IDS, ruleById } from "./rules/index";
export type {
  ReviewContext,
  ReviewInput,
  ReviewData,
  ReviewSubject,
  ReviewWindow,
  LoadReport,
  RoleInfo,
} from "./context";
export { loadReviewContext, buildReviewContext, reviewWindow, ReviewInputError } from "./context";
export type { Policy, RulePolicy, Exclusion } from "./policy";
export { loadPolicy, parsePolicy, defaultPolicy, ruleSetting, rulePolicy, PolicyError } from "./policy";
export type { ReviewResult, ExcludedFinding } from "./review";
export { review, findingKey } from "./review";
