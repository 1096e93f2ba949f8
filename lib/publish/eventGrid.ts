// Publishes one CloudEvent per reviewed incident to an Event Grid custom topic. Key auth
// (aeg-sas-key) or identity auth (Bearer token, "EventGrid Data Sender" role). Failures the SDK could
// not retry away become TransientError (try again later) or PermissionError / RequestError.
import { AzureKeyCredential, type TokenCredential } from "@azure/core-auth";
import { EventGridPublisherClient, type EventGridPublisherClientOptions } from "@azure/eventgrid";
import type { CloudName } from "../config/settings";
import type { IncidentRecord } from "../store/types";
import { PermissionError, RequestError, TransientError } from "../tenant/errors";
import { incidentCloudEvent } from "./incidentEvent";
import type { Logger, Publisher } from "./types";

export interface EventGridPublisherOptions {
  cloud?: CloudName;
  logger?: Logger;
  /** Retry options, extra pipeline policies (tests trust their CA with one). */
  clientOptions?: EventGridPublisherClientOptions;
}

interface ServiceError {
  statusCode?: number;
  code?: string;
  message?: string;
}

export function mapPublishError(err: unknown, endpoint: string): Error {
  const e = (err ?? {}) as ServiceError;
  const status = e.statusCode;
  const message =
    `publishing to ${endpoint} failed: ${e.message ?? String(err)}`.split("\n")[0] ?? "publishing failed";
  if (status === undefined || status === 408 || status === 429 || status >= 500)
    return new TransientError(message, status, e.code);
  if (status === 401 || status === 403)
    return new PermissionError(message, "Microsoft.EventGrid/events/send/action", endpoint, status);
  return new RequestError(message, status, e.code);
}

export class EventGridPublisher implements Publisher {
  private readonly client: EventGridPublisherClient<"CloudEvent">;

  constructor(
    private readonly endpoint: string,
    credential: AzureKeyCredential | TokenCredential,
    private readonly options: EventGridPublisherOptions = {},
  ) {
    this.client = new EventGridPublisherClient(endpoint, "CloudEvent", credential, options.clientOptions);
  }

  static withKey(endpoint: string, key: string, options?: EventGridPublisherOptions): EventGridPublisher {
    return new EventGridPublisher(endpoint, new AzureKeyCredential(key), options);
  }

  async publishIncident(incident: IncidentRecord): Promise<void> {
    const event = incidentCloudEvent(incident, this.options.cloud);
    try {
      await this.client.send([event]);
    } catch (err) {
      const mapped = mapPublishError(err, this.endpoint);
      this.options.logger?.error("publishing incident failed", {
        incidentId: incident.id,
        operationKey: incident.operationKey,
        error: mapped,
      });
      throw mapped;
    }
    this.options.logger?.info("incident published", {
      incidentId: incident.id,
      operationKey: incident.operationKey,
      cloudEventId: event.id,
      findings: event.data.counts.findings,
    });
  }
}

/** When no topic is configured: the incident still shows up, in the logs. */
export class LogOnlyPublisher implements Publisher {
  constructor(private readonly logger: Logger) {}

  async publishIncident(incident: IncidentRecord): Promise<void> {
    const event = incidentCloudEvent(incident);
    this.logger.info("incident reviewed (FINDINGS_TOPIC_ENDPOINT not set: not published)", {
      incidentId: incident.id,
      operationKey: incident.operationKey,
      severity: incident.classification.severity,
      counts: event.data.counts,
    });
  }
}
