// Generates a diagnostic-settings export (JSON Lines, the PT1H.json shape of reference §2b) for the
// classify benchmark: mostly ordinary operations, ~0.1% relevant ones, some of those JSON-escaped
// (`\/`, `\u002F`, letters as \uXXXX) or in mixed case, so the fast path is timed on the cases it must
// not skip.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";

const SUB = "3F2B8C1E-5A4D-4E6F-9B7A-2C1D0E9F8A7B";
const TENANT = "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d";

const ORDINARY_OPERATIONS = [
  "MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE",
  "MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION",
  "MICROSOFT.COMPUTE/VIRTUALMACHINES/RESTART/ACTION",
  "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE",
  "MICROSOFT.RESOURCES/SUBSCRIPTIONS/RESOURCEGROUPS/DELETE",
  "MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE",
  "MICROSOFT.WEB/SITES/CONFIG/WRITE",
  "MICROSOFT.KEYVAULT/VAULTS/WRITE",
];

/** Relevant operation names as they may appear in the raw text (already JSON-escaped). */
const RELEVANT_OPERATIONS = [
  "MICROSOFT.SECURITY/UNREGISTER/ACTION",
  "Microsoft.Insights/Unregister/Action",
  "MICROSOFT.AAD\\/UNREGISTER\\/ACTION",
  "Microsoft.PolicyInsights\\u002Funregister\\u002Faction",
  "Microsoft.Kusto/\\u0055nregister/action",
  "MICROSOFT.KUSTO/REGISTER/ACTION",
  "Microsoft.Authorization/roleAssignments/write",
  "Microsoft.Features/providers/features/unregister/action",
  "Microsoft.Kusto/reGISTer/action",
  "MICROSOFT.AUTHORIZATION\\/ROLEASSIGNMENTS\\/DELETE",
];

/** Part of the cached file's name: bump it when the generated content changes. */
export const GENERATOR_VERSION = 2;

const RESULTS = ["Start", "Success", "Success", "Failure"];

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).padStart(width, "0").slice(-width);
}

function guid(seed: number): string {
  return `${hex(seed * 2654435761, 8)}-${hex(seed, 4)}-4${hex(seed >> 4, 3)}-8${hex(seed >> 8, 3)}-${hex(seed * 40503, 12)}`;
}

function record(i: number, operation: string): string {
  const time = new Date(Date.UTC(2025, 2, 14) + i * 37).toISOString().replace("Z", "0000Z");
  const oid = guid(i % 5000);
  const isApp = i % 3 === 0;
  const claims = isApp
    ? `"appid":"${guid(i % 97)}","appidacr":"1","idtyp":"app","http://schemas.microsoft.com/identity/claims/objectidentifier":"${oid}"`
    : `"appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","appidacr":"0","idtyp":"user","http://schemas.microsoft.com/identity/claims/objectidentifier":"${oid}","http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"user${i % 5000}@contoso.example","http://schemas.microsoft.com/identity/claims/scope":"user_impersonation"`;
  return (
    `{"RoleLocation":"West Europe","time":"${time}","resourceId":"/SUBSCRIPTIONS/${SUB}/RESOURCEGROUPS/RG-${i % 50}/PROVIDERS/${operation.split("/").slice(0, 2).join("/")}/ITEM-${i % 1000}",` +
    `"operationName":"${operation}","category":"Administrative","resultType":"${RESULTS[i % 4]}","resultSignature":"Succeeded.OK","durationMs":"0",` +
    `"callerIpAddress":"203.0.113.${i % 250}","correlationId":"${guid(i)}","identity":{"authorization":{"scope":"/subscriptions/${SUB.toLowerCase()}/resourceGroups/rg-${i % 50}","action":"${operation.toLowerCase()}",` +
    `"evidence":{"role":"Contributor","roleAssignmentScope":"/subscriptions/${SUB.toLowerCase()}","roleAssignmentId":"${guid(i % 300).replace(/-/g, "")}","roleDefinitionId":"b24988ac618042a0ab8820f7382dd24c","principalId":"${oid.replace(/-/g, "")}","principalType":"${isApp ? "ServicePrincipal" : "User"}"}},` +
    `"claims":{"aud":"https://management.azure.com/","iss":"https://sts.windows.net/${TENANT}/","ver":"1.0",${claims},"http://schemas.microsoft.com/identity/claims/tenantid":"${TENANT}"}},` +
    `"level":"Information","location":"global","properties":{"statusCode":"OK","eventCategory":"Administrative","hierarchy":"${TENANT}/${SUB.toLowerCase()}"},"tenantId":"${TENANT}"}`
  );
}

export interface Generated {
  path: string;
  records: number;
  relevant: number;
  bytes: number;
}

/** Writes (or reuses, when already generated with the same count) the benchmark input. */
export function generateDiagnosticExport(path: string, records: number, everyNth = 1000): Generated {
  const relevant = Math.floor((records - 1) / everyNth) + 1;
  if (existsSync(path)) return { path, records, relevant, bytes: statSync(path).size };
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const fd = openSync(partial, "w");
  let batch: string[] = [];
  for (let i = 0; i < records; i++) {
    const op =
      i % everyNth === 0
        ? RELEVANT_OPERATIONS[(i / everyNth) % RELEVANT_OPERATIONS.length]!
        : ORDINARY_OPERATIONS[i % ORDINARY_OPERATIONS.length]!;
    batch.push(record(i, op));
    if (batch.length === 10_000) {
      writeSync(fd, `${batch.join("\n")}\n`);
      batch = [];
    }
  }
  if (batch.length) writeSync(fd, `${batch.join("\n")}\n`);
  closeSync(fd);
  renameSync(partial, path);
  return { path, records, relevant, bytes: statSync(path).size };
}
