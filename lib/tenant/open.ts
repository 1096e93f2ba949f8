// openTenant: the one way every entry point (replay, doctor, the Function, tests) gets a Tenant.
// Offline: a snapshot loaded into the tenant simulator, mounted in process behind the real SDK clients
// (no sockets, a static token). Live: the real Azure endpoints of the configured cloud with the
// production credential.
import { resolve as resolvePath } from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import { canonicalGuid, type Settings } from "../config/settings";
import { Simulator } from "../simulator/simulator";
import { cloudEndpoints } from "./clouds";
import { createAzureTenant, createCredential, staticTokenCredential, type AzureTenantOptions } from "./azure";
import type { Tenant } from "./ports";
import { loadSnapshot, type TenantSnapshot } from "./snapshot";

export const DEFAULT_SNAPSHOT = "samples/tenant.json";

/** Offline endpoints: never resolved (the in-process transport answers), but they must look like Azure's. */
const OFFLINE_ARM = "https://management.simulator.invalid";
const OFFLINE_GRAPH = "https://graph.simulator.invalid";

export interface OpenTenantOptions {
  /** Snapshot path or object (offline). Default samples/tenant.json, resolved against `cwd`. */
  snapshot?: string | TenantSnapshot;
  /** Use Azure instead of a snapshot. */
  live?: boolean;
  settings: Settings;
  cwd?: string;
  /** Adapter tuning (retry budget, time-outs, cache) passed through to createAzureTenant. */
  tuning?: Pick<AzureTenantOptions, "retry" | "requestTimeoutMs" | "roleDefinitionTtlMs">;
}

export interface OpenedTenant {
  tenant: Tenant;
  /** The simulator behind an offline tenant (call log, faults); absent when live. */
  simulator?: Simulator;
  close(): Promise<void>;
}

/**
 * The tenant the identity signs in to, from its ARM token's `tid` claim: what AZURE_TENANT_ID would say.
 * A live tenant without an id must not start: every service principal would then look foreign.
 */
export async function tenantIdFromToken(credential: TokenCredential, scope: string): Promise<string> {
  const fix = "set AZURE_TENANT_ID to the id of the tenant the responder guards";
  let token: string | undefined;
  try {
    token = (await credential.getToken(scope))?.token;
  } catch (err) {
    throw new Error(
      `cannot tell which tenant to guard: no token for ${scope} (${(err as Error).message}); ${fix}`,
      { cause: err },
    );
  }
  const payload = token?.split(".")[1];
  let tid: unknown;
  try {
    tid = payload
      ? (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { tid?: unknown }).tid
      : undefined;
  } catch {
    tid = undefined;
  }
  const id = typeof tid === "string" ? canonicalGuid(tid) : null;
  if (!id) throw new Error(`cannot tell which tenant to guard: the identity's token names none; ${fix}`);
  return id;
}

export async function openTenant(opts: OpenTenantOptions): Promise<OpenedTenant> {
  if (opts.live) {
    if (opts.snapshot !== undefined) throw new Error("openTenant: choose a snapshot or live, not both");
    const cloud = cloudEndpoints(opts.settings.cloud);
    const credential = createCredential(opts.settings);
    const tenantId = opts.settings.tenantId ?? (await tenantIdFromToken(credential, cloud.armScope));
    const tenant = createAzureTenant({
      tenantId,
      credential,
      cloud: cloud.name,
      ...opts.tuning,
    });
    return { tenant, close: async () => {} };
  }

  const source = opts.snapshot ?? DEFAULT_SNAPSHOT;
  const snapshot =
    typeof source === "string" ? loadSnapshot(resolvePath(opts.cwd ?? process.cwd(), source)) : source;
  const simulator = new Simulator(snapshot);
  const tenant = createAzureTenant({
    tenantId: snapshot.tenantId,
    credential: staticTokenCredential(),
    armEndpoint: OFFLINE_ARM,
    graphEndpoint: OFFLINE_GRAPH,
    httpClient: simulator.httpClient(),
    graphMiddleware: simulator.graphMiddleware(),
    ...opts.tuning,
  });
  return { tenant, simulator, close: async () => {} };
}
