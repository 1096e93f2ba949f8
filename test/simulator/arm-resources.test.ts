import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ARM, CORR, CUSTOM, DEV, fixtureSimulator, OWNER, PROD, send, SUB } from "./fixture";

const DEF_API = "api-version=2022-04-01";
const RP_API = "api-version=2021-04-01";
const LOG_API = "api-version=2015-04-01";

describe("role definitions", () => {
  it("GET by tenant-form id, at a subscription and at a resource group; ids follow the requested scope", async () => {
    const c = fixtureSimulator().httpClient();
    const tenantForm = await send(
      c,
      "GET",
      `${ARM}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}?${DEF_API}`,
    );
    assert.equal(tenantForm.status, 200);
    assert.equal(tenantForm.body.id, `/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`);
    assert.equal(tenantForm.body.properties.roleName, "Owner");
    const atSub = await send(
      c,
      "GET",
      `${ARM}${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}?${DEF_API}`,
    );
    assert.equal(atSub.body.id, `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`);
    const atRg = await send(
      c,
      "GET",
      `${ARM}${SUB}/resourceGroups/rg-app/providers/Microsoft.Authorization/roleDefinitions/${OWNER}?${DEF_API}`,
    );
    assert.equal(atRg.body.id, `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`);
  });

  it("unknown GUID → 404 RoleDefinitionDoesNotExist; not a GUID → 400 InvalidRoleDefinitionId", async () => {
    const c = fixtureSimulator().httpClient();
    const unknown = await send(
      c,
      "GET",
      `${ARM}${SUB}/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-4333-8444-555555555555?${DEF_API}`,
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "RoleDefinitionDoesNotExist");
    const bad = await send(
      c,
      "GET",
      `${ARM}${SUB}/providers/Microsoft.Authorization/roleDefinitions/roleDefinitionId?${DEF_API}`,
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "InvalidRoleDefinitionId");
  });

  it("a custom role is visible only where it is assignable", async () => {
    const c = fixtureSimulator().httpClient();
    assert.equal(
      (
        await send(
          c,
          "GET",
          `${ARM}${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CUSTOM}?${DEF_API}`,
        )
      ).status,
      200,
    );
    assert.equal(
      (
        await send(
          c,
          "GET",
          `${ARM}/subscriptions/${DEV}/providers/Microsoft.Authorization/roleDefinitions/${CUSTOM}?${DEF_API}`,
        )
      ).status,
      404,
    );
  });

  it("list with $filter roleName eq / type eq", async () => {
    const c = fixtureSimulator().httpClient();
    const base = `${ARM}${SUB}/providers/Microsoft.Authorization/roleDefinitions?${DEF_API}`;
    const all = await send(c, "GET", base);
    assert.equal(all.body.value.length, 3);
    const owner = await send(c, "GET", `${base}&$filter=${encodeURIComponent("roleName eq 'owner'")}`);
    assert.deepEqual(
      owner.body.value.map((d: { name: string }) => d.name),
      [OWNER],
    );
    const custom = await send(c, "GET", `${base}&$filter=${encodeURIComponent("type eq 'CustomRole'")}`);
    assert.deepEqual(
      custom.body.value.map((d: { name: string }) => d.name),
      [CUSTOM],
    );
    const bad = await send(c, "GET", `${base}&$filter=${encodeURIComponent("foo eq 'x'")}`);
    assert.equal(bad.status, 400);
  });
});

