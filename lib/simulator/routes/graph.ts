// Microsoft Graph v1.0: the directory reads the responder needs, PATCH accountEnabled, and JSON $batch.
// Users come back with Graph's default v1.0 property subset unless $select names more (userType and
// accountEnabled are NOT in it), so clients that forget $select see what they would see in Azure.
import { canonicalGuid } from "../../config/settings";
import type { DirectoryObject, SnapshotApplication } from "../../tenant/snapshot";
import { graphError, json, noContent } from "../errors";
import { lower } from "../state";
import type { SimRequest } from "../types";
import type { Route, RouteContext } from "./route";
import { pageOf } from "./route";

const GRAPH_ROOT = "https://graph.microsoft.com/v1.0";
const MAX_GETBYIDS = 1000;
const MAX_BATCH = 20;

/** Graph v1.0's default user properties (learn.microsoft.com/graph/api/user-get). */
const DEFAULT_USER_PROPERTIES = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];

/** Fields the snapshot keeps for the simulator's own use, never sent. */
const INTERNAL_FIELDS = new Set(["members"]);

const TYPE_OF: Record<string, string> = {
  user: "#microsoft.graph.user",
  group: "#microsoft.graph.group",
  serviceprincipal: "#microsoft.graph.servicePrincipal",
  application: "#microsoft.graph.application",
  device: "#microsoft.graph.device",
};

function shape(obj: DirectoryObject | SnapshotApplication, select: string | null, keepType: boolean) {
  const isUser = lower(String(obj["@odata.type"] ?? "")) === "#microsoft.graph.user";
  const chosen = select
    ? new Set(["id", ...select.split(",").map((s) => s.trim())].map(lower))
    : isUser
      ? new Set(DEFAULT_USER_PROPERTIES.map(lower))
      : null;
  const out: Record<string, unknown> = {};
  if (keepType && obj["@odata.type"]) out["@odata.type"] = obj["@odata.type"];
  for (const [k, v] of Object.entries(obj)) {
    if (k === "@odata.type" || INTERNAL_FIELDS.has(k)) continue;
    if (chosen && !chosen.has(lower(k))) continue;
    out[k] = v;
  }
  return out;
}

function entity(collection: string, obj: DirectoryObject | SnapshotApplication, ctx: RouteContext) {
  return json(200, {
    "@odata.context": `${GRAPH_ROOT}/$metadata#${collection}/$entity`,
    ...shape(obj, ctx.query.get("$select"), false),
  });
}

