// Microsoft.Insights activity log (`eventtypes/management/values`): the time range is required, as in
// Azure; one extra equality condition (correlationId, status, resourceId …) may be added. Newest first.
import type { ActivityLogEntry } from "../../tenant/snapshot";
import { armError, json } from "../errors";
import { lower } from "../state";
import { pageOf, splitAnd, type Route, type RouteContext } from "./route";

type Test = (e: ActivityLogEntry) => boolean;

function valueOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && "value" in v) return String((v as { value: unknown }).value ?? "");
  return "";
}

/** Equality conditions ARM accepts next to the time range, and the record field each compares. */
const EQUALITY_FIELDS: Record<string, (e: ActivityLogEntry) => string> = {
  correlationid: (e) => e.correlationId,
  status: (e) => valueOf(e.status),
  resourceid: (e) => e.resourceId ?? "",
  resourcegroupname: (e) => valueOf(e.resourceGroupName),
  resourceprovider: (e) => valueOf(e.resourceProviderName),
  caller: (e) => e.caller ?? "",
};

function parse(filter: string): { tests: Test[]; from?: number; to?: number } | string {
  const tests: Test[] = [];
  let from: number | undefined;
  let to: number | undefined;
  for (const clause of splitAnd(filter)) {
    const m = /^(\w+)\s+(eq|ge|le)\s+'([^']*)'$/i.exec(clause);
    if (!m) return clause;
    const [, field = "", op = "", value = ""] = m;
    if (lower(field) === "eventtimestamp") {
      const t = Date.parse(value);
      if (Number.isNaN(t) || lower(op) === "eq") return clause;
      if (lower(op) === "ge") from = t;
      else to = t;
      continue;
    }
    const read = EQUALITY_FIELDS[lower(field)];
    if (!read || lower(op) !== "eq") return clause;
    tests.push((e) => lower(read(e)) === lower(value));
  }
  return { tests, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

function list(ctx: RouteContext) {
  const sub = lower(ctx.params[0] ?? "");
  if (!ctx.state.subscriptions.has(sub))
    return armError(404, "SubscriptionNotFound", `The subscription '${ctx.params[0]}' could not be found.`);
  const filter = ctx.query.get("$filter");
  const parsed = filter ? parse(filter) : null;
  if (typeof parsed === "string")
    return armError(400, "BadRequest", `The $filter clause '${parsed}' is not supported.`);
  if (!parsed || parsed.from === undefined)
    return armError(
      400,
      "BadRequest",
      "The $filter query parameter must specify a time range with eventTimestamp ge '…' (and optionally le '…').",
    );
  const from = parsed.from;
  const to = parsed.to ?? Date.now();
  const items = ctx.state.activityLog
    .filter((e) => lower(e.subscriptionId) === sub)
    .filter((e) => {
      const t = Date.parse(e.eventTimestamp);
      return t >= from && t <= to && parsed.tests.every((test) => test(e));
    })
    .sort((a, b) => Date.parse(b.eventTimestamp) - Date.parse(a.eventTimestamp))
    .map((e) => select(e, ctx.query.get("$select")));
  return json(200, pageOf(items, ctx));
}

/** `$select` keeps only the named top-level fields (loosely: unknown names are ignored). */
function select(e: ActivityLogEntry, fields: string | null): Record<string, unknown> {
  if (!fields) return e;
  const keep = new Set(fields.split(",").map((f) => lower(f.trim())));
  return Object.fromEntries(Object.entries(e).filter(([k]) => keep.has(lower(k))));
}

export const activityLogRoutes: Route[] = [
  {
    service: "arm",
    method: "GET",
    name: "activityLog.list",
    pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Insights\/eventtypes\/management\/values$/i,
    handle: list,
  },
];
