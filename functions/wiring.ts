// Builds the Function's runtime: the live tenant (Azure SDK clients with the managed identity), the
// durable Table store, the findings publisher and the policy, each created once per worker. Split from
// runtime.ts so tests can build the same runtime over the tenant simulator and Azurite (buildRuntime).
import type { Settings } from "../lib/config/settings";
import type { IntakeItem } from "../lib/events/types";
import { createLogger } from "../lib/publish/index";
import { createPublisher } from "../lib/publish/index";
import type { Logger, Publisher } from "../lib/publish/types";
import { respond } from "../lib/respond";
import type { RespondOutcome as PipelineOutcome } from "../lib/respond/types";
import { loadPolicy } from "../lib/review/policy";
import type { Mode } from "../lib/review/types";
import { createStore } from "../lib/store/index";
import type { Store } from "../lib/store/types";
import { createCredential } from "../lib/tenant/azure/credential";
import { openTenant } from "../lib/tenant/open";
import type { Tenant } from "../lib/tenant/ports";
import type { RespondOutcome, ResponderRuntime } from "./runtime";

export interface RuntimeParts {
  tenant: Tenant;
  store: Store;
  publisher: Publisher;
  log: Logger;
  /** Lease owner: one name per worker instance. */
  instanceId: string;
  now?: () => Date;
}

function countDecisions(outcome: PipelineOutcome): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of outcome.findings) counts[f.decision] = (counts[f.decision] ?? 0) + 1;
  return counts;
}

/** The pipeline's outcome in the Function's terms (rejected and poison were recorded by the pipeline). */
export function toFunctionOutcome(outcome: PipelineOutcome): RespondOutcome {
  const line = outcome.line as unknown as Record<string, unknown>;
  const status = outcome.status === "rejected" || outcome.status === "poison" ? "poison" : outcome.status;
  return {
    status,
    incidentId: outcome.incident?.id ?? null,
    operationKey: (line.operationKey as string | undefined) ?? outcome.incident?.operationKey ?? null,
    ...(typeof line.kind === "string" ? { kind: line.kind } : {}),
    ...(typeof line.severity === "string" ? { severity: line.severity } : {}),
    findings: outcome.findings.length,
    decisions: countDecisions(outcome),
    summary:
      outcome.note ??
      `event ${outcome.status}${outcome.joined ? ` (joined incident ${outcome.joined})` : ""}`,
  };
}

/** A runtime over given parts: production passes the live ones, tests the simulator and Azurite. */
export function buildRuntime(settings: Settings, parts: RuntimeParts): ResponderRuntime {
  const policy = loadPolicy(settings.policy);
  const base = {
    tenant: parts.tenant,
    store: parts.store,
    publisher: parts.publisher,
    settings,
    policy,
    log: parts.log,
    now: parts.now ?? (() => new Date()),
    protectedIds: [] as string[],
    live: true,
    instanceId: parts.instanceId,
  };
  return {
    settings,
    async respond(item: IntakeItem, options?: { mode?: Mode }) {
      const deps = options?.mode ? { ...base, settings: { ...settings, mode: options.mode } } : base;
      return toFunctionOutcome(await respond(item, deps));
    },
    recordPoison: (record) => parts.store.recordPoison(record),
  };
}

export async function createProductionRuntime(settings: Settings): Promise<ResponderRuntime> {
  const credential = createCredential(settings);
  const log = createLogger();
  const { tenant } = await openTenant({ live: true, settings });
  return buildRuntime(settings, {
    tenant,
    store: createStore(settings, { requireDurable: true, credential }),
    publisher: createPublisher(settings, credential, { logger: log }),
    log,
    instanceId: process.env.WEBSITE_INSTANCE_ID ?? process.env.CONTAINER_NAME ?? `func-${process.pid}`,
  });
}
