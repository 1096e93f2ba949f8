// The directory port over @microsoft/microsoft-graph-client. One review needs many principals and a few
// applications: all of it travels as sub-requests of Graph JSON batches (≤20 each), getByIds chunks of
// ≤1,000 ids, so a review costs one Graph round trip. Throttled or failed sub-requests are retried alone,
// honouring their own Retry-After; ids Graph does not return are reported as `missing`.
import type { TokenCredential } from "@azure/core-auth";
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import { canonicalGuid } from "../../config/settings";
import { TransientError } from "../errors";
import type { ApplicationInfo, DirectoryLookup, DirectoryPort, Principal } from "../ports";
import { explainError, explained, isNotFound, type CallContext } from "./errors";
import { GraphRetryHandler } from "./graph-retry";
import { GraphTimeoutHandler } from "./policies";
import { toApplication, toPrincipal } from "./normalise";

export const GETBYIDS_CHUNK = 1000;
export const BATCH_LIMIT = 20;

export interface GraphConnection {
  credential: TokenCredential;
  /** Graph service root without version, e.g. https://graph.microsoft.com. */
  endpoint: string;
  scope: string;
  /** Replaces the network transport (the in-process simulator). */
  transport?: Middleware;
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
  requestTimeoutMs: number;
}

export function createGraphClient(conn: GraphConnection): Client {
  const authProvider = {
    getAccessToken: async (): Promise<string> => {
      const token = await conn.credential.getToken(conn.scope);
      if (!token) throw new Error(`no token for ${conn.scope}`);
      return token.token;
    },
  };
  // Our retry handler, not the SDK's (which leaves 500/502, resets and time-outs unretried); the time-out
  // sits below it so that each attempt gets its own deadline, as on ARM.
  const chain: Middleware[] = [
    new AuthenticationHandler(authProvider),
    new GraphRetryHandler(conn),
    new GraphTimeoutHandler(conn.requestTimeoutMs),
    conn.transport ?? new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({
    baseUrl: conn.endpoint.replace(/\/+$/, ""),
    defaultVersion: "v1.0",
    middleware: chain,
    // The token is only attached for known Graph hosts: name ours (sovereign cloud, simulator).
    customHosts: new Set([new URL(conn.endpoint).hostname]),
  });
}

interface SubRequest {
  id: string;
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface SubResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const GRAPH_SCOPE = "Microsoft Graph";
const APPLICATION_SELECT = "id,appId,displayName,passwordCredentials,keyCredentials";
/**
 * Graph v1.0 returns only a default subset of user properties (no userType, no accountEnabled): name what
 * the review needs, for every directory-object type in one list.
 */
export const PRINCIPAL_SELECT = [
  "id",
  "displayName",
  "userPrincipalName",
  "userType",
  "accountEnabled",
  "servicePrincipalType",
  "appId",
  "appOwnerOrganizationId",
  "alternativeNames",
].join(",");

function retryAfterMs(res: SubResponse, fallbackMs: number, capMs: number): number {
  const header = Object.entries(res.headers ?? {}).find(([k]) => k.toLowerCase() === "retry-after")?.[1];
  const seconds = header === undefined ? NaN : Number(header);
  const ms = Number.isFinite(seconds)
    ? seconds * 1000
    : header
      ? Date.parse(header) - Date.now()
      : fallbackMs;
  return Math.min(Math.max(0, Number.isFinite(ms) ? ms : fallbackMs), capMs);
}

const isRetryable = (status: number): boolean => status === 429 || status >= 500;

/** A failed sub-request as an error-like object explainError understands. */
function subError(res: SubResponse): { statusCode: number; code?: string; message: string } {
  const err = (res.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return {
    statusCode: res.status,
    code: err?.code,
    message: err?.message ?? `sub-request ${res.id} answered ${res.status}`,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function graphDirectory(client: Client, conn: GraphConnection): DirectoryPort {
  /** Sends sub-requests in batches of ≤20 (concurrently), retrying only the items that were throttled. */
  async function runBatched(requests: SubRequest[]): Promise<Map<string, SubResponse>> {
    const done = new Map<string, SubResponse>();
    let pending = requests;
    for (let attempt = 0; pending.length; attempt++) {
      const batches: SubRequest[][] = [];
      for (let i = 0; i < pending.length; i += BATCH_LIMIT) batches.push(pending.slice(i, i + BATCH_LIMIT));
      const answers = await Promise.all(
        batches.map((requestsInBatch) =>
          explained({ operation: "directory.read", scope: GRAPH_SCOPE }, async () => {
            const res = (await client.api("/$batch").post({ requests: requestsInBatch })) as {
              responses?: SubResponse[];
            };
            return res?.responses ?? [];
          }),
        ),
      );
      const byId = new Map(answers.flat().map((r) => [String(r.id), r]));
      const retry: SubRequest[] = [];
      let waitMs = 0;
      for (const req of pending) {
        // A sub-request the batch did not answer at all is retried like a throttled one.
        const res = byId.get(req.id) ?? { id: req.id, status: 503, headers: {} };
        if (isRetryable(res.status) && attempt < conn.maxRetries) {
          retry.push(req);
          waitMs = Math.max(
            waitMs,
            retryAfterMs(res, conn.retryDelayInMs * 2 ** attempt, conn.maxRetryDelayInMs),
          );
        } else done.set(req.id, res);
      }
      pending = retry;
      if (pending.length) await sleep(waitMs);
    }
    return done;
  }

  function failure(res: SubResponse, ctx: CallContext): Error {
    const err = explainError(subError(res), ctx);
    if (isRetryable(res.status))
      return new TransientError(
        `${err.message} (sub-request ${res.id} after ${conn.maxRetries} retries)`,
        res.status,
        err.code,
      );
    return err;
  }

  async function resolve(
    ids: string[],
    opts: { applicationAppIds?: string[] } = {},
  ): Promise<DirectoryLookup> {
    const wanted = new Set<string>(); // canonical ids, each once
    const missing: string[] = [];
    for (const raw of ids) {
      const g = canonicalGuid(raw);
      if (!g)
        missing.push(raw); // not an object id: it cannot resolve, and is said so
      else wanted.add(g);
    }
    const appIds = [...new Set((opts.applicationAppIds ?? []).map((a) => canonicalGuid(a) ?? a))];
    const badAppIds = appIds.filter((a) => !canonicalGuid(a));

    const requests: SubRequest[] = [];
    const all = [...wanted];
    for (let i = 0; i < all.length; i += GETBYIDS_CHUNK)
      requests.push({
        id: `ids-${i / GETBYIDS_CHUNK}`,
        method: "POST",
        url: `/directoryObjects/getByIds?$select=${PRINCIPAL_SELECT}`,
        headers: { "Content-Type": "application/json" },
        body: { ids: all.slice(i, i + GETBYIDS_CHUNK) },
      });
    const goodAppIds = appIds.filter((a) => canonicalGuid(a));
    goodAppIds.forEach((appId, i) =>
      requests.push({
        id: `app-${i}`,
        method: "GET",
        url: `/applications(appId='${appId}')?$select=${APPLICATION_SELECT}`,
      }),
    );

    const found = new Map<string, Principal>();
    const applications = new Map<string, ApplicationInfo | null>(badAppIds.map((a) => [a, null]));
    if (!requests.length) return { found, missing, applications };

    const responses = await runBatched(requests);
    for (const req of requests) {
      const res = responses.get(req.id);
      if (!res) throw new TransientError(`Microsoft Graph gave no answer for sub-request ${req.id}`);
      if (req.id.startsWith("ids-")) {
        if (res.status !== 200) throw failure(res, { operation: "directory.read", scope: GRAPH_SCOPE });
        const value = (res.body as { value?: Array<Record<string, unknown>> } | undefined)?.value ?? [];
        for (const o of value) {
          const p = toPrincipal(o);
          if (wanted.has(p.id)) found.set(p.id, p);
        }
      } else {
        const appId = goodAppIds[Number(req.id.slice(4))] ?? "";
        if (res.status === 404) applications.set(appId, null);
        else if (res.status === 200)
          applications.set(appId, toApplication(res.body as Record<string, unknown>));
        else throw failure(res, { operation: "applications.read", scope: GRAPH_SCOPE });
      }
    }
    for (const g of wanted) if (!found.has(g)) missing.push(g);
    return { found, missing, applications };
  }

  return {
    resolve,
    async applicationByAppId(appId) {
      const lookup = await resolve([], { applicationAppIds: [appId] });
      return lookup.applications.get(canonicalGuid(appId) ?? appId) ?? null;
    },
    async disableServicePrincipal(servicePrincipalId) {
      const id = canonicalGuid(servicePrincipalId);
      if (!id)
        throw explainError(
          { statusCode: 400, message: `"${servicePrincipalId}" is not an object id` },
          { operation: "servicePrincipals.disable", scope: GRAPH_SCOPE },
        );
      try {
        await client.api(`/servicePrincipals/${id}`).patch({ accountEnabled: false });
      } catch (err) {
        if (isNotFound(err))
          throw explainError(err, {
            operation: "servicePrincipals.disable",
            scope: `servicePrincipals/${id}`,
          });
        throw explainError(err, { operation: "servicePrincipals.disable", scope: GRAPH_SCOPE });
      }
    },
  };
}
