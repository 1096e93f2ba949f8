// In-memory entry points: a parsed JSON document (any container) → IntakeItems, and one event as the
// Azure Functions Event Grid trigger delivers it. Neither throws: what cannot be read becomes a Rejected.
import { reject } from "./build";
import { FORMATS, isObject, type JsonObject } from "./formats/index";
import type { IntakeItem } from "./types";
import { describeType } from "./values";

/** Top-level keys that wrap a list of records: Event Hubs / diagnostic `records`, ARM list `value`. */
const WRAPPER_KEYS = ["records", "value"] as const;

/** Shapes that are JSON but clearly not captured events, with the hint the user needs. */
const NOT_EVENTS: Array<{ test: (r: JsonObject) => boolean; why: string }> = [
  {
    test: (r) => Array.isArray(r.roleAssignments) || (Array.isArray(r.subscriptions) && "tenantId" in r),
    why: "this is a tenant snapshot, not captured events (pass it with --tenant)",
  },
  {
    test: (r) => isObject(r.properties) && ("roleName" in r.properties || "permissions" in r.properties),
    why: "this is a role definition, not an event (use the roles command)",
  },
];

/** One record (already known not to be a container) → an event or a Rejected. */
export function normalizeRecord(record: unknown, where: string): IntakeItem {
  try {
    if (!isObject(record))
      return reject(
        where,
        `expected a JSON object (an event) or an array of events, got ${describeType(record)}`,
      );
    const format = FORMATS.find((f) => f.detect(record));
    if (format) return format.normalize(record, where);
    const known = NOT_EVENTS.find((n) => n.test(record));
    if (known) return reject(where, known.why);
    const keys = Object.keys(record).slice(0, 8).join(", ") || "none";
    return reject(
      where,
      `not a recognised event format (keys: ${keys}); expected one of: ${FORMATS.map((f) => f.description).join("; ")}`,
    );
  } catch (err) {
    // A bug of ours must not stop the batch: report it against the record.
    return reject(
      where,
      `internal error while reading the record: ${(err as Error)?.message ?? String(err)}`,
    );
  }
}

/** The list of records a document wraps, or null when it is a record itself. */
export function wrappedRecords(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (isObject(value)) {
    for (const key of WRAPPER_KEYS) {
      const inner = value[key];
      if (Array.isArray(inner) && !FORMATS.some((f) => f.detect(value))) return inner;
    }
  }
  return null;
}

/**
 * Any parsed JSON document: one event, an array of events (Event Grid batch, CloudEvents batch,
 * `az monitor activity-log list`, dead-letter blob), `{value:[…]}` (activity-log REST page) or
 * `{records:[…]}` (diagnostic export). Every record shares `where`.
 */
export function parseDocument(value: unknown, where: string): IntakeItem[] {
  const records = wrappedRecords(value);
  if (records === null) return [normalizeRecord(value, where)];
  return records
    .map((record) =>
      // Nested containers (an array of Event Hubs messages) are unwrapped once more.
      wrappedRecords(record) !== null && !Array.isArray(record)
        ? parseDocument(record, where)
        : [normalizeRecord(record, where)],
    )
    .flat();
}

/**
 * One event as `app.eventGrid` hands it to the handler (@azure/functions EventGridEvent: id, topic,
 * subject, eventType, eventTime, data, dataVersion, metadataVersion). CloudEvents deliveries and
 * dead-letter records are accepted too. `where` names the delivery, e.g. `eventgrid:<invocationId>`.
 */
export function normalizeEventGridEvent(event: unknown, where: string): IntakeItem {
  return normalizeRecord(event, where);
}