describe("providers", () => {
  const base = `${ARM}${SUB}/providers`;

  it("register: NotRegistered → Registering (response) → Registered on the next read", async () => {
    const c = fixtureSimulator().httpClient();
    const before = await send(c, "GET", `${base}/Microsoft.Security?${RP_API}`);
    assert.equal(before.body.registrationState, "NotRegistered");
    assert.equal(before.body.id, `${SUB}/providers/Microsoft.Security`);
    const reg = await send(c, "POST", `${base}/microsoft.security/register?${RP_API}`);
    assert.equal(reg.status, 200);
    assert.equal(reg.body.registrationState, "Registering");
    assert.equal(
      (await send(c, "GET", `${base}/Microsoft.Security?${RP_API}`)).body.registrationState,
      "Registered",
    );
  });

  it("unregister: Registered → Unregistering → NotRegistered; settle count is configurable", async () => {
    const c = fixtureSimulator({ providerSettleGets: 2 }).httpClient();
    const un = await send(c, "POST", `${base}/Microsoft.Insights/unregister?${RP_API}`);
    assert.equal(un.body.registrationState, "Unregistering");
    assert.equal(
      (await send(c, "GET", `${base}/Microsoft.Insights?${RP_API}`)).body.registrationState,
      "Unregistering",
    );
    assert.equal(
      (await send(c, "GET", `${base}/Microsoft.Insights?${RP_API}`)).body.registrationState,
      "NotRegistered",
    );
  });

  it("settle 0: register is immediate; registering twice stays Registered", async () => {
    const c = fixtureSimulator({ providerSettleGets: 0 }).httpClient();
    assert.equal(
      (await send(c, "POST", `${base}/Microsoft.Security/register?${RP_API}`)).body.registrationState,
      "Registered",
    );
    assert.equal(
      (await send(c, "POST", `${base}/Microsoft.Security/register?${RP_API}`)).body.registrationState,
      "Registered",
    );
  });

  it("list, unknown namespace (404 InvalidResourceNamespace) and unknown subscription", async () => {
    const c = fixtureSimulator().httpClient();
    const all = await send(c, "GET", `${base}?${RP_API}`);
    assert.deepEqual(
      all.body.value.map((p: { namespace: string }) => p.namespace),
      ["Microsoft.Security", "Microsoft.Insights"],
    );
    const unknown = await send(c, "GET", `${base}/Microsoft.Nope?${RP_API}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "InvalidResourceNamespace");
    const noSub = await send(
      c,
      "POST",
      `${ARM}/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.Security/register?${RP_API}`,
    );
    assert.equal(noSub.body.error.code, "SubscriptionNotFound");
  });

  it("the state change is visible to the next snapshot reader; reset() restores the snapshot", async () => {
    const sim = fixtureSimulator({ providerSettleGets: 0 });
    await send(sim.httpClient(), "POST", `${base}/Microsoft.Security/register?${RP_API}`);
    assert.equal(
      sim.state.subscriptions.get(PROD)?.providers.get("microsoft.security")?.registrationState,
      "Registered",
    );
    sim.reset();
    assert.equal(sim.calls.length, 0);
    assert.equal(
      sim.state.subscriptions.get(PROD)?.providers.get("microsoft.security")?.registrationState,
      "NotRegistered",
    );
  });
});

describe("activity log", () => {
  const url = (filter: string, extra = "") =>
    `${ARM}${SUB}/providers/Microsoft.Insights/eventtypes/management/values?${LOG_API}&$filter=${encodeURIComponent(filter)}${extra}`;
  const window = "eventTimestamp ge '2025-03-14T08:00:00Z' and eventTimestamp le '2025-03-14T12:00:00Z'";

  it("time range: this subscription's rows in the window, newest first", async () => {
    const r = await send(fixtureSimulator().httpClient(), "GET", url(window));
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.value.map((e: { status: { value: string } }) => e.status.value),
      ["Succeeded", "Succeeded", "Started"],
    );
  });

  it("and correlationId eq: the operation's Started and outcome rows", async () => {
    const r = await send(
      fixtureSimulator().httpClient(),
      "GET",
      url(`${window} and correlationId eq '${CORR}'`),
    );
    assert.equal(r.body.value.length, 2);
    assert.ok(r.body.value.every((e: { correlationId: string }) => e.correlationId === CORR));
  });

  it("and status eq; the window excludes rows outside it", async () => {
    const c = fixtureSimulator().httpClient();
    assert.equal((await send(c, "GET", url(`${window} and status eq 'Started'`))).body.value.length, 1);
    const narrow = "eventTimestamp ge '2025-03-14T08:00:00Z' and eventTimestamp le '2025-03-14T09:30:00Z'";
    assert.equal((await send(c, "GET", url(narrow))).body.value.length, 2);
  });

  it("pages with nextLink and keeps the filter", async () => {
    const c = fixtureSimulator({ pageSize: 2 }).httpClient();
    const first = await send(c, "GET", url(window));
    assert.equal(first.body.value.length, 2);
    assert.ok(first.body.nextLink);
    const second = await send(c, "GET", first.body.nextLink);
    assert.equal(second.body.value.length, 1);
    assert.equal(second.body.nextLink, undefined);
  });

  it("$select keeps only the named fields", async () => {
    const r = await send(
      fixtureSimulator().httpClient(),
      "GET",
      url(window, "&$select=correlationId,status"),
    );
    assert.deepEqual(Object.keys(r.body.value[0]).sort(), ["correlationId", "status"]);
  });

  it("a filter without the time range, or with an unknown field, is a 400", async () => {
    const c = fixtureSimulator().httpClient();
    assert.equal((await send(c, "GET", url(`correlationId eq '${CORR}'`))).status, 400);
    assert.equal((await send(c, "GET", url(`${window} and color eq 'red'`))).status, 400);
  });
});
