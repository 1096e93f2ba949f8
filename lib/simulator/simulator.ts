// The tenant simulator: state from a snapshot, one request handler (faults → route → call log), and the
// two mounts (in-process HttpClient + Graph middleware here; HTTPS in ./server).
import { randomUUID } from "node:crypto";
import type { Middleware } from "@microsoft/microsoft-graph-client";
import type { HttpClient } from "@azure/core-rest-pipeline";
import type { TenantSnapshot } from "../tenant/snapshot";
import { armActionFor, armError, authorizationFailed, graphError } from "./errors";
import { FaultRegistry } from "./faults";
import { graphMiddleware, simulatorHttpClient } from "./mounts";
import { activityLogRoutes } from "./routes/activity-log";
import { graphRoutes } from "./routes/graph";
import { providerRoutes } from "./routes/providers";
import { roleAssignmentRoutes } from "./routes/role-assignments";
import { roleDefinitionRoutes } from "./routes/role-definitions";
import { scheduleInstanceRoutes } from "./routes/schedule-instances";
import type { Route, SimOptions } from "./routes/route";
import { SimState } from "./state";
import type { FaultSpec, Service, SimCall, SimOutcome, SimRequest, SimResponse } from "./types";

/** The responder's identity in samples/SCENARIO.md: the default caller. */
const DEFAULT_CALLER = "9e5b0d1e-7e5b-4c1a-9d0e-5f0a1b2c3d4e";

/** Order matters only where patterns overlap: specific provider routes before the generic ones. */
const ROUTES: Route[] = [
  ...activityLogRoutes,
  ...roleAssignmentRoutes,
  ...scheduleInstanceRoutes,
  ...roleDefinitionRoutes,
  ...providerRoutes,
  ...graphRoutes,
];

export type SimulatorOptions = Partial<SimOptions> & {
  /** Delay added to every HTTP round trip (not to each $batch sub-request). */
  latencyMs?: number;
};

