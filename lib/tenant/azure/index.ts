// createAzureTenant: every tenant port over the real Azure SDK clients. The same code talks to Azure
// (live) and to the tenant simulator (in process through `httpClient`/`graphMiddleware`, or over HTTPS
// loopback through `armEndpoint`/`graphEndpoint`).
import type { TokenCredential } from "@azure/core-auth";
import type { HttpClient } from "@azure/core-rest-pipeline";
import type { Middleware } from "@microsoft/microsoft-graph-client";
import { cloudEndpoints, scopeFor, type CloudName } from "../clouds";
import type { Tenant } from "../ports";
import { ArmClients, armActivityLog, armProviders, armRoleAssignments, armRoleDefinitions } from "./arm";
import { createGraphClient, graphDirectory } from "./graph";

export { createCredential, staticTokenCredential } from "./credential";
export { REQUIRED_PERMISSION, explainError } from "./errors";

export interface AzureTenantOptions {
  tenantId: string;
  credential: TokenCredential;
  cloud?: CloudName;
  /** Overrides the cloud's ARM endpoint (the token scope follows it). */
  armEndpoint?: string;
  /** Overrides the cloud's Graph endpoint (the token scope follows it). */
  graphEndpoint?: string;
  /** ARM transport (the in-process simulator). */
  httpClient?: HttpClient;
  /** Graph transport (the in-process simulator). */
  graphMiddleware?: Middleware;
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** Per attempt: a stalled request fails (and is retried) after this long. */
  requestTimeoutMs?: number;
  roleDefinitionTtlMs?: number;
  roleDefinitionCacheSize?: number;
}

export const DEFAULTS = {
  maxRetries: 3,
  retryDelayInMs: 800,
  maxRetryDelayInMs: 30_000,
  requestTimeoutMs: 30_000,
  roleDefinitionTtlMs: 10 * 60 * 1000,
  roleDefinitionCacheSize: 2_000,
} as const;

export function createAzureTenant(opts: AzureTenantOptions): Tenant {
  const cloud = cloudEndpoints(opts.cloud ?? "AzurePublicCloud");
  const armEndpoint = (opts.armEndpoint ?? cloud.armEndpoint).replace(/\/+$/, "");
  const graphEndpoint = (opts.graphEndpoint ?? cloud.graphEndpoint).replace(/\/+$/, "");
  const retry = {
    maxRetries: opts.retry?.maxRetries ?? DEFAULTS.maxRetries,
    retryDelayInMs: opts.retry?.retryDelayInMs ?? DEFAULTS.retryDelayInMs,
    maxRetryDelayInMs: opts.retry?.maxRetryDelayInMs ?? DEFAULTS.maxRetryDelayInMs,
  };
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;

  const clients = new ArmClients({
    credential: opts.credential,
    endpoint: armEndpoint,
    // The cloud's own scope unless the endpoint was overridden (then the override's audience).
    scope: opts.armEndpoint ? scopeFor(armEndpoint) : cloud.armScope,
    ...(opts.httpClient ? { httpClient: opts.httpClient } : {}),
    retry,
    requestTimeoutMs,
  });
  const graphConn = {
    credential: opts.credential,
    endpoint: graphEndpoint,
    scope: opts.graphEndpoint ? scopeFor(graphEndpoint) : cloud.graphScope,
    ...(opts.graphMiddleware ? { transport: opts.graphMiddleware } : {}),
    ...retry,
    requestTimeoutMs,
  };

  return {
    tenantId: opts.tenantId,
    roleAssignments: armRoleAssignments(clients),
    roleDefinitions: armRoleDefinitions(clients, {
      ttlMs: opts.roleDefinitionTtlMs ?? DEFAULTS.roleDefinitionTtlMs,
      maxEntries: opts.roleDefinitionCacheSize ?? DEFAULTS.roleDefinitionCacheSize,
    }),
    providers: armProviders(clients),
    activityLog: armActivityLog(clients),
    directory: graphDirectory(createGraphClient(graphConn), graphConn),
  };
}
