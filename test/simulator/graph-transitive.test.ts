import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Simulator } from "../../lib/simulator";
import { parseSnapshot } from "../../lib/tenant/snapshot";
import {
  ALEX,
  GRAPH,
  GROUP_INNER,
  GROUP_OUTER,
  GUEST,
  SP,
  fixtureSimulator,
  fixtureSnapshot,
  send,
} from "./fixture";

const SELECT = "$select=id,displayName,userType";
const ids = (body: { value: Array<{ id: string }> }) => body.value.map((o) => o.id);

/** The fixture with INNER also listing OUTER: a membership cycle. */
function cyclicSimulator(pageSize?: number): Simulator {
  const snap = fixtureSnapshot();
  const inner = snap.principals.find((p) => p.id === GROUP_INNER)!;
  inner.members = [...(inner.members ?? []), GROUP_OUTER, SP];
  return new Simulator(parseSnapshot(snap), pageSize ? { pageSize } : undefined);
}

describe("graph: transitive memberships", () => {
  it("transitiveMemberOf expands nested groups (cast to groups), with @odata.type", async () => {
    const c = fixtureSimulator().httpClient();
    const r = await send(
      c,
      "GET",
      `${GRAPH}/v1.0/users/${GUEST}/transitiveMemberOf/microsoft.graph.group?${SELECT}`,
    );
    assert.equal(r.status, 200);
    assert.deepEqual(ids(r.body).sort(), [GROUP_INNER, GROUP_OUTER].sort());
    assert.ok(
      r.body.value.every((g: Record<string, string>) => g["@odata.type"] === "#microsoft.graph.group"),
    );
    assert.equal(r.body.value[0].members, undefined, "internal membership lists are not sent");
    const none = await send(c, "GET", `${GRAPH}/v1.0/users/${ALEX}/transitiveMemberOf/microsoft.graph.group`);
    assert.deepEqual(none.body.value, []);
  });

  it("the collection segment must match the object's type, and unknown ids are 404", async () => {
    const c = fixtureSimulator().httpClient();
    const wrongType = await send(c, "GET", `${GRAPH}/v1.0/servicePrincipals/${GUEST}/transitiveMemberOf`);
    assert.equal(wrongType.status, 404);
    assert.equal(wrongType.body.error.code, "Request_ResourceNotFound");
    const gone = await send(
      c,
      "GET",
      `${GRAPH}/v1.0/groups/0de1e7ed-dead-4bad-8bad-00000000dead/transitiveMembers`,
    );
    assert.equal(gone.status, 404);
  });

  it("transitiveMembers lists nested members once each (nested groups included) and is cycle safe", async () => {
    const c = cyclicSimulator().httpClient();
    const r = await send(c, "GET", `${GRAPH}/v1.0/groups/${GROUP_OUTER}/transitiveMembers?${SELECT}`);
    assert.equal(r.status, 200);
    assert.deepEqual(ids(r.body).sort(), [GROUP_INNER, GUEST, SP].sort(), "OUTER never lists itself");
    const guest = r.body.value.find((o: { id: string }) => o.id === GUEST);
    assert.equal(guest.userType, "Guest");
    assert.equal(guest["@odata.type"], "#microsoft.graph.user");
    const users = await send(
      c,
      "GET",
      `${GRAPH}/v1.0/groups/${GROUP_OUTER}/transitiveMembers/microsoft.graph.user`,
    );
    assert.deepEqual(ids(users.body), [GUEST]);
    const memberOf = await send(c, "GET", `${GRAPH}/v1.0/groups/${GROUP_INNER}/transitiveMemberOf`);
    assert.deepEqual(ids(memberOf.body), [GROUP_OUTER], "a group in a cycle is not its own parent");
  });

  it("pages large results with @odata.nextLink ($top or the simulator's page size)", async () => {
    const c = cyclicSimulator(2).httpClient();
    let url: string | undefined = `${GRAPH}/v1.0/groups/${GROUP_OUTER}/transitiveMembers?${SELECT}`;
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const r = await send(c, "GET", url);
      assert.equal(r.status, 200);
      seen.push(...ids(r.body));
      url = r.body["@odata.nextLink"];
      if (url) assert.match(url, /\$select=id,displayName,userType&\$skiptoken=/);
      pages++;
    }
    assert.equal(pages, 2);
    assert.deepEqual(seen.sort(), [GROUP_INNER, GUEST, SP].sort());
    const top = await send(c, "GET", `${GRAPH}/v1.0/groups/${GROUP_OUTER}/transitiveMembers?$top=999`);
    assert.equal(top.body.value.length, 3);
    assert.equal(top.body["@odata.nextLink"], undefined);
    const bad = await send(c, "GET", `${GRAPH}/v1.0/groups/${GROUP_OUTER}/transitiveMembers?$top=1000`);
    assert.equal(bad.status, 400);
  });

  it("both routes answer inside $batch, a 404 there staying that item's alone", async () => {
    const c = fixtureSimulator().httpClient();
    const r = await send(c, "POST", `${GRAPH}/v1.0/$batch`, {
      requests: [
        { id: "m", method: "GET", url: `/groups/${GROUP_OUTER}/transitiveMembers?${SELECT}` },
        { id: "o", method: "GET", url: `/users/${GUEST}/transitiveMemberOf/microsoft.graph.group` },
        { id: "x", method: "GET", url: `/users/0de1e7ed-dead-4bad-8bad-00000000dead/transitiveMemberOf` },
      ],
    });
    assert.equal(r.status, 200);
    const byId = new Map(r.body.responses.map((s: { id: string }) => [s.id, s]));
    const m = byId.get("m") as { status: number; body: { value: Array<{ id: string }> } };
    assert.equal(m.status, 200);
    assert.deepEqual(ids(m.body).sort(), [GROUP_INNER, GUEST].sort());
    assert.equal((byId.get("o") as { status: number }).status, 200);
    assert.equal((byId.get("x") as { status: number }).status, 404);
  });
});
