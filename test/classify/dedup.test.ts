import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classify, createDeduplicator } from "../../lib/classify/index";
import type { ActivityEvent } from "../../lib/events/types";
import { makeEvent } from "./event-factory";

function observe(d: ReturnType<typeof createDeduplicator>, e: ActivityEvent) {
  return d.observe(e, classify(e));
}

describe("createDeduplicator", () => {
  it("the second outcome sighting of an operation names the first", () => {
    const d = createDeduplicator();
    assert.deepEqual(observe(d, makeEvent({ eventId: "eg-1", source: "eventgrid" })), {});
    assert.deepEqual(observe(d, makeEvent({ eventId: "dl-1", source: "deadletter" })), {
      duplicateOf: "eg-1",
    });
    assert.deepEqual(
      observe(
        d,
        makeEvent({
          eventId: "al-1",
          source: "activitylog",
          operationName: "MICROSOFT.SECURITY/UNREGISTER/ACTION",
        }),
      ),
      {
        duplicateOf: "eg-1",
      },
    );
  });
  it("a started row before its outcome is information, not a duplicate; the outcome is not one either", () => {
    const d = createDeduplicator();
    assert.deepEqual(observe(d, makeEvent({ eventId: "s", status: "started" })), {});
    assert.deepEqual(observe(d, makeEvent({ eventId: "s2", status: "accepted" })), {});
    assert.deepEqual(observe(d, makeEvent({ eventId: "o", status: "succeeded" })), {});
  });
  it("a started row after its outcome is a duplicate of the outcome", () => {
    const d = createDeduplicator();
    observe(d, makeEvent({ eventId: "o", status: "failed" }));
    assert.deepEqual(observe(d, makeEvent({ eventId: "s", status: "started" })), { duplicateOf: "o" });
  });
  it("different correlation ids, subscriptions or operations are different operations", () => {
    const d = createDeduplicator();
    observe(d, makeEvent({ eventId: "a" }));
    assert.deepEqual(
      observe(d, makeEvent({ eventId: "b", correlationId: "c0000000-0000-4000-8000-000000000001" })),
      {},
    );
    assert.deepEqual(
      observe(d, makeEvent({ eventId: "c", subscriptionId: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d" })),
      {},
    );
    assert.deepEqual(
      observe(d, makeEvent({ eventId: "d", operationName: "Microsoft.Insights/unregister/action" })),
      {},
    );
  });
  it("without a correlation id, only the same eventId is a duplicate", () => {
    const d = createDeduplicator();
    assert.deepEqual(observe(d, makeEvent({ eventId: "x", correlationId: null })), {});
    assert.deepEqual(observe(d, makeEvent({ eventId: "y", correlationId: null })), {});
    assert.deepEqual(observe(d, makeEvent({ eventId: "x", correlationId: null })), { duplicateOf: "x" });
  });
  it("memory is bounded: past the cap the least recently seen operation is forgotten", () => {
    const d = createDeduplicator({ maxKeys: 2 });
    const ev = (n: number) =>
      makeEvent({ eventId: `e${n}`, correlationId: `c0000000-0000-4000-8000-00000000000${n}` });
    observe(d, ev(1));
    observe(d, ev(2));
    assert.deepEqual(observe(d, ev(1)), { duplicateOf: "e1" }); // refreshes 1
    observe(d, ev(3)); // evicts 2
    assert.equal(d.size, 2);
    assert.deepEqual(observe(d, ev(1)), { duplicateOf: "e1" });
    assert.deepEqual(
      observe(d, makeEvent({ eventId: "again", correlationId: "c0000000-0000-4000-8000-000000000002" })),
      {},
    );
  });
});
