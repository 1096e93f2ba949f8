// The Function's handlers, called as the host would (new InvocationContext) with a fake runtime: the
// Event Grid contract (return for processed/ignored/poison, throw for transient), lazy start-up,
// settings failures, health and self-test.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
// Default import: under Node's ESM loader only some of this CJS bundle's names are visible as named exports.
import azureFunctions from "@azure/functions";
import type { EventGridEvent, InvocationContext as Context } from "@azure/functions";
import { eventGridHandler, healthHandler, selfTestHandler } from "../../functions/handlers";
import {
  configureRuntime,
  resetRuntime,
  type ResponderRuntime,
  type RespondOutcome,
} from "../../functions/runtime";
import { isRejected, type IntakeItem } from "../../lib/events/types";
import type { Mode } from "../../lib/review/types";
import type { PoisonRecord } from "../../lib/store/types";
import { RequestError, TransientError } from "../../lib/tenant/errors";
import { DEV, eventGridEvent, functionEnv, PROD, unrelatedEvent } from "./events";

interface Fake {
  runtime: ResponderRuntime;
  responded: Array<{ item: IntakeItem; mode?: Mode }>;
  poison: PoisonRecord[];
  starts: number;
}

function fakeRuntime(
  respond: (item: IntakeItem) => Promise<RespondOutcome> = async () => ({
    status: "processed",
    incidentId: "inc-1",
    operationKey: "k",
  }),
): Fake {
  const fake: Fake = {
    responded: [],
    poison: [],
    starts: 0,
    runtime: undefined as unknown as ResponderRuntime,
  };
  configureRuntime({
    env: functionEnv({ FINDINGS_TOPIC_KEY: "topic-key-SECRET-VALUE" }),
    factory: async (settings) => {
      fake.starts++;
      fake.runtime = {
        settings,
        respond: async (item, options) => {
          fake.responded.push({ item, ...(options?.mode ? { mode: options.mode } : {}) });
          return respond(item);
        },
        recordPoison: async (record) => {
          fake.poison.push(record);
        },
      };
      return fake.runtime;
    },
  });
  return fake;
}

const { InvocationContext, HttpRequest } = azureFunctions;

function context(lines: string[] = []): Context {
  return new InvocationContext({
    invocationId: "inv-1",
    functionName: "unregisterResponder",
    logHandler: (level, ...args) => lines.push(`${level} ${args.map(String).join(" ")}`),
  });
}

const asEvent = (e: unknown) => e as EventGridEvent;

afterEach(() => resetRuntime());

