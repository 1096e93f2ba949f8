// Microsoft.Authorization/roleAssignmentScheduleInstances (PIM, api-version 2020-10-01): list at a scope with
// `$filter=atScope()` (at and above) or `principalId eq '…'`, no filter = at, above and below, paged like
// role assignments. Read-only here: PIM's own writes go through schedule requests, which the responder never makes.
import { armError, json } from "../errors";
import { isAtOrAbove, lower, subscriptionOfScope } from "../state";
import { pageOf, splitAnd, type Route, type RouteContext } from "./route";

const INSTANCES = "/providers/Microsoft\\.Authorization/roleAssignmentScheduleInstances";

interface InstanceFilter {
  atScope: boolean;
  principalId?: string;
}

const CLAUSES: { pattern: RegExp; apply(f: InstanceFilter, m: RegExpExecArray): void }[] = [
  { pattern: /^atScope\(\)$/i, apply: (f) => (f.atScope = true) },
  { pattern: /^principalId\s+eq\s+'([^']*)'$/i, apply: (f, m) => (f.principalId = m[1]) },
];

function parseFilter(raw: string | null): InstanceFilter | string {
  const filter: InstanceFilter = { atScope: false };
  if (!raw) return filter;
  for (const clause of splitAnd(raw)) {
    const hit = CLAUSES.map((c) => ({ c, m: c.pattern.exec(clause) })).find((x) => x.m);
    if (!hit?.m) return clause;
    hit.c.apply(filter, hit.m);
  }
  return filter;
}

function list(ctx: RouteContext) {
  const scope = ctx.params[0] || "/";
  const filter = parseFilter(ctx.query.get("$filter"));
  if (typeof filter === "string")
    return armError(400, "UnsupportedQuery", `The filter '${filter}' is not supported.`);
  const sub = subscriptionOfScope(scope);
  if (sub && !ctx.state.subscriptions.has(sub))
    return armError(404, "SubscriptionNotFound", `The subscription '${sub}' could not be found.`);
  const forPrincipal = filter.principalId ? lower(filter.principalId) : null;
  const items = ctx.state.scheduleInstances.filter((si) => {
    const at = si.properties.scope;
    const related = isAtOrAbove(at, scope) || (!filter.atScope && isAtOrAbove(scope, at));
    return related && (!forPrincipal || lower(si.properties.principalId) === forPrincipal);
  });
  return json(200, pageOf(items, ctx));
}

export const scheduleInstanceRoutes: Route[] = [
  {
    service: "arm",
    method: "GET",
    name: "roleAssignmentScheduleInstances.list",
    pattern: new RegExp(`^(.*)${INSTANCES}$`, "i"),
    handle: list,
  },
];
