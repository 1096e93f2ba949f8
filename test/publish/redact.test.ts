import { test } from "node:test";
import assert from "node:assert/strict";
import { redact } from "../../lib/publish/redact";

test("redact keeps a value referenced twice (shared, not cyclic) instead of replacing it with [cycle]", () => {
  const actor = { objectId: "a", type: "user" };
  const reasons = ["granted Owner"];
  const out = redact({ event: { actor }, published: { actor }, findings: [{ reasons }, { reasons }] });
  assert.deepEqual(out, {
    event: { actor },
    published: { actor },
    findings: [{ reasons }, { reasons }],
  });
});

test("redact still cuts a real cycle, and a secret under a shared object is redacted on every path", () => {
  const shared: Record<string, unknown> = { name: "s", accessToken: "abc" };
  shared.self = shared;
  assert.deepEqual(redact({ a: shared, b: shared }), {
    a: { name: "s", accessToken: "[redacted]", self: "[cycle]" },
    b: { name: "s", accessToken: "[redacted]", self: "[cycle]" },
  });
});
