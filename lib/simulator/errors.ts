// Error bodies in the exact shapes ARM and Graph send, so SDK error mapping runs its real code path.
import { randomUUID } from "node:crypto";
import type { SimResponse } from "./types";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body };
}

export function noContent(status = 204): SimResponse {
  return { status, headers: {} };
}

/** ARM: `{ "error": { "code", "message" } }` plus the request-id headers ARM always sends. */
export function armError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  const requestId = randomUUID();
  return json(
    status,
    { error: { code, message } },
    { "x-ms-request-id": requestId, "x-ms-correlation-request-id": requestId, ...headers },
  );
}

/** Graph: `{ "error": { "code", "message", "innerError": { date, request-id, client-request-id } } }`. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  const requestId = randomUUID();
  return json(
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString(),
          "request-id": requestId,
          "client-request-id": requestId,
        },
      },
    },
    { "request-id": requestId, ...headers },
  );
}

/** ARM's AuthorizationFailed wording, word for word (see the arm-authorization recordings). */
export function authorizationFailed(objectId: string, action: string, scope: string): SimResponse {
  return armError(
    403,
    "AuthorizationFailed",
    `The client '${objectId}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

/** The RBAC action an ARM request needs: GET …/roleAssignments/x → Microsoft.Authorization/roleAssignments/read. */
export function armActionFor(method: string, path: string): string {
  const lower = path.toLowerCase();
  const at = lower.lastIndexOf("/providers/");
  if (at < 0) return `Microsoft.Resources/subscriptions/${method === "GET" ? "read" : "write"}`;
  const segments = path.slice(at + "/providers/".length).split("/");
  const namespace = segments[0] ?? "";
  // Type segments sit at odd positions (type/name/type/name…); a trailing odd segment on POST is the action.
  const rest = segments.slice(1);
  if (method === "POST" && rest.length % 2 === 0 && rest.length > 0) {
    const verb = rest[rest.length - 1];
    const types = rest.slice(0, -1).filter((_, i) => i % 2 === 0);
    return [namespace, ...types, verb, "action"].join("/");
  }
  if (method === "POST" && rest.length === 1) return `${namespace}/${rest[0]}/action`;
  const types = rest.filter((_, i) => i % 2 === 0);
  const verb = method === "GET" ? "read" : method === "DELETE" ? "delete" : "write";
  return [namespace, ...types, verb].join("/");
}