function notFound(id: string) {
  return graphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function principalOfType(ctx: RouteContext, id: string, type: string): DirectoryObject | undefined {
  const p = ctx.state.findPrincipal(canonicalGuid(id) ?? id);
  return p && lower(p["@odata.type"]) === lower(type) ? p : undefined;
}

function getUser(ctx: RouteContext) {
  const key = ctx.params[0] ?? "";
  const byId = principalOfType(ctx, key, TYPE_OF.user as string);
  const user =
    byId ??
    [...ctx.state.principals.values()].find(
      (p) =>
        lower(p["@odata.type"]) === "#microsoft.graph.user" &&
        lower(String(p.userPrincipalName ?? "")) === lower(key),
    );
  return user ? entity("users", user, ctx) : notFound(key);
}

function getGroup(ctx: RouteContext) {
  const g = principalOfType(ctx, ctx.params[0] ?? "", TYPE_OF.group as string);
  return g ? entity("groups", g, ctx) : notFound(ctx.params[0] ?? "");
}

function getDirectoryObject(ctx: RouteContext) {
  const p = ctx.state.findPrincipal(canonicalGuid(ctx.params[0] ?? "") ?? "");
  if (!p) return notFound(ctx.params[0] ?? "");
  return json(200, {
    "@odata.context": `${GRAPH_ROOT}/$metadata#directoryObjects/$entity`,
    ...shape(p, ctx.query.get("$select"), true),
  });
}

function findServicePrincipal(ctx: RouteContext): DirectoryObject | undefined {
  const [key = "", appId] = [ctx.params[0], ctx.params[1]];
  if (appId !== undefined)
    return [...ctx.state.principals.values()].find(
      (p) =>
        lower(p["@odata.type"]) === "#microsoft.graph.serviceprincipal" &&
        lower(String(p.appId ?? "")) === lower(appId),
    );
  return principalOfType(ctx, key, TYPE_OF.serviceprincipal as string);
}

function getServicePrincipal(ctx: RouteContext) {
  const sp = findServicePrincipal(ctx);
  return sp ? entity("servicePrincipals", sp, ctx) : notFound(ctx.params[0] || ctx.params[1] || "");
}

/** Properties a PATCH may change, with the type each must have. */
const PATCHABLE: Record<string, string> = {
  accountEnabled: "boolean",
  displayName: "string",
  tags: "object",
};

function patchServicePrincipal(ctx: RouteContext) {
  const sp = findServicePrincipal(ctx);
  if (!sp) return notFound(ctx.params[0] || ctx.params[1] || "");
  const body = ctx.req.body;
  if (!body || typeof body !== "object" || Array.isArray(body))
    return graphError(400, "BadRequest", "Empty Payload. JSON content expected.");
  for (const [k, v] of Object.entries(body)) {
    if (PATCHABLE[k] === undefined)
      return graphError(
        400,
        "Request_BadRequest",
        `Property '${k}' is read-only or does not exist on servicePrincipal.`,
      );
    if (typeof v !== PATCHABLE[k])
      return graphError(
        400,
        "Request_BadRequest",
        `Invalid value for property '${k}': expected ${PATCHABLE[k]}.`,
      );
  }
  Object.assign(sp, body);
  return noContent(204);
}

function findApplication(ctx: RouteContext, appId?: string, id?: string): SnapshotApplication | undefined {
  return ctx.state.applications.find((a) =>
    appId !== undefined ? lower(a.appId) === lower(appId) : lower(a.id) === lower(id ?? ""),
  );
}

function listApplications(ctx: RouteContext) {
  const filter = ctx.query.get("$filter");
  let items = ctx.state.applications;
  if (filter) {
    const m = /^appId\s+eq\s+'([^']*)'$/i.exec(filter.trim());
    if (!m) return graphError(400, "Request_UnsupportedQuery", `Unsupported query: '${filter}'.`);
    items = items.filter((a) => lower(a.appId) === lower(m[1] ?? ""));
  }
  const select = ctx.query.get("$select");
  return json(200, {
    "@odata.context": `${GRAPH_ROOT}/$metadata#applications`,
    value: items.map((a) => shape(a, select, false)),
  });
}

function getApplication(ctx: RouteContext) {
  const app =
    ctx.params[1] !== undefined
      ? findApplication(ctx, ctx.params[1])
      : findApplication(ctx, undefined, ctx.params[0]);
  return app ? entity("applications", app, ctx) : notFound(ctx.params[0] || ctx.params[1] || "");
}

function getByIds(ctx: RouteContext) {
  const body = ctx.req.body as { ids?: unknown; types?: unknown } | undefined;
  if (!body || !Array.isArray(body.ids) || body.ids.some((i) => typeof i !== "string"))
    return graphError(400, "Request_BadRequest", "Invalid request: 'ids' must be an array of strings.");
  if (body.ids.length > MAX_GETBYIDS)
    return graphError(
      400,
      "Request_BadRequest",
      `The number of ids in the request (${body.ids.length}) exceeds the maximum of ${MAX_GETBYIDS}.`,
    );
  const bad = (body.ids as string[]).find((i) => !canonicalGuid(i));
  if (bad) return graphError(400, "Request_BadRequest", `Invalid object identifier '${bad}'.`);
  let allowed: Set<string> | null = null;
  if (body.types !== undefined) {
    if (!Array.isArray(body.types))
      return graphError(400, "Request_BadRequest", "Invalid request: 'types' must be an array.");
    const types = body.types.map((t) => lower(String(t)));
    const unknown = types.find((t) => !TYPE_OF[t]);
    if (unknown) return graphError(400, "Request_BadRequest", `Invalid type '${unknown}' in 'types'.`);
    allowed = new Set(types.map((t) => lower(TYPE_OF[t] as string)));
  }
  const select = ctx.query.get("$select");
  const value = (body.ids as string[])
    .map((id) => ctx.state.findPrincipal(canonicalGuid(id) as string))
    .filter((p): p is DirectoryObject => !!p && (!allowed || allowed.has(lower(p["@odata.type"]))))
    .map((p) => shape(p, select, true));
  return json(200, { "@odata.context": `${GRAPH_ROOT}/$metadata#directoryObjects`, value });
}

