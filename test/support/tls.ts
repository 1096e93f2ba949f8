// Trusting the simulator's self-signed certificate, measured on Node 20 here:
// - @azure/core-rest-pipeline's node client (every ARM SDK client): pass the CA in process, either as the
//   client option `{ tlsOptions: { ca } }` (see armTlsOptions) or per request (`request.tlsSettings`).
//   NODE_EXTRA_CA_CERTS works too.
// - global fetch (undici; the Graph client's HTTPMessageHandler): no in-process way without the `undici`
//   package (a `dispatcher` needs its Agent; tls.setDefaultCACertificates is Node 22.15+). It DOES honour
//   NODE_EXTRA_CA_CERTS, which node reads once at process start. So: start the process that uses fetch with
//   NODE_EXTRA_CA_CERTS pointing at a certificate that already exists (ensureTestCertificate writes one to a
//   fixed temp path; give it to startSimulatorServer as `tls`), or spawn a child with runTrusting().
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSelfSignedCertificate, type TlsMaterial } from "../../lib/simulator/tls";

/** Fixed location, so a runner can set NODE_EXTRA_CA_CERTS=<this>/cert.pem before node starts. */
export const TEST_CERT_DIR = join(tmpdir(), "unregister-responder-sim-tls");
export const TEST_CERT_PATH = join(TEST_CERT_DIR, "cert.pem");
const TEST_KEY_PATH = join(TEST_CERT_DIR, "key.pem");
const MAX_AGE_MS = 5 * 86_400_000; // certificates are generated for 7 days

/** The shared test certificate (generated on first use, reused while fresh). */
export async function ensureTestCertificate(): Promise<TlsMaterial & { certPath: string }> {
  if (existsSync(TEST_CERT_PATH) && existsSync(TEST_KEY_PATH)) {
    if (Date.now() - statSync(TEST_CERT_PATH).mtimeMs < MAX_AGE_MS)
      return {
        cert: readFileSync(TEST_CERT_PATH, "utf8"),
        key: readFileSync(TEST_KEY_PATH, "utf8"),
        certPath: TEST_CERT_PATH,
      };
  }
  const material = await generateSelfSignedCertificate();
  mkdirSync(TEST_CERT_DIR, { recursive: true });
  // Key first, cert last: a concurrent reader that sees the cert also finds its key.
  writeFileSync(TEST_KEY_PATH, material.key, { mode: 0o600 });
  writeFileSync(TEST_CERT_PATH, material.cert);
  return { ...material, certPath: TEST_CERT_PATH };
}

/** Client options for ARM SDK clients (AuthorizationManagementClient, ResourceManagementClient, MonitorClient). */
export function armTlsOptions(ca: string): { tlsOptions: { ca: string } } {
  return { tlsOptions: { ca } };
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node --import tsx <args>` with NODE_EXTRA_CA_CERTS=caPath, so its fetch trusts the simulator.
 * Extra env (e.g. the simulator URL) is merged in.
 */
export function runTrusting(
  caPath: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], {
      env: { ...process.env, ...env, NODE_EXTRA_CA_CERTS: caPath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
