// Diagnostic-settings export (reference §2b): Event Hubs `{records:[…]}` or Storage JSON Lines (PT1H.json).
// operationName and resourceId come UPPER CASE; caller identity lives under `identity`.
import { z } from "zod";
import { build, describeIssues, reject } from "../build";
import { objectOrJson } from "../values";
import { isObject, type EventFormat } from "./format";

export const DiagnosticRecord = z.looseObject({
  time: z.unknown(),
  operationName: z.union([z.string(), z.looseObject({ value: z.unknown() })]),
  resultType: z.unknown().optional(),
  status: z.unknown().optional(),
  resourceId: z.unknown().optional(),
  correlationId: z.unknown().optional(),
  callerIpAddress: z.unknown().optional(),
  identity: z.unknown().optional(),
  tenantId: z.unknown().optional(),
  properties: z.unknown().optional(),
});

export const diagnosticFormat: EventFormat = {
  source: "diagnostic",
  description: "diagnostic-settings export record (time, operationName, resultType, identity)",
  detect: (r) => "time" in r && "operationName" in r,
  normalize(record, where) {
    const parsed = DiagnosticRecord.safeParse(record);
    if (!parsed.success) return reject(where, `diagnostic record: ${describeIssues(parsed.error.issues)}`);
    const r = parsed.data;
    const notes: string[] = [];
    // Sign-in records carry `identity` as a display name string: no claims, not an error.
    const identity = isObject(r.identity) ? r.identity : null;
    const props = objectOrJson(r.properties, "properties", notes);
    return build(
      {
        source: "diagnostic",
        eventId: props?.eventDataId,
        correlationId: r.correlationId,
        time: r.time,
        operationName: r.operationName,
        // resultType is the export's status word; hybrid captures also carry a REST-style status.
        status: r.resultType ?? r.status,
        subscription: [
          { value: r.resourceId, from: "resourceId", path: true },
          {
            value: props?.hierarchy ? String(props.hierarchy).split("/").pop() : undefined,
            from: "properties.hierarchy",
          },
        ],
        tenantId: r.tenantId,
        resourceId: r.resourceId,
        claims: identity?.claims,
        claimsField: "identity.claims",
        caller: props?.caller,
        ipAddress: r.callerIpAddress,
        authorization: identity?.authorization,
        properties: props,
      },
      record,
      where,
      notes,
    );
  },
};
