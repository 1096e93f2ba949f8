// Remediation: plan actions under policy and guard rails, then execute them idempotently.
export { plan, type Plan, type PlannedStep } from "./plan";
export { execute, type ExecutionResult } from "./execute";
export { GUARDS, OWNER_ROLE_GUID, type Guard } from "./guards";
export { memoryBreaker, memoryLedger, storeBreaker, storeLedger, ledgerPartition } from "./ledger";
export { actionTarget, DESTRUCTIVE } from "./targets";
export type { ActionLedger, BreakerBudget, ExecuteContext, PlanContext } from "./types";
