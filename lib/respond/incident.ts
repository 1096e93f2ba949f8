// Incidents are named by their operation key, so every delivery of one operation (redelivery, a
// dead-letter copy, an activity-log export) names the same incident and the store's create-if-absent
// decides who handles it.
import { createHash } from "node:crypto";
import type { ActivityEvent } from "../events/types";
import type { Classification } from "../classify/types";
import type { IncidentRecord } from "../store/types";

const HOUR_MS = 3_600_000;

/** Without a correlation id the key would merge unrelated operations: fall back to the event id (as classify's dedup does). */
export function incidentKey(event: ActivityEvent, c: Classification): string {
  return event.correlationId ? c.operationKey.toLowerCase() : `eventid|${event.eventId}`;
}

export function incidentIdFor(event: ActivityEvent, c: Classification): string {
  return `inc-${createHash("sha256").update(incidentKey(event, c)).digest("hex").slice(0, 32)}`;
}

export function newIncident(
  event: ActivityEvent,
  c: Classification,
  watchHours: number,
  now: Date,
): IncidentRecord {
  const at = new Date(event.time);
  return {
    id: incidentIdFor(event, c),
    operationKey: c.operationKey,
    subscriptionId: event.subscriptionId ?? "",
    actorId: event.actor.objectId,
    eventId: event.eventId,
    time: event.time,
    watchUntil: new Date(at.getTime() + watchHours * HOUR_MS).toISOString(),
    classification: c,
    event,
    status: "open",
    findings: [],
    leaseOwner: null,
    leaseUntil: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}
