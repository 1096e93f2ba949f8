import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ALEX, APP_OBJECT, fixtureSimulator, GRAPH, GROUP_INNER, GUEST, send, SP, SP_APPID } from "./fixture";

describe("graph: getByIds", () => {
  it("returns known objects with @odata.type, omits unknown ids (no error)", async () => {
    const c = fixtureSimulator().httpClient();
    const unknown = "0de1e7ed-dead-4bad-8bad-00000000dead";
    const r = await send(c, "POST", `${GRAPH}/v1.0/directoryObjects/getByIds`, {
      ids: [ALEX, unknown, SP, GROUP_INNER],
    });
    assert.equal(r.status, 200);
    assert.match(r.body["@odata.context"], /\$metadata#directoryObjects$/);
    assert.deepEqual(
      r.body.value.map((o: { id: string }) => o.id),
      [ALEX, SP, GROUP_INNER],
    );
    assert.deepEqual(
      r.body.value.map((o: Record<string, string>) => o["@odata.type"]),
      ["#microsoft.graph.user", "#microsoft.graph.servicePrincipal", "#microsoft.graph.group"],
    );
    assert.equal(r.body.value[2].members, undefined, "internal membership lists are not sent");
  });

  it("users come back with v1.0's default subset unless $select names more", async () => {
    const c = fixtureSimulator().httpClient();
    const plain = await send(c, "POST", `${GRAPH}/v1.0/directoryObjects/getByIds`, { ids: [GUEST] });
    assert.equal(plain.body.value[0].userType, undefined);
    assert.equal(plain.body.value[0].userPrincipalName, "evil_mail.example#EXT#@contoso.onmicrosoft.com");
    const selected = await send(
      c,
      "POST",
      `${GRAPH}/v1.0/directoryObjects/getByIds?$select=id,userType,accountEnabled`,
      { ids: [GUEST] },
    );
    assert.equal(selected.body.value[0].userType, "Guest");
    assert.equal(selected.body.value[0].accountEnabled, true);
    assert.equal(selected.body.value[0]["@odata.type"], "#microsoft.graph.user");
  });

  it("types limits the collections searched", async () => {
    const c = fixtureSimulator().httpClient();
    const r = await send(c, "POST", `${GRAPH}/v1.0/directoryObjects/getByIds`, {
      ids: [ALEX, SP],
      types: ["servicePrincipal"],
    });
    assert.deepEqual(
      r.body.value.map((o: { id: string }) => o.id),
      [SP],
    );
    const bad = await send(c, "POST", `${GRAPH}/v1.0/directoryObjects/getByIds`, {
      ids: [ALEX],
      types: ["spaceship"],
    });
    assert.equal(bad.status, 400);
  });

  it("more than 1000 ids → 400 in Graph's error shape; exactly 1000 is fine", async () => {
    const c = fixtureSimulator().httpClient();
    const ids = (n: number) =>
      Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const ok = await send(c, "POST", `${GRAPH}/v1.0/directoryObjects/getByIds`, { ids: ids(1000) });
    assert.equal(ok.status, 200);
    const tooMany = await send(c, "POST", `${GRAPH}/v1.0/directoryObjects/getByIds`, { ids: ids(1001) });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.code, "Request_BadRequest");
    assert.ok(tooMany.body.error.innerError["request-id"]);
    const notGuid = await send(c, "POST", `${GRAPH}/v1.0/directoryObjects/getByIds`, { ids: ["nope"] });
    assert.equal(notGuid.status, 400);
  });
});

