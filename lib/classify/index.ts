// Public face of lib/classify.
export { classify, operationKey } from "./classify";
export { createDeduplicator, type Deduplicator } from "./dedup";
export { SEVERITY_TABLE, severityRow, OUTCOME_OF_STATUS, type SeverityRow, type Outcome } from "./severity";
export { ATTACK_TABLE, ATTACK_NAMES, attackFor } from "./attack";
export { KIND_MATCHERS, matchKind, featureFromResourceId } from "./kinds";
export { canonicalNamespace, namespaceGroup, DEFENSE_NAMESPACES, IDENTITY_NAMESPACES } from "./namespaces";
export * from "./types";
