// The one place a format's fields become an ActivityEvent: each format (formats/*.ts) only says where
// its fields live; GUIDs, statuses, times, subscription and caller are worked out here the same way for all.
import { createHash } from "node:crypto";
import type { z } from "zod";
import { actorFrom } from "./claims";
import type { ActivityEvent, EventSource, Evidence, OperationStatus, Rejected } from "./types";
import {
  guidField,
  nonEmptyString,
  normaliseStatus,
  normaliseTime,
  objectOrJson,
  preview,
  subscriptionFromPath,
  valueOf,
  type Notes,
} from "./values";

/** Where one format keeps each field. Values are raw (unknown); build() validates them. */
export interface RawEvent {
  source: EventSource;
  /** The record's own id (Event Grid id, activity-log eventDataId); a stable hash is used when absent. */
  eventId: unknown;
  correlationId: unknown;
  time: unknown;
  operationName: unknown;
  /** Either a raw status word, or an already-decided status (Event Grid's event-type suffix). */
  status: unknown;
  decidedStatus?: OperationStatus;
  /** Candidates for the subscription, best first, each with where it came from. */
  subscription: Array<{ value: unknown; from: string; path?: boolean }>;
  tenantId: unknown;
  resourceId: unknown;
  claims: unknown;
  claimsField: string;
  caller: unknown;
  ipAddress: unknown;
  authorization: unknown;
  eventType?: string;
  /** The record's `properties` (activity log, diagnostic export, alert), for the role-assignment response body. */
  properties?: Record<string, unknown> | null;
}

export function reject(where: string, error: string): Rejected {
  return { rejected: true, where, error };
}

/** zod issues → one sentence naming each bad field. */
export function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 4)
    .map((issue) => {
      const path = issue.path.length ? issue.path.join(".") : "the record";
      if (issue.code === "invalid_type" && /received undefined/.test(issue.message))
        return `${path} is missing`;
      return `${path}: ${issue.message.replace(/^Invalid input: /, "")}`;
    })
    .join("; ");
}

function stableId(record: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(record) ?? "";
  } catch {
    text = String(record);
  }
  return `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;
}

function evidenceFrom(authorization: unknown, notes: Notes): Evidence {
  const auth = objectOrJson(authorization, "authorization", notes);
  const ev = auth ? objectOrJson(auth.evidence, "authorization.evidence", notes) : null;
  if (!ev)
    return {
      roleAssignmentId: null,
      roleDefinitionId: null,
      principalId: null,
      principalType: null,
      scope: null,
    };
  const evidence: Evidence = {
    roleAssignmentId: guidField(ev.roleAssignmentId, "evidence.roleAssignmentId", notes),
    roleDefinitionId: guidField(ev.roleDefinitionId, "evidence.roleDefinitionId", notes),
    principalId: guidField(ev.principalId, "evidence.principalId", notes),
    principalType: nonEmptyString(ev.principalType),
    scope: nonEmptyString(ev.roleAssignmentScope) ?? nonEmptyString(ev.scope),
  };
  const role = nonEmptyString(ev.role);
  if (role !== null) evidence.role = role;
  return evidence;
}

function subscriptionFrom(raw: RawEvent, notes: Notes): string | null {
  const unusable: string[] = [];
  for (const candidate of raw.subscription) {
    const value = candidate.path ? subscriptionFromPath(candidate.value) : candidate.value;
    if (nonEmptyString(value) === null) continue;
    const guid = guidField(value, candidate.from, []);
    if (guid) return guid;
    unusable.push(`${preview(value)} in ${candidate.from}`);
  }
  // One sentence for all the places that held a placeholder, not one per place.
  if (unusable.length)
    notes.push(`no subscription id: ${unusable.join(", ")} is not a GUID; treated as unknown`);
  return null;
}

/**
 * A role-assignment delete leaves no other record of what was deleted: the activity log's
 * `properties.responseBody` (also spelled `responsebody`) holds it. Kept only for role-assignment
 * operations, so other records do not carry large bodies through the pipeline.
 */
function roleAssignmentResponseBody(
  event: ActivityEvent,
  properties: Record<string, unknown> | null | undefined,
): unknown {
  if (!properties || !event.operationNameLower.startsWith("microsoft.authorization/roleassignments/"))
    return undefined;
  const body = properties.responseBody ?? properties.responsebody;
  return body === null || body === "" ? undefined : body;
}

export function build(
  raw: RawEvent,
  record: unknown,
  where: string,
  notes: Notes = [],
): ActivityEvent | Rejected {
  const operationName = nonEmptyString(valueOf(raw.operationName));
  if (operationName === null) {
    const got = raw.operationName === undefined ? "it is missing" : `got ${preview(raw.operationName)}`;
    return reject(where, `${raw.source} record without an operationName (${got})`);
  }
  if (raw.time === undefined || raw.time === null)
    return reject(where, `${raw.source} record without a time`);
  const time = normaliseTime(raw.time, notes);
  if (time === null)
    return reject(where, `${raw.source} record has a time that is not a date: ${preview(raw.time)}`);

  const status = raw.decidedStatus ?? normaliseStatus(raw.status, notes);
  const claims = objectOrJson(raw.claims, raw.claimsField, notes);
  const event: ActivityEvent = {
    source: raw.source,
    eventId: nonEmptyString(raw.eventId) ?? stableId(record),
    correlationId: guidField(raw.correlationId, "correlationId", notes),
    time,
    operationName,
    operationNameLower: operationName.toLowerCase(),
    status,
    subscriptionId: subscriptionFrom(raw, notes),
    tenantId: guidField(raw.tenantId, "tenantId", notes),
    resourceId: nonEmptyString(raw.resourceId),
    actor: actorFrom(claims, raw.caller, raw.ipAddress, notes),
    evidence: evidenceFrom(raw.authorization, notes),
    where,
    notes,
  };
  if (event.tenantId === null && event.actor.tenantId) event.tenantId = event.actor.tenantId;
  if (raw.eventType) event.eventType = raw.eventType;
  const responseBody = roleAssignmentResponseBody(event, raw.properties);
  if (responseBody !== undefined) event.responseBody = responseBody;
  return event;
}
