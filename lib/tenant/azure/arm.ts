// The ARM ports over the real SDK clients (@azure/arm-authorization, @azure/arm-resources,
// @azure/arm-monitor). Every call goes through `explained` so failures come out typed and worded; every
// model comes out normalised (lib/tenant/azure/normalise.ts).
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { MonitorClient } from "@azure/arm-monitor";
import { ResourceManagementClient } from "@azure/arm-resources";
import type { TokenCredential } from "@azure/core-auth";
import type { HttpClient } from "@azure/core-rest-pipeline";
import { canonicalGuid } from "../../config/settings";
import { RequestError } from "../errors";
import type {
  ActivityLogPort,
  ActivityRecord,
  NewRoleAssignment,
  ProviderInfo,
  ProvidersPort,
  RoleAssignment,
  RoleAssignmentsPort,
  RoleDefinition,
  RoleDefinitionsPort,
} from "../ports";
import { PromiseCache } from "./cache";
import { explained, isNotFound, type CallContext } from "./errors";
import { requestTimeoutPolicy } from "./policies";
import {
  toActivityRecord,
  toProviderInfo,
  toRoleAssignment,
  toRoleDefinition,
  toScheduleInstance,
} from "./normalise";

export interface RetryBudget {
  maxRetries?: number;
  retryDelayInMs?: number;
  maxRetryDelayInMs?: number;
}

export interface ArmConnection {
  credential: TokenCredential;
  /** ARM base URL, e.g. https://management.azure.com. */
  endpoint: string;
  /** Token scope, set explicitly: `endpoint` alone would also become the token audience. */
  scope: string;
  httpClient?: HttpClient;
  retry: RetryBudget;
  requestTimeoutMs: number;
}

/** Subscription id for clients whose calls carry their own scope (the SDK insists on one). */
const NO_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

function clientOptions(conn: ArmConnection) {
  return {
    endpoint: conn.endpoint,
    credentialScopes: [conn.scope],
    ...(conn.httpClient ? { httpClient: conn.httpClient } : {}),
    retryOptions: conn.retry,
    additionalPolicies: [
      { policy: requestTimeoutPolicy(conn.requestTimeoutMs), position: "perRetry" as const },
    ],
  };
}

/** SDK clients bound to a subscription, created once per subscription and reused. */
export class ArmClients {
  private readonly authorization = new Map<string, AuthorizationManagementClient>();
  private readonly resources = new Map<string, ResourceManagementClient>();
  private readonly monitor = new Map<string, MonitorClient>();

  constructor(private readonly conn: ArmConnection) {}

  auth(subscriptionId = NO_SUBSCRIPTION): AuthorizationManagementClient {
    return once(
      this.authorization,
      subscriptionId,
      () => new AuthorizationManagementClient(this.conn.credential, subscriptionId, clientOptions(this.conn)),
    );
  }
  rm(subscriptionId: string): ResourceManagementClient {
    return once(
      this.resources,
      subscriptionId,
      () => new ResourceManagementClient(this.conn.credential, subscriptionId, clientOptions(this.conn)),
    );
  }
  mon(subscriptionId: string): MonitorClient {
    return once(
      this.monitor,
      subscriptionId,
      () => new MonitorClient(this.conn.credential, subscriptionId, clientOptions(this.conn)),
    );
  }
}

function once<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (!value) map.set(key, (value = make()));
  return value;
}

async function collect<T, U>(items: AsyncIterable<T>, map: (t: T) => U): Promise<U[]> {
  const out: U[] = [];
  for await (const item of items) out.push(map(item));
  return out;
}

// ---- input checks: ids end up in URLs and OData filters, so they are validated, never interpolated raw.

function requireGuid(value: string, what: string): string {
  const g = canonicalGuid(value);
  if (!g) throw new RequestError(`${what} must be a GUID, got "${value}"`, 400, "InvalidInput");
  return g;
}

