// Pure pieces of the Azure adapter: clouds, error wording, the role-definition cache.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PromiseCache } from "../../lib/tenant/azure/cache";
import { explainError, REQUIRED_PERMISSION } from "../../lib/tenant/azure/errors";
import { isTransientStatus, parseRetryAfterMs, retryDelayMs } from "../../lib/tenant/azure/graph-retry";
import { loadSettings, SettingsError } from "../../lib/config/settings";
import { staticTokenCredential } from "../../lib/tenant/azure/credential";
import { openTenant, tenantIdFromToken } from "../../lib/tenant/open";
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

describe("Graph retry timing", () => {
  const budget = { maxRetries: 3, retryDelayInMs: 800, maxRetryDelayInMs: 30_000 };

  it("reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read", () => {
    const now = Date.parse("2026-12-04T10:00:00Z");
    assert.equal(parseRetryAfterMs("2", now), 2000);
    assert.equal(parseRetryAfterMs("0.5", now), 500);
    assert.equal(parseRetryAfterMs("Fri, 04 Dec 2026 10:00:07 GMT", now), 7000);
    assert.equal(parseRetryAfterMs("Fri, 04 Dec 2026 09:00:00 GMT", now), 0, "a date in the past: now");
    assert.equal(parseRetryAfterMs("soon", now), undefined);
    assert.equal(parseRetryAfterMs(null, now), undefined);
  });

  it("waits what Retry-After asks, capped by the budget; otherwise backs off exponentially with jitter", () => {
    assert.equal(retryDelayMs(0, "3", budget), 3000);
    assert.equal(retryDelayMs(0, "3600", budget), 30_000, "an hour-long Retry-After is capped");
    const mid = () => 0.5; // jitter factor 1.0
    assert.deepEqual(
      [0, 1, 2, 3].map((a) => retryDelayMs(a, null, budget, mid)),
      [800, 1600, 3200, 6400],
    );
    assert.equal(
      retryDelayMs(0, null, budget, () => 0),
      640,
      "jitter low end: 80%",
    );
    assert.equal(retryDelayMs(10, null, budget, mid), 30_000, "back-off is capped too");
  });

  it("retries throttling, time-outs and server faults, not client errors or 501/505", () => {
    assert.deepEqual([408, 429, 500, 502, 503, 504].map(isTransientStatus), [
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    assert.deepEqual([400, 401, 403, 404, 501, 505].map(isTransientStatus), Array(6).fill(false));
  });
});

describe("the guarded tenant's id (AZURE_TENANT_ID)", () => {
  const TENANT = "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
  const jwt = (claims: object): string =>
    `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

  it("is a validated, canonical setting; empty means unset", () => {
    assert.equal(loadSettings({ AZURE_TENANT_ID: `{${TENANT.toUpperCase()}}` }).tenantId, TENANT);
    assert.equal(loadSettings({}).tenantId, null);
    assert.throws(
      () => loadSettings({ AZURE_TENANT_ID: "contoso.onmicrosoft.com" }),
      (e: unknown) => e instanceof SettingsError && /AZURE_TENANT_ID must be a GUID/.test(e.message),
    );
  });

  it("a live tenant takes the configured id", async () => {
    const { tenant } = await openTenant({ live: true, settings: loadSettings({ AZURE_TENANT_ID: TENANT }) });
    assert.equal(tenant.tenantId, TENANT);
  });

  it("unset, it is read from the identity's token; a token without one refuses to start", async () => {
    const upper = staticTokenCredential(jwt({ tid: TENANT.toUpperCase(), oid: "x" }));
    assert.equal(await tenantIdFromToken(upper, "https://management.azure.com/.default"), TENANT);
    await assert.rejects(
      tenantIdFromToken(staticTokenCredential("opaque"), "s"),
      /token names none; set AZURE_TENANT_ID/,
    );
    const failing = {
      getToken: async () => {
        throw new Error("no managed identity endpoint");
      },
    };
    await assert.rejects(tenantIdFromToken(failing, "s"), /no token for s \(no managed identity endpoint\)/);
  });
});
