// Microsoft.Authorization/roleAssignments at any scope: list with $filter and paging, GET, PUT, DELETE.
import { canonicalGuid } from "../../config/settings";
import type { ArmRoleAssignment } from "../../tenant/snapshot";
import { armError, json, noContent } from "../errors";
import { isAtOrAbove, lower, scopeKey, subscriptionOfScope } from "../state";
import { pageOf, splitAnd, type Route, type RouteContext } from "./route";

const ASSIGNMENTS = "/providers/Microsoft\\.Authorization/roleAssignments";

interface AssignmentFilter {
  atScope: boolean;
  principalId?: string;
  assignedTo?: string;
}

/** Clause grammar ARM accepts; anything else is refused with ARM's own message. */
const CLAUSES: { pattern: RegExp; apply(f: AssignmentFilter, m: RegExpExecArray): void }[] = [
  { pattern: /^atScope\(\)$/i, apply: (f) => (f.atScope = true) },
  { pattern: /^principalId\s+eq\s+'([^']*)'$/i, apply: (f, m) => (f.principalId = m[1]) },
  { pattern: /^assignedTo\('([^']*)'\)$/i, apply: (f, m) => (f.assignedTo = m[1]) },
];

function parseFilter(raw: string | null): AssignmentFilter | string {
  const filter: AssignmentFilter = { atScope: false };
  if (!raw) return filter;
  for (const clause of splitAnd(raw)) {
    const rule = CLAUSES.map((c) => ({ c, m: c.pattern.exec(clause) })).find((x) => x.m);
    if (!rule?.m) return clause;
    rule.c.apply(filter, rule.m);
  }
  return filter;
}

function unsupported(clause: string) {
  return armError(
    400,
    "UnsupportedQuery",
    `The filter '${clause}' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{value}' or assignedTo('{value}')'.`,
  );
}

function checkSubscription(ctx: RouteContext, scope: string) {
  const sub = subscriptionOfScope(scope);
  if (sub && !ctx.state.subscriptions.has(sub))
    return armError(404, "SubscriptionNotFound", `The subscription '${sub}' could not be found.`);
  return null;
}

function list(ctx: RouteContext) {
  const scope = ctx.params[0] || "/";
  const filter = parseFilter(ctx.query.get("$filter"));
  if (typeof filter === "string") return unsupported(filter);
  const missing = checkSubscription(ctx, scope);
  if (missing) return missing;
  const forPrincipal = filter.principalId ? lower(filter.principalId) : null;
  const identities = filter.assignedTo ? ctx.state.identitiesOf(filter.assignedTo) : null;
  const items = ctx.state.assignments().filter((a) => {
    const at = a.properties.scope;
    // Without atScope(): at, above and below the scope. With it: at and above only.
    const related = isAtOrAbove(at, scope) || (!filter.atScope && isAtOrAbove(scope, at));
    if (!related) return false;
    if (forPrincipal && lower(a.properties.principalId) !== forPrincipal) return false;
    if (identities && !identities.has(lower(a.properties.principalId))) return false;
    return true;
  });
  return json(200, pageOf(items, ctx));
}

