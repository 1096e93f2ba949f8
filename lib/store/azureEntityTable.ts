// EntityTable over Azure Table Storage (@azure/data-tables), one TableClient per table.
// Maps the service's answers onto the port: 409 EntityAlreadyExists -> EntityExistsError,
// 412 -> EtagMismatchError, 404 on read -> null; after the SDK's own retries, 429/5xx/network ->
// TransientError, 401/403 -> PermissionError, anything else -> RequestError.
import { odata, type TableClient, type TableEntityResult } from "@azure/data-tables";
import { PermissionError, RequestError, TransientError } from "../tenant/errors";
import {
  EntityExistsError,
  EtagMismatchError,
  type Entity,
  type EntityTable,
  type RowRange,
  type StoredEntity,
} from "./entityTable";

/** Tables are created once per process (per account URL and name), on first use. */
const created = new Map<string, Promise<void>>();

interface ServiceError {
  statusCode?: number;
  code?: string;
  message?: string;
  details?: { errorCode?: string };
}

const errorCodeOf = (err: ServiceError): string | undefined => err.details?.errorCode ?? err.code;

export function mapTableError(err: unknown, what: string): Error {
  const e = (err ?? {}) as ServiceError;
  const status = e.statusCode;
  const code = errorCodeOf(e);
  const message = `${what}: ${e.message ?? String(err)}`.split("\n")[0] ?? what;
  if (status === undefined || status === 408 || status === 429 || status >= 500)
    return new TransientError(message, status, code);
  if (status === 401 || status === 403)
    return new PermissionError(
      message,
      "Microsoft.Storage/storageAccounts/tableServices/tables/entities/*",
      what,
      status,
    );
  return new RequestError(message, status, code);
}

/** Only our own properties: drops odata metadata and the service timestamp. */
function toStored(row: TableEntityResult<Record<string, unknown>>): StoredEntity {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name === "etag" || name === "timestamp" || name.startsWith("odata.")) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      out[name] = value;
  }
  return { ...(out as unknown as Entity), etag: row.etag };
}

export class AzureEntityTable implements EntityTable {
  readonly name: string;

  constructor(private readonly client: TableClient) {
    this.name = client.tableName;
  }

  async create(entity: Entity): Promise<string> {
    await this.ensureTable();
    try {
      const response = await this.client.createEntity(entity);
      return response.etag ?? "";
    } catch (err) {
      const e = err as ServiceError;
      if (e.statusCode === 409 && errorCodeOf(e) === "EntityAlreadyExists")
        throw new EntityExistsError(this.name, entity.partitionKey, entity.rowKey);
      throw mapTableError(err, `${this.name}: create`);
    }
  }

  async get(partitionKey: string, rowKey: string): Promise<StoredEntity | null> {
    await this.ensureTable();
    try {
      return toStored(await this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey));
    } catch (err) {
      if ((err as ServiceError).statusCode === 404) return null;
      throw mapTableError(err, `${this.name}: read`);
    }
  }

  async replace(entity: Entity, etag: string): Promise<string> {
    await this.ensureTable();
    try {
      const response = await this.client.updateEntity(entity, "Replace", { etag });
      return response.etag ?? "";
    } catch (err) {
      const status = (err as ServiceError).statusCode;
      // 404: the row vanished since it was read, which is as stale as a changed etag.
      if (status === 412 || status === 404)
        throw new EtagMismatchError(this.name, entity.partitionKey, entity.rowKey);
      throw mapTableError(err, `${this.name}: update`);
    }
  }

  async upsert(entity: Entity): Promise<void> {
    await this.ensureTable();
    try {
      await this.client.upsertEntity(entity, "Replace");
    } catch (err) {
      throw mapTableError(err, `${this.name}: upsert`);
    }
  }

  async query(partitionKey: string, range: RowRange = {}): Promise<StoredEntity[]> {
    await this.ensureTable();
    let filter = odata`PartitionKey eq ${partitionKey}`;
    if (range.from !== undefined) filter += " and " + odata`RowKey ge ${range.from}`;
    if (range.to !== undefined) filter += " and " + odata`RowKey le ${range.to}`;
    const rows: StoredEntity[] = [];
    try {
      for await (const row of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
        rows.push(toStored(row));
    } catch (err) {
      throw mapTableError(err, `${this.name}: query`);
    }
    return rows.sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
  }

  private ensureTable(): Promise<void> {
    const id = `${this.client.url}|${this.name}`;
    let pending = created.get(id);
    if (!pending) {
      pending = this.client.createTable().catch((err: unknown) => {
        created.delete(id); // let the next call try again
        throw mapTableError(err, `${this.name}: create table`);
      });
      created.set(id, pending);
    }
    return pending;
  }
}
