// Structured log lines through the invocation context (they reach Application Insights with the
// invocation id). Every field passes through lib/publish redact first: no tokens, keys or raw claims.
import type { InvocationContext } from "@azure/functions";
import type { Logger } from "../lib/publish/types";
import { redact } from "../lib/publish/redact";

export function contextLogger(context: InvocationContext, base: Record<string, unknown> = {}): Logger {
  const line = (message: string, fields?: Record<string, unknown>): string =>
    JSON.stringify(redact({ message, invocationId: context.invocationId, ...base, ...fields }));
  return {
    info: (message, fields) => context.info(line(message, fields)),
    warn: (message, fields) => context.warn(line(message, fields)),
    error: (message, fields) => context.error(line(message, fields)),
  };
}
