// Faults on the in-process mount: ARM through @azure/core-rest-pipeline (with its real retry policy),
// Graph through the real Graph client with the simulator as its last middleware.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPipelineFromOptions, createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import { Client, RetryHandler, RetryHandlerOptions } from "@microsoft/microsoft-graph-client";
import { ALEX, ARM, fixtureSimulator, RA_API, send, SUB } from "./fixture";

const LIST = `${ARM}${SUB}/providers/Microsoft.Authorization/roleAssignments?${RA_API}`;

describe("faults: ARM in process", () => {
  it("429 carries Retry-After and ARM's error shape; `times` limits it", async () => {
    const sim = fixtureSimulator();
    sim.faults.add({
      match: { method: "GET", pathPattern: /roleAssignments$/ },
      kind: "429",
      retryAfterSeconds: 3,
      times: 1,
    });
    const c = sim.httpClient();
    const first = await send(c, "GET", LIST);
    assert.equal(first.status, 429);
    assert.equal(first.headers["retry-after"], "3");
    assert.equal(first.body.error.code, "TooManyRequests");
    assert.equal((await send(c, "GET", LIST)).status, 200);
    assert.deepEqual(
      sim.calls.map((x) => [x.status, x.fault]),
      [
        [429, "429"],
        [200, undefined],
      ],
    );
  });

  it("the SDK pipeline's retry policy rides over a 429 (Retry-After 0) and a 503", async () => {
    const sim = fixtureSimulator();
    sim.faults.add({ kind: "429", retryAfterSeconds: 0, times: 1 });
    sim.faults.add({ kind: "503", retryAfterSeconds: 0, times: 1 });
    const pipeline = createPipelineFromOptions({
      retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 2 },
    });
    const r = await pipeline.sendRequest(sim.httpClient(), createPipelineRequest({ url: LIST }));
    assert.equal(r.status, 200);
    assert.deepEqual(
      sim.calls.map((x) => x.status),
      [429, 503, 200],
    );
  });

  it("500 → InternalServerError; 403 → AuthorizationFailed in ARM's wording with action and scope", async () => {
    const sim = fixtureSimulator({ callerObjectId: "9e5b0d1e-7e5b-4c1a-9d0e-5f0a1b2c3d4e" });
    sim.faults.add({ kind: "500", times: 1 });
    const c = sim.httpClient();
    assert.equal((await send(c, "GET", LIST)).body.error.code, "InternalServerError");
    sim.faults.add({ match: { method: "DELETE" }, kind: "403" });
    const id = `${SUB}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-8000-000000000001`;
    const denied = await send(c, "DELETE", `${ARM}${id}?${RA_API}`);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, "AuthorizationFailed");
    assert.equal(
      denied.body.error.message,
      `The client '9e5b0d1e-7e5b-4c1a-9d0e-5f0a1b2c3d4e' with object id '9e5b0d1e-7e5b-4c1a-9d0e-5f0a1b2c3d4e' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/delete' over scope '${id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
    // The assignment is still there: a refused call changes nothing.
    assert.ok(sim.state.roleAssignments.has(id.toLowerCase()));
  });

  it("reset throws RestError code ECONNRESET, as node's http client does", async () => {
    const sim = fixtureSimulator();
    sim.faults.add({ kind: "reset", times: 1 });
    await assert.rejects(send(sim.httpClient(), "GET", LIST), (err: unknown) => {
      assert.ok(err instanceof RestError);
      assert.equal(err.code, "ECONNRESET");
      return true;
    });
    assert.equal(sim.calls[0]?.status, 0);
    assert.equal(sim.calls[0]?.fault, "reset");
  });

  it("stall never answers: request.timeout and abortSignal end it with an AbortError", async () => {
    const sim = fixtureSimulator();
    sim.faults.add({ kind: "stall" });
    await assert.rejects(send(sim.httpClient(), "GET", LIST, undefined, { timeout: 20 }), {
      name: "AbortError",
    });
    const ac = new AbortController();
    const pending = send(sim.httpClient(), "GET", LIST, undefined, { abortSignal: ac.signal });
    ac.abort();
    await assert.rejects(pending, { name: "AbortError" });
    assert.deepEqual(
      sim.calls.map((x) => x.fault),
      ["stall", "stall"],
    );
  });

  it("latency (fault and global) delays but answers normally, and is marked in the call log", async () => {
    const sim = fixtureSimulator({ latencyMs: 1 });
    sim.faults.add({ kind: "latency", latencyMs: 5, times: 1 });
    const r = await send(sim.httpClient(), "GET", LIST);
    assert.equal(r.status, 200);
    assert.equal(sim.calls[0]?.fault, "latency");
    assert.throws(() => sim.faults.add({ kind: "latency" }), RangeError);
  });

  it("faults match by method, path pattern and service; remove() and reset() clear them", async () => {
    const sim = fixtureSimulator();
    const id = sim.faults.add({ match: { service: "graph" }, kind: "500" });
    assert.equal((await send(sim.httpClient(), "GET", LIST)).status, 200);
    assert.equal(
      (await send(sim.httpClient(), "GET", `https://graph.microsoft.com/v1.0/users/${ALEX}`)).status,
      500,
    );
    sim.faults.remove(id);
    assert.equal(
      (await send(sim.httpClient(), "GET", `https://graph.microsoft.com/v1.0/users/${ALEX}`)).status,
      200,
    );
    sim.faults.add({ kind: "500" });
    sim.reset();
    assert.equal(sim.faults.active.length, 0);
    assert.equal((await send(sim.httpClient(), "GET", LIST)).status, 200);
  });
});

