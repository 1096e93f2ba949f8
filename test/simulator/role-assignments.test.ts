import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ALEX, ARM, DEV, fixtureSimulator, GUEST, OWNER, RA_API, READER, RG, send, SP, SUB } from "./fixture";

const LIST = `${SUB}/providers/Microsoft.Authorization/roleAssignments`;
const names = (body: { value: { name: string }[] }) =>
  body.value
    .map((a) => a.name.slice(-1))
    .sort()
    .join("");

async function list(scopePath: string, filter?: string, pageSize?: number) {
  const sim = fixtureSimulator(pageSize ? { pageSize } : {});
  const q = filter ? `&$filter=${encodeURIComponent(filter)}` : "";
  return send(
    sim.httpClient(),
    "GET",
    `${ARM}${scopePath}/providers/Microsoft.Authorization/roleAssignments?${RA_API}${q}`,
  );
}

describe("role assignments: list filters", () => {
  it("no filter at a subscription: at, above (management group) and below (resource group)", async () => {
    const r = await list(SUB);
    assert.equal(r.status, 200);
    assert.equal(names(r.body), "12345"); // 6 is in the dev subscription
  });

  it("atScope() at a resource group: at and above, not the siblings below the subscription", async () => {
    assert.equal(names((await list(RG, "atScope()")).body), "12345");
    assert.equal(names((await list(SUB, "atScope()")).body), "134");
  });

  it("principalId eq: that principal only, at, above and below; no group expansion", async () => {
    assert.equal(names((await list(SUB, `principalId eq '${ALEX}'`)).body), "12");
    assert.equal(names((await list(SUB, `principalId eq '${GUEST}'`)).body), "3");
  });

  it("assignedTo(): expands nested group membership", async () => {
    // GUEST ∈ INNER ∈ OUTER: the MG assignment (direct) and OUTER's subscription assignment.
    assert.equal(names((await list(SUB, `assignedTo('${GUEST}')`)).body), "34");
    assert.equal(names((await list(RG, `atScope() and assignedTo('${SP}')`)).body), "5");
  });

  it("combined atScope() and principalId eq", async () => {
    assert.equal(names((await list(SUB, `atScope() and principalId eq '${ALEX}'`)).body), "1");
  });

  it("unsupported filter: 400 UnsupportedQuery in ARM's error shape", async () => {
    const r = await list(SUB, "roleDefinitionId eq 'x'");
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, "UnsupportedQuery");
    assert.match(r.body.error.message, /roleDefinitionId eq 'x'/);
  });

  it("unknown subscription: 404 SubscriptionNotFound", async () => {
    const r = await list("/subscriptions/00000000-0000-4000-8000-000000000000");
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, "SubscriptionNotFound");
  });

  it("missing api-version: 400 MissingApiVersionParameter", async () => {
    const sim = fixtureSimulator();
    const r = await send(sim.httpClient(), "GET", `${ARM}${LIST}`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, "MissingApiVersionParameter");
  });
});

describe("role assignments: paging", () => {
  it("follows nextLink with $skiptoken until every item was seen once", async () => {
    const sim = fixtureSimulator({ pageSize: 2 });
    const client = sim.httpClient();
    let url: string | undefined = `${ARM}${LIST}?${RA_API}`;
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const r = await send(client, "GET", url);
      assert.equal(r.status, 200);
      assert.ok(r.body.value.length <= 2);
      seen.push(...r.body.value.map((a: { name: string }) => a.name));
      url = r.body.nextLink;
      if (url) assert.match(url, /\$skiptoken=/);
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 5);
    assert.equal(sim.calls.length, 3);
  });
});

