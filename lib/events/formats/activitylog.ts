// Activity log REST / `az monitor activity-log list` (reference §2a): `eventDataId`, `eventTimestamp`,
// `operationName.value`, `status.value`, `caller`, `claims`.
import { z } from "zod";
import { build, describeIssues, reject } from "../build";
import { objectOrJson } from "../values";
import type { EventFormat } from "./format";

const ValueOrString = z.union([z.string(), z.looseObject({ value: z.unknown() }), z.null()]);

export const ActivityLogRecord = z.looseObject({
  eventDataId: z.unknown().optional(),
  eventTimestamp: z.unknown(),
  operationName: ValueOrString,
  status: ValueOrString.optional(),
  caller: z.unknown().optional(),
  claims: z.unknown().optional(),
  authorization: z.unknown().optional(),
  correlationId: z.unknown().optional(),
  subscriptionId: z.unknown().optional(),
  tenantId: z.unknown().optional(),
  resourceId: z.unknown().optional(),
  httpRequest: z.unknown().optional(),
  properties: z.unknown().optional(),
});

export const activityLogFormat: EventFormat = {
  source: "activitylog",
  description: "activity log record (eventDataId, eventTimestamp, operationName.value)",
  detect: (r) => "eventDataId" in r || "eventTimestamp" in r,
  normalize(record, where) {
    const parsed = ActivityLogRecord.safeParse(record);
    if (!parsed.success) return reject(where, `activity log record: ${describeIssues(parsed.error.issues)}`);
    const r = parsed.data;
    const notes: string[] = [];
    const props = objectOrJson(r.properties, "properties", notes);
    const http = objectOrJson(r.httpRequest, "httpRequest", notes);
    return build(
      {
        source: "activitylog",
        eventId: r.eventDataId,
        correlationId: r.correlationId,
        time: r.eventTimestamp,
        operationName: r.operationName,
        status: r.status,
        subscription: [
          { value: r.subscriptionId, from: "subscriptionId" },
          { value: r.resourceId, from: "resourceId", path: true },
          {
            value: props?.hierarchy ? String(props.hierarchy).split("/").pop() : undefined,
            from: "properties.hierarchy",
          },
        ],
        tenantId: r.tenantId,
        resourceId: r.resourceId,
        claims: r.claims,
        claimsField: "claims",
        caller: r.caller,
        ipAddress: http?.clientIpAddress,
        authorization: r.authorization,
        properties: props,
      },
      record,
      where,
      notes,
    );
  },
};
