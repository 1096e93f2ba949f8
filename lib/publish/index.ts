// Chooses the publisher from settings: topic key (key auth), topic endpoint alone (identity auth,
// recommended), or no endpoint (log-only, so a missing setting is visible rather than silent).
import type { TokenCredential } from "@azure/core-auth";
import type { EventGridPublisherClientOptions } from "@azure/eventgrid";
import { DefaultAzureCredential } from "@azure/identity";
import type { Settings } from "../config/settings";
import { EventGridPublisher, LogOnlyPublisher } from "./eventGrid";
import { createLogger } from "./logger";
import type { Logger, Publisher } from "./types";

export { EventGridPublisher, LogOnlyPublisher, mapPublishError } from "./eventGrid";
export { createLogger, type LogLevel, type LogSink, type StructuredLogger } from "./logger";
export {
  incidentCloudEvent,
  INCIDENT_EVENT_TYPE,
  type IncidentCloudEvent,
  type IncidentEventData,
} from "./incidentEvent";
export { redact, redactString, REDACTED, REDACTED_KEYS, REDACTED_VALUES } from "./redact";
export type { Logger, Publisher } from "./types";

export type PublisherSettings = Pick<
  Settings,
  "findingsTopicEndpoint" | "findingsTopicKey" | "azureClientId" | "cloud"
>;

export interface CreatePublisherOptions {
  logger?: Logger;
  clientOptions?: EventGridPublisherClientOptions;
}

export function createPublisher(
  settings: PublisherSettings,
  credential?: TokenCredential,
  opts: CreatePublisherOptions = {},
): Publisher {
  const logger = opts.logger ?? createLogger();
  const endpoint = settings.findingsTopicEndpoint;
  if (!endpoint) return new LogOnlyPublisher(logger);
  const options = { cloud: settings.cloud, logger, clientOptions: opts.clientOptions };
  if (settings.findingsTopicKey)
    return EventGridPublisher.withKey(endpoint, settings.findingsTopicKey, options);
  const identity =
    credential ??
    new DefaultAzureCredential(
      settings.azureClientId ? { managedIdentityClientId: settings.azureClientId } : {},
    );
  return new EventGridPublisher(endpoint, identity, options);
}