describe("graph: single objects", () => {
  it("GET users/{id} returns the object itself (not a value array); unknown → 404", async () => {
    const c = fixtureSimulator().httpClient();
    const r = await send(c, "GET", `${GRAPH}/v1.0/users/${ALEX}?$select=id,userType,accountEnabled`);
    assert.equal(r.status, 200);
    assert.equal(r.body.id, ALEX);
    assert.equal(r.body.userType, "Member");
    assert.equal(r.body.value, undefined);
    assert.match(r.body["@odata.context"], /users\/\$entity$/);
    const missing = await send(c, "GET", `${GRAPH}/v1.0/users/0de1e7ed-dead-4bad-8bad-00000000dead`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "Request_ResourceNotFound");
    // A service principal is not a user.
    assert.equal((await send(c, "GET", `${GRAPH}/v1.0/users/${SP}`)).status, 404);
  });

  it("servicePrincipals by id and by (appId='…'), quotes percent-encoded or not", async () => {
    const c = fixtureSimulator().httpClient();
    const byId = await send(c, "GET", `${GRAPH}/v1.0/servicePrincipals/${SP}`);
    assert.equal(byId.body.appOwnerOrganizationId, "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d");
    const byApp = await send(
      c,
      "GET",
      `${GRAPH}/v1.0/servicePrincipals(appId='${SP_APPID}')?$select=id,servicePrincipalType`,
    );
    assert.deepEqual(Object.keys(byApp.body).sort(), ["@odata.context", "id", "servicePrincipalType"]);
    const encoded = await send(c, "GET", `${GRAPH}/v1.0/servicePrincipals(appId=%27${SP_APPID}%27)`);
    assert.equal(encoded.body.id, SP);
  });

  it("applications: $filter=appId eq, (appId='…') and by object id, with credentials", async () => {
    const c = fixtureSimulator().httpClient();
    const listed = await send(
      c,
      "GET",
      `${GRAPH}/v1.0/applications?$filter=${encodeURIComponent(`appId eq '${SP_APPID}'`)}`,
    );
    assert.equal(listed.body.value.length, 1);
    assert.equal(listed.body.value[0].passwordCredentials[0].displayName, "temp");
    const none = await send(
      c,
      "GET",
      `${GRAPH}/v1.0/applications?$filter=${encodeURIComponent("appId eq '6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e'")}`,
    );
    assert.deepEqual(none.body.value, []);
    assert.equal(
      (await send(c, "GET", `${GRAPH}/v1.0/applications(appId='${SP_APPID}')`)).body.id,
      APP_OBJECT,
    );
    assert.equal((await send(c, "GET", `${GRAPH}/v1.0/applications/${APP_OBJECT}`)).body.appId, SP_APPID);
  });

  it("PATCH servicePrincipals accountEnabled: 204, then visible; wrong type → 400", async () => {
    const sim = fixtureSimulator();
    const c = sim.httpClient();
    const r = await send(c, "PATCH", `${GRAPH}/v1.0/servicePrincipals/${SP}`, { accountEnabled: false });
    assert.equal(r.status, 204);
    assert.equal((await send(c, "GET", `${GRAPH}/v1.0/servicePrincipals/${SP}`)).body.accountEnabled, false);
    assert.equal(
      (await send(c, "PATCH", `${GRAPH}/v1.0/servicePrincipals/${SP}`, { accountEnabled: "no" })).status,
      400,
    );
    assert.equal(
      (await send(c, "PATCH", `${GRAPH}/v1.0/servicePrincipals/${SP}`, { appId: "x" })).status,
      400,
    );
  });

  it("unknown Graph route → 404 in Graph's error shape", async () => {
    const r = await send(fixtureSimulator().httpClient(), "GET", `${GRAPH}/v1.0/spaceships`);
    assert.equal(r.status, 404);
    assert.ok(r.body.error.code);
    assert.ok(r.body.error.message);
  });
});