describe("eventGridHandler", () => {
  it("hands an unregister event to respond, normalised, and returns processed", async () => {
    const fake = fakeRuntime();
    const result = await eventGridHandler(asEvent(eventGridEvent()), context());
    assert.equal(result.result, "processed");
    assert.equal(fake.responded.length, 1);
    const item = fake.responded[0]!.item;
    assert.ok(!isRejected(item));
    assert.equal(item.operationNameLower, "microsoft.security/unregister/action");
    assert.equal(item.subscriptionId, PROD);
    assert.equal(item.where, "eventgrid:inv-1");
  });

  it("creates the runtime once and reuses it across invocations", async () => {
    const fake = fakeRuntime();
    await eventGridHandler(asEvent(eventGridEvent()), context());
    await eventGridHandler(asEvent(eventGridEvent({ id: "other" })), context());
    await eventGridHandler(asEvent(unrelatedEvent()), context());
    assert.equal(fake.starts, 1);
    assert.equal(fake.responded.length, 3);
  });

  it("ignores events from subscriptions this deployment does not watch, without calling respond", async () => {
    const fake = fakeRuntime();
    const other = "11111111-2222-4333-8444-555555555555";
    const result = await eventGridHandler(asEvent(eventGridEvent({ subscriptionId: other })), context());
    assert.equal(result.result, "ignored");
    assert.equal(fake.responded.length, 0);
    const ok = await eventGridHandler(asEvent(eventGridEvent({ subscriptionId: DEV })), context());
    assert.equal(ok.result, "processed");
  });

  it("records a malformed event as poison and returns (no retry)", async () => {
    const fake = fakeRuntime();
    const lines: string[] = [];
    const result = await eventGridHandler(
      asEvent({ id: "x", eventType: 42, data: "not an object" }),
      context(lines),
    );
    assert.equal(result.result, "poison");
    assert.equal(fake.responded.length, 0);
    assert.equal(fake.poison.length, 1);
    assert.equal(fake.poison[0]!.where, "eventgrid:inv-1");
    assert.ok(fake.poison[0]!.error.length > 0);
    assert.ok(lines.some((l) => l.startsWith("warning") && l.includes("poison")));
  });

  it("keeps claims out of the poison excerpt", async () => {
    const fake = fakeRuntime();
    const bad = {
      ...eventGridEvent(),
      eventTime: "not a time",
      data: { ...eventGridEvent().data, operationName: 7 },
    };
    await eventGridHandler(asEvent(bad), context());
    assert.equal(fake.poison.length, 1);
    assert.ok(!fake.poison[0]!.excerpt.includes("alex.doe@contoso.example"));
  });

  it("throws on a transient failure so Event Grid redelivers", async () => {
    const fake = fakeRuntime(async () => {
      throw new TransientError("ARM answered 503 after 3 attempts", 503);
    });
    await assert.rejects(eventGridHandler(asEvent(eventGridEvent()), context()), TransientError);
    assert.equal(fake.poison.length, 0);
  });

  it("records a permanent failure as poison and returns", async () => {
    const fake = fakeRuntime(async () => {
      throw new RequestError("ARM refused: 400 InvalidRequest", 400);
    });
    const result = await eventGridHandler(asEvent(eventGridEvent()), context());
    assert.equal(result.result, "poison");
    assert.equal(fake.poison.length, 1);
    assert.match(fake.poison[0]!.error, /InvalidRequest/);
  });

  it("writes structured log lines with the incident id and operation key, and no secrets", async () => {
    fakeRuntime(async () => ({
      status: "processed",
      incidentId: "inc-42",
      operationKey: `${PROD}|corr|microsoft.security/unregister/action`,
      summary: "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig leaked",
    }));
    const lines: string[] = [];
    await eventGridHandler(asEvent(eventGridEvent()), context(lines));
    const info = lines.find((l) => l.startsWith("information"));
    assert.ok(info);
    const fields = JSON.parse(info.slice("information ".length)) as Record<string, unknown>;
    assert.equal(fields.incidentId, "inc-42");
    assert.equal(fields.operationKey, `${PROD}|corr|microsoft.security/unregister/action`);
    assert.equal(fields.invocationId, "inv-1");
    assert.ok(!lines.join("\n").includes("eyJhbGciOiJSUzI1NiJ9"));
    assert.ok(!lines.join("\n").includes("topic-key-SECRET-VALUE"));
  });
});

describe("misconfigured app", () => {
  it("fails every invocation with every problem, and health says which settings (names only)", async () => {
    let starts = 0;
    configureRuntime({
      env: { MODE: "destroy", LOOKBACK_HOURS: "-3", FINDINGS_TOPIC_KEY: "do-not-echo" },
      factory: async () => {
        starts++;
        throw new Error("must not start");
      },
    });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(eventGridHandler(asEvent(eventGridEvent()), context()), (err: Error) => {
        assert.equal(err.name, "ConfigurationError");
        assert.match(err.message, /MODE must be plan, flag or revert/);
        assert.match(err.message, /LOOKBACK_HOURS/);
        return true;
      });
    }
    assert.equal(starts, 0);
    const health = await healthHandler(
      new HttpRequest({ url: "https://x/api/health", method: "GET" }),
      context(),
    );
    assert.equal(health.status, 503);
    const body = health.jsonBody as { settingsValid: boolean; invalidSettings: string[] };
    assert.equal(body.settingsValid, false);
    // The env also lacks the store and the responder's id: every problem shows at once, not in rounds.
    assert.deepEqual(body.invalidSettings.sort(), [
      "LOOKBACK_HOURS",
      "MODE",
      "RESPONDER_PRINCIPAL_ID",
      "STORE_TABLE_ENDPOINT",
    ]);
    assert.ok(!JSON.stringify(body).includes("destroy"), "values are not echoed");
  });

  it("the Function profile demands a durable store and its own identity", async () => {
    configureRuntime({ env: { MODE: "flag" }, factory: async () => assert.fail("must not start") });
    await assert.rejects(eventGridHandler(asEvent(eventGridEvent()), context()), (err: Error) => {
      assert.match(err.message, /STORE_TABLE_ENDPOINT is required/);
      assert.match(err.message, /RESPONDER_PRINCIPAL_ID is required/);
      return true;
    });
  });
});

