// The format registry, in detection order: the most specific shapes first (a dead-letter record is
// also an Event Grid event; an alert also has a `data`).
import { activityLogFormat } from "./activitylog";
import { alertFormat } from "./alert";
import { cloudEventsFormat } from "./cloudevents";
import { deadLetterFormat } from "./deadletter";
import { diagnosticFormat } from "./diagnostic";
import { eventGridFormat } from "./eventgrid";
import type { EventFormat } from "./format";

export const FORMATS: readonly EventFormat[] = [
  deadLetterFormat,
  alertFormat,
  cloudEventsFormat,
  eventGridFormat,
  activityLogFormat,
  diagnosticFormat,
];

export { isObject, type EventFormat, type JsonObject } from "./format";
