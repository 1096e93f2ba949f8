// EventGridPort: reads a subscription's Event Grid system topics and their event subscriptions through
// ARM REST (@azure/arm-eventgrid is not a dependency: two GETs do not justify it). Same code path live and
// offline; offline the HttpClient is lib/doctor/simulated-eventgrid.ts.
import type { TokenCredential } from "@azure/core-auth";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from "@azure/core-rest-pipeline";
import { PermissionError, RequestError, TransientError } from "../tenant/errors";

export const EVENTGRID_API_VERSION = "2025-02-15";

export interface AdvancedFilter {
  operatorType: string;
  key: string;
  values?: string[];
}

export interface SystemTopic {
  id: string;
  name: string;
  location: string;
  topicType: string;
  source: string;
  provisioningState: string | null;
}

export interface EventSubscription {
  id: string;
  name: string;
  endpointType: string | null;
  /** AzureFunction destination: `<functionAppId>/functions/<name>`. */
  destinationResourceId: string | null;
  /** null: every event type. */
  includedEventTypes: string[] | null;
  advancedFilters: AdvancedFilter[];
  provisioningState: string | null;
  deadLetter: boolean;
}

export interface EventGridPort {
  listSystemTopics(subscriptionId: string): Promise<SystemTopic[]>;
  listEventSubscriptions(systemTopicId: string): Promise<EventSubscription[]>;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

function toSystemTopic(raw: unknown): SystemTopic {
  const r = obj(raw);
  const p = obj(r.properties);
  return {
    id: str(r.id) ?? "",
    name: str(r.name) ?? "",
    location: str(r.location) ?? "",
    topicType: str(p.topicType) ?? "",
    source: str(p.source) ?? "",
    provisioningState: str(p.provisioningState),
  };
}

function toEventSubscription(raw: unknown): EventSubscription {
  const r = obj(raw);
  const p = obj(r.properties);
  const destination = obj(p.destination);
  const filter = obj(p.filter);
  const types = filter.includedEventTypes;
  return {
    id: str(r.id) ?? "",
    name: str(r.name) ?? "",
    endpointType: str(destination.endpointType),
    destinationResourceId: str(obj(destination.properties).resourceId),
    includedEventTypes: Array.isArray(types) ? types.filter((t): t is string => typeof t === "string") : null,
    advancedFilters: Array.isArray(filter.advancedFilters)
      ? filter.advancedFilters.map((f) => {
          const o = obj(f);
          return {
            operatorType: str(o.operatorType) ?? "",
            key: str(o.key) ?? "",
            ...(Array.isArray(o.values) ? { values: o.values.map(String) } : {}),
          };
        })
      : [],
    provisioningState: str(p.provisioningState),
    deadLetter: Boolean(p.deadLetterDestination || p.deadLetterWithResourceIdentity),
  };
}

export interface ArmEventGridOptions {
  credential: TokenCredential;
  armEndpoint: string;
  httpClient?: HttpClient;
}

export class ArmEventGrid implements EventGridPort {
  private readonly pipeline: Pipeline;
  private readonly client: HttpClient;
  private readonly endpoint: string;

  constructor(opts: ArmEventGridOptions) {
    this.endpoint = opts.armEndpoint.replace(/\/+$/, "");
    this.client = opts.httpClient ?? createDefaultHttpClient();
    this.pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 3 } });
    this.pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({ credential: opts.credential, scopes: `${this.endpoint}/.default` }),
    );
  }

  async listSystemTopics(subscriptionId: string): Promise<SystemTopic[]> {
    const path = `/subscriptions/${subscriptionId}/providers/Microsoft.EventGrid/systemTopics`;
    return (
      await this.list(path, "Microsoft.EventGrid/systemTopics/read", `/subscriptions/${subscriptionId}`)
    ).map(toSystemTopic);
  }

  async listEventSubscriptions(systemTopicId: string): Promise<EventSubscription[]> {
    return (
      await this.list(
        `${systemTopicId}/eventSubscriptions`,
        "Microsoft.EventGrid/systemTopics/eventSubscriptions/read",
        systemTopicId,
      )
    ).map(toEventSubscription);
  }

  private async list(path: string, action: string, scope: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let url: string | null = `${this.endpoint}${path}?api-version=${EVENTGRID_API_VERSION}`;
    for (let page = 0; url && page < 100; page++) {
      const res = await this.pipeline.sendRequest(this.client, createPipelineRequest({ url, method: "GET" }));
      let body: Json;
      try {
        body = obj(res.bodyAsText ? JSON.parse(res.bodyAsText) : {});
      } catch {
        body = {};
      }
      const message = str(obj(body.error).message) ?? `HTTP ${res.status}`;
      if (res.status === 404) return items;
      if (res.status === 401 || res.status === 403)
        throw new PermissionError(`${action} denied at ${scope}: ${message}`, action, scope, res.status);
      if (res.status === 429 || res.status >= 500)
        throw new TransientError(`Event Grid read failed: ${message}`, res.status);
      if (res.status >= 400) throw new RequestError(`Event Grid read failed: ${message}`, res.status);
      if (Array.isArray(body.value)) items.push(...body.value);
      url = str(body.nextLink);
    }
    return items;
  }
}