export function serviceOf(path: string): Service {
  return /^\/(v1\.0|beta)(\/|$)/i.test(path) ? "graph" : "arm";
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export class Simulator {
  state: SimState;
  readonly calls: SimCall[] = [];
  readonly faults = new FaultRegistry();
  readonly options: SimOptions;
  /** Global latency per HTTP round trip, in ms. */
  latencyMs: number;

  constructor(
    private readonly snapshot: TenantSnapshot,
    options: SimulatorOptions = {},
  ) {
    this.options = {
      // ARM documents no page size for role-assignment lists (2022-04-01 spec: x-ms-pageable with nextLink
      // only; the List For Scope page: $skipToken "only supported on provider level calls", i.e. paging at
      // subscription scope is not promised at all). No recorded multi-page response was found either, so
      // 100 stays: an assumption that exercises nextLink, not an observed value.
      pageSize: options.pageSize ?? 100,
      providerSettleGets: options.providerSettleGets ?? 1,
      callerObjectId: options.callerObjectId ?? DEFAULT_CALLER,
      now: options.now ?? (() => new Date()),
    };
    this.latencyMs = options.latencyMs ?? 0;
    this.state = new SimState(snapshot, this.options.providerSettleGets);
  }

  get tenantId(): string {
    return this.state.tenantId;
  }

  /** Back to the snapshot's state: no calls, no faults, no latency. */
  reset(): void {
    this.state = new SimState(this.snapshot, this.options.providerSettleGets);
    this.calls.length = 0;
    this.faults.clear();
    this.latencyMs = 0;
  }

  /** Calls whose path matches (case-insensitive substring or RegExp), optionally one method. */
  callsTo(path: string | RegExp, method?: string): SimCall[] {
    const test =
      typeof path === "string"
        ? (p: string) => p.toLowerCase().includes(path.toLowerCase())
        : (p: string) => path.test(p);
    return this.calls.filter((c) => test(c.path) && (!method || c.method === method.toUpperCase()));
  }

  /**
   * The one handler both mounts use. Applies global latency and faults, routes, and logs the call.
   * `signal` cuts latency short when the client gives up.
   */
  async handle(req: SimRequest, signal?: AbortSignal): Promise<SimOutcome> {
    const callId = randomUUID();
    const path = decodePath(req.url.pathname);
    const service = serviceOf(path);
    const call = this.log(req, path, service, callId);
    const decision = this.faults.decide(req.method, path, service);
    await sleep(this.latencyMs + decision.latencyMs, signal);
    const fault = decision.fault;
    if (decision.latencyMs > 0) call.fault = "latency";
    if (fault) call.fault = fault.kind;
    if (fault?.kind === "reset" || fault?.kind === "stall") return { kind: fault.kind };
    const response = fault
      ? faultResponse(fault, req.method, path, service, this.options.callerObjectId)
      : await this.route({ ...req, headers: { ...req.headers, "x-sim-call-id": callId } }, path, service);
    call.status = response.status;
    return { kind: "response", response };
  }

  private log(req: SimRequest, path: string, service: Service, id: string = randomUUID()): SimCall {
    const call: SimCall = {
      id,
      method: req.method.toUpperCase(),
      path,
      query: Object.fromEntries(req.url.searchParams),
      status: 0,
      at: Date.now(),
      service,
      ...(req.batchId ? { batchId: req.batchId } : {}),
    };
    this.calls.push(call);
    return call;
  }

  /** $batch sub-requests: logged with their batch id, faults apply; reset/stall become 503/504 items. */
  private async dispatchSub(sub: SimRequest): Promise<SimResponse> {
    const path = decodePath(sub.url.pathname);
    const call = this.log(sub, path, "graph");
    const decision = this.faults.decide(sub.method, path, "graph");
    await sleep(decision.latencyMs);
    let response: SimResponse;
    if (decision.fault) {
      call.fault = decision.fault.kind;
      const kind = decision.fault.kind;
      response =
        kind === "reset"
          ? graphError(503, "ServiceUnavailable", "The connection to the backend was reset.")
          : kind === "stall"
            ? graphError(504, "GatewayTimeout", "The backend did not answer in time.")
            : faultResponse(decision.fault, sub.method, path, "graph", this.options.callerObjectId);
    } else response = await this.route(sub, path, "graph");
    call.status = response.status;
    return response;
  }

  private async route(req: SimRequest, path: string, service: Service): Promise<SimResponse> {
    if (service === "arm" && !req.url.searchParams.has("api-version"))
      return armError(
        400,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
      );
    // A leading "/" on an id or scope handed to an SDK method yields "//subscriptions/…". Whether ARM would
    // normalise it is not documented, and silently matching nothing would hide the bug: refuse it loudly.
    if (service === "arm" && path.includes("//"))
      return armError(
        400,
        "InvalidRequestUri",
        `The request path '${path}' has an empty segment ('//'). Pass scopes and ids to the SDK without a leading '/'.`,
      );
    const method = req.method.toUpperCase();
    for (const route of ROUTES) {
      if (route.service !== service || route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      return route.handle({
        req,
        params: m.slice(1),
        query: req.url.searchParams,
        state: this.state,
        options: this.options,
        dispatch: (sub) => this.dispatchSub(sub),
      });
    }
    return service === "graph"
      ? graphError(
          404,
          "Request_ResourceNotFound",
          `Resource not found for the segment '${path}' (${method}).`,
        )
      : armError(
          404,
          "InvalidResourceType",
          `The simulator serves no ${method} ${path}: no such resource type.`,
        );
  }

  /** An @azure/core-rest-pipeline HttpClient for ARM SDK clients (`httpClient` option). No sockets. */
  httpClient(): HttpClient {
    return simulatorHttpClient(this);
  }

  /** A Graph client middleware that answers from the simulator (last in the chain, instead of fetch). */
  graphMiddleware(): Middleware {
    return graphMiddleware(this);
  }
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

const FAULT_RESPONSES: Record<string, (s: Service) => [number, string, string]> = {
  "429": (s) => [429, s === "arm" ? "TooManyRequests" : "TooManyRequests", "Too many requests, retry later."],
  "500": (s) => [
    500,
    s === "arm" ? "InternalServerError" : "generalException",
    "An internal error occurred.",
  ],
  "503": () => [503, "ServiceUnavailable", "The service is temporarily unavailable."],
  "403": () => [403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."],
};

function faultResponse(
  fault: FaultSpec,
  method: string,
  path: string,
  service: Service,
  caller: string,
): SimResponse {
  if (fault.kind === "403" && service === "arm")
    return authorizationFailed(caller, armActionFor(method, path), path);
  const make = FAULT_RESPONSES[fault.kind];
  const [status, code, message] = make ? make(service) : [500, "InternalServerError", "fault"];
  const retryAfter = fault.retryAfterSeconds ?? (fault.kind === "429" ? 1 : undefined);
  const headers: Record<string, string> =
    retryAfter !== undefined ? { "retry-after": String(retryAfter) } : {};
  return service === "arm"
    ? armError(status, code, message, headers)
    : graphError(status, code, message, headers);
}

export function createSimulatorFromSnapshot(snapshot: TenantSnapshot, options?: SimulatorOptions): Simulator {
  return new Simulator(snapshot, options);
}
