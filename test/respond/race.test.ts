// A delivery that saw the incident still open when it claimed, but only gets the lease after the first
// delivery finished, must not review, publish or plan the incident a second time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { incidentIdFor, respond } from "../../lib/respond";
import { classify } from "../../lib/classify/classify";
import type { ActivityEvent } from "../../lib/events/types";
import { MemoryStore } from "../../lib/store/memory";
import type { Store } from "../../lib/store/types";
import { E1, E3, E4, harness } from "./scenario";

test("a delivery that claimed while the incident was open, and leases it after it was reviewed, is a duplicate", async () => {
  const base = new MemoryStore();
  const h = await harness("revert", { store: base });
  await respond(E1, h.deps);
  await respond(E3, h.deps);

  // The late delivery's claim answers "open" (read before the first delivery finished) ...
  const late = Object.create(base) as Store;
  late.claimIncident = async (incident) => {
    const claim = await base.claimIncident(incident);
    return { ...claim, incident: { ...claim.incident, status: "open" } };
  };
  const first = await respond(E4, { ...h.deps, instanceId: "first" });
  assert.equal(first.status, "processed");
  const publishedAfterFirst = h.published.length;
  const reviewReads = h.simulator.calls.length;

  // ... and it reaches acquireLease only after the first delivery released it as reviewed.
  const second = await respond(E4, { ...h.deps, store: late, run: undefined, instanceId: "second" });
  assert.equal(second.status, "duplicate");
  assert.equal(h.published.length, publishedAfterFirst, "published once");
  assert.equal(h.simulator.calls.length, reviewReads, "not reviewed again");
  const stored = await base.getIncident(first.incident!.id);
  assert.equal(stored?.leaseOwner, null, "the lease is not left behind");
  assert.equal(stored?.status, "reviewed");
});

const incidentIdOf = (e: ActivityEvent): string => incidentIdFor(e, classify(e));

test("an event the review cannot use is poison and leaves no lease behind", async () => {
  const h = await harness("flag");
  const bad = { ...E4, eventId: "bad-sub", subscriptionId: "not-a-subscription-guid" };
  const out = await respond(bad, h.deps);
  assert.equal(out.status, "poison");
  const incident = out.incident ?? (await h.deps.store.getIncident(incidentIdOf(bad)));
  assert.equal(incident?.leaseOwner ?? null, null, "another delivery of it is not held off for minutes");
});
