// One contract suite for every Store implementation: MemoryStore (offline replay) and TableStore
// (Azure Table Storage, run against Azurite). Same inputs, same answers.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ActivityEvent } from "../../lib/events/types";
import { testEvent } from "../support/events";
import type { Finding } from "../../lib/review/types";
import {
  ConflictError,
  type ActionRecord,
  type IncidentRecord,
  type PoisonReader,
  type Store,
} from "../../lib/store/types";

export type StoreFactory = () => Store & PoisonReader;

const SUB = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
const ALEX = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
const T0 = "2025-03-14T09:26:53.5897932Z";

export function event(overrides: Partial<ActivityEvent> = {}): ActivityEvent {
  return testEvent({
    time: T0,
    where: "eventgrid",
    ...overrides,
  });
}

export function incident(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  const id = overrides.id ?? "inc-1";
  return {
    id,
    operationKey: `${SUB}|9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d|microsoft.security/unregister/action`,
    subscriptionId: SUB,
    actorId: ALEX,
    eventId: "e4",
    time: T0,
    watchUntil: "2025-03-15T09:26:53.589Z",
    classification: {
      kind: "provider-unregister",
      namespace: "Microsoft.Security",
      group: "defense",
      severity: "critical",
      reasons: ["Microsoft.Security was unregistered"],
      attack: ["T1562.001"],
      operationKey: "k",
    },
    event: event(),
    status: "open",
    findings: [],
    leaseOwner: null,
    leaseUntil: null,
    createdAt: "2025-03-14T09:27:00.000Z",
    updatedAt: "2025-03-14T09:27:00.000Z",
    ...overrides,
  };
}