describe("graph: $batch", () => {
  it("runs each sub-request with its own status and body; logs them with the batch id", async () => {
    const sim = fixtureSimulator();
    const r = await send(sim.httpClient(), "POST", `${GRAPH}/v1.0/$batch`, {
      requests: [
        {
          id: "1",
          method: "POST",
          url: "/directoryObjects/getByIds",
          headers: { "Content-Type": "application/json" },
          body: { ids: [ALEX, GUEST] },
        },
        { id: "2", method: "GET", url: `/applications?$filter=appId eq '${SP_APPID}'` },
        { id: "3", method: "GET", url: "users/0de1e7ed-dead-4bad-8bad-00000000dead" },
      ],
    });
    assert.equal(r.status, 200);
    const byId = new Map(r.body.responses.map((x: { id: string }) => [x.id, x]));
    const one = byId.get("1") as { status: number; body: { value: unknown[] } };
    assert.equal(one.status, 200);
    assert.equal(one.body.value.length, 2);
    assert.equal((byId.get("2") as { body: { value: unknown[] } }).body.value.length, 1);
    assert.equal((byId.get("3") as { status: number }).status, 404);
    const outer = sim.calls.find((c) => c.path === "/v1.0/$batch");
    assert.ok(outer);
    const subs = sim.calls.filter((c) => c.batchId === outer.id);
    assert.deepEqual(
      subs.map((c) => c.path),
      [
        "/v1.0/directoryObjects/getByIds",
        "/v1.0/applications",
        "/v1.0/users/0de1e7ed-dead-4bad-8bad-00000000dead",
      ],
    );
    assert.deepEqual(
      subs.map((c) => c.status),
      [200, 200, 404],
    );
  });

  it("more than 20 sub-requests → 400; duplicate ids → 400", async () => {
    const c = fixtureSimulator().httpClient();
    const reqs = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: String(i), method: "GET", url: `/users/${ALEX}` }));
    assert.equal((await send(c, "POST", `${GRAPH}/v1.0/$batch`, { requests: reqs(20) })).status, 200);
    const tooMany = await send(c, "POST", `${GRAPH}/v1.0/$batch`, { requests: reqs(21) });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.error.message, /20/);
    const dup = await send(c, "POST", `${GRAPH}/v1.0/$batch`, { requests: [...reqs(1), ...reqs(1)] });
    assert.equal(dup.status, 400);
  });

  it("a fault on one sub-request shows in that item only (429 with its own Retry-After)", async () => {
    const sim = fixtureSimulator();
    sim.faults.add({ match: { pathPattern: /\/applications/ }, kind: "429", retryAfterSeconds: 7, times: 1 });
    const r = await send(sim.httpClient(), "POST", `${GRAPH}/v1.0/$batch`, {
      requests: [
        { id: "a", method: "GET", url: `/users/${ALEX}` },
        { id: "b", method: "GET", url: `/applications(appId='${SP_APPID}')` },
      ],
    });
    assert.equal(r.status, 200);
    const b = r.body.responses.find((x: { id: string }) => x.id === "b");
    assert.equal(b.status, 429);
    assert.equal(b.headers["Retry-After"], "7");
    assert.equal(r.body.responses.find((x: { id: string }) => x.id === "a").status, 200);
    assert.equal(sim.calls.find((c) => c.path.includes("applications"))?.fault, "429");
  });

  it("absolute sub-request urls are refused per item", async () => {
    const r = await send(fixtureSimulator().httpClient(), "POST", `${GRAPH}/v1.0/$batch`, {
      requests: [{ id: "1", method: "GET", url: `https://graph.microsoft.com/v1.0/users/${ALEX}` }],
    });
    assert.equal(r.body.responses[0].status, 400);
  });
});

describe("graph: $batch url trap", () => {
  it("a sub-request url with the version prefix is refused like Graph does (SDK 3.0.7 BatchRequestContent bug)", async () => {
    const sim = fixtureSimulator();
    const r = await send(sim.httpClient(), "POST", `${GRAPH}/v1.0/$batch`, {
      requests: [
        { id: "1", method: "GET", url: `/v1.0/users/${ALEX}` },
        { id: "2", method: "GET", url: `/users/${ALEX}` },
      ],
    });
    const [one, two] = ["1", "2"].map((id) => r.body.responses.find((x: { id: string }) => x.id === id));
    assert.equal(one.status, 400);
    assert.equal(one.body.error.message, "Resource not found for the segment 'v1.0'.");
    assert.equal(two.status, 200);
  });
});
