// Transport-neutral request/response model of the simulator. Both mounts (in-process and HTTPS) adapt
// their transport to these types and call the one handler, so behaviour cannot drift between them.

export type Service = "arm" | "graph";

export interface SimRequest {
  method: string;
  /** Absolute URL; its origin is echoed in nextLink so paging works on either mount. */
  url: URL;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Request body parsed as JSON (undefined when absent); `rawBody` keeps the text. */
  body: unknown;
  rawBody?: string;
  /** Set on $batch sub-requests: the id of the outer batch call. */
  batchId?: string;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body; undefined for 204 and other empty responses. */
  body?: unknown;
}

/** What the transport must do: send a response, drop the connection, or never answer. */
export type SimOutcome = { kind: "response"; response: SimResponse } | { kind: "reset" } | { kind: "stall" };

export interface SimCall {
  /** Unique per call; a $batch call's id is the `batchId` of its sub-requests. */
  id: string;
  method: string;
  /** Path as requested (decoded), e.g. `/subscriptions/…/providers/Microsoft.Authorization/roleAssignments`. */
  path: string;
  query: Record<string, string>;
  /** HTTP status sent; 0 when the connection was reset or the call stalled. */
  status: number;
  /** Epoch milliseconds when the call arrived. */
  at: number;
  service: Service;
  /** Id of the $batch call this sub-request travelled in. */
  batchId?: string;
  /** The injected fault that shaped this call, if any. */
  fault?: FaultKind;
}

export type FaultKind = "429" | "500" | "503" | "reset" | "stall" | "latency" | "403";

export interface FaultSpec {
  match?: { method?: string; pathPattern?: RegExp; service?: Service };
  kind: FaultKind;
  /** How many matching calls it affects (default: every one until removed or reset). */
  times?: number;
  /** Retry-After header on 429/503 (default 1 for 429). */
  retryAfterSeconds?: number;
  /** For kind 'latency': delay added before the call is handled. */
  latencyMs?: number;
}