describe("health and self-test", () => {
  it("health is 200 with non-secret status and the last event time", async () => {
    fakeRuntime();
    await eventGridHandler(asEvent(eventGridEvent()), context());
    const res = await healthHandler(
      new HttpRequest({ url: "https://x/api/health", method: "GET" }),
      context(),
    );
    assert.equal(res.status, 200);
    const body = res.jsonBody as Record<string, unknown>;
    assert.equal(body.status, "ok");
    assert.equal(body.mode, "flag");
    assert.equal(body.watchedSubscriptions, 2);
    assert.equal(typeof body.lastEventAt, "string");
    assert.equal(body.lastOutcome, "processed");
    assert.ok(!JSON.stringify(body).includes("topic-key-SECRET-VALUE"));
    assert.ok(!JSON.stringify(body).includes("UseDevelopmentStorage"));
  });

  it("self-test sends a synthetic unregister through respond in plan mode and reports it", async () => {
    const fake = fakeRuntime(async (item) => ({
      status: "processed",
      kind: isRejected(item) ? "rejected" : "provider-unregister",
      findings: 0,
    }));
    const res = await selfTestHandler(
      new HttpRequest({ url: "https://x/api/selftest", method: "POST" }),
      context(),
    );
    assert.equal(res.status, 200);
    assert.equal((res.jsonBody as { ok: boolean }).ok, true);
    assert.equal(fake.responded.length, 1);
    assert.equal(fake.responded[0]!.mode, "plan");
    const item = fake.responded[0]!.item;
    assert.ok(!isRejected(item));
    assert.equal(item.operationName, "Responder.SelfTest/unregister/action");
    assert.equal(item.subscriptionId, PROD);
    const age = Date.now() - Date.parse(item.time);
    assert.ok(age > 15 * 60_000, "older than the verification grace, so it is never retried as transient");
    const health = await healthHandler(
      new HttpRequest({ url: "https://x/api/health", method: "GET" }),
      context(),
    );
    assert.equal((health.jsonBody as { lastSelfTest: { ok: boolean } }).lastSelfTest.ok, true);
  });

  it("self-test reports a failure with 500 and whether it was transient", async () => {
    fakeRuntime(async () => {
      throw new TransientError("Graph 429 after retries", 429);
    });
    const res = await selfTestHandler(
      new HttpRequest({ url: "https://x/api/selftest", method: "POST" }),
      context(),
    );
    assert.equal(res.status, 500);
    const body = res.jsonBody as { ok: boolean; transient: boolean; error: string };
    assert.equal(body.ok, false);
    assert.equal(body.transient, true);
    assert.match(body.error, /429/);
  });
});

describe("health when the runtime cannot be built", () => {
  afterEach(() => resetRuntime());

  it("says so with 503 (settings are valid, yet every event fails), without the error's text", async () => {
    let fail = true;
    configureRuntime({
      env: functionEnv(),
      factory: async (settings) => {
        if (fail) throw new Error("ARM unreachable; AccountKey=SECRET-IN-ERROR");
        return { settings, respond: async () => ({ status: "ignored" }), recordPoison: async () => {} };
      },
    });
    await assert.rejects(eventGridHandler(asEvent(eventGridEvent()), context()), /ARM unreachable/);
    const health = await healthHandler(
      new HttpRequest({ url: "https://x/api/health", method: "GET" }),
      context(),
    );
    assert.equal(health.status, 503);
    const body = health.jsonBody as { status: string; settingsValid: boolean; lastStartFailure: unknown };
    assert.equal(body.status, "runtime-failed");
    assert.equal(body.settingsValid, true);
    assert.ok(!JSON.stringify(body).includes("SECRET-IN-ERROR"));
    // Once a start succeeds, health is ok again.
    fail = false;
    await eventGridHandler(asEvent(eventGridEvent()), context());
    const healed = await healthHandler(
      new HttpRequest({ url: "https://x/api/health", method: "GET" }),
      context(),
    );
    assert.equal(healed.status, 200);
  });
});
