// In-process mounts: adapt an SDK transport to Simulator.handle without sockets.
// - ARM SDK clients: an @azure/core-rest-pipeline HttpClient (pass as the client's `httpClient` option).
// - Graph client: a terminal Middleware that sets context.response to a real fetch Response.
// Faults behave like the real transports: 'reset' raises what node's http client raises (RestError with
// code ECONNRESET) or what fetch raises (TypeError "fetch failed" whose cause has code ECONNRESET);
// 'stall' never answers until the caller's abort signal or timeout fires.
import { AbortError } from "@azure/abort-controller";
import {
  createHttpHeaders,
  RestError,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import type { SimOutcome, SimRequest, SimResponse } from "./types";

interface Handler {
  handle(req: SimRequest, signal?: AbortSignal): Promise<SimOutcome>;
}

export function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function responseText(r: SimResponse): string {
  return r.body === undefined ? "" : JSON.stringify(r.body);
}

async function bodyText(body: unknown): Promise<string | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString("utf8");
  if (typeof body === "function") return bodyText((body as () => unknown)());
  if (body instanceof Blob) return body.text();
  throw new TypeError("the simulator accepts string, Buffer or Blob request bodies only");
}

/** Waits until the signal aborts (or forever), then rejects with `onAbort()`. */
function stall(signal: AbortSignal | undefined, onAbort: () => Error): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return; // a stall without a way out: the caller asked for it
    if (signal.aborted) return reject(onAbort());
    signal.addEventListener("abort", () => reject(onAbort()), { once: true });
  });
}

export function simulatorHttpClient(sim: Handler): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      if (request.abortSignal?.aborted)
        throw new AbortError("The operation was aborted. Request has already been canceled.");
      // Same semantics as the node client: `timeout` aborts the request.
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      request.abortSignal?.addEventListener("abort", onAbort, { once: true });
      const timer = request.timeout > 0 ? setTimeout(onAbort, request.timeout) : undefined;
      try {
        const text = await bodyText(request.body);
        const outcome = await Promise.race([
          sim.handle(
            {
              method: request.method,
              url: new URL(request.url),
              headers: lowerHeaders(request.headers.toJSON()),
              body: parseBody(text),
              ...(text !== undefined ? { rawBody: text } : {}),
            },
            controller.signal,
          ),
          stall(
            controller.signal,
            () =>
              new AbortError(
                "The operation was aborted. Rejecting from abort signal callback while making request.",
              ),
          ),
        ]);
        if (outcome.kind === "reset") throw new RestError("read ECONNRESET", { code: "ECONNRESET", request });
        if (outcome.kind === "stall")
          return await stall(
            controller.signal,
            () =>
              new AbortError(
                "The operation was aborted. Rejecting from abort signal callback while making request.",
              ),
          );
        const r = outcome.response;
        return {
          request,
          status: r.status,
          headers: createHttpHeaders(r.headers),
          bodyAsText: responseText(r),
        };
      } finally {
        if (timer) clearTimeout(timer);
        request.abortSignal?.removeEventListener("abort", onAbort);
      }
    },
  };
}

function lowerHeaders(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function fetchHeaders(h: unknown): Record<string, string> {
  if (!h) return {};
  if (h instanceof Headers) return Object.fromEntries([...h.entries()].map(([k, v]) => [k.toLowerCase(), v]));
  if (Array.isArray(h)) return Object.fromEntries(h.map(([k, v]: [string, string]) => [k.toLowerCase(), v]));
  return lowerHeaders(h as Record<string, string>);
}

export function graphMiddleware(sim: Handler): Middleware {
  return {
    async execute(context: Context): Promise<void> {
      const req = context.request;
      const opts = context.options ?? {};
      const url = typeof req === "string" ? req : req.url;
      const method = (opts.method ?? (typeof req === "string" ? "GET" : req.method)).toUpperCase();
      const headers = {
        ...(typeof req === "string" ? {} : fetchHeaders(req.headers)),
        ...fetchHeaders(opts.headers),
      };
      const text =
        opts.body !== undefined
          ? await bodyText(opts.body)
          : typeof req === "string"
            ? undefined
            : await req.text();
      const signal = (opts.signal ?? undefined) as AbortSignal | undefined;
      const abortError = () => new DOMException("This operation was aborted", "AbortError");
      if (signal?.aborted) throw abortError();
      const outcome = await Promise.race([
        sim.handle(
          { method, url: new URL(url), headers, body: parseBody(text), ...(text ? { rawBody: text } : {}) },
          signal,
        ),
        stall(signal, abortError),
      ]);
      if (outcome.kind === "reset")
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
        });
      if (outcome.kind === "stall") return stall(signal, abortError);
      const r = outcome.response;
      const noBody = r.status === 204 || r.status === 304;
      context.response = new Response(noBody ? null : responseText(r), {
        status: r.status,
        headers: r.headers,
      });
    },
  };
}
