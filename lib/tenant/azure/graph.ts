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
import type {
  ApplicationInfo,
  DirectoryLookup,
  DirectoryPort,
  IncompleteLookup,
  MemberOfSubject,
  Principal,
  ResolveOptions,
} from "../ports";
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

/** What the membership rules need of each member (plus @odata.type, which Graph always sends in these lists). */
export const MEMBER_SELECT =
  "id,displayName,userType,userPrincipalName,appOwnerOrganizationId,servicePrincipalType";
const GROUP_SELECT = "id,displayName";

/** Graph collection of each kind that has transitiveMemberOf (directoryObjects has none in v1.0). */
const MEMBER_OF_COLLECTION: Record<string, string> = {
  user: "users",
  servicePrincipal: "servicePrincipals",
  group: "groups",
  device: "devices",
};

function memberOfSubject(s: MemberOfSubject): { id: string | null; raw: string; collection: string } {
  const raw = typeof s === "string" ? s : s.id;
  const kind = typeof s === "string" ? "user" : s.kind;
  return { id: canonicalGuid(raw), raw, collection: MEMBER_OF_COLLECTION[kind] ?? "users" };
}

interface GraphPage {
  value?: Array<Record<string, unknown>>;
  "@odata.nextLink"?: string;
}

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

  /**
   * The rest of a paged membership list: each @odata.nextLink is one more sequential call, for this item only
   * (a group of n members costs ceil(n / 999) calls with $top=999). A nextLink to another host is not followed:
   * the token would go with it.
   */
  async function restOfPages(
    first: GraphPage,
    subject: { id: string; relation: IncompleteLookup["relation"] },
  ): Promise<{ items: Array<Record<string, unknown>>; failure?: IncompleteLookup }> {
    const items = [...(first.value ?? [])];
    let next = first["@odata.nextLink"];
    const graphHost = new URL(conn.endpoint).host.toLowerCase();
    while (next) {
      let host = "";
      try {
        host = new URL(next).host.toLowerCase();
      } catch {
        /* not a URL: refused below */
      }
      if (host !== graphHost)
        return {
          items,
          failure: {
            ...subject,
            status: 0,
            reason: `Graph sent a nextLink to another host (${host || next}); not followed`,
          },
        };
      try {
        const page = (await explained({ operation: "directory.read", scope: GRAPH_SCOPE }, () =>
          client.api(next as string).get(),
        )) as GraphPage;
        items.push(...(page.value ?? []));
        next = page["@odata.nextLink"];
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode ?? 0;
        return {
          items,
          failure: { ...subject, status, reason: `a later page failed: ${(err as Error).message}` },
        };
      }
    }
    return { items };
  }

  async function resolve(ids: string[], opts: ResolveOptions = {}): Promise<DirectoryLookup> {
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

    // Membership lookups: each a GET with $top=999 (Graph's largest page), so most fit one sub-request.
    const incomplete: IncompleteLookup[] = [];
    const memberOfIds: string[] = [];
    for (const subject of opts.transitiveMemberOf ?? []) {
      const { id, raw, collection } = memberOfSubject(subject);
      if (!id) {
        incomplete.push({ id: raw, relation: "transitiveMemberOf", status: 0, reason: "not an object id" });
        continue;
      }
      if (memberOfIds.includes(id)) continue;
      requests.push({
        id: `mof-${memberOfIds.length}`,
        method: "GET",
        url: `/${collection}/${id}/transitiveMemberOf/microsoft.graph.group?$select=${GROUP_SELECT}&$top=999`,
        // OData casts on directory-object lists are advanced queries: Graph wants eventual consistency.
        headers: { ConsistencyLevel: "eventual" },
      });
      memberOfIds.push(id);
    }
    const groupIds: string[] = [];
    for (const raw of opts.transitiveMembersOf ?? []) {
      const id = canonicalGuid(raw);
      if (!id) {
        incomplete.push({ id: raw, relation: "transitiveMembers", status: 0, reason: "not an object id" });
        continue;
      }
      if (groupIds.includes(id)) continue;
      requests.push({
        id: `mem-${groupIds.length}`,
        method: "GET",
        url: `/groups/${id}/transitiveMembers?$select=${MEMBER_SELECT}&$top=999`,
      });
      groupIds.push(id);
    }
    const asksMembership = opts.transitiveMemberOf !== undefined || opts.transitiveMembersOf !== undefined;
    const memberOf = new Map<string, string[]>();
    const groupMembers = new Map<string, Principal[]>();
    const membership = asksMembership ? { memberOf, groupMembers, incomplete } : {};

    const found = new Map<string, Principal>();
    const applications = new Map<string, ApplicationInfo | null>(badAppIds.map((a) => [a, null]));
    if (!requests.length) return { found, missing, applications, ...membership };

    const responses = await runBatched(requests);
    const membershipPages: Array<{
      subject: { id: string; relation: IncompleteLookup["relation"] };
      first: GraphPage;
    }> = [];
    for (const req of requests) {
      const res = responses.get(req.id);
      if (!res) throw new TransientError(`Microsoft Graph gave no answer for sub-request ${req.id}`);
      if (req.id.startsWith("mof-") || req.id.startsWith("mem-")) {
        const isMemberOf = req.id.startsWith("mof-");
        const subject = {
          id: (isMemberOf ? memberOfIds : groupIds)[Number(req.id.slice(4))] ?? "",
          relation: isMemberOf ? ("transitiveMemberOf" as const) : ("transitiveMembers" as const),
        };
        if (res.status !== 200) {
          const err = subError(res);
          incomplete.push({
            ...subject,
            status: res.status,
            reason: `${err.code ?? "HTTP " + res.status}: ${err.message}`,
          });
          continue;
        }
        membershipPages.push({ subject, first: (res.body ?? {}) as GraphPage });
      } else if (req.id.startsWith("ids-")) {
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
    // Further pages, if any: different items concurrently, each item's pages in order.
    const pages = await Promise.all(membershipPages.map((p) => restOfPages(p.first, p.subject)));
    membershipPages.forEach(({ subject }, i) => {
      const { items, failure } = pages[i] ?? { items: [] };
      if (failure) {
        incomplete.push(failure);
        return;
      }
      if (subject.relation === "transitiveMemberOf")
        memberOf.set(
          subject.id,
          items.map((o) => canonicalGuid(String(o.id)) ?? String(o.id)),
        );
      else groupMembers.set(subject.id, items.map(toPrincipal));
    });
    return { found, missing, applications, ...membership };
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
