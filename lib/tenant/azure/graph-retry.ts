// GraphRetryHandler: the Graph client's retry middleware, in place of the SDK's RetryHandler, which
// retries only 429/503/504 answers. A 500 or 502 from the $batch endpoint, a reset connection or a stalled
// attempt would otherwise fail a whole review at once, although one more try usually works.
// One job: send the whole request again after a transient outcome, within a bounded budget of the same
// shape as ARM's `retry` option, waiting as Retry-After asks (capped by the budget) or exponentially.
// Repeating is safe for what the directory port sends: $batch reads, getByIds and an idempotent PATCH.
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { transientNetworkCode } from "./errors";

export const graphRetryHandlerName = "responderGraphRetryHandler";

export interface GraphRetryBudget {
  /** Attempts after the first. */
  maxRetries: number;
  /** First back-off; doubles on each retry. */
  retryDelayInMs: number;
  /** No single wait is longer, whatever Retry-After says. */
  maxRetryDelayInMs: number;
}

/** Statuses worth asking again. 501 and 505 say the request can never work, so they are final. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Retry-After as milliseconds from now (delay-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long to wait before retry number `attempt + 1`: what Retry-After asks, else exponential back-off
 * with ±20% jitter (so instances throttled together do not return together), never above the cap.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null | undefined,
  budget: GraphRetryBudget,
  random: () => number = Math.random,
): number {
  const asked = parseRetryAfterMs(retryAfter);
  const backoff = budget.retryDelayInMs * 2 ** attempt * (0.8 + 0.4 * random());
  return Math.min(Math.max(0, asked ?? backoff), budget.maxRetryDelayInMs);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The Graph client turns a thrown error into a GraphError that keeps only its name and message (fetch's
 * "TypeError: fetch failed" would lose the ECONNRESET in its cause): name the error by its network code.
 */
function networkFailure(err: unknown, code: string): Error {
  const messages: string[] = [];
  for (let cur: unknown = err, depth = 0; cur instanceof Error && depth < 4; depth++, cur = cur.cause)
    if (!messages.includes(cur.message)) messages.push(cur.message);
  const failure = new Error(messages.join(": ") || code, { cause: err });
  failure.name = code;
  return failure;
}

export class GraphRetryHandler implements Middleware {
  readonly name = graphRetryHandlerName;
  private next: Middleware | undefined;

  constructor(private readonly budget: GraphRetryBudget) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error("GraphRetryHandler must not be the last middleware");
    const options = (context.options ??= {});
    // The time-out handler below swaps in a signal per attempt; each attempt starts from the caller's.
    const callerSignal = options.signal;
    for (let attempt = 0; ; attempt++) {
      options.signal = callerSignal;
      const last = attempt >= this.budget.maxRetries;
      try {
        await next.execute(context);
      } catch (err) {
        const code = transientNetworkCode(err);
        // A caller that gave up or a defect goes up as it is; an exhausted budget, named by its cause.
        if (callerSignal?.aborted || !code) throw err;
        if (last) throw networkFailure(err, code);
        await sleep(retryDelayMs(attempt, undefined, this.budget));
        continue;
      }
      const response = context.response;
      if (last || !response || !isTransientStatus(response.status)) return;
      const wait = retryDelayMs(attempt, response.headers.get("retry-after"), this.budget);
      // Read the refused answer to the end so its connection goes back to the pool.
      await response.arrayBuffer().catch(() => undefined);
      context.response = undefined;
      await sleep(wait);
    }
  }
}
