// Structured logs and the redaction policy: every rule is exercised, and ids that merely look like
// secrets (operationKey, partitionKey) are kept.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createLogger, redact, REDACTED, REDACTED_KEYS, REDACTED_VALUES } from "../../lib/publish/index";

const JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJvaWQiOiI1ZTRkIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
const clock = () => new Date("2025-03-14T09:30:00.000Z");

test("a log line is one JSON object: level, time, msg, then the fields", () => {
  const lines: string[] = [];
  const log = createLogger((l) => lines.push(l), { app: "responder" }, clock);
  log.warn("incident claimed twice", {
    incidentId: "inc-1",
    operationKey: "sub|corr|microsoft.security/unregister/action",
  });
  assert.deepEqual(JSON.parse(lines[0] ?? ""), {
    level: "warn",
    time: "2025-03-14T09:30:00.000Z",
    msg: "incident claimed twice",
    app: "responder",
    incidentId: "inc-1",
    operationKey: "sub|corr|microsoft.security/unregister/action",
  });
  log.child({ incidentId: "inc-2" }).error("boom", { msg: "not the message", error: new Error("bad thing") });
  const second = JSON.parse(lines[1] ?? "");
  assert.equal(second.level, "error");
  assert.equal(second.msg, "boom", "fields cannot overwrite level, time or msg");
  assert.equal(second["field.msg"], "not the message");
  assert.equal(second.incidentId, "inc-2");
  assert.deepEqual(second.error, { name: "Error", message: "bad thing" });
});

test("secrets are never logged: by field name, by shape, nested, in messages and errors", () => {
  const lines: string[] = [];
  const log = createLogger((l) => lines.push(l), {}, clock);
  log.info(`got token ${JWT}`, {
    accessToken: JWT,
    token: "opaque-token-value",
    findingsTopicKey: "topic-key-value",
    connectionString: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=account-key-value;",
    headers: { Authorization: "Bearer opaque-bearer", "aeg-sas-key": "sas-key-value" },
    event: { claims: { oid: "x", name: "Alex Doe" }, actor: { objectId: "5e4d" } },
    clientSecret: "client-secret-value",
    password: "pw-value",
    url: "https://acct.blob.core.windows.net/c/b?sv=2021&sig=sas-signature-value",
    error: new Error("auth failed for AccountKey=account-key-2;SharedAccessKey=shared-key-value"),
    note: "Authorization: Bearer bearer-in-text",
    partitionKey: "kept-pk",
    operationKey: "kept-op-key",
  });
  const text = lines[0] ?? "";
  for (const secret of [
    JWT,
    "opaque-token-value",
    "topic-key-value",
    "account-key-value",
    "opaque-bearer",
    "sas-key-value",
    "Alex Doe",
    "client-secret-value",
    "pw-value",
    "sas-signature-value",
    "account-key-2",
    "shared-key-value",
    "bearer-in-text",
  ])
    assert.ok(!text.includes(secret), `leaked ${secret}`);
  const line = JSON.parse(text);
  assert.equal(line.partitionKey, "kept-pk");
  assert.equal(line.operationKey, "kept-op-key");
  assert.equal(line.event.actor.objectId, "5e4d");
  assert.equal(line.event.claims, REDACTED);
  assert.match(line.url, /sv=2021&sig=\[redacted\]/);
});

test("every redaction rule is live (the policy is data: each entry is exercised)", () => {
  const keyExamples = [
    "idToken",
    "sasToken",
    "clientSecret",
    "topicKey",
    "sig",
    "connection_string",
    "authorization",
    "claims",
  ];
  for (const rule of REDACTED_KEYS)
    assert.ok(
      keyExamples.some((k) => rule.key.test(k)),
      `key rule "${rule.why}" matches none of the examples`,
    );
  const valueExamples = [JWT, "Bearer abc", "AccountKey=abc", '{"claims":{"a":1}}', "?sig=abc"];
  for (const rule of REDACTED_VALUES) {
    const hit = valueExamples.some((v) => v.replace(rule.pattern, rule.replaceWith) !== v);
    rule.pattern.lastIndex = 0;
    assert.ok(hit, `value rule "${rule.why}" matches none of the examples`);
  }
});

test("redact survives cycles, depth and odd values, and a throwing sink never throws", () => {
  const cyclic: Record<string, unknown> = { name: "a" };
  cyclic.self = cyclic;
  assert.deepEqual(redact(cyclic), { name: "a", self: "[cycle]" });
  assert.equal(redact(10n), "10");
  assert.equal(redact(new Date("2025-03-14T00:00:00Z")), "2025-03-14T00:00:00.000Z");
  const log = createLogger(() => {
    throw new Error("disk full");
  });
  assert.doesNotThrow(() => log.info("still fine", { cyclic }));
});

test("a claims fragment cut short inside raw text is still removed", () => {
  const excerpt = '{"data":{"claims":{"name":"Alex Doe","upn":"alex@contoso.example"';
  assert.ok(!String(redact(excerpt)).includes("Alex Doe"));
});
