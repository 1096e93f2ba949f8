// Records <-> table rows. A record is kept whole as JSON split over properties d0..dN (Table Storage
// caps a property at 64 KiB and an entity at 1 MiB), beside a few plain columns for queries and for
// people browsing the table. Caps are applied here, before anything is written, with visible markers:
// - the stored event is scrubbed of secrets (claims, tokens) and its long strings are shortened;
// - findings that do not fit are dropped lowest-severity first and counted in `findingsOmitted`.
import type { ActivityEvent } from "../events/types";
import { severityRank } from "../classify/types";
import type { Finding } from "../review/types";
import { redact } from "../publish/redact";
import type { ActionRecord, IncidentRecord, JournalEntry, PoisonRecord } from "./types";
import type { Entity, EntityValue, StoredEntity } from "./entityTable";

/** Characters per document chunk (below the 32 Ki-character string property limit). */
export const CHUNK_CHARS = 30_000;
/** At most this many chunks: 14 x 30k chars x 2 bytes = 840 KB, leaving room below 1 MiB. */
export const MAX_CHUNKS = 14;
export const MAX_DOC_CHARS = CHUNK_CHARS * MAX_CHUNKS;
/** Budget for the stored event's JSON. */
export const MAX_EVENT_CHARS = 16_000;
/** Longest string kept in a stored event or an action's before/after state. */
const MAX_FIELD_CHARS = 2_000;
export const MAX_POISON_EXCERPT_CHARS = 2_000;
export const TRUNCATED_MARK = "…[truncated]";

export function encodeDoc(base: Entity, doc: unknown, what: string): Entity {
  const json = JSON.stringify(doc);
  if (json.length > MAX_DOC_CHARS)
    throw new RangeError(`${what} is too large to store (${json.length} characters)`);
  const entity: Entity = { ...base, chunks: Math.max(1, Math.ceil(json.length / CHUNK_CHARS)) };
  for (let i = 0; i * CHUNK_CHARS < json.length || i === 0; i++)
    entity[`d${i}`] = json.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS);
  return entity;
}

export function decodeDoc<T>(entity: Record<string, EntityValue>): T {
  const chunks = Number(entity.chunks ?? 1);
  let json = "";
  for (let i = 0; i < chunks; i++) json += String(entity[`d${i}`] ?? "");
  return JSON.parse(json) as T;
}

function shorten(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max - TRUNCATED_MARK.length) + TRUNCATED_MARK;
}

/** Deep copy with secrets removed and every string capped. */
function scrub(value: unknown, maxField: number): unknown {
  const clean = redact(value);
  const cap = (v: unknown): unknown => {
    if (typeof v === "string") return shorten(v, maxField);
    if (Array.isArray(v)) return v.map(cap);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cap(x)]));
    return v;
  };
  return cap(clean);
}

/** The event as stored: no claims or tokens, bounded size; a note says when it was cut. */
export function storableEvent(event: ActivityEvent): ActivityEvent {
  let stored = scrub(event, MAX_FIELD_CHARS) as ActivityEvent;
  if (JSON.stringify(stored).length > MAX_EVENT_CHARS) {
    stored = scrub(stored, 200) as ActivityEvent;
    const notes = stored.notes ?? [];
    stored.notes = [
      ...notes.slice(0, 20),
      `event shortened for storage (${notes.length} notes, long values cut)`,
    ];
  }
  return stored;
}

/** Fits the findings into what is left of the document budget, dropping the least severe first. */
export function fitFindings(findings: Finding[], budgetChars: number): { kept: Finding[]; omitted: number } {
  const sizes = findings.map((f) => JSON.stringify(f).length + 1);
  let total = sizes.reduce((a, b) => a + b, 2);
  if (total <= budgetChars) return { kept: findings, omitted: 0 };
  const dropOrder = findings
    .map((f, i) => ({ i, rank: severityRank(f.severity) }))
    .sort((a, b) => a.rank - b.rank || b.i - a.i);
  const dropped = new Set<number>();
  for (const { i } of dropOrder) {
    if (total <= budgetChars) break;
    dropped.add(i);
    total -= sizes[i] ?? 0;
  }
  return { kept: findings.filter((_f, i) => !dropped.has(i)), omitted: dropped.size };
}

export const INCIDENT_ROW = "incident";

export function incidentToEntity(partitionKey: string, incident: IncidentRecord): Entity {
  const { etag: _etag, ...record } = incident;
  const event = storableEvent(record.event);
  const withoutFindings = { ...record, event, findings: [] as Finding[], findingsOmitted: 0 };
  const budget = MAX_DOC_CHARS - JSON.stringify(withoutFindings).length - 64;
  const { kept, omitted } = fitFindings(record.findings, budget);
  const doc: IncidentRecord = { ...record, event, findings: kept };
  const previouslyOmitted = record.findingsOmitted ?? 0;
  if (omitted + previouslyOmitted > 0) doc.findingsOmitted = omitted + previouslyOmitted;
  return encodeDoc(
    {
      partitionKey,
      rowKey: INCIDENT_ROW,
      incidentId: record.id,
      operationKey: record.operationKey,
      subscriptionId: record.subscriptionId,
      actorId: record.actorId ?? "",
      status: record.status,
      watchUntil: record.watchUntil,
      leaseOwner: record.leaseOwner ?? "",
      leaseUntil: record.leaseUntil ?? "",
    },
    doc,
    `incident ${record.id}`,
  );
}

export function entityToIncident(entity: StoredEntity): IncidentRecord {
  return { ...decodeDoc<IncidentRecord>(entity), etag: entity.etag };
}

export function actionToEntity(partitionKey: string, rowKey: string, action: ActionRecord): Entity {
  const doc: ActionRecord = {
    ...action,
    before: scrub(action.before, 8_000),
    after: scrub(action.after, 8_000),
    error: action.error === null ? null : shorten(String(redact(action.error)), 4_000),
  };
  return encodeDoc(
    {
      partitionKey,
      rowKey,
      incidentId: action.incidentId,
      actionId: action.actionId,
      kind: action.kind,
      state: action.state,
      target: action.target,
    },
    doc,
    `action ${action.actionId}`,
  );
}

export function journalToEntity(partitionKey: string, rowKey: string, entry: JournalEntry): Entity {
  return encodeDoc(
    { partitionKey, rowKey, assignmentId: entry.assignmentId, operation: entry.operation, time: entry.time },
    scrub(entry, 8_000),
    `journal entry ${entry.assignmentId}`,
  );
}

export function poisonToEntity(partitionKey: string, rowKey: string, record: PoisonRecord): Entity {
  const doc: PoisonRecord = {
    where: shorten(String(redact(record.where)), 1_000),
    error: shorten(String(redact(record.error)), 4_000),
    excerpt: shorten(String(redact(record.excerpt)), MAX_POISON_EXCERPT_CHARS),
    time: record.time,
  };
  return encodeDoc({ partitionKey, rowKey, where: doc.where.slice(0, 200) }, doc, "poison record");
}
