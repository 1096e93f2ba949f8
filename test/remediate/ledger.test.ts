// The store-backed ledger answers "was this target acted on?" with a point read: the subscription's
// ledger partition grows with every action ever taken, and the guard asks once per finding.
import { test } from "node:test";
import assert from "node:assert/strict";
import { storeLedger } from "../../lib/remediate/ledger";
import { MemoryStore } from "../../lib/store/memory";
import type { ActionRecord } from "../../lib/store/types";

const SUB = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
const record = (actionId: string, incidentId = "inc-a"): ActionRecord => ({
  incidentId,
  actionId,
  kind: "register-provider",
  target: "Microsoft.Security",
  state: "intent",
  decision: "planned",
  before: { registrationState: "Unregistered" },
  after: null,
  error: null,
  startedAt: "2025-03-14T10:00:00.000Z",
  finishedAt: null,
});

test("ledger lookup is a point read (never lists the subscription's whole ledger) and keeps its answers", async () => {
  const store = new MemoryStore();
  const ledger = storeLedger(store);
  for (let i = 0; i < 5; i++) await ledger.claim(SUB, record(`register-provider:ns${i}`, `inc-${i}`));
  let listings = 0;
  const list = store.actions.bind(store);
  store.actions = async (id) => (listings++, list(id));
  const found = await ledger.lookup(SUB, "register-provider:ns3");
  assert.equal(found?.incidentId, "inc-3", "the claiming incident, not the ledger partition");
  assert.deepEqual(found?.before, { registrationState: "Unregistered" });
  assert.equal(await ledger.lookup(SUB, "register-provider:absent"), null);
  assert.equal(listings, 0);
});
