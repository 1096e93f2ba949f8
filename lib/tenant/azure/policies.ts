// Small transport pieces, each doing one job.
// - requestTimeoutPolicy (ARM, per attempt, inside the SDK's retry policy): a server that accepts the
//   request and never answers must not hang a review; the stalled attempt fails as ETIMEDOUT, which the
//   SDK's exponential retry strategy treats as a system error and retries within its budget.
// - GraphTimeoutHandler (Graph middleware): the same deadline for Graph requests, per attempt (below
//   GraphRetryHandler, which retries a timed-out attempt within its budget).
import { RestError, type PipelinePolicy } from "@azure/core-rest-pipeline";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

export const requestTimeoutPolicyName = "responderRequestTimeoutPolicy";

function timeoutError(ms: number, url: string): RestError {
  return new RestError(`no response within ${ms} ms from ${new URL(url).pathname}`, { code: "ETIMEDOUT" });
}

export function requestTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: requestTimeoutPolicyName,
    async sendRequest(request, next) {
      const outer = request.abortSignal;
      const controller = new AbortController();
      const forwardAbort = (): void => controller.abort();
      outer?.addEventListener("abort", forwardAbort);
      // Transports that honour abortSignal (node http, the simulator) stop their work on time-out.
      request.abortSignal = controller.signal;
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
          reject(timeoutError(timeoutMs, request.url));
        }, timeoutMs);
      });
      try {
        return await Promise.race([next(request), deadline]);
      } catch (err) {
        if (timedOut && !outer?.aborted) throw timeoutError(timeoutMs, request.url);
        throw err;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener("abort", forwardAbort);
        request.abortSignal = outer;
      }
    },
  };
}

/** Graph middleware: aborts a request that has not answered within the deadline. */
export class GraphTimeoutHandler implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly timeoutMs: number) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error("GraphTimeoutHandler must not be the last middleware");
    const controller = new AbortController();
    const options = (context.options ??= {});
    const outer = options.signal as AbortSignal | undefined;
    const forwardAbort = (): void => controller.abort();
    outer?.addEventListener("abort", forwardAbort);
    options.signal = controller.signal as never;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        const err = new Error(`no response from Microsoft Graph within ${this.timeoutMs} ms`);
        err.name = "RequestTimeout";
        reject(err);
      }, this.timeoutMs);
    });
    try {
      await Promise.race([this.next.execute(context), deadline]);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", forwardAbort);
      // A retry must not start with this attempt's (possibly aborted) signal.
      options.signal = outer as never;
    }
  }
}
