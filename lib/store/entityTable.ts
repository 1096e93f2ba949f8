// The few table operations the store needs, with Table Storage's own concurrency rules:
// create fails when the row exists (409), update fails when the etag is stale (412).
// Two backends: Azure Table Storage (azureEntityTable.ts) and memory (below). The store logic is written
// once over this port, so both stores behave the same by construction (and a contract test proves it).
import { RequestError } from "../tenant/errors";

export type EntityValue = string | number | boolean;

export interface Entity {
  partitionKey: string;
  rowKey: string;
  [property: string]: EntityValue;
}

export interface StoredEntity extends Entity {
  etag: string;
}

export interface RowRange {
  /** Inclusive lower bound of the row key. */
  from?: string;
  /** Inclusive upper bound of the row key. */
  to?: string;
}

export interface EntityTable {
  readonly name: string;
  /** Throws EntityExistsError when a row with these keys exists. Returns the new etag. */
  create(entity: Entity): Promise<string>;
  get(partitionKey: string, rowKey: string): Promise<StoredEntity | null>;
  /** Replaces the row if its etag still matches; throws EtagMismatchError otherwise. Returns the new etag. */
  replace(entity: Entity, etag: string): Promise<string>;
  /** Creates or replaces, unconditionally. */
  upsert(entity: Entity): Promise<void>;
  /** Rows of one partition, in row-key order. */
  query(partitionKey: string, range?: RowRange): Promise<StoredEntity[]>;
}

export class EntityExistsError extends Error {
  constructor(table: string, partitionKey: string, rowKey: string) {
    super(`${table}: a row already exists at ${partitionKey}/${rowKey}`);
    this.name = "EntityExistsError";
  }
}

export class EtagMismatchError extends Error {
  constructor(table: string, partitionKey: string, rowKey: string) {
    super(`${table}: the row at ${partitionKey}/${rowKey} changed since it was read (stale etag)`);
    this.name = "EtagMismatchError";
  }
}

/** The characters Table Storage forbids in keys, as a character-class body (keys.ts escapes a superset). */
export const FORBIDDEN_KEY_CHARS = "/\\\\#?\\u0000-\\u001f\\u007f-\\u009f";
const FORBIDDEN_IN_KEYS = new RegExp(`[${FORBIDDEN_KEY_CHARS}]`);
/** Table Storage: 64 KiB per property; strings are UTF-16, so 32 Ki characters. */
export const MAX_STRING_PROPERTY_CHARS = 32 * 1024;
/** Table Storage: 1 MiB per entity. Strings count two bytes per character. */
export const MAX_ENTITY_BYTES = 1024 * 1024;

/** The limits Table Storage enforces, checked in memory too, so offline replay fails where Azure would. */
export function checkEntityLimits(table: string, entity: Entity): void {
  for (const key of [entity.partitionKey, entity.rowKey]) {
    if (FORBIDDEN_IN_KEYS.test(key) || key.length > 512)
      throw new RequestError(
        `${table}: invalid key ${JSON.stringify(key.slice(0, 80))}`,
        400,
        "InvalidInput",
      );
  }
  let bytes = 4 + 2 * (entity.partitionKey.length + entity.rowKey.length);
  for (const [name, value] of Object.entries(entity)) {
    bytes += 8 + 2 * name.length;
    if (typeof value === "string") {
      if (value.length > MAX_STRING_PROPERTY_CHARS)
        throw new RequestError(`${table}: property ${name} exceeds 64 KiB`, 400, "PropertyValueTooLarge");
      bytes += 4 + 2 * value.length;
    } else bytes += 8;
  }
  if (bytes > MAX_ENTITY_BYTES)
    throw new RequestError(`${table}: entity exceeds 1 MiB`, 400, "EntityTooLarge");
}

/** In-memory table with Table Storage's semantics (copies in and out, etags, key order). */
export class MemoryEntityTable implements EntityTable {
  private readonly rows = new Map<string, Map<string, StoredEntity>>();
  private version = 0;

  constructor(readonly name: string) {}

  async create(entity: Entity): Promise<string> {
    checkEntityLimits(this.name, entity);
    const partition = this.partition(entity.partitionKey);
    if (partition.has(entity.rowKey))
      throw new EntityExistsError(this.name, entity.partitionKey, entity.rowKey);
    return this.put(partition, entity);
  }

  async get(partitionKey: string, rowKey: string): Promise<StoredEntity | null> {
    const row = this.rows.get(partitionKey)?.get(rowKey);
    return row ? { ...row } : null;
  }

  async replace(entity: Entity, etag: string): Promise<string> {
    checkEntityLimits(this.name, entity);
    const partition = this.partition(entity.partitionKey);
    const current = partition.get(entity.rowKey);
    if (!current || current.etag !== etag)
      throw new EtagMismatchError(this.name, entity.partitionKey, entity.rowKey);
    return this.put(partition, entity);
  }

  async upsert(entity: Entity): Promise<void> {
    checkEntityLimits(this.name, entity);
    this.put(this.partition(entity.partitionKey), entity);
  }

  async query(partitionKey: string, range: RowRange = {}): Promise<StoredEntity[]> {
    const partition = this.rows.get(partitionKey);
    if (!partition) return [];
    return [...partition.values()]
      .filter(
        (r) =>
          (range.from === undefined || r.rowKey >= range.from) &&
          (range.to === undefined || r.rowKey <= range.to),
      )
      .sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0))
      .map((r) => ({ ...r }));
  }

  private partition(partitionKey: string): Map<string, StoredEntity> {
    let partition = this.rows.get(partitionKey);
    if (!partition) {
      partition = new Map();
      this.rows.set(partitionKey, partition);
    }
    return partition;
  }

  private put(partition: Map<string, StoredEntity>, entity: Entity): string {
    const etag = `W/"mem-${++this.version}"`;
    partition.set(entity.rowKey, { ...entity, etag });
    return etag;
  }
}