function idOf(scope: string, name: string): string {
  return `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
}

function find(ctx: RouteContext): ArmRoleAssignment | undefined {
  return ctx.state.roleAssignments.get(lower(idOf(ctx.params[0] || "/", ctx.params[1] ?? "")));
}

function notFound(name: string) {
  return armError(404, "RoleAssignmentNotFound", `The role assignment '${name}' is not found.`);
}

function get(ctx: RouteContext) {
  const found = find(ctx);
  return found ? json(200, found) : notFound(ctx.params[1] ?? "");
}

function remove(ctx: RouteContext) {
  const found = find(ctx);
  // ARM: 200 with the deleted object, 204 when there is nothing (left) to delete.
  if (!found) return noContent(204);
  ctx.state.roleAssignments.delete(lower(found.id));
  return json(200, found);
}

/** Role definition id in the form ARM stores on an assignment: scoped to the assignment's subscription. */
function definitionIdFor(scope: string, guid: string): string {
  const sub = subscriptionOfScope(scope);
  return `${sub ? `/subscriptions/${sub}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

function put(ctx: RouteContext) {
  const scope = ctx.params[0] || "/";
  const rawName = ctx.params[1] ?? "";
  const name = canonicalGuid(rawName);
  if (!name)
    return armError(
      400,
      "InvalidRoleAssignmentId",
      `The role assignment ID '${rawName}' is not valid. The role assignment ID must be a GUID.`,
    );
  const missing = checkSubscription(ctx, scope);
  if (missing) return missing;
  const body = ctx.req.body as { properties?: Record<string, unknown> } | undefined;
  const p = body?.properties;
  if (!p || typeof p.roleDefinitionId !== "string" || typeof p.principalId !== "string")
    return armError(
      400,
      "InvalidRequestContent",
      "The request content was invalid and could not be deserialized: properties.roleDefinitionId and properties.principalId are required.",
    );
  const definitionGuid = canonicalGuid(p.roleDefinitionId.split("/").pop() ?? "");
  if (!definitionGuid || !ctx.state.roleDefinitions.has(definitionGuid))
    return armError(
      400,
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${p.roleDefinitionId.split("/").pop()}' does not exist.`,
    );
  const principalId = canonicalGuid(p.principalId);
  if (!principalId || (!p.principalType && !ctx.state.findPrincipal(principalId)))
    return armError(
      400,
      "PrincipalNotFound",
      `Principal ${p.principalId.replace(/-/g, "")} does not exist in the directory ${ctx.state.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    );
  const id = idOf(scope, name);
  const existing = ctx.state.roleAssignments.get(lower(id));
  const sameGrant = (a: ArmRoleAssignment) =>
    lower(a.properties.principalId) === principalId &&
    lower(a.properties.roleDefinitionId.split("/").pop() ?? "") === definitionGuid &&
    scopeKey(a.properties.scope) === scopeKey(scope);
  if (existing) {
    if (sameGrant(existing)) return json(201, existing);
    return armError(
      400,
      "RoleAssignmentUpdateNotPermitted",
      "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
    );
  }
  if (ctx.state.assignments().some(sameGrant))
    return armError(409, "RoleAssignmentExists", "The role assignment already exists.");
  const now = ctx.options.now().toISOString();
  const created: ArmRoleAssignment = {
    id,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope,
      roleDefinitionId: definitionIdFor(scope, definitionGuid),
      principalId,
      principalType:
        typeof p.principalType === "string" ? p.principalType : principalTypeOf(ctx, principalId),
      description: typeof p.description === "string" ? p.description : null,
      condition: typeof p.condition === "string" ? p.condition : null,
      conditionVersion: typeof p.conditionVersion === "string" ? p.conditionVersion : null,
      createdOn: now,
      updatedOn: now,
      createdBy: ctx.options.callerObjectId,
      updatedBy: ctx.options.callerObjectId,
      delegatedManagedIdentityResourceId: null,
    },
  };
  ctx.state.roleAssignments.set(lower(id), created);
  return json(201, created);
}

const PRINCIPAL_TYPES: Record<string, string> = {
  "#microsoft.graph.user": "User",
  "#microsoft.graph.group": "Group",
  "#microsoft.graph.serviceprincipal": "ServicePrincipal",
};

function principalTypeOf(ctx: RouteContext, id: string): string {
  const p = ctx.state.findPrincipal(id);
  return (p && PRINCIPAL_TYPES[lower(p["@odata.type"])]) ?? "Unknown";
}

export const roleAssignmentRoutes: Route[] = [
  {
    service: "arm",
    method: "GET",
    name: "roleAssignments.list",
    pattern: new RegExp(`^(.*)${ASSIGNMENTS}$`, "i"),
    handle: list,
  },
  {
    service: "arm",
    method: "GET",
    name: "roleAssignments.get",
    pattern: new RegExp(`^(.*)${ASSIGNMENTS}/([^/]+)$`, "i"),
    handle: get,
  },
  {
    service: "arm",
    method: "PUT",
    name: "roleAssignments.create",
    pattern: new RegExp(`^(.*)${ASSIGNMENTS}/([^/]+)$`, "i"),
    handle: put,
  },
  {
    service: "arm",
    method: "DELETE",
    name: "roleAssignments.delete",
    pattern: new RegExp(`^(.*)${ASSIGNMENTS}/([^/]+)$`, "i"),
    handle: remove,
  },
];
