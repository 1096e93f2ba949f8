// Azure Monitor common alert schema (reference §3) for activity-log alerts. `alertContext.claims` is a
// JSON-encoded string; `operationName` a plain string; times carry `+00:00`. A bare `{alertContext}`
// (as the docs show it) is read the same way.
import { z } from "zod";
import { build, describeIssues, reject } from "../build";
import { objectOrJson, preview } from "../values";
import { isObject, type EventFormat, type JsonObject } from "./format";

export const AlertContext = z.looseObject({
  operationName: z.union([z.string(), z.looseObject({ value: z.unknown() })]),
  eventTimestamp: z.unknown(),
  status: z.unknown().optional(),
  caller: z.unknown().optional(),
  claims: z.unknown().optional(),
  correlationId: z.unknown().optional(),
  eventDataId: z.unknown().optional(),
  authorization: z.unknown().optional(),
  properties: z.unknown().optional(),
  httpRequest: z.unknown().optional(),
});

function parts(record: JsonObject): { essentials: JsonObject | null; context: unknown } {
  const data = isObject(record.data) ? record.data : record;
  return { essentials: isObject(data.essentials) ? data.essentials : null, context: data.alertContext };
}

export const alertFormat: EventFormat = {
  source: "alert",
  description: "Azure Monitor common alert schema (schemaId azureMonitorCommonAlertSchema)",
  detect: (r) =>
    r.schemaId === "azureMonitorCommonAlertSchema" ||
    "alertContext" in r ||
    (isObject(r.data) && "alertContext" in r.data),
  normalize(record, where) {
    const { essentials, context } = parts(record);
    if (!isObject(context)) return reject(where, "alert without a data.alertContext object");
    if (!("operationName" in context)) {
      const service = essentials ? preview(essentials.monitoringService) : "unknown";
      return reject(
        where,
        `alert (monitoring service ${service}) has no activity-log operation; only activity-log alerts are events`,
      );
    }
    const parsed = AlertContext.safeParse(context);
    if (!parsed.success)
      return reject(
        where,
        `activity-log alert: ${describeIssues(parsed.error.issues.map((i) => ({ ...i, path: ["alertContext", ...i.path] })))}`,
      );
    const c = parsed.data;
    const notes: string[] = [];
    const props = objectOrJson(c.properties, "alertContext.properties", notes);
    const auth = objectOrJson(c.authorization, "alertContext.authorization", notes);
    const http = objectOrJson(c.httpRequest, "alertContext.httpRequest", notes);
    const targets = essentials && Array.isArray(essentials.alertTargetIDs) ? essentials.alertTargetIDs : [];
    const resourceId = props?.entity ?? auth?.scope ?? targets[0];
    return build(
      {
        source: "alert",
        eventId: c.eventDataId,
        correlationId: c.correlationId,
        time: c.eventTimestamp,
        operationName: c.operationName,
        status: c.status,
        subscription: [
          { value: resourceId, from: "resource id", path: true },
          { value: targets[0], from: "essentials.alertTargetIDs", path: true },
          { value: essentials?.alertId, from: "essentials.alertId", path: true },
        ],
        tenantId: null,
        resourceId,
        claims: c.claims,
        claimsField: "alertContext.claims",
        caller: c.caller,
        ipAddress: http?.clientIpAddress,
        authorization: c.authorization,
        properties: props,
      },
      record,
      where,
      notes,
    );
  },
};
