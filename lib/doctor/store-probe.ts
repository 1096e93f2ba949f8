// Store check: create, read and delete one probe entity in the incidents table, with the same
// connection the Function uses (identity to the endpoint, or a connection string for Azurite).
// No retries: the doctor should say "unreachable" in seconds, not after the SDK's back-off.
import { randomUUID } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";
import { TableClient, type TableServiceClientOptions } from "@azure/data-tables";
import type { Settings } from "../config/settings";

export interface StoreProbe {
  /** Human description of where it probes (no secrets). */
  target: string;
  /** Creates, reads back and deletes a probe entity; throws with the step that failed. Returns notes. */
  probe(): Promise<string[]>;
}

const NO_RETRY: TableServiceClientOptions = { retryOptions: { maxRetries: 0 } };

function endpointOf(connectionString: string): string {
  if (/UseDevelopmentStorage=true/i.test(connectionString)) return "Azurite (UseDevelopmentStorage)";
  return (
    /TableEndpoint=([^;]+)/i.exec(connectionString)?.[1] ??
    /AccountName=([^;]+)/i.exec(connectionString)?.[1] ??
    "connection string"
  );
}

export function tableStoreProbe(
  settings: Pick<Settings, "tableConnectionString" | "tableEndpoint" | "tablePrefix">,
  credential?: TokenCredential,
): StoreProbe | null {
  const table = `${settings.tablePrefix}Incidents`;
  let client: TableClient;
  let target: string;
  if (settings.tableConnectionString) {
    const insecure = /(UseDevelopmentStorage=true|DefaultEndpointsProtocol=http\b|TableEndpoint=http:)/i.test(
      settings.tableConnectionString,
    );
    client = TableClient.fromConnectionString(settings.tableConnectionString, table, {
      ...NO_RETRY,
      allowInsecureConnection: insecure,
    });
    target = `${endpointOf(settings.tableConnectionString)} table ${table}`;
  } else if (settings.tableEndpoint && credential) {
    client = new TableClient(settings.tableEndpoint, table, credential, NO_RETRY);
    target = `${settings.tableEndpoint} table ${table}`;
  } else return null;

  return {
    target,
    async probe() {
      const entity = { partitionKey: "doctor-probe", rowKey: randomUUID(), at: new Date().toISOString() };
      const notes: string[] = [];
      const step = async (name: string, run: () => Promise<unknown>) => {
        try {
          await run();
        } catch (err) {
          throw new Error(`${name} failed: ${describeTableError(err)}`, { cause: err });
        }
      };
      // The store creates its tables on first use (lib/store ensureTable); so does the probe.
      await step("create table", async () => {
        try {
          await client.createTable();
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 409) throw err;
          return;
        }
        notes.push(`table ${table} did not exist; created it, as the store would on first use`);
      });
      await step("create", () => client.createEntity(entity));
      await step("read", () => client.getEntity(entity.partitionKey, entity.rowKey));
      await step("delete", () => client.deleteEntity(entity.partitionKey, entity.rowKey));
      return notes;
    },
  };
}

/** Status and service error code, or the first line of the message (never the raw JSON body). */
function describeTableError(err: unknown): string {
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e.statusCode && e.code) return `HTTP ${e.statusCode} ${e.code}`;
  const first = (e.message ?? String(err)).split("\n")[0] ?? "";
  const odata = /"code"\s*:\s*"([^"]+)"/.exec(first)?.[1];
  return `${e.statusCode ? `HTTP ${e.statusCode} ` : ""}${odata ?? first}`;
}
