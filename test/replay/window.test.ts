// Replay's ordering buffer is bounded: past the window it replays the oldest half, loses nothing, and
// says so on stderr.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runReplay } from "../../lib/cli/commands/replay";
import { fakeIO, ndjson } from "../cli/fake-io";

const keysOf = (text: string): string[] =>
  ndjson(text)
    .map((l) => (l.rejected ? `rejected ${String(l.where)}` : `${String(l.eventId)}`))
    .sort();

test("a sliding order window replays every record exactly once and tells the user", async () => {
  const whole = fakeIO();
  assert.equal(await runReplay(["samples/events", "--format", "ndjson"], whole), 0);
  assert.doesNotMatch(whole.err(), /sliding window/);

  const windowed = fakeIO();
  assert.equal(await runReplay(["samples/events", "--format", "ndjson"], windowed, { orderWindow: 4 }), 0);
  assert.match(windowed.err(), /more than 4 relevant events: replaying them in a sliding window/);
  assert.deepEqual(keysOf(windowed.out()), keysOf(whole.out()));
  assert.ok(keysOf(whole.out()).length > 8, "enough events to slide the window several times");
});
