// The adapter suite over the HTTPS loopback mount: real sockets, TLS, resets and time-outs.
// Node reads NODE_EXTRA_CA_CERTS only at start, so this file runs the suite in a child process started
// with the simulator's certificate trusted (verification stays on), and the parent asserts it passed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { it } from "node:test";
import { generateSelfSignedCertificate } from "../../lib/simulator/tls";
import { startSimulatorServer } from "../../lib/simulator/server";
import { Simulator } from "../../lib/simulator/simulator";
import { createAzureTenant, staticTokenCredential } from "../../lib/tenant/azure";
import { adapterSuite } from "./adapter-suite";

const KEY_ENV = "TENANT_TEST_TLS_KEY";

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _ignored, ...rest } = env;
  return rest;
}

if (process.env[KEY_ENV] && process.env.NODE_EXTRA_CA_CERTS) {
  // Child: the certificate is trusted; serve with exactly that certificate.
  const tls = {
    key: readFileSync(process.env[KEY_ENV], "utf8"),
    cert: readFileSync(process.env.NODE_EXTRA_CA_CERTS, "utf8"),
  };
  adapterSuite("HTTPS loopback", async (snapshot, options) => {
    const simulator = new Simulator(snapshot, options);
    const server = await startSimulatorServer(simulator, { tls });
    return {
      simulator,
      tenant: (tuning) =>
        createAzureTenant({
          tenantId: snapshot.tenantId,
          credential: staticTokenCredential(),
          armEndpoint: server.url,
          graphEndpoint: server.url,
          ...tuning,
        }),
      close: () => server.close(),
    };
  });
} else {
  it("passes the adapter suite over HTTPS in a child process that trusts the simulator's certificate", async () => {
    const material = await generateSelfSignedCertificate(1);
    const dir = mkdtempSync(join(tmpdir(), "tenant-tls-"));
    writeFileSync(join(dir, "ca.pem"), material.cert);
    writeFileSync(join(dir, "key.pem"), material.key, { mode: 0o600 });
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--test", "--test-reporter=spec", fileURLToPath(import.meta.url)],
      {
        // NODE_TEST_CONTEXT would make the child report to this runner instead of running its own tests.
        env: {
          ...withoutTestContext(process.env),
          NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"),
          [KEY_ENV]: join(dir, "key.pem"),
        },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    const output = `${child.stdout}\n${child.stderr}`;
    assert.equal(child.status, 0, output);
    assert.match(output, /ℹ pass 20/, output);
    assert.match(output, /ℹ fail 0/, output);
  });
}