/** Graph's page-size ceiling for directory-object collections ($top beyond it is refused). */
const MAX_TOP = 999;

/** Collection segment → @odata.type of the objects it addresses (a wrong type is a 404, as on Graph). */
const SEGMENT_TYPE: Record<string, string> = {
  users: "#microsoft.graph.user",
  serviceprincipals: "#microsoft.graph.servicePrincipal",
  groups: "#microsoft.graph.group",
  devices: "#microsoft.graph.device",
};

/**
 * A page of directory objects with Graph's `@odata.nextLink` ($skiptoken). Page size: `$top` when given
 * (≤ 999), else the simulator's page size, so tests can make small groups span pages.
 */
function directoryObjectPage(ctx: RouteContext, ids: string[], castType: string | undefined, what: string) {
  const topRaw = ctx.query.get("$top");
  const top = topRaw === null ? ctx.options.pageSize : Number(topRaw);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP)
    return graphError(
      400,
      "Request_BadRequest",
      `Invalid page size specified: '${topRaw}'. Must be between 1 and ${MAX_TOP} inclusive.`,
    );
  const objects = ids
    .map((id) => ctx.state.findPrincipal(id))
    .filter((p): p is DirectoryObject => !!p && (!castType || lower(p["@odata.type"]) === lower(castType)));
  const page = pageOf(objects, ctx, top);
  const select = ctx.query.get("$select");
  return json(200, {
    "@odata.context": `${GRAPH_ROOT}/$metadata#${what}`,
    value: page.value.map((p) => shape(p, select, true)),
    ...(page.nextLink ? { "@odata.nextLink": page.nextLink } : {}),
  });
}

/** `/{users|servicePrincipals|groups|devices}/{id}/transitiveMemberOf[/microsoft.graph.group]`: groups, nested expanded. */
function listTransitiveMemberOf(ctx: RouteContext) {
  const [segment = "", id = "", cast] = ctx.params;
  const self = principalOfType(ctx, id, SEGMENT_TYPE[lower(segment)] ?? "");
  if (!self) return notFound(id);
  const castType = cast ? `#microsoft.graph.${cast}` : undefined;
  return directoryObjectPage(ctx, ctx.state.transitiveGroupsOf(self.id), castType, "directoryObjects");
}

/** `/groups/{id}/transitiveMembers[/microsoft.graph.{type}]`: every member, nested groups expanded, each once. */
function listTransitiveMembers(ctx: RouteContext) {
  const [id = "", cast] = ctx.params;
  const group = principalOfType(ctx, id, TYPE_OF.group as string);
  if (!group) return notFound(id);
  const castType = cast ? `#microsoft.graph.${cast}` : undefined;
  return directoryObjectPage(ctx, ctx.state.transitiveMembersOf(group.id), castType, "directoryObjects");
}

interface BatchItem {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: unknown;
  body?: unknown;
}

async function batch(ctx: RouteContext) {
  const body = ctx.req.body as { requests?: unknown } | undefined;
  if (!body || !Array.isArray(body.requests) || body.requests.length === 0)
    return graphError(
      400,
      "BadRequest",
      "Invalid batch payload format: 'requests' must be a non-empty array.",
    );
  const requests = body.requests as BatchItem[];
  if (requests.length > MAX_BATCH)
    return graphError(
      400,
      "BadRequest",
      `Number of included requests in the batch request is greater than the maximum number of requests allowed: ${MAX_BATCH}.`,
    );
  const ids = requests.map((r) => lower(String(r.id ?? "")));
  if (ids.some((id) => id === "")) return graphError(400, "BadRequest", "Every batch request needs an 'id'.");
  if (new Set(ids).size !== ids.length)
    return graphError(400, "BadRequest", "Batch request with duplicate Ids.");
  const batchId = ctx.req.headers["x-sim-call-id"] ?? "batch";
  const responses = [];
  for (const item of requests) {
    const id = String(item.id);
    if (typeof item.method !== "string" || typeof item.url !== "string") {
      responses.push(
        subResponse(id, graphError(400, "BadRequest", "A batch request needs 'method' and 'url'.")),
      );
      continue;
    }
    if (/^[a-z]+:\/\//i.test(item.url) || /\$batch/i.test(item.url)) {
      responses.push(
        subResponse(
          id,
          graphError(400, "BadRequest", `Invalid request URL '${item.url}': must be relative.`),
        ),
      );
      continue;
    }
    const rel = item.url.startsWith("/") ? item.url : `/${item.url}`;
    // Graph reads a version prefix in a sub-request url as a path segment and refuses it; the JS SDK 3.0.7's
    // BatchRequestContent leaves `/v1.0` in when given full URLs (msgraph-sdk-javascript#1178).
    const version = /^\/(v1\.0|beta)(\/|$|\?)/i.exec(rel);
    if (version) {
      responses.push(
        subResponse(id, graphError(400, "BadRequest", `Resource not found for the segment '${version[1]}'.`)),
      );
      continue;
    }
    const headers: Record<string, string> = {};
    if (item.headers && typeof item.headers === "object")
      for (const [k, v] of Object.entries(item.headers)) headers[lower(k)] = String(v);
    const sub: SimRequest = {
      method: item.method.toUpperCase(),
      url: new URL(`/v1.0${rel}`, ctx.req.url.origin),
      headers,
      body: item.body,
      batchId,
    };
    responses.push(subResponse(id, await ctx.dispatch(sub)));
  }
  return json(200, { responses });
}

