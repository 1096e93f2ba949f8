// The HTTPS loopback mount: real TLS with the generated certificate, real sockets for reset and stall.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createDefaultHttpClient, createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import { startSimulatorServer, type SimulatorServer } from "../../lib/simulator";
import { ensureTestCertificate, runTrusting } from "../support/tls";
import { ALEX, fixtureSimulator, RA_API, SUB } from "./fixture";

describe("HTTPS mount", () => {
  const sim = fixtureSimulator({ pageSize: 2 });
  let server: SimulatorServer;
  const client = createDefaultHttpClient();

  before(async () => {
    server = await startSimulatorServer(sim, { tls: await ensureTestCertificate() });
  });
  after(() => server.close());

  async function get(path: string, extra: { timeout?: number; trusted?: boolean } = {}) {
    const request = createPipelineRequest({ url: `${server.url}${path}`, timeout: extra.timeout ?? 0 });
    if (extra.trusted !== false) request.tlsSettings = { ca: server.ca };
    const r = await client.sendRequest(request);
    return {
      status: r.status,
      headers: r.headers,
      body: r.bodyAsText ? JSON.parse(r.bodyAsText) : undefined,
    };
  }

  const LIST = `${SUB}/providers/Microsoft.Authorization/roleAssignments?${RA_API}`;

  it("serves ARM over TLS with the CA passed in process; nextLink points back at the server", async () => {
    sim.reset();
    const r = await get(LIST);
    assert.equal(r.status, 200);
    assert.equal(r.body.value.length, 2);
    assert.ok(r.body.nextLink.startsWith(`${server.url}/subscriptions/`));
    const next = await get(r.body.nextLink.slice(server.url.length));
    assert.equal(next.status, 200);
  });

  it("an untrusting client is refused at the TLS handshake (the certificate is real)", async () => {
    await assert.rejects(get(LIST, { trusted: false }), (err: unknown) => {
      assert.ok(err instanceof RestError);
      assert.match(String(err.code), /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
      return true;
    });
  });

  it("429 with Retry-After over the wire", async () => {
    sim.reset();
    sim.faults.add({ kind: "429", retryAfterSeconds: 2, times: 1 });
    const r = await get(LIST);
    assert.equal(r.status, 429);
    assert.equal(r.headers.get("retry-after"), "2");
  });

  it("reset destroys the socket: the node client raises ECONNRESET", async () => {
    sim.reset();
    sim.faults.add({ kind: "reset", times: 1 });
    await assert.rejects(get(LIST), (err: unknown) => {
      assert.ok(err instanceof RestError);
      assert.equal(err.code, "ECONNRESET");
      return true;
    });
    assert.equal((await get(LIST)).status, 200, "the next connection works");
  });

  it("stall never answers: the client's timeout fires", async () => {
    sim.reset();
    sim.faults.add({ kind: "stall", times: 1 });
    await assert.rejects(get(LIST, { timeout: 100 }), { name: "AbortError" });
    assert.equal(sim.calls[0]?.fault, "stall");
  });

  it("fetch in this process does not trust the certificate (why the recipe needs NODE_EXTRA_CA_CERTS)", async () => {
    if (process.env.NODE_EXTRA_CA_CERTS) return; // a runner that already trusts it makes this moot
    await assert.rejects(fetch(`${server.url}/v1.0/users/${ALEX}`));
  });

  it("a child started with NODE_EXTRA_CA_CERTS reads Graph through plain fetch", async () => {
    sim.reset();
    const script = `fetch(process.env.SIM_URL + "/v1.0/users/${ALEX}?$select=id,userType").then(r => r.json()).then(j => console.log(JSON.stringify(j)))`;
    const child = await runTrusting((await ensureTestCertificate()).certPath, ["-e", script], {
      SIM_URL: server.url,
    });
    assert.equal(child.code, 0, child.stderr);
    const body = JSON.parse(child.stdout);
    assert.equal(body.id, ALEX);
    assert.equal(body.userType, "Member");
    assert.equal(sim.calls.at(-1)?.path, `/v1.0/users/${ALEX}`);
  });

  it("a fresh server generates its own certificate and writes caPath", async () => {
    const own = await startSimulatorServer(fixtureSimulator());
    try {
      assert.match(own.ca, /BEGIN CERTIFICATE/);
      const request = createPipelineRequest({ url: `${own.url}/v1.0/users/${ALEX}` });
      request.tlsSettings = { ca: own.ca };
      assert.equal((await client.sendRequest(request)).status, 200);
      assert.ok(own.caPath.endsWith("ca.pem"));
    } finally {
      await own.close();
    }
  });
});