/** ARM scope or id as the SDK wants it in its `{scope}` path parameter: no leading `/`. */
function pathParam(value: string, what: string): string {
  const trimmed = value.trim().replace(/^\/+/, "").replace(/\/+$/, "");
  if (!trimmed || /[?#\s'"]/.test(trimmed))
    throw new RequestError(`${what} is not an ARM id or scope: "${value}"`, 400, "InvalidInput");
  return trimmed;
}

const ASSIGNMENT_ID = /\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i;
const NAMESPACE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/;

function requireNamespace(ns: string): string {
  if (!NAMESPACE.test(ns))
    throw new RequestError(
      `"${ns}" is not a resource provider namespace (e.g. Microsoft.Security)`,
      400,
      "InvalidInput",
    );
  return ns;
}

const subScope = (subscriptionId: string): string => `/subscriptions/${subscriptionId}`;

// The role-assignment `$filter` parameter is declared skipEncoding in the SDK: encode it ourselves.
const filter = (expr: string): string => encodeURIComponent(expr);

// ---------------------------------------------------------------------------------------------------------

export function armRoleAssignments(clients: ArmClients): RoleAssignmentsPort {
  const read = (scope: string): CallContext => ({ operation: "roleAssignments.read", scope });

  const listSub = (subscriptionId: string, expr?: string): Promise<RoleAssignment[]> => {
    const sub = requireGuid(subscriptionId, "subscription id");
    return explained(read(subScope(sub)), () =>
      collect(
        clients.auth(sub).roleAssignments.listForSubscription(expr ? { filter: filter(expr) } : {}),
        toRoleAssignment,
      ),
    );
  };

  return {
    listForSubscription: (subscriptionId) => listSub(subscriptionId),
    listForPrincipal: (subscriptionId, principalId) =>
      listSub(subscriptionId, `principalId eq '${requireGuid(principalId, "principal id")}'`),
    listAssignedTo: (subscriptionId, principalId) =>
      listSub(subscriptionId, `assignedTo('${requireGuid(principalId, "principal id")}')`),
    async listAtScope(scope) {
      const s = pathParam(scope, "scope");
      return explained(read(`/${s}`), () =>
        collect(
          clients.auth().roleAssignments.listForScope(s, { filter: filter("atScope()") }),
          toRoleAssignment,
        ),
      );
    },
    async get(roleAssignmentId) {
      const id = assignmentPath(roleAssignmentId);
      try {
        return toRoleAssignment(await clients.auth().roleAssignments.getById(id));
      } catch (err) {
        if (isNotFound(err)) return null;
        return explained(read(`/${id}`), () => Promise.reject(err));
      }
    },
    async delete(roleAssignmentId) {
      const id = assignmentPath(roleAssignmentId);
      let status = 0;
      try {
        await clients
          .auth()
          .roleAssignments.deleteById(id, { onResponse: (raw) => void (status = raw.status) });
      } catch (err) {
        // Already gone is success (idempotent revert); ARM answers 204 for that, some paths 404.
        if (isNotFound(err)) return { deleted: false };
        return explained({ operation: "roleAssignments.delete", scope: `/${id}` }, () => Promise.reject(err));
      }
      return { deleted: status !== 204 };
    },
    async listScheduleInstances(subscriptionId) {
      const sub = requireGuid(subscriptionId, "subscription id");
      // No $filter: at, above AND below the subscription. `atScope()` would hide PIM-managed assignments
      // on resource groups and resources, and the pim-managed guard must see those too, or revert mode
      // could send a classic DELETE to an assignment PIM owns.
      return explained({ operation: "roleAssignmentScheduleInstances.read", scope: subScope(sub) }, () =>
        collect(
          clients.auth().roleAssignmentScheduleInstances.listForScope(subScope(sub).slice(1)),
          toScheduleInstance,
        ),
      );
    },
    async create(scope, name, body: NewRoleAssignment) {
      const s = pathParam(scope, "scope");
      const assignmentName = requireGuid(name, "role assignment name");
      const principalId = requireGuid(body.principalId, "principal id");
      return explained({ operation: "roleAssignments.write", scope: `/${s}` }, async () =>
        toRoleAssignment(
          await clients.auth().roleAssignments.create(s, assignmentName, {
            roleDefinitionId: body.roleDefinitionId,
            principalId,
            ...(body.principalType ? { principalType: body.principalType } : {}),
            ...(body.description != null ? { description: body.description } : {}),
            ...(body.condition != null ? { condition: body.condition } : {}),
            ...(body.conditionVersion != null ? { conditionVersion: body.conditionVersion } : {}),
          }),
        ),
      );
    },
  };
}

function assignmentPath(roleAssignmentId: string): string {
  const id = pathParam(roleAssignmentId, "role assignment id");
  if (!ASSIGNMENT_ID.test(`/${id}`))
    throw new RequestError(
      `"${roleAssignmentId}" is not a role assignment id ({scope}/providers/Microsoft.Authorization/roleAssignments/{guid})`,
      400,
      "InvalidInput",
    );
  return id;
}

// ---------------------------------------------------------------------------------------------------------

export interface RoleDefinitionCacheOptions {
  ttlMs: number;
  maxEntries: number;
}

const DEFINITIONS = "/providers/Microsoft.Authorization/roleDefinitions/";

export function armRoleDefinitions(
  clients: ArmClients,
  cacheOpts: RoleDefinitionCacheOptions,
): RoleDefinitionsPort {
  // Role definitions change rarely and every review needs several: cache per process, bounded.
  const byId = new PromiseCache<RoleDefinition | null>(cacheOpts);
  const lists = new PromiseCache<RoleDefinition[]>({ ttlMs: cacheOpts.ttlMs, maxEntries: 64 });
  const key = (path: string): string => path.toLowerCase().replace(/^\/+/, "");

  const fetchById = (path: string): Promise<RoleDefinition | null> =>
    byId.getOrLoad(key(path), async () => {
      try {
        return toRoleDefinition(await clients.auth().roleDefinitions.getById(path));
      } catch (err) {
        if (isNotFound(err)) return null;
        return explained({ operation: "roleDefinitions.read", scope: `/${path}` }, () => Promise.reject(err));
      }
    });

  return {
    async get(roleDefinitionId, scope) {
      const raw = roleDefinitionId.trim();
      if (raw.includes("/")) {
        const path = pathParam(raw, "role definition id");
        if (!path.toLowerCase().includes(DEFINITIONS.slice(1).toLowerCase()))
          throw new RequestError(`"${roleDefinitionId}" is not a role definition id`, 400, "InvalidInput");
        return fetchById(path);
      }
      const guid = requireGuid(raw, "role definition id");
      // A bare GUID resolves at the given scope; without one, at the tenant root (built-in roles).
      const at = scope ? pathParam(scope, "scope") : "";
      return fetchById(`${at ? `${at}` : ""}${DEFINITIONS}${guid}`.replace(/^\/+/, ""));
    },
    async list(scope) {
      const s = pathParam(scope, "scope");
      return lists.getOrLoad(key(s), async () => {
        const all = await explained({ operation: "roleDefinitions.read", scope: `/${s}` }, () =>
          collect(clients.auth().roleDefinitions.list(s), toRoleDefinition),
        );
        // Seed single gets: the id as returned and the scope-composed form both hit the cache.
        for (const d of all) {
          byId.set(key(d.id), d);
          byId.set(key(`${s}${DEFINITIONS}${d.name}`), d);
        }
        return all;
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------

export function armProviders(clients: ArmClients): ProvidersPort {
  return {
    async get(subscriptionId, namespace) {
      const sub = requireGuid(subscriptionId, "subscription id");
      const ns = requireNamespace(namespace);
      return explained({ operation: "providers.read", scope: subScope(sub), namespace: ns }, async () =>
        toProviderInfo(await clients.rm(sub).providers.get(ns), ns),
      );
    },
    async register(subscriptionId, namespace) {
      const sub = requireGuid(subscriptionId, "subscription id");
      const ns = requireNamespace(namespace);
      return explained({ operation: "providers.register", scope: subScope(sub), namespace: ns }, async () =>
        toProviderInfo(await clients.rm(sub).providers.register(ns), ns),
      );
    },
    async list(subscriptionId): Promise<ProviderInfo[]> {
      const sub = requireGuid(subscriptionId, "subscription id");
      return explained({ operation: "providers.read", scope: subScope(sub) }, () =>
        collect(clients.rm(sub).providers.list(), (p) => toProviderInfo(p, "")),
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------------------

/** How far around an event's time the activity log is searched for its operation (rows lag and spread). */
export const OPERATION_SEARCH_WINDOW_MS = 6 * 60 * 60 * 1000;

function validDate(d: Date, what: string): string {
  if (!(d instanceof Date) || Number.isNaN(d.getTime()))
    throw new RequestError(`${what} is not a valid time`, 400, "InvalidInput");
  return d.toISOString();
}

export function armActivityLog(clients: ArmClients): ActivityLogPort {
  const query = (sub: string, expr: string): Promise<ActivityRecord[]> =>
    explained({ operation: "activityLog.read", scope: subScope(sub) }, () =>
      collect(clients.mon(sub).activityLogs.list(expr), toActivityRecord),
    );

  return {
    async findOperation(subscriptionId, correlationId, around) {
      const sub = requireGuid(subscriptionId, "subscription id");
      const corr = requireGuid(correlationId, "correlation id");
      const t = new Date(validDate(around, "operation time")).getTime();
      const from = new Date(t - OPERATION_SEARCH_WINDOW_MS).toISOString();
      const to = new Date(t + OPERATION_SEARCH_WINDOW_MS).toISOString();
      const records = await query(
        sub,
        `eventTimestamp ge '${from}' and eventTimestamp le '${to}' and correlationId eq '${corr}'`,
      );
      // Defensive: a service that ignored the correlation filter must not verify another operation.
      return records.filter((r) => r.correlationId === corr);
    },
    async list(subscriptionId, from, to) {
      const sub = requireGuid(subscriptionId, "subscription id");
      return query(
        sub,
        `eventTimestamp ge '${validDate(from, "from")}' and eventTimestamp le '${validDate(to, "to")}'`,
      );
    },
  };
}
