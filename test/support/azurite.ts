// Starts a private, in-memory Azurite table service for one test file and stops it afterwards.
// azurite-table accepts --tablePort 0 but then reports ":0" and never says which port it took, so we
// pick a free port ourselves (ask the OS, release it, start Azurite on it) and retry on the rare race.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const AZURITE_TABLE = join(ROOT, "node_modules", ".bin", "azurite-table");
/** Azurite's well-known development account (public, documented; not a secret). */
const ACCOUNT = "devstoreaccount1";
const ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

/** Resolves once the port accepts connections; rejects if the process exits first or it takes too long. */
async function waitUntilListening(child: ChildProcess, port: number, output: () => string): Promise<void> {
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited !== undefined)
      throw new Error(`azurite-table exited (${exited}) before listening:\n${output()}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`azurite-table did not listen on ${port} within 20 s:\n${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3_000);
    child.once("exit", () => {
      clearTimeout(force);
      done();
    });
    child.kill("SIGTERM");
  });
}

async function startOnce(): Promise<Azurite> {
  const port = await freePort();
  // Azurite may write files to its working directory (--location cannot be combined with in-memory
  // persistence): run it in a scratch directory, removed on stop.
  const workspace = mkdtempSync(join(tmpdir(), "azurite-"));
  const child = spawn(
    AZURITE_TABLE,
    [
      "--inMemoryPersistence",
      "--disableTelemetry",
      "--silent",
      "--skipApiVersionCheck",
      "--tableHost",
      "127.0.0.1",
      "--tablePort",
      String(port),
    ],
    { cwd: workspace, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const cleanup = async (): Promise<void> => {
    await stopProcess(child);
    rmSync(workspace, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(child, port, () => output);
  } catch (err) {
    await cleanup();
    throw err;
  }
  const endpoint = `http://127.0.0.1:${port}/${ACCOUNT}`;
  return {
    port,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};TableEndpoint=${endpoint};`,
    stop: cleanup,
  };
}

export async function startAzurite(): Promise<Azurite> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce();
    } catch (err) {
      lastError = err; // most likely another process took the port between our probe and Azurite's bind
    }
  }
  throw lastError;
}