describe("faults: Graph client in process (graphMiddleware)", () => {
  const graphClient = (sim: ReturnType<typeof fixtureSimulator>, retry = false) =>
    Client.initWithMiddleware({
      middleware: retry
        ? [new RetryHandler(new RetryHandlerOptions(0, 3)), sim.graphMiddleware()]
        : sim.graphMiddleware(),
    });

  it("the real Graph client reads through the middleware; 404 maps to GraphError", async () => {
    const sim = fixtureSimulator();
    const user = await graphClient(sim).api(`/users/${ALEX}`).select("id,userType").get();
    assert.equal(user.userType, "Member");
    assert.equal(sim.calls[0]?.query.$select, "id,userType");
    await assert.rejects(
      graphClient(sim).api("/users/0de1e7ed-dead-4bad-8bad-00000000dead").get(),
      (err: { statusCode?: number; code?: string }) => {
        assert.equal(err.statusCode, 404);
        assert.equal(err.code, "Request_ResourceNotFound");
        return true;
      },
    );
  });

  it("the Graph RetryHandler retries a 429 with Retry-After", async () => {
    const sim = fixtureSimulator();
    sim.faults.add({ kind: "429", retryAfterSeconds: 0, times: 1 });
    const user = await graphClient(sim, true).api(`/users/${ALEX}`).get();
    assert.equal(user.id, ALEX);
    assert.deepEqual(
      sim.calls.map((c) => c.status),
      [429, 200],
    );
  });

  it("reset rejects like fetch (TypeError with cause ECONNRESET); stall ends on abort", async () => {
    const sim = fixtureSimulator();
    sim.faults.add({ kind: "reset", times: 1 });
    await assert.rejects(graphClient(sim).api(`/users/${ALEX}`).get(), (err: { message?: string }) => {
      assert.match(String(err.message), /fetch failed|ECONNRESET/);
      return true;
    });
    sim.faults.add({ kind: "stall", times: 1 });
    const ac = new AbortController();
    const pending = graphClient(sim).api(`/users/${ALEX}`).option("signal", ac.signal).get();
    setImmediate(() => ac.abort());
    await assert.rejects(pending);
    assert.deepEqual(
      sim.calls.map((c) => c.fault),
      ["reset", "stall"],
    );
  });

  it("PATCH and POST bodies reach the simulator through the Graph client", async () => {
    const sim = fixtureSimulator();
    const sp = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    await graphClient(sim).api(`/servicePrincipals/${sp}`).patch({ accountEnabled: false });
    assert.equal(sim.state.findPrincipal(sp)?.accountEnabled, false);
    const found = await graphClient(sim)
      .api("/directoryObjects/getByIds")
      .post({ ids: [ALEX, sp] });
    assert.equal(found.value.length, 2);
  });
});
