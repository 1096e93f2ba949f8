// A route is data: service, method, path pattern, handler. The router walks the registry in order.
import type { SimState } from "../state";
import type { Service, SimRequest, SimResponse } from "../types";

export interface SimOptions {
  /** Items per page on ARM list calls before a nextLink is added (default 100). */
  pageSize: number;
  /** GETs a provider answers with Registering/Unregistering before it settles (default 1; 0 = at once). */
  providerSettleGets: number;
  /** Object id the simulator treats as the caller (createdBy on PUT, AuthorizationFailed messages). */
  callerObjectId: string;
  /** Clock for createdOn/updatedOn. */
  now: () => Date;
}

export interface RouteContext {
  req: SimRequest;
  /** Capture groups of the route pattern, URI-decoded. */
  params: Array<string | undefined>;
  query: URLSearchParams;
  state: SimState;
  options: SimOptions;
  /** Runs a Graph $batch sub-request through faults, routing and the call log. */
  dispatch(sub: SimRequest): Promise<SimResponse>;
}

export interface Route {
  service: Service;
  method: string;
  pattern: RegExp;
  name: string;
  handle(ctx: RouteContext): SimResponse | Promise<SimResponse>;
}

/**
 * One page of `items` and the nextLink (same URL, `$skiptoken` advanced) when more remain. The token is
 * opaque to clients, like ARM's.
 */
export function pageOf<T>(
  items: T[],
  ctx: RouteContext,
  pageSize = ctx.options.pageSize,
): { value: T[]; nextLink?: string } {
  const token = ctx.query.get("$skiptoken") ?? ctx.query.get("$skipToken");
  const start = token ? decodeSkipToken(token) : 0;
  const size = Math.max(1, pageSize);
  const value = items.slice(start, start + size);
  if (start + size >= items.length) return { value };
  // Keep the caller's query as sent (ARM echoes it), replacing only the skip token, written `$skiptoken` like ARM.
  const u = ctx.req.url;
  const kept = u.search
    .slice(1)
    .split("&")
    .filter((part) => part && !/^(\$|%24)skiptoken=/i.test(part));
  kept.push(`$skiptoken=${Buffer.from(`offset:${start + size}`).toString("base64url")}`);
  return { value, nextLink: `${u.origin}${u.pathname}?${kept.join("&")}` };
}

function decodeSkipToken(token: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  return m?.[1] ? Number(m[1]) : 0;
}

/** Splits an OData-ish `$filter` on top-level ` and ` (quotes respected). */
export function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  const tokens = filter.split(/(\s+and\s+|')/i);
  for (const t of tokens) {
    if (t === "'") quoted = !quoted;
    if (!quoted && /^\s+and\s+$/i.test(t)) {
      parts.push(current.trim());
      current = "";
    } else current += t;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}
