// Event Grid schema (reference §1.3): `eventType`, `eventTime`, `data`, `topic`, `subject`.
import { z } from "zod";
import { describeIssues, reject } from "../build";
import { isObject, type EventFormat } from "./format";
import { normalizeResourceEvent } from "./resourceEvent";

export const EventGridEnvelope = z.looseObject({
  id: z.unknown().optional(),
  eventType: z.string(),
  eventTime: z.unknown(),
  subject: z.unknown().optional(),
  topic: z.unknown().optional(),
  data: z.unknown(),
});

export const eventGridFormat: EventFormat = {
  source: "eventgrid",
  description: "Event Grid event (eventType, data)",
  detect: (r) => typeof r.eventType === "string" || ("eventTime" in r && "data" in r),
  normalize(record, where) {
    const parsed = EventGridEnvelope.safeParse(record);
    if (!parsed.success) return reject(where, `Event Grid event: ${describeIssues(parsed.error.issues)}`);
    const e = parsed.data;
    if (!isObject(e.data) && typeof e.data !== "string")
      return reject(where, `Event Grid event ${e.eventType} has no data object`);
    return normalizeResourceEvent(
      {
        source: "eventgrid",
        id: e.id,
        type: e.eventType,
        time: e.eventTime,
        subject: e.subject,
        topic: e.topic,
        data: e.data,
      },
      record,
      where,
      [],
    );
  },
};
