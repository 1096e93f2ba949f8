// Event Grid's Microsoft.Resources.* events, in the Event Grid schema, as CloudEvents 1.0, and as
// dead-letter records. All three share the `data` payload (reference §1.4); only the envelope differs.
import { z } from "zod";
import { build, describeIssues, reject, type RawEvent } from "../build";
import type { ActivityEvent, EventSource, Rejected } from "../types";
import { normaliseStatus, objectOrJson, preview, statusFromEventType, valueOf, type Notes } from "../values";
import type { JsonObject } from "./format";

/** Older SDKs typed data (and claims, authorization) as JSON strings: accept both. */
const jsonObject = (field: string) =>
  z.preprocess((v) => (typeof v === "string" ? (objectOrJson(v, field, []) ?? v) : v), z.looseObject({}));

export const ResourceEventData = z.looseObject({
  operationName: z.union([z.string(), z.looseObject({ value: z.string() })]),
  status: z.unknown().optional(),
  correlationId: z.unknown().optional(),
  subscriptionId: z.unknown().optional(),
  tenantId: z.unknown().optional(),
  resourceUri: z.unknown().optional(),
  claims: z.unknown().optional(),
  authorization: z.unknown().optional(),
  httpRequest: z.unknown().optional(),
});

export interface Envelope {
  source: EventSource;
  id: unknown;
  type: string;
  time: unknown;
  subject: unknown;
  topic: unknown;
  data: unknown;
}

export function normalizeResourceEvent(
  envelope: Envelope,
  record: JsonObject,
  where: string,
  notes: Notes,
): ActivityEvent | Rejected {
  const parsed = jsonObject("data").pipe(ResourceEventData).safeParse(envelope.data);
  if (!parsed.success) {
    return reject(
      where,
      `${envelope.source} event ${preview(envelope.type)} has a bad data payload: ${describeIssues(
        parsed.error.issues.map((i) => ({ ...i, path: ["data", ...i.path] })),
      )}`,
    );
  }
  const data = parsed.data;
  const http = objectOrJson(data.httpRequest, "data.httpRequest", notes);
  const fromSuffix = statusFromEventType(envelope.type);
  const raw: RawEvent = {
    source: envelope.source,
    eventId: envelope.id,
    correlationId: data.correlationId,
    time: envelope.time,
    operationName: data.operationName,
    status: data.status,
    subscription: [
      { value: data.subscriptionId, from: "data.subscriptionId" },
      { value: envelope.topic, from: "topic", path: true },
      { value: data.resourceUri, from: "data.resourceUri", path: true },
      { value: envelope.subject, from: "subject", path: true },
    ],
    tenantId: data.tenantId,
    resourceId: data.resourceUri ?? envelope.subject,
    claims: data.claims,
    claimsField: "data.claims",
    caller: null,
    ipAddress: http?.clientIpAddress,
    authorization: data.authorization,
    eventType: envelope.type,
  };
  if (fromSuffix) {
    // The event type is what Event Grid routed on; documented Failure samples still say "Succeeded".
    raw.decidedStatus = fromSuffix;
    const said = valueOf(data.status);
    if (typeof said === "string" && said.trim() !== "") {
      const fromData = normaliseStatus(said, []);
      if (fromData !== fromSuffix) {
        notes.push(
          `data.status says ${preview(said)} but the event type ${envelope.type} says ${fromSuffix}; the event type wins`,
        );
      }
    }
  } else {
    notes.push(
      `event type ${preview(envelope.type)} has no Success/Failure/Cancel suffix; status read from data.status`,
    );
  }
  return build(raw, record, where, notes);
}
