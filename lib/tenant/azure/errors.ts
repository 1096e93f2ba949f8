// Turns what ARM and Graph refuse into the typed errors of lib/tenant/errors.ts, worded so that an operator
// knows what to do: which permission is missing and where, or that the service is still throttling after
// the SDK's retries. The permission each port operation needs is data (least privilege, documented once).
import { PermissionError, RequestError, TenantError, TransientError } from "../errors";

/** Every operation the adapters perform, named by what it does to the tenant. */
export type TenantOperation =
  | "roleAssignments.read"
  | "roleAssignments.delete"
  | "roleAssignments.write"
  | "roleAssignmentScheduleInstances.read"
  | "roleDefinitions.read"
  | "providers.read"
  | "providers.register"
  | "activityLog.read"
  | "directory.read"
  | "applications.read"
  | "servicePrincipals.disable";

/**
 * The Azure RBAC action (ARM) or Graph application permission each operation needs. `{namespace}` is
 * replaced by the provider namespace the call is about.
 */
export const REQUIRED_PERMISSION: Readonly<Record<TenantOperation, string>> = {
  "roleAssignments.read": "Microsoft.Authorization/roleAssignments/read",
  "roleAssignments.delete": "Microsoft.Authorization/roleAssignments/delete",
  "roleAssignments.write": "Microsoft.Authorization/roleAssignments/write",
  "roleAssignmentScheduleInstances.read": "Microsoft.Authorization/roleAssignmentScheduleInstances/read",
  "roleDefinitions.read": "Microsoft.Authorization/roleDefinitions/read",
  "providers.read": "Microsoft.Resources/subscriptions/providers/read",
  "providers.register": "{namespace}/register/action",
  "activityLog.read": "Microsoft.Insights/eventtypes/values/read",
  "directory.read": "Graph application permission Directory.Read.All",
  "applications.read": "Graph application permission Application.Read.All",
  "servicePrincipals.disable": "Graph application permission Application.ReadWrite.All",
};

export interface CallContext {
  operation: TenantOperation;
  /** ARM scope (or "Microsoft Graph") the call was about. */
  scope: string;
  namespace?: string;
}

/** Network-level failure codes (Node, undici, core-rest-pipeline) that are worth retrying later. */
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "REQUEST_SEND_ERROR",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "RequestTimeout",
  "AbortError",
]);

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string | null;
  statusCode?: number;
  status?: number;
  cause?: unknown;
  body?: unknown;
}

function statusOf(e: ErrorLike): number | undefined {
  const s = e.statusCode ?? e.status;
  return typeof s === "number" && s > 0 ? s : undefined;
}

/** The network-level failure code (ECONNRESET, RequestTimeout, …) somewhere in an error's cause chain. */
export function transientNetworkCode(err: unknown): string | undefined {
  return err && typeof err === "object" ? networkCode(err as ErrorLike) : undefined;
}

function networkCode(e: ErrorLike): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === "object" && depth < 4; depth++) {
    const c = cur as ErrorLike;
    if (c.code && TRANSIENT_CODES.has(c.code)) return c.code;
    if (c.name && TRANSIENT_CODES.has(c.name)) return c.name;
    cur = c.cause;
  }
  return undefined;
}

export function requiredPermission(ctx: CallContext): string {
  return REQUIRED_PERMISSION[ctx.operation].replace("{namespace}", ctx.namespace ?? "{namespace}");
}

/** Maps any failure of an SDK call to a TenantError that says what happened and what would fix it. */
export function explainError(err: unknown, ctx: CallContext): TenantError {
  if (err instanceof TenantError) return err;
  const e = (err ?? {}) as ErrorLike;
  const status = statusOf(e);
  const detail = `${e.code ? `${e.code}: ` : ""}${(e.message ?? String(err)).split("\n")[0]}`.trim();
  const what = `${ctx.operation} at ${ctx.scope}`;

  if (status === 401 || status === 403) {
    const permission = requiredPermission(ctx);
    const missing = status === 401 ? "could not authenticate for" : "lacks";
    return new PermissionError(
      `the responder's identity ${missing} ${permission} at ${ctx.scope} (${what} answered ${status}${detail ? `: ${detail}` : ""})`,
      permission,
      ctx.scope,
      status,
    );
  }
  if (status === 429 || status === 408 || (status !== undefined && status >= 500)) {
    return new TransientError(
      `${what} still failed after retries with HTTP ${status}${detail ? ` (${detail})` : ""}; try again later`,
      status,
      e.code ?? undefined,
    );
  }
  const net = networkCode(e);
  if (status === undefined && net) {
    const timedOut =
      net === "ETIMEDOUT" || net === "RequestTimeout" || net === "AbortError" || /timed? ?out/i.test(detail);
    return new TransientError(
      timedOut
        ? `${what} got no answer in time (${detail}); try again later`
        : `${what} failed on the network (${detail.startsWith(`${net}:`) ? detail : `${net}${detail ? `: ${detail}` : ""}`}); try again later`,
      undefined,
      net,
    );
  }
  if (status !== undefined) {
    return new RequestError(
      `${what} was refused with HTTP ${status}${detail ? `: ${detail}` : ""}`,
      status,
      e.code ?? undefined,
    );
  }
  // Not an HTTP or network failure: a defect or an unexpected shape. Keep the original message.
  return new RequestError(`${what} failed: ${detail}`, undefined, e.code ?? e.name);
}

/** Runs one SDK call and rethrows any failure explained. */
export async function explained<T>(ctx: CallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw explainError(err, ctx);
  }
}

export function isNotFound(err: unknown): boolean {
  return statusOf((err ?? {}) as ErrorLike) === 404;
}
