// CloudEvents 1.0 (reference §1.6): `type` ← eventType, `source` ← topic, `time` ← eventTime.
import { z } from "zod";
import { describeIssues, reject } from "../build";
import { preview } from "../values";
import { isObject, type EventFormat } from "./format";
import { normalizeResourceEvent } from "./resourceEvent";

export const CloudEventEnvelope = z.looseObject({
  specversion: z.string(),
  id: z.unknown().optional(),
  type: z.string(),
  source: z.unknown().optional(),
  subject: z.unknown().optional(),
  time: z.unknown(),
  data: z.unknown().optional(),
  data_base64: z.unknown().optional(),
});

export const cloudEventsFormat: EventFormat = {
  source: "cloudevents",
  description: "CloudEvents 1.0 (specversion, type, data)",
  detect: (r) => "specversion" in r,
  normalize(record, where) {
    const parsed = CloudEventEnvelope.safeParse(record);
    if (!parsed.success) return reject(where, `CloudEvent: ${describeIssues(parsed.error.issues)}`);
    const e = parsed.data;
    if (e.specversion !== "1.0")
      return reject(where, `CloudEvent specversion ${preview(e.specversion)} is not 1.0`);
    if (e.data === undefined && e.data_base64 !== undefined)
      return reject(where, `CloudEvent ${e.type} carries binary data (data_base64), not an activity event`);
    if (!isObject(e.data) && typeof e.data !== "string")
      return reject(where, `CloudEvent ${e.type} has no data object`);
    return normalizeResourceEvent(
      {
        source: "cloudevents",
        id: e.id,
        type: e.type,
        time: e.time,
        subject: e.subject,
        topic: e.source,
        data: e.data,
      },
      record,
      where,
      [],
    );
  },
};
