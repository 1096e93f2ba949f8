// Pure pieces of the Azure adapter: clouds, error wording, the role-definition cache.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PromiseCache } from "../../lib/tenant/azure/cache";
import { explainError, REQUIRED_PERMISSION } from "../../lib/tenant/azure/errors";
import { CLOUDS, cloudEndpoints, scopeFor } from "../../lib/tenant/clouds";
import { PermissionError, RequestError, TransientError } from "../../lib/tenant/errors";

describe("clouds", () => {
  it("pairs each cloud's ARM endpoint with its own token scope and authority", () => {
    assert.equal(cloudEndpoints("AzureUSGovernment").armEndpoint, "https://management.usgovcloudapi.net");
    assert.equal(cloudEndpoints("AzureUSGovernment").graphEndpoint, "https://graph.microsoft.us");
    assert.equal(cloudEndpoints("AzureUSGovernment").authorityHost, "https://login.microsoftonline.us");
    assert.equal(
      cloudEndpoints("AzureChinaCloud").graphScope,
      "https://microsoftgraph.chinacloudapi.cn/.default",
    );
    assert.equal(cloudEndpoints("AzureChinaCloud").authorityHost, "https://login.chinacloudapi.cn");
    for (const c of Object.values(CLOUDS)) {
      assert.equal(c.armScope, scopeFor(c.armEndpoint));
      assert.equal(c.graphScope, scopeFor(c.graphEndpoint));
    }
  });
  it("rejects an unknown cloud by name", () => {
    assert.throws(() => cloudEndpoints("AzureGermanCloud"), /unknown Azure cloud "AzureGermanCloud"/);
  });
});

describe("explainError", () => {
  it("names the missing permission and scope on 403", () => {
    const err = explainError(
      { statusCode: 403, code: "AuthorizationFailed", message: "denied" },
      { operation: "roleAssignments.read", scope: "/subscriptions/s1" },
    );
    assert.ok(err instanceof PermissionError);
    assert.equal(err.action, "Microsoft.Authorization/roleAssignments/read");
    assert.equal(err.scope, "/subscriptions/s1");
    assert.match(err.message, /lacks Microsoft\.Authorization\/roleAssignments\/read at \/subscriptions\/s1/);
  });
  it("fills the provider namespace into register permissions", () => {
    const err = explainError(
      { statusCode: 403 },
      { operation: "providers.register", scope: "/subscriptions/s1", namespace: "Microsoft.Security" },
    );
    assert.ok(err instanceof PermissionError);
    assert.equal(err.action, "Microsoft.Security/register/action");
  });
  it("types 429, 5xx, resets and time-outs as transient, other refusals as requests", () => {
    const ctx = { operation: "activityLog.read" as const, scope: "/subscriptions/s1" };
    assert.ok(explainError({ statusCode: 429 }, ctx) instanceof TransientError);
    assert.ok(explainError({ statusCode: 503 }, ctx) instanceof TransientError);
    assert.ok(explainError({ code: "ECONNRESET", message: "socket hang up" }, ctx) instanceof TransientError);
    assert.match(
      explainError({ code: "ETIMEDOUT", message: "no response within 50 ms" }, ctx).message,
      /no answer in time/,
    );
    assert.ok(
      explainError({ message: "fetch failed", cause: { code: "UND_ERR_SOCKET" } }, ctx) instanceof
        TransientError,
    );
    assert.ok(explainError({ statusCode: 400, message: "bad" }, ctx) instanceof RequestError);
  });
  it("documents a permission for every operation", () => {
    for (const [op, permission] of Object.entries(REQUIRED_PERMISSION)) assert.ok(permission.length > 0, op);
  });
});

describe("PromiseCache", () => {
  it("shares one in-flight load, expires after the TTL, evicts the oldest past the size bound, forgets failures", async () => {
    let now = 0;
    const cache = new PromiseCache<number>({ ttlMs: 100, maxEntries: 2, now: () => now });
    let loads = 0;
    const load = async (): Promise<number> => ++loads;
    const [a, b] = await Promise.all([cache.getOrLoad("k", load), cache.getOrLoad("k", load)]);
    assert.equal(a, 1);
    assert.equal(b, 1);
    assert.equal(loads, 1);
    now = 150;
    assert.equal(await cache.getOrLoad("k", load), 2);
    await cache.getOrLoad("x", load);
    await cache.getOrLoad("y", load);
    assert.equal(cache.size, 2);
    await assert.rejects(cache.getOrLoad("bad", () => Promise.reject(new Error("boom"))));
    await new Promise((r) => setImmediate(r));
    assert.equal(await cache.getOrLoad("bad", load), 5);
  });
});
