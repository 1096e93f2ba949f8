// The audit store over Azure Table Storage: production (managed identity to the table endpoint) and
// Azurite/dev (connection string). Same logic as MemoryStore (entityStore.ts).
import { TableClient, type TableServiceClientOptions } from "@azure/data-tables";
import type { TokenCredential } from "@azure/core-auth";
import { AzureEntityTable } from "./azureEntityTable";
import { EntityStore, TABLE_SUFFIXES, type StoreTables } from "./entityStore";

export type TableClientFactory = (tableName: string) => TableClient;

export class TableStore extends EntityStore {
  constructor(makeClient: TableClientFactory, prefix = "responder") {
    const [incidents, actions, journal, breaker, poison] = TABLE_SUFFIXES.map(
      (suffix) => new AzureEntityTable(makeClient(`${prefix}${suffix}`)),
    );
    super({ incidents, actions, journal, breaker, poison } as StoreTables);
  }

  /** Azurite and development. Plain-http endpoints (Azurite) are allowed only here. */
  static fromConnectionString(
    connectionString: string,
    prefix = "responder",
    options: TableServiceClientOptions = {},
  ): TableStore {
    const insecure =
      /(^|;)\s*(UseDevelopmentStorage=true|DefaultEndpointsProtocol=http\b|TableEndpoint=http:)/i.test(
        connectionString,
      );
    return new TableStore(
      (table) =>
        TableClient.fromConnectionString(connectionString, table, {
          ...options,
          allowInsecureConnection: insecure || options.allowInsecureConnection,
        }),
      prefix,
    );
  }

  /** Production: the table endpoint with a token credential (managed identity); no shared keys. */
  static fromEndpoint(
    endpoint: string,
    credential: TokenCredential,
    prefix = "responder",
    options: TableServiceClientOptions = {},
  ): TableStore {
    return new TableStore((table) => new TableClient(endpoint, table, credential, options), prefix);
  }
}
