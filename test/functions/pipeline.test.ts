// The Function end to end: the handler (new InvocationContext) over the real pipeline (lib/respond), the
// real Azure SDK clients against the in-process tenant simulator, and the Table store on Azurite.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import azureFunctions from "@azure/functions";
import type { EventGridEvent } from "@azure/functions";
import { eventGridHandler, selfTestHandler } from "../../functions/handlers";
import { configureRuntime, resetRuntime } from "../../functions/runtime";
import { buildRuntime } from "../../functions/wiring";
import { validateSettings } from "../../lib/config/validate";
import { createStore } from "../../lib/store/index";
import type { PoisonReader, Store } from "../../lib/store/types";
import { TransientError } from "../../lib/tenant/errors";
import { openTenant } from "../../lib/tenant/open";
import type { Simulator } from "../../lib/simulator";
import { startAzurite, type Azurite } from "../support/azurite";
import { scenarioSnapshot, SUB, T0, RESPONDER, WRITE_METHODS, GUEST_OWNER } from "../respond/scenario";
import { eventGridEvent, unrelatedEvent } from "./events";

const { HttpRequest, InvocationContext } = azureFunctions;
const asEvent = (e: unknown) => e as EventGridEvent;
let azurite: Azurite;
let prefixCounter = 0;

interface World {
  simulator: Simulator;
  /** Moves the runtime's clock (leases and windows follow it). */
  advanceMinutes(minutes: number): void;
  store: Store & PoisonReader;
  published: string[];
}

/** A fresh tenant and fresh tables (new prefix) per test, wired through configureRuntime like production. */
async function world(mode: "flag" | "revert"): Promise<World> {
  const env = {
    MODE: mode,
    RESPONDER_PRINCIPAL_ID: RESPONDER,
    WATCHED_SUBSCRIPTION_IDS: SUB,
    PROTECTED_PRINCIPAL_IDS: "b1eac1a5-0000-4000-8000-00000000b001",
    STORE_CONNECTION_STRING: azurite.connectionString,
    STORE_TABLE_PREFIX: `fn${++prefixCounter}${process.pid}`,
  };
  const report = validateSettings(env, "function");
  assert.ok(report.ok && report.settings, report.problems.join("; "));
  const settings = report.settings;
  const opened = await openTenant({
    snapshot: scenarioSnapshot(),
    settings,
    tuning: { retry: { maxRetries: 1, retryDelayInMs: 1, maxRetryDelayInMs: 2 } },
  });
  const store = createStore(settings, { requireDurable: true });
  const published: string[] = [];
  let nowMs = Date.parse(T0) + 3 * 3_600_000;
  configureRuntime({
    env,
    factory: async (s) =>
      buildRuntime(s, {
        tenant: opened.tenant,
        store,
        publisher: { publishIncident: async (i) => void published.push(i.id) },
        log: { info() {}, warn() {}, error() {} },
        instanceId: "test-instance",
        now: () => new Date(nowMs),
      }),
  });
  return {
    simulator: opened.simulator!,
    store,
    published,
    advanceMinutes: (m) => void (nowMs += m * 60_000),
  };
}

const context = (id: string) =>
  new InvocationContext({ invocationId: id, functionName: "unregisterResponder", logHandler: () => {} });
const writes = (w: World) =>
  w.simulator.calls.filter((c) => WRITE_METHODS.has(c.method) && !/\$batch|getByIds/i.test(c.path));

before(async () => {
  azurite = await startAzurite();
});
after(async () => {
  resetRuntime();
  await azurite.stop();
});
beforeEach(() => resetRuntime());