function finding(i: number, severity: Finding["severity"], reasonChars = 40): Finding {
  return {
    rule: "RA-RECENT-PRIVILEGED",
    severity,
    reason: `finding ${i} `.padEnd(reasonChars, "x"),
    action: "delete-assignment",
    assignmentId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/${i}`,
    decision: "flagged",
  };
}

function action(overrides: Partial<ActionRecord> = {}): ActionRecord {
  return {
    incidentId: "inc-1",
    actionId: "delete-assignment:/subscriptions/x/roleAssignments/1",
    kind: "delete-assignment",
    target: "/subscriptions/x/roleAssignments/1",
    state: "intent",
    decision: "planned",
    before: { principalId: "p" },
    after: null,
    error: null,
    startedAt: "2025-03-14T10:00:00.000Z",
    finishedAt: null,
    ...overrides,
  };
}

const withoutEtag = ({ etag: _e, ...rest }: IncidentRecord): IncidentRecord => rest;

export function storeContract(name: string, makeStore: StoreFactory): void {
  test(`${name}: an incident is claimed exactly once under 10 concurrent claims`, async () => {
    const store = makeStore();
    const results = await Promise.all(Array.from({ length: 10 }, () => store.claimIncident(incident())));
    assert.equal(results.filter((r) => r.claimed).length, 1);
    for (const r of results) assert.deepEqual(withoutEtag(r.incident), incident());
    assert.deepEqual(withoutEtag((await store.getIncident("inc-1"))!), incident());
    assert.equal(await store.getIncident("nope"), null);
  });

  test(`${name}: a stale etag is a ConflictError; a fresh one updates`, async () => {
    const store = makeStore();
    const { incident: claimed } = await store.claimIncident(incident());
    assert.ok(claimed.etag);
    const updated = await store.updateIncident({
      ...claimed,
      status: "reviewed",
      findings: [finding(1, "high")],
    });
    assert.notEqual(updated.etag, claimed.etag);
    assert.equal((await store.getIncident("inc-1"))?.status, "reviewed");
    await assert.rejects(store.updateIncident({ ...claimed, status: "failed" }), ConflictError);
    await assert.rejects(store.updateIncident({ ...claimed, etag: undefined }), ConflictError);
    assert.equal((await store.getIncident("inc-1"))?.status, "reviewed");
  });

  test(`${name}: leases: one holder at a time, expiry frees them, the holder may renew`, async () => {
    const store = makeStore();
    await store.claimIncident(incident());
    const t = (minutes: number): Date => new Date(Date.UTC(2025, 2, 14, 10, minutes));
    const a = await store.acquireLease("inc-1", "worker-a", t(5), t(0));
    assert.equal(a?.leaseOwner, "worker-a");
    assert.equal(a?.leaseUntil, t(5).toISOString());
    assert.equal(await store.acquireLease("inc-1", "worker-b", t(10), t(1)), null);
    assert.equal((await store.acquireLease("inc-1", "worker-a", t(8), t(2)))?.leaseUntil, t(8).toISOString());
    const b = await store.acquireLease("inc-1", "worker-b", t(20), t(9));
    assert.equal(b?.leaseOwner, "worker-b");
    await assert.rejects(store.acquireLease("missing", "worker-a", t(5), t(0)), /no such incident/);
  });

  test(`${name}: 10 workers racing for a free lease: exactly one wins`, async () => {
    const store = makeStore();
    await store.claimIncident(incident());
    const now = new Date("2025-03-14T10:00:00Z");
    const until = new Date("2025-03-14T10:05:00Z");
    const results = await Promise.all(
      Array.from({ length: 10 }, (_x, i) => store.acquireLease("inc-1", `w${i}`, until, now)),
    );
    const winners = results.filter((r) => r !== null);
    assert.equal(winners.length, 1);
    assert.equal((await store.getIncident("inc-1"))?.leaseOwner, winners[0]?.leaseOwner);
  });

  test(`${name}: open incidents by subscription and actor while the watch window runs`, async () => {
    const store = makeStore();
    await store.claimIncident(incident({ id: "a", watchUntil: "2025-03-15T09:00:00Z" }));
    await store.claimIncident(
      incident({ id: "b", time: "2025-03-14T11:00:00Z", watchUntil: "2025-03-15T11:00:00Z" }),
    );
    await store.claimIncident(
      incident({ id: "other-actor", actorId: "c0ffee00-aaaa-4bbb-8ccc-000000000001" }),
    );
    await store.claimIncident(
      incident({ id: "other-sub", subscriptionId: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d" }),
    );
    await store.claimIncident(incident({ id: "no-actor", actorId: null }));
    const ids = async (at: string): Promise<string[]> =>
      (await store.openIncidents(SUB, ALEX, new Date(at))).map((i) => i.id);
    assert.deepEqual(await ids("2025-03-14T10:00:00Z"), ["a", "b"]);
    assert.deepEqual(await ids("2025-03-15T09:00:00Z"), ["a", "b"], "watchUntil itself is inside");
    assert.deepEqual(await ids("2025-03-15T10:00:00Z"), ["b"]);
    assert.deepEqual(await ids("2025-03-16T00:00:00Z"), []);
    assert.deepEqual(
      (await store.openIncidents(SUB.toUpperCase(), ALEX.toUpperCase(), new Date("2025-03-14T10:00:00Z")))
        .length,
      2,
      "ids match case-insensitively",
    );
    // A later update that extends the watch window is seen by the query.
    const a = (await store.getIncident("a"))!;
    await store.updateIncident({ ...a, watchUntil: "2025-03-16T12:00:00Z" });
    assert.deepEqual(await ids("2025-03-16T00:00:00Z"), ["a"]);
  });

  test(`${name}: an action intent is recorded once under 10 concurrent writers`, async () => {
    const store = makeStore();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_x, i) =>
        store.recordActionIntent(action({ startedAt: `2025-03-14T10:00:0${i}.000Z` })),
      ),
    );
    assert.equal(results.filter((r) => r.created).length, 1);
    const winner = results.find((r) => r.created)!.action;
    for (const r of results) assert.deepEqual(r.action, winner);
    await store.recordActionOutcome({
      ...winner,
      state: "done",
      decision: "reverted",
      finishedAt: "2025-03-14T10:01:00.000Z",
    });
    await store.recordActionIntent(
      action({ actionId: "register-provider:Microsoft.Security", kind: "register-provider" }),
    );
    const listed = await store.actions("inc-1");
    assert.deepEqual(
      listed.map((a) => [a.actionId, a.state]),
      [
        ["delete-assignment:/subscriptions/x/roleAssignments/1", "done"],
        ["register-provider:Microsoft.Security", "intent"],
      ],
    );
    assert.deepEqual(await store.actions("other"), []);
    // A point read answers the same record the listing holds, and null when absent.
    assert.deepEqual(await store.action("inc-1", "register-provider:Microsoft.Security"), listed[1]);
    assert.equal(await store.action("inc-1", "register-provider:Microsoft.Insights"), null);
    assert.equal(await store.action("other", "register-provider:Microsoft.Security"), null);
  });

  test(`${name}: journal range queries by subscription, oldest first, bounds inclusive`, async () => {
    const store = makeStore();
    const entry = (time: string, assignmentId: string, subscriptionId = SUB) => ({
      subscriptionId,
      assignmentId,
      operation: "write" as const,
      time,
      actorId: ALEX,
      eventId: `ev-${assignmentId}`,
      snapshot: null,
    });
    await store.appendJournal(entry("2025-03-14T08:00:00.000Z", "late"));
    await store.appendJournal(entry("2025-03-14T07:26:53.5897932Z", "early"));
    await store.appendJournal(entry("2025-03-14T07:26:53.5897932Z", "early")); // a redelivery: still one row
    await store.appendJournal(entry("2025-03-14T09:00:00.000Z", "edge"));
    await store.appendJournal(entry("2025-03-13T00:00:00.000Z", "before"));
    await store.appendJournal(
      entry("2025-03-14T08:00:00.000Z", "other-sub", "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"),
    );
    const got = await store.journal(SUB, new Date("2025-03-14T07:00:00Z"), new Date("2025-03-14T09:00:00Z"));
    assert.deepEqual(
      got.map((e) => e.assignmentId),
      ["early", "late", "edge"],
    );
    assert.equal(got[0]?.time, "2025-03-14T07:26:53.5897932Z", "the original time is kept");
    assert.deepEqual(
      await store.journal(SUB, new Date("2025-03-15T00:00:00Z"), new Date("2025-03-16T00:00:00Z")),
      [],
    );
    await assert.rejects(store.appendJournal(entry("yesterday", "bad")), /not a valid time/);
  });

  test(`${name}: breaker hands out at most the limit to 20 concurrent takers, resets next hour`, async () => {
    const store = makeStore();
    const hour = new Date("2025-03-14T09:10:00Z");
    const taken = await Promise.all(Array.from({ length: 20 }, () => store.takeBreakerToken(SUB, hour, 10)));
    assert.equal(taken.filter(Boolean).length, 10);
    assert.equal(await store.takeBreakerToken(SUB, new Date("2025-03-14T09:59:59Z"), 10), false);
    assert.equal(
      await store.takeBreakerToken("6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d", hour, 10),
      true,
      "per subscription",
    );
    assert.equal(await store.takeBreakerToken(SUB, new Date("2025-03-14T10:00:00Z"), 10), true, "next hour");
    assert.equal(
      await store.takeBreakerToken(SUB, new Date("2025-03-14T11:00:00Z"), 0),
      false,
      "limit 0 = never",
    );
  });

  test(`${name}: poison records are kept without claims or tokens`, async () => {
    const store = makeStore();
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJ4In0.c2lnbmF0dXJl";
    await store.recordPoison({
      where: "samples/bad.json:3",
      error: `Unexpected token } in JSON; Authorization: Bearer ${jwt}`,
      excerpt: `{"claims":{"oid":"x","name":"Alex"},"token":"${jwt}","data":` + "y".repeat(10_000),
      time: "2025-03-14T10:00:00Z",
    });
    await store.recordPoison({
      where: "other-day",
      error: "bad",
      excerpt: "{",
      time: "2025-03-20T10:00:00Z",
    });
    const got = await store.poison(new Date("2025-03-14T00:00:00Z"), new Date("2025-03-15T00:00:00Z"));
    assert.equal(got.length, 1);
    const [p] = got;
    assert.equal(p?.where, "samples/bad.json:3");
    assert.ok(!JSON.stringify(p).includes(jwt), "no token");
    assert.ok(!JSON.stringify(p).includes("Alex"), "no claims");
    assert.match(p?.error ?? "", /Unexpected token/);
    assert.ok((p?.excerpt.length ?? 0) <= 2_000, "excerpt is bounded");
  });

  test(`${name}: ids with characters Table keys forbid round-trip and never collide`, async () => {
    const store = makeStore();
    const ids = [
      "a/b",
      "a\\b",
      "a#b",
      "a?b",
      "a|b",
      "a~2Fb",
      "a~b",
      "a'b%20c",
      "ünï€ode",
      "tab\there",
      "x".repeat(3_000),
    ];
    for (const id of ids) assert.equal((await store.claimIncident(incident({ id }))).claimed, true, id);
    for (const id of ids) assert.equal((await store.getIncident(id))?.id, id);
    const act = action({ incidentId: "/subscriptions/x#1", actionId: "delete-assignment:/a/b?c=#d" });
    assert.equal((await store.recordActionIntent(act)).created, true);
    assert.deepEqual(await store.actions("/subscriptions/x#1"), [act]);
    // Composite keys (journal rows, the watch index) stay within Table's 1 KiB key limit for long ids.
    const longId = `/subscriptions/${SUB}/`.padEnd(1_000, "z");
    await store.appendJournal({
      subscriptionId: SUB,
      assignmentId: longId,
      operation: "delete",
      time: T0,
      actorId: longId,
      eventId: longId,
      snapshot: null,
    });
    assert.equal((await store.journal(SUB, new Date(T0), new Date(T0)))[0]?.assignmentId, longId);
    await store.claimIncident(incident({ id: "long-actor", actorId: longId }));
    assert.deepEqual(
      (await store.openIncidents(SUB, longId, new Date(T0))).map((i) => i.id),
      ["long-actor"],
    );
  });

  test(`${name}: oversized incidents are capped visibly, least severe findings dropped first`, async () => {
    const store = makeStore();
    const findings = [
      ...Array.from({ length: 1_500 }, (_x, i) => finding(i, "low", 600)),
      finding(9_001, "critical"),
      finding(9_002, "high"),
    ];
    const big = incident({
      findings,
      event: {
        ...event({ notes: Array.from({ length: 500 }, (_x, i) => `note ${i} `.padEnd(300, "n")) }),
        claims: { oid: "secret-claims" },
      } as ActivityEvent,
    });
    const { incident: stored } = await store.claimIncident(big);
    const read = (await store.getIncident(big.id))!;
    for (const got of [stored, read]) {
      assert.ok((got.findingsOmitted ?? 0) > 0, "omission is counted");
      assert.equal(got.findings.length + (got.findingsOmitted ?? 0), findings.length);
      assert.ok(
        got.findings.some((f) => f.severity === "critical") &&
          got.findings.some((f) => f.severity === "high"),
      );
      assert.ok(!JSON.stringify(got.event).includes("secret-claims"), "claims are not stored");
      assert.match(got.event.notes.at(-1) ?? "", /shortened for storage/);
    }
  });
}
