// Small value normalisers shared by every format: GUIDs, statuses, times, operation names.
// Each returns null (plus a note) for what it cannot use, so a record is never rejected for a side field.
import { canonicalGuid } from "../config/settings";
import type { OperationStatus } from "./types";

/** Collects human sentences about a record while it is being normalised. */
export type Notes = string[];

/** A short, printable preview of a value for error messages (never dumps a 10 MB string). */
export function preview(value: unknown, max = 60): string {
  let text: string;
  if (typeof value === "string")
    text = JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
  else if (value === undefined) text = "nothing";
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
    if (text.length > max) text = `${text.slice(0, max)}…`;
  }
  if (typeof value === "string" && value.length > max) text += ` (${value.length} characters)`;
  return text;
}

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `a string ${preview(value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return typeof value;
}

export function nonEmptyString(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** Placeholders seen in documentation samples: `{subscription-id}`, `<GUID>`, `azure_subscription_id`. */
function isPlaceholder(text: string): boolean {
  return /^\{[^}]*\}$|^<[^>]*>$|^[a-z]+(_[a-z]+)+$/i.test(text);
}

/**
 * A GUID field: canonical (lower case, dashed) or null. A present value that is not a GUID gets a note
 * naming the field, so the user can see why e.g. the subscription is unknown.
 */
export function guidField(value: unknown, field: string, notes: Notes): string | null {
  const text = nonEmptyString(value);
  if (text === null) return null;
  // Ids sometimes arrive as full resource ids ending in the GUID (roleDefinitionId, roleAssignmentId).
  const last = text.includes("/") ? (text.split("/").filter(Boolean).pop() ?? text) : text;
  const guid = canonicalGuid(last);
  if (guid) return guid;
  notes.push(
    isPlaceholder(last)
      ? `${field} is the placeholder ${preview(text)}, not a GUID; treated as unknown`
      : `${field} ${preview(text)} is not a GUID; treated as unknown`,
  );
  return null;
}

/** Status words of every format, lower-cased, to the normalised status. Behaviour as data. */
const STATUS_WORDS: Record<string, OperationStatus> = {
  start: "started",
  started: "started",
  beginrequest: "started",
  success: "succeeded",
  succeeded: "succeeded",
  failure: "failed",
  failed: "failed",
  cancel: "canceled",
  canceled: "canceled",
  cancelled: "canceled",
  accepted: "accepted",
  accept: "accepted",
};

export function normaliseStatus(value: unknown, notes: Notes): OperationStatus {
  const text = nonEmptyString(valueOf(value));
  if (text === null) {
    notes.push("the record has no status; treated as other");
    return "other";
  }
  const status = STATUS_WORDS[text.toLowerCase()];
  if (status) return status;
  notes.push(`status ${preview(text)} is not a known outcome; treated as other`);
  return "other";
}

/** Event Grid event-type suffixes to outcomes (reference §1.2). */
const EVENT_TYPE_SUFFIXES: Array<[RegExp, OperationStatus]> = [
  [/success$/i, "succeeded"],
  [/failure$/i, "failed"],
  [/cancel$/i, "canceled"],
];

export function statusFromEventType(eventType: string): OperationStatus | null {
  for (const [pattern, status] of EVENT_TYPE_SUFFIXES) if (pattern.test(eventType)) return status;
  return null;
}

/** `{value, localizedValue}` (REST activity log) or a plain string. */
export function valueOf(value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value) && "value" in value) {
    return (value as { value: unknown }).value;
  }
  return value;
}

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function offsetText(raw: string | undefined, notes: Notes): string {
  if (!raw) {
    notes.push("the time has no zone; read as UTC");
    return "Z";
  }
  if (raw.toUpperCase() === "Z") return "Z";
  return raw.includes(":") ? raw : `${raw.slice(0, 3)}:${raw.slice(3)}`;
}

/** `YYYY-MM-DD…`: a month 1-12 and a day that month has (leap years included). */
export function isCalendarDate(iso: string): boolean {
  const [year, month, day] = iso.slice(0, 10).split("-").map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * ISO 8601 with any number of fractional digits (Azure writes 7, some exports 9), `+00:00` offsets,
 * and the US style `1/9/2007 10:41:00 AM +01:00` → `toISOString()`; null when it is not a time.
 */
export function normaliseTime(value: unknown, notes: Notes): string | null {
  const text = nonEmptyString(value);
  if (text === null) return null;
  let iso: string | null = null;
  const m = ISO.exec(text);
  if (m) {
    const [, date, clock, fraction, zone] = m;
    const seconds = clock!.length === 5 ? `${clock}:00` : clock!;
    const millis = (fraction ?? "").padEnd(3, "0").slice(0, 3);
    iso = `${date}T${seconds}.${millis}${offsetText(zone, notes)}`;
  } else {
    const u = US.exec(text);
    if (u) {
      const [, month, day, year, hourRaw, minute, second, ampm, zone] = u;
      let hour = Number(hourRaw);
      if (ampm) hour = (hour % 12) + (ampm.toUpperCase() === "PM" ? 12 : 0);
      const pad = (n: string | number) => String(n).padStart(2, "0");
      iso = `${year}-${pad(month!)}-${pad(day!)}T${pad(hour)}:${minute}:${second ?? "00"}.000${offsetText(zone, notes)}`;
    }
  }
  // Date() rolls an impossible day over (Feb 30 → Mar 2): a time that names no real day is not a time.
  if (iso === null || !isCalendarDate(iso)) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** `/subscriptions/{id}/…` in any casing → the id segment. */
export function subscriptionFromPath(path: unknown): string | null {
  const text = nonEmptyString(path);
  if (!text) return null;
  const m = /^\/?subscriptions\/([^/]+)/i.exec(text);
  return m ? m[1]! : null;
}

/** Parses a value that may be an object or a JSON-encoded object (alert claims, old SDK shapes). */
export function objectOrJson(value: unknown, field: string, notes: Notes): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value === "string") {
    if (value.trim() === "") return null;
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // fall through to the note
    }
    notes.push(`${field} is a string that is not a JSON object (${preview(value)}); ignored`);
    return null;
  }
  notes.push(`${field} is ${describeType(value)}, not an object; ignored`);
  return null;
}