function subResponse(id: string, r: { status: number; headers: Record<string, string>; body?: unknown }) {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) {
    if (k === "content-type") headers["Content-Type"] = v;
    else if (k === "retry-after") headers["Retry-After"] = v;
  }
  return { id, status: r.status, headers, ...(r.body !== undefined ? { body: r.body } : {}) };
}

const ID = "([^/()]+)";
const APPID = "\\(appId='([^']*)'\\)";

export const graphRoutes: Route[] = [
  {
    service: "graph",
    method: "POST",
    name: "graph.getByIds",
    pattern: /^\/v1\.0\/directoryObjects\/getByIds$/i,
    handle: getByIds,
  },
  {
    service: "graph",
    method: "GET",
    name: "graph.directoryObject",
    pattern: new RegExp(`^/v1\\.0/directoryObjects/${ID}$`, "i"),
    handle: getDirectoryObject,
  },
  {
    service: "graph",
    method: "GET",
    name: "graph.user",
    pattern: new RegExp(`^/v1\\.0/users/${ID}$`, "i"),
    handle: getUser,
  },
  {
    service: "graph",
    method: "GET",
    name: "graph.group",
    pattern: new RegExp(`^/v1\\.0/groups/${ID}$`, "i"),
    handle: getGroup,
  },
  {
    service: "graph",
    method: "GET",
    name: "graph.servicePrincipal",
    pattern: new RegExp(`^/v1\\.0/servicePrincipals(?:/${ID}|${APPID})$`, "i"),
    handle: getServicePrincipal,
  },
  {
    service: "graph",
    method: "PATCH",
    name: "graph.servicePrincipal.patch",
    pattern: new RegExp(`^/v1\\.0/servicePrincipals(?:/${ID}|${APPID})$`, "i"),
    handle: patchServicePrincipal,
  },
  {
    service: "graph",
    method: "GET",
    name: "graph.applications",
    pattern: /^\/v1\.0\/applications$/i,
    handle: listApplications,
  },
  {
    service: "graph",
    method: "GET",
    name: "graph.application",
    pattern: new RegExp(`^/v1\\.0/applications(?:/${ID}|${APPID})$`, "i"),
    handle: getApplication,
  },
  {
    service: "graph",
    method: "GET",
    name: "graph.transitiveMemberOf",
    pattern: new RegExp(
      `^/v1\\.0/(users|servicePrincipals|groups|devices)/${ID}/transitiveMemberOf(?:/microsoft\\.graph\\.(group))?$`,
      "i",
    ),
    handle: listTransitiveMemberOf,
  },
  {
    service: "graph",
    method: "GET",
    name: "graph.transitiveMembers",
    pattern: new RegExp(
      `^/v1\\.0/groups/${ID}/transitiveMembers(?:/microsoft\\.graph\\.(user|servicePrincipal|group|device))?$`,
      "i",
    ),
    handle: listTransitiveMembers,
  },
  { service: "graph", method: "POST", name: "graph.batch", pattern: /^\/v1\.0\/\$batch$/i, handle: batch },
];
