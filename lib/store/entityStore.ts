// The store's logic, written once over the EntityTable port; MemoryStore and TableStore only choose the
// backend. Concurrency comes from the table's rules: create-if-absent (409) and replace-if-etag (412).
//
// Layout (one table each; keys escaped with keyPart):
//   Incidents  PK = incident id,               RK = "incident"          the record
//              PK = "watch|" sub "|" actor,    RK = incident id         index row for openIncidents
//   Actions    PK = incident id,               RK = action id
//   Journal    PK = subscription,              RK = time "|" event id "|" assignment id  (time sorts)
//   Breaker    PK = subscription,              RK = UTC hour "2025-03-14T09"   {count}
//   Poison     PK = UTC day "2025-03-14",      RK = time "|" random
import { randomUUID } from "node:crypto";
import { TransientError } from "../tenant/errors";
import {
  actionToEntity,
  decodeDoc,
  entityToIncident,
  INCIDENT_ROW,
  incidentToEntity,
  journalToEntity,
  poisonToEntity,
} from "./codec";
import { EntityExistsError, EtagMismatchError, type EntityTable } from "./entityTable";
import { dayBucket, hourBucket, keyPart, MAX_COMPOSITE_PART_CHARS as PART, timeKey } from "./keys";
import {
  ConflictError,
  type ActionRecord,
  type IncidentRecord,
  type JournalEntry,
  type PoisonReader,
  type PoisonRecord,
  type Store,
} from "./types";

export interface StoreTables {
  incidents: EntityTable;
  actions: EntityTable;
  journal: EntityTable;
  breaker: EntityTable;
  poison: EntityTable;
}

export const TABLE_SUFFIXES = ["Incidents", "Actions", "Journal", "Breaker", "Poison"] as const;

/** Optimistic-concurrency loops give up after this many lost races (each round, somebody wins). */
const MAX_RACE_ROUNDS = 60;
/** Poison reads cover at most this many days per call. */
const MAX_POISON_DAYS = 62;

const watchPartition = (subscriptionId: string, actorId: string): string =>
  `watch|${keyPart(subscriptionId.toLowerCase(), PART)}|${keyPart(actorId.toLowerCase(), PART)}`;

/** A short random pause, so racing writers spread out instead of colliding again in lockstep. */
const backoff = (round: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * Math.min(2 + round * 2, 25))));

export class EntityStore implements Store, PoisonReader {
  constructor(protected readonly tables: StoreTables) {}

  async claimIncident(incident: IncidentRecord): Promise<{ claimed: boolean; incident: IncidentRecord }> {
    const entity = incidentToEntity(keyPart(incident.id), incident);
    let result: { claimed: boolean; incident: IncidentRecord };
    try {
      const etag = await this.tables.incidents.create(entity);
      result = { claimed: true, incident: { ...entityToIncident({ ...entity, etag }) } };
    } catch (err) {
      if (!(err instanceof EntityExistsError)) throw err;
      const existing = await this.getIncident(incident.id);
      if (!existing) throw new TransientError(`incident ${incident.id} was claimed but cannot be read yet`);
      result = { claimed: false, incident: existing };
    }
    // On both paths, so a crash between the two writes is repaired by the next delivery.
    await this.indexForWatch(result.incident);
    return result;
  }

  async getIncident(id: string): Promise<IncidentRecord | null> {
    const row = await this.tables.incidents.get(keyPart(id), INCIDENT_ROW);
    return row ? entityToIncident(row) : null;
  }

  async updateIncident(incident: IncidentRecord): Promise<IncidentRecord> {
    if (!incident.etag)
      throw new ConflictError(`incident ${incident.id}: update needs the etag of the version read`);
    const entity = incidentToEntity(keyPart(incident.id), incident);
    let etag: string;
    try {
      etag = await this.tables.incidents.replace(entity, incident.etag);
    } catch (err) {
      if (err instanceof EtagMismatchError)
        throw new ConflictError(`incident ${incident.id} changed since it was read; re-read and retry`);
      throw err;
    }
    const updated = entityToIncident({ ...entity, etag });
    await this.indexForWatch(updated);
    return updated;
  }

  async acquireLease(
    incidentId: string,
    owner: string,
    until: Date,
    now: Date = new Date(),
  ): Promise<IncidentRecord | null> {
    const untilIso = timeKey(until, "lease end");
    for (let round = 0; round < MAX_RACE_ROUNDS; round++) {
      const current = await this.getIncident(incidentId);
      if (!current) throw new Error(`cannot lease incident ${incidentId}: no such incident`);
      const heldByOther =
        current.leaseOwner !== null &&
        current.leaseOwner !== owner &&
        current.leaseUntil !== null &&
        new Date(current.leaseUntil).getTime() > now.getTime();
      if (heldByOther) return null;
      try {
        return await this.updateIncident({
          ...current,
          leaseOwner: owner,
          leaseUntil: untilIso,
          updatedAt: now.toISOString(),
        });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        await backoff(round); // someone else wrote in between: look again
      }
    }
    throw new TransientError(`lease on incident ${incidentId}: too much contention, try again later`);
  }

  async openIncidents(subscriptionId: string, actorId: string, at: Date): Promise<IncidentRecord[]> {
    const atKey = timeKey(at, "openIncidents time");
    const index = await this.tables.incidents.query(watchPartition(subscriptionId, actorId));
    const open = index.filter((row) => String(row.watchUntilKey) >= atKey);
    const incidents = await Promise.all(open.map((row) => this.getIncident(String(row.incidentId))));
    return incidents
      .filter((i): i is IncidentRecord => i !== null && new Date(i.watchUntil).getTime() >= at.getTime())
      .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }

  async recordActionIntent(action: ActionRecord): Promise<{ created: boolean; action: ActionRecord }> {
    const entity = actionToEntity(keyPart(action.incidentId), keyPart(action.actionId), action);
    try {
      await this.tables.actions.create(entity);
      return { created: true, action: decodeDoc<ActionRecord>(entity) };
    } catch (err) {
      if (!(err instanceof EntityExistsError)) throw err;
      const existing = await this.tables.actions.get(entity.partitionKey, entity.rowKey);
      if (!existing)
        throw new TransientError(`action ${action.actionId} was recorded but cannot be read yet`);
      return { created: false, action: decodeDoc<ActionRecord>(existing) };
    }
  }

  async recordActionOutcome(action: ActionRecord): Promise<void> {
    await this.tables.actions.upsert(
      actionToEntity(keyPart(action.incidentId), keyPart(action.actionId), action),
    );
  }

  async actions(incidentId: string): Promise<ActionRecord[]> {
    const rows = await this.tables.actions.query(keyPart(incidentId));
    return rows.map((row) => decodeDoc<ActionRecord>(row));
  }

  async action(incidentId: string, actionId: string): Promise<ActionRecord | null> {
    const row = await this.tables.actions.get(keyPart(incidentId), keyPart(actionId));
    return row ? decodeDoc<ActionRecord>(row) : null;
  }

  /** Idempotent: the same event appending the same assignment twice leaves one row. */
  async appendJournal(entry: JournalEntry): Promise<void> {
    const rowKey = `${timeKey(entry.time, "journal entry time")}|${keyPart(entry.eventId, PART)}|${keyPart(entry.assignmentId.toLowerCase(), PART)}`;
    await this.tables.journal.upsert(
      journalToEntity(keyPart(entry.subscriptionId.toLowerCase()), rowKey, entry),
    );
  }

  /** Entries with from <= time <= to, oldest first. */
  async journal(subscriptionId: string, from: Date, to: Date): Promise<JournalEntry[]> {
    const rows = await this.tables.journal.query(keyPart(subscriptionId.toLowerCase()), {
      from: timeKey(from, "journal range start"),
      // "}" sorts after "|", so every row of the last millisecond is included.
      to: `${timeKey(to, "journal range end")}}`,
    });
    return rows.map((row) => decodeDoc<JournalEntry>(row));
  }

  async takeBreakerToken(subscriptionId: string, now: Date, limitPerHour: number): Promise<boolean> {
    if (limitPerHour <= 0) return false;
    const partitionKey = keyPart(subscriptionId.toLowerCase());
    const rowKey = hourBucket(now);
    for (let round = 0; round < MAX_RACE_ROUNDS; round++) {
      const current = await this.tables.breaker.get(partitionKey, rowKey);
      try {
        if (!current) {
          await this.tables.breaker.create({ partitionKey, rowKey, count: 1 });
          return true;
        }
        const count = Number(current.count ?? 0);
        if (count >= limitPerHour) return false;
        await this.tables.breaker.replace({ partitionKey, rowKey, count: count + 1 }, current.etag);
        return true;
      } catch (err) {
        if (!(err instanceof EntityExistsError) && !(err instanceof EtagMismatchError)) throw err;
        await backoff(round); // lost the race for this token: read the new count and try again
      }
    }
    // Fail closed but honestly: the caller retries later rather than reporting a tripped breaker.
    throw new TransientError(`breaker for ${subscriptionId}: too much contention, try again later`);
  }

  async recordPoison(record: PoisonRecord): Promise<void> {
    const parsed = new Date(record.time);
    const when = Number.isNaN(parsed.getTime()) ? new Date() : parsed;
    await this.tables.poison.upsert(
      poisonToEntity(dayBucket(when), `${when.toISOString()}|${randomUUID()}`, {
        ...record,
        time: when.toISOString(),
      }),
    );
  }

  async poison(from: Date, to: Date): Promise<PoisonRecord[]> {
    const fromKey = timeKey(from, "poison range start");
    const toKey = `${timeKey(to, "poison range end")}}`;
    const days: string[] = [];
    for (
      let d = new Date(`${dayBucket(from)}T00:00:00Z`);
      d.getTime() <= to.getTime();
      d.setUTCDate(d.getUTCDate() + 1)
    ) {
      days.push(dayBucket(d));
      if (days.length > MAX_POISON_DAYS)
        throw new RangeError(`poison: ask for at most ${MAX_POISON_DAYS} days at once`);
    }
    const rows = (
      await Promise.all(days.map((day) => this.tables.poison.query(day, { from: fromKey, to: toKey })))
    ).flat();
    return rows.map((row) => decodeDoc<PoisonRecord>(row));
  }

  private async indexForWatch(incident: IncidentRecord): Promise<void> {
    if (!incident.actorId) return;
    await this.tables.incidents.upsert({
      partitionKey: watchPartition(incident.subscriptionId, incident.actorId),
      rowKey: keyPart(incident.id),
      incidentId: incident.id,
      watchUntilKey: timeKey(incident.watchUntil, `incident ${incident.id} watchUntil`),
    });
  }
}