describe("role assignments: get, delete, put", () => {
  const id = `${SUB}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-8000-000000000001`;

  it("GET returns the ARM resource shape; unknown → 404 RoleAssignmentNotFound", async () => {
    const sim = fixtureSimulator();
    const r = await send(sim.httpClient(), "GET", `${ARM}${id}?${RA_API}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.type, "Microsoft.Authorization/roleAssignments");
    assert.equal(r.body.properties.principalId, ALEX);
    assert.equal(r.body.properties.scope, SUB);
    const missing = await send(sim.httpClient(), "GET", `${ARM}${id.slice(0, -1)}9?${RA_API}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "RoleAssignmentNotFound");
  });

  it("DELETE: 200 with the deleted object, then 204 when already gone", async () => {
    const sim = fixtureSimulator();
    const first = await send(sim.httpClient(), "DELETE", `${ARM}${id}?${RA_API}`);
    assert.equal(first.status, 200);
    assert.equal(first.body.id, id);
    const second = await send(sim.httpClient(), "DELETE", `${ARM}${id}?${RA_API}`);
    assert.equal(second.status, 204);
    assert.equal(second.body, undefined);
    assert.equal((await send(sim.httpClient(), "GET", `${ARM}${id}?${RA_API}`)).status, 404);
  });

  it("PUT creates (201, createdBy = caller, subscription-scoped roleDefinitionId), conflicts with 409", async () => {
    const sim = fixtureSimulator({ callerObjectId: SP, now: () => new Date("2025-03-14T10:00:00Z") });
    const name = "44444444-0000-4000-8000-000000000001";
    const url = `${ARM}${RG}/providers/Microsoft.Authorization/roleAssignments/${name}?${RA_API}`;
    const body = {
      properties: {
        roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
        principalId: GUEST,
      },
    };
    const created = await send(sim.httpClient(), "PUT", url, body);
    assert.equal(created.status, 201);
    assert.equal(created.body.properties.createdBy, SP);
    assert.equal(created.body.properties.createdOn, "2025-03-14T10:00:00.000Z");
    assert.equal(created.body.properties.principalType, "User");
    assert.equal(
      created.body.properties.roleDefinitionId,
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
    );
    // Same principal, role and scope under another name: ARM's RoleAssignmentExists.
    const other = url.replace(name, "44444444-0000-4000-8000-000000000002");
    const conflict = await send(sim.httpClient(), "PUT", other, body);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.error.code, "RoleAssignmentExists");
    // The listing sees the new one.
    const listed = await send(
      sim.httpClient(),
      "GET",
      `${ARM}${RG}/providers/Microsoft.Authorization/roleAssignments?${RA_API}&$filter=${encodeURIComponent(`principalId eq '${GUEST}'`)}`,
    );
    assert.ok(listed.body.value.some((a: { name: string }) => a.name === name));
  });

  it("PUT refuses unknown roles, unknown principals (without principalType) and non-GUID names", async () => {
    const sim = fixtureSimulator();
    const c = sim.httpClient();
    const base = `${ARM}${SUB}/providers/Microsoft.Authorization/roleAssignments`;
    const role = (g: string) => `/providers/Microsoft.Authorization/roleDefinitions/${g}`;
    const badRole = await send(c, "PUT", `${base}/44444444-0000-4000-8000-000000000003?${RA_API}`, {
      properties: { roleDefinitionId: role("11111111-2222-4333-8444-555555555555"), principalId: ALEX },
    });
    assert.equal(badRole.body.error.code, "RoleDefinitionDoesNotExist");
    const ghost = await send(c, "PUT", `${base}/44444444-0000-4000-8000-000000000003?${RA_API}`, {
      properties: { roleDefinitionId: role(READER), principalId: "0de1e7ed-dead-4bad-8bad-00000000dead" },
    });
    assert.equal(ghost.status, 400);
    assert.equal(ghost.body.error.code, "PrincipalNotFound");
    const badName = await send(c, "PUT", `${base}/not-a-guid?${RA_API}`, {
      properties: { roleDefinitionId: role(READER), principalId: ALEX },
    });
    assert.equal(badName.body.error.code, "InvalidRoleAssignmentId");
    const empty = await send(c, "PUT", `${base}/44444444-0000-4000-8000-000000000004?${RA_API}`, {});
    assert.equal(empty.status, 400);
  });

  it("restoring a deleted assignment under its old name works (restore-assignment)", async () => {
    const sim = fixtureSimulator();
    const c = sim.httpClient();
    const deleted = await send(c, "DELETE", `${ARM}${id}?${RA_API}`);
    const again = await send(c, "PUT", `${ARM}${id}?${RA_API}`, {
      properties: {
        roleDefinitionId: deleted.body.properties.roleDefinitionId,
        principalId: ALEX,
        principalType: "User",
      },
    });
    assert.equal(again.status, 201);
    assert.equal(again.body.id, id);
  });

  it("dev subscription assignments are not visible from prod", async () => {
    const r = await list(`/subscriptions/${DEV}`);
    assert.equal(names(r.body), "36"); // its own plus the management-group one
  });
});

describe("role assignments: malformed paths", () => {
  it("a double slash (SDK given a scope with a leading '/') is refused loudly, never an empty list", async () => {
    const sim = fixtureSimulator();
    const r = await send(
      sim.httpClient(),
      "GET",
      `${ARM}/${SUB}/providers/Microsoft.Authorization/roleAssignments?${RA_API}`,
    );
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, "InvalidRequestUri");
  });
});
