// The store contract against TableStore on a private Azurite, plus what only a real service can show.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { createStore, MemoryStore, TableStore } from "../../lib/store/index";
import { TransientError } from "../../lib/tenant/errors";
import { startAzurite, type Azurite } from "../support/azurite";
import { incident, storeContract } from "./contract";

let azurite: Azurite | undefined;
before(async () => {
  azurite = await startAzurite();
});
after(async () => {
  await azurite?.stop();
});

/** A fresh set of tables per test, so tests never see each other's rows. */
const freshPrefix = (): string => `t${randomBytes(6).toString("hex")}`;

storeContract("TableStore", () => TableStore.fromConnectionString(azurite!.connectionString, freshPrefix()));

test("TableStore: two stores on the same tables see one claim (the table arbitrates, not the process)", async () => {
  const prefix = freshPrefix();
  const one = TableStore.fromConnectionString(azurite!.connectionString, prefix);
  const two = TableStore.fromConnectionString(azurite!.connectionString, prefix);
  const [a, b] = await Promise.all([one.claimIncident(incident()), two.claimIncident(incident())]);
  assert.equal(Number(a.claimed) + Number(b.claimed), 1);
});

test("TableStore: an unreachable service is a TransientError", async () => {
  const store = TableStore.fromConnectionString(
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;",
    freshPrefix(),
    { retryOptions: { maxRetries: 0 } },
  );
  await assert.rejects(store.getIncident("x"), TransientError);
});

test("createStore: connection string -> TableStore, endpoint -> TableStore with a credential, nothing -> memory", () => {
  const base = {
    tablePrefix: "responder",
    azureClientId: null,
    tableEndpoint: null,
    tableConnectionString: null,
  };
  assert.ok(createStore({ ...base, tableConnectionString: azurite!.connectionString }) instanceof TableStore);
  const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 60_000 }) };
  assert.ok(
    createStore({ ...base, tableEndpoint: "https://acct.table.core.windows.net" }, { credential }) instanceof
      TableStore,
  );
  assert.ok(createStore(base) instanceof MemoryStore);
  assert.throws(() => createStore(base, { requireDurable: true }), /STORE_TABLE_ENDPOINT/);
});