describe("Function over the real pipeline", () => {
  it("an unregister is reviewed and its incident recorded in Table Storage", async () => {
    const w = await world("flag");
    const result = await eventGridHandler(asEvent(eventGridEvent()), context("inv-e4"));
    assert.equal(result.result, "processed");
    assert.ok(result.result === "processed" && result.outcome?.incidentId);
    const incident = await w.store.getIncident(result.outcome.incidentId);
    assert.ok(incident, "incident stored");
    assert.equal(incident.subscriptionId, SUB);
    assert.equal(incident.classification.kind, "provider-unregister");
    assert.ok((result.outcome.findings ?? 0) > 0);
    assert.deepEqual(writes(w), [], "flag mode changes nothing in the tenant");
  });

  it("an unrelated event is ignored without a single call to Azure", async () => {
    const w = await world("flag");
    const result = await eventGridHandler(asEvent(unrelatedEvent()), context("inv-other"));
    assert.equal(result.result, "ignored");
    assert.equal(w.simulator.calls.length, 0);
  });

  it("a poison event returns and is recorded in the store", async () => {
    const w = await world("flag");
    const before = new Date(Date.now() - 60_000);
    const result = await eventGridHandler(
      asEvent({ id: "bad", eventType: "Microsoft.Resources.ResourceActionSuccess", data: 12 }),
      context("inv-poison"),
    );
    assert.equal(result.result, "poison");
    const poison = await w.store.poison(before, new Date(Date.now() + 60_000));
    assert.equal(poison.length, 1);
    assert.equal(poison[0]!.where, "eventgrid:inv-poison");
    assert.equal(w.simulator.calls.length, 0);
  });

  it("a transient failure beyond the retry budget throws, so Event Grid redelivers", async () => {
    const w = await world("flag");
    w.simulator.faults.add({ kind: "500", match: { service: "arm" } });
    await assert.rejects(eventGridHandler(asEvent(eventGridEvent()), context("inv-500")), TransientError);
    assert.ok(w.simulator.calls.some((c) => c.status === 500));
    // The failed delivery released its lease, so the very next redelivery (Event Grid's first retry
    // comes after seconds) is processed as soon as Azure recovers: no waiting out a lease.
    w.simulator.faults.clear();
    const retried = await eventGridHandler(asEvent(eventGridEvent()), context("inv-500-retry"));
    assert.equal(retried.result, "processed");
  });

  it("429s beyond the retry budget are transient too", async () => {
    const w = await world("flag");
    w.simulator.faults.add({ kind: "429", retryAfterSeconds: 0, match: { service: "arm" } });
    await assert.rejects(eventGridHandler(asEvent(eventGridEvent()), context("inv-429")), TransientError);
    assert.ok(w.simulator.calls.some((c) => c.status === 429));
  });

  it("a duplicate delivery takes no second action (revert mode)", async () => {
    const w = await world("revert");
    const first = await eventGridHandler(asEvent(eventGridEvent()), context("inv-first"));
    assert.equal(first.result, "processed");
    const deletesAfterFirst = writes(w).filter((c) => c.method === "DELETE");
    assert.ok(
      deletesAfterFirst.some((c) => c.path.toLowerCase().endsWith(GUEST_OWNER)),
      "the guest's Owner assignment was reverted",
    );
    const writesAfterFirst = writes(w).length;
    const second = await eventGridHandler(
      asEvent(eventGridEvent({ id: "redelivered" })),
      context("inv-second"),
    );
    assert.equal(second.result, "duplicate");
    assert.equal(writes(w).length, writesAfterFirst, "no second action");
  });

  it("the self-test runs the real pipeline in plan mode: it publishes nothing and writes nothing", async () => {
    const w = await world("revert");
    // The synthetic event is dated by the wall clock; the runtime's clock follows it here.
    w.advanceMinutes((Date.now() - (Date.parse(T0) + 3 * 3_600_000)) / 60_000);
    const before = new Date(Date.now() - 60_000);
    const res = await selfTestHandler(
      new HttpRequest({ url: "https://x/api/selftest", method: "POST" }),
      context("inv-selftest"),
    );
    assert.equal(res.status, 200, JSON.stringify(res.jsonBody));
    assert.deepEqual(w.published, [], "a synthetic incident must not reach the findings topic");
    assert.deepEqual(writes(w), []);
    const poison = await w.store.poison(before, new Date(Date.now() + 60_000));
    assert.deepEqual(poison, []);
  });
});
