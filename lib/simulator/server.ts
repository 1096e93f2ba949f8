// HTTPS loopback mount: real sockets, so clients exercise TLS, timeouts and connection resets.
// Same handler as the in-process mount; this file only adapts node's https server to it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBody, responseText } from "./mounts";
import type { Simulator } from "./simulator";
import { generateSelfSignedCertificate, type TlsMaterial } from "./tls";

export interface SimulatorServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Reuse a certificate (e.g. one the test process already trusts); default: generate a fresh one. */
  tls?: TlsMaterial;
}

export interface SimulatorServer {
  /** `https://127.0.0.1:PORT`: the ARM endpoint and the Graph base URL (paths /v1.0/… are Graph). */
  url: string;
  port: number;
  /** PEM file of the server certificate (self-signed: it is its own CA). For NODE_EXTRA_CA_CERTS. */
  caPath: string;
  /** The same PEM, for clients that take a CA in memory (`tlsOptions: { ca }`). */
  ca: string;
  /** Stops listening and destroys open sockets (stalled calls included). */
  close(): Promise<void>;
}

export async function startSimulatorServer(
  sim: Simulator,
  options: SimulatorServerOptions = {},
): Promise<SimulatorServer> {
  const material = options.tls ?? (await generateSelfSignedCertificate());
  const dir = mkdtempSync(join(tmpdir(), "sim-tls-"));
  const caPath = join(dir, "ca.pem");
  writeFileSync(caPath, material.cert);
  const sockets = new Set<Socket>();
  const host = options.host ?? "127.0.0.1";

  const server: Server = createServer({ key: material.key, cert: material.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const abort = new AbortController();
      res.on("close", () => abort.abort());
      const text = Buffer.concat(chunks).toString("utf8");
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
      sim
        .handle(
          {
            method: req.method ?? "GET",
            url: new URL(req.url ?? "/", `https://${req.headers.host ?? host}`),
            headers,
            body: parseBody(text),
            ...(text ? { rawBody: text } : {}),
          },
          abort.signal,
        )
        .then((outcome) => {
          if (outcome.kind === "reset") return req.socket.destroy();
          if (outcome.kind === "stall") return; // never answer; close() or the client ends it
          const r = outcome.response;
          const body = responseText(r);
          res.writeHead(r.status, { ...r.headers, "content-length": Buffer.byteLength(body) });
          res.end(body);
        })
        .catch((err: unknown) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { code: "SimulatorError", message: String(err) } }));
        });
    });
  });
  server.on("secureConnection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `https://${host}:${port}`,
    port,
    caPath,
    ca: material.cert,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
