// Picks the store from settings: a connection string (Azurite/dev), else the table endpoint with a
// token credential (production, managed identity; no shared keys), else memory (offline replay).
import type { TokenCredential } from "@azure/core-auth";
import type { TableServiceClientOptions } from "@azure/data-tables";
import { DefaultAzureCredential } from "@azure/identity";
import type { Settings } from "../config/settings";
import { MemoryStore } from "./memory";
import { TableStore } from "./tableStore";
import type { PoisonReader, Store } from "./types";

export { MemoryStore } from "./memory";
export { TableStore } from "./tableStore";
export { ConflictError } from "./types";
export type * from "./types";

export interface CreateStoreOptions {
  credential?: TokenCredential;
  /** Refuse to fall back to memory (the Function: idempotency must survive restarts and scale-out). */
  requireDurable?: boolean;
  /** Passed to every TableClient (retry options, a custom httpClient in tests). */
  clientOptions?: TableServiceClientOptions;
}

export type StoreSettings = Pick<
  Settings,
  "tableConnectionString" | "tableEndpoint" | "tablePrefix" | "azureClientId"
>;

export function createStore(settings: StoreSettings, opts: CreateStoreOptions = {}): Store & PoisonReader {
  const prefix = settings.tablePrefix || "responder";
  if (settings.tableConnectionString)
    return TableStore.fromConnectionString(settings.tableConnectionString, prefix, opts.clientOptions);
  if (settings.tableEndpoint) {
    const credential =
      opts.credential ??
      new DefaultAzureCredential(
        settings.azureClientId ? { managedIdentityClientId: settings.azureClientId } : {},
      );
    return TableStore.fromEndpoint(settings.tableEndpoint, credential, prefix, opts.clientOptions);
  }
  if (opts.requireDurable)
    throw new Error(
      "no audit store configured: set STORE_TABLE_ENDPOINT (managed identity) or STORE_CONNECTION_STRING (Azurite/dev)",
    );
  return new MemoryStore(prefix);
}
