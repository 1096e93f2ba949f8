// Typed errors the tenant adapters raise, so the pipeline can decide: retry (throw to Event Grid),
// record as failed, or explain a missing permission.

export class TenantError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 429 / 5xx / network faults that survived the SDK's retries. Worth trying again later. */
export class TransientError extends TenantError {}

/** 401 / 403: names the missing action and scope. Retrying will not help until permissions change. */
export class PermissionError extends TenantError {
  constructor(
    message: string,
    readonly action: string,
    readonly scope: string,
    statusCode = 403,
  ) {
    super(message, statusCode, "AuthorizationFailed");
  }
}

/** Anything else ARM or Graph refused (400, 409 …). */
export class RequestError extends TenantError {}

export function isTransient(err: unknown): err is TransientError {
  return err instanceof TransientError;
}
