// Event Grid dead-letter blobs: the undelivered event as it was (Event Grid schema, or CloudEvents for
// namespace topics) plus delivery metadata: deadLetterReason, deliveryAttempts, lastDeliveryOutcome,
// lastHttpStatusCode, publishTime, lastDeliveryAttemptTime. Replaying them is how missed events are recovered.
import { reject } from "../build";
import { nonEmptyString, preview } from "../values";
import { cloudEventsFormat } from "./cloudevents";
import { eventGridFormat } from "./eventgrid";
import type { EventFormat, JsonObject } from "./format";

const DEAD_LETTER_KEYS = ["deadLetterReason", "deadletterreason", "lastDeliveryOutcome", "deliveryAttempts"];

function deliveryNote(r: JsonObject): string {
  const reason = nonEmptyString(r.deadLetterReason ?? r.deadletterreason) ?? "unknown reason";
  const attempts = r.deliveryAttempts ?? r.deliveryattempts;
  const outcome = nonEmptyString(r.lastDeliveryOutcome ?? r.lastdeliveryoutcome);
  const status = r.lastHttpStatusCode ?? r.lasthttpstatuscode;
  const parts = [`dead-lettered (${reason})`];
  if (attempts !== undefined) parts.push(`after ${preview(attempts)} delivery attempts`);
  if (outcome)
    parts.push(`last outcome ${outcome}${status !== undefined ? ` (HTTP ${preview(status)})` : ""}`);
  return parts.join(", ");
}

export const deadLetterFormat: EventFormat = {
  source: "deadletter",
  description: "Event Grid dead-letter record (an event plus deadLetterReason, deliveryAttempts)",
  detect: (r) => DEAD_LETTER_KEYS.some((k) => k in r) && ("eventType" in r || "specversion" in r),
  normalize(record, where) {
    const inner = "specversion" in record ? cloudEventsFormat : eventGridFormat;
    const item = inner.normalize(record, where);
    if ("rejected" in item) return reject(where, `dead-letter record: ${item.error}`);
    return { ...item, source: "deadletter", notes: [deliveryNote(record), ...item.notes] };
  },
};
