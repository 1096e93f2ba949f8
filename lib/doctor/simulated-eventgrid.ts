// Event Grid for the offline doctor. The tenant simulator (lib/simulator) has no Event Grid routes and
// no route extension point, so this is an HttpClient of its own that answers the two ARM GETs the
// EventGridPort makes, from in-memory state. By default the state is what infra/ deploys for each
// watched subscription; tests change it to reproduce misconfigurations.
import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { FUNCTION_NAME } from "../../functions/names";
import { EXPECTED_EVENT_TYPES, EXPECTED_OPERATION_SUFFIXES } from "./wiring";

export interface SimulatedTopic {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  topicType?: string;
  eventSubscriptions: Array<{
    name: string;
    endpointType?: string;
    resourceId?: string;
    includedEventTypes?: string[] | null;
    advancedFilters?: Array<{ operatorType: string; key: string; values?: string[] }>;
    provisioningState?: string;
    deadLetter?: boolean;
  }>;
}

export const SIMULATED_FUNCTION_APP_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-responder/providers/Microsoft.Web/sites/func-responder";

/** The wiring infra/modules/event-subscription.bicep creates. */
export function deployedWiring(
  subscriptionId: string,
  functionAppId = SIMULATED_FUNCTION_APP_ID,
): SimulatedTopic {
  return {
    subscriptionId,
    resourceGroup: "rg-responder-events",
    name: `evgt-sub-${subscriptionId}`,
    eventSubscriptions: [
      {
        name: "unregister-responder",
        endpointType: "AzureFunction",
        resourceId: `${functionAppId}/functions/${FUNCTION_NAME}`,
        includedEventTypes: [...EXPECTED_EVENT_TYPES],
        advancedFilters: [
          {
            operatorType: "StringEndsWith",
            key: "data.operationName",
            values: [...EXPECTED_OPERATION_SUFFIXES],
          },
        ],
        provisioningState: "Succeeded",
        deadLetter: true,
      },
    ],
  };
}

function respond(request: PipelineRequest, status: number, body: unknown): PipelineResponse {
  return {
    request,
    status,
    headers: createHttpHeaders({ "content-type": "application/json" }),
    bodyAsText: JSON.stringify(body),
  };
}

export class SimulatedEventGrid implements HttpClient {
  /** Every request path seen, for tests. */
  readonly calls: string[] = [];
  /** Answer every request with 403 AuthorizationFailed (a caller without Event Grid read rights). */
  deny = false;

  constructor(public topics: SimulatedTopic[]) {}

  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname);
    this.calls.push(path);
    if (this.deny)
      return respond(request, 403, {
        error: {
          code: "AuthorizationFailed",
          message: `The client does not have authorization to perform action 'Microsoft.EventGrid/systemTopics/read' over scope '${path}'`,
        },
      });
    if (!url.searchParams.get("api-version"))
      return respond(request, 400, {
        error: { code: "MissingApiVersionParameter", message: "api-version is required" },
      });

    const list = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.EventGrid\/systemTopics$/i.exec(path);
    if (list) {
      const sub = list[1]!.toLowerCase();
      return respond(request, 200, {
        value: this.topics
          .filter((t) => t.subscriptionId.toLowerCase() === sub)
          .map((t) => this.topicBody(t)),
      });
    }
    const subs =
      /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.EventGrid\/systemTopics\/[^/]+)\/eventSubscriptions$/i.exec(
        path,
      );
    if (subs) {
      const topic = this.topics.find((t) => this.topicId(t).toLowerCase() === subs[1]!.toLowerCase());
      if (!topic)
        return respond(request, 404, {
          error: { code: "ResourceNotFound", message: `${subs[1]} not found` },
        });
      return respond(request, 200, {
        value: topic.eventSubscriptions.map((s) => ({
          id: `${this.topicId(topic)}/eventSubscriptions/${s.name}`,
          name: s.name,
          type: "Microsoft.EventGrid/systemTopics/eventSubscriptions",
          properties: {
            provisioningState: s.provisioningState ?? "Succeeded",
            destination: {
              endpointType: s.endpointType ?? "AzureFunction",
              properties: { resourceId: s.resourceId ?? null, maxEventsPerBatch: 1 },
            },
            filter: {
              includedEventTypes: s.includedEventTypes === undefined ? null : s.includedEventTypes,
              advancedFilters: s.advancedFilters ?? [],
            },
            eventDeliverySchema: "EventGridSchema",
            ...(s.deadLetter
              ? { deadLetterWithResourceIdentity: { identity: { type: "UserAssigned" } } }
              : {}),
          },
        })),
      });
    }
    return respond(request, 404, { error: { code: "InvalidResourceType", message: `no route for ${path}` } });
  }

  private topicId(t: SimulatedTopic): string {
    return `/subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroup}/providers/Microsoft.EventGrid/systemTopics/${t.name}`;
  }

  private topicBody(t: SimulatedTopic) {
    return {
      id: this.topicId(t),
      name: t.name,
      type: "Microsoft.EventGrid/systemTopics",
      location: t.location ?? "global",
      properties: {
        source: `/subscriptions/${t.subscriptionId}`,
        topicType: t.topicType ?? "Microsoft.Resources.Subscriptions",
        provisioningState: "Succeeded",
      },
    };
  }
}
