// Microsoft.Authorization/roleDefinitions: GET by GUID at any scope (tenant form included), list with
// $filter roleName eq / type eq. Ids are rewritten to the requested scope, as ARM does for built-ins.
import { canonicalGuid } from "../../config/settings";
import type { ArmRoleDefinition } from "../../tenant/snapshot";
import { armError, json } from "../errors";
import { isAtOrAbove, lower, subscriptionOfScope } from "../state";
import { pageOf, splitAnd, type Route, type RouteContext } from "./route";

const DEFINITIONS = "/providers/Microsoft\\.Authorization/roleDefinitions";

function scopedId(scope: string, guid: string): string {
  const sub = subscriptionOfScope(scope);
  return `${sub ? `/subscriptions/${sub}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

function present(def: ArmRoleDefinition, scope: string): ArmRoleDefinition {
  return { ...def, id: scopedId(scope, def.name) };
}

/** Built-ins are visible everywhere; a custom role where one of its assignable scopes relates to the scope. */
function visibleAt(def: ArmRoleDefinition, scope: string): boolean {
  if (def.properties.type !== "CustomRole" || !subscriptionOfScope(scope)) return true;
  return def.properties.assignableScopes.some((s) => isAtOrAbove(s, scope) || isAtOrAbove(scope, s));
}

function get(ctx: RouteContext) {
  const scope = ctx.params[0] || "/";
  const raw = ctx.params[1] ?? "";
  const guid = canonicalGuid(raw);
  if (!guid) return armError(400, "InvalidRoleDefinitionId", `The role definition ID '${raw}' is not valid.`);
  const def = ctx.state.roleDefinitions.get(guid);
  if (!def || !visibleAt(def, scope))
    return armError(
      404,
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${guid}' does not exist.`,
    );
  return json(200, present(def, scope));
}

const FILTERS: { pattern: RegExp; test(def: ArmRoleDefinition, value: string): boolean }[] = [
  { pattern: /^roleName\s+eq\s+'([^']*)'$/i, test: (d, v) => lower(d.properties.roleName) === lower(v) },
  { pattern: /^type\s+eq\s+'([^']*)'$/i, test: (d, v) => lower(d.properties.type) === lower(v) },
];

function list(ctx: RouteContext) {
  const scope = ctx.params[0] || "/";
  const tests: ((d: ArmRoleDefinition) => boolean)[] = [];
  const filter = ctx.query.get("$filter");
  for (const clause of filter ? splitAnd(filter) : []) {
    const hit = FILTERS.map((f) => ({ f, m: f.pattern.exec(clause) })).find((x) => x.m);
    if (!hit?.m) return armError(400, "UnsupportedQuery", `The filter '${clause}' is not supported.`);
    const value = hit.m[1] ?? "";
    tests.push((d) => hit.f.test(d, value));
  }
  const items = [...ctx.state.roleDefinitions.values()]
    .filter((d) => visibleAt(d, scope) && tests.every((t) => t(d)))
    .map((d) => present(d, scope));
  return json(200, pageOf(items, ctx));
}

export const roleDefinitionRoutes: Route[] = [
  {
    service: "arm",
    method: "GET",
    name: "roleDefinitions.list",
    pattern: new RegExp(`^(.*)${DEFINITIONS}$`, "i"),
    handle: list,
  },
  {
    service: "arm",
    method: "GET",
    name: "roleDefinitions.get",
    pattern: new RegExp(`^(.*)${DEFINITIONS}/([^/]+)$`, "i"),
    handle: get,
  },
];
