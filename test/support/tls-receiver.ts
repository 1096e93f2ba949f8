// An HTTPS receiver on loopback with a certificate made at test time, for clients that must be tested
// over real TLS (the Event Grid publisher). Clients trust it through `agent` (an https.Agent that
// trusts exactly this certificate), never by turning verification off.
import { Agent, createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface HttpsReceiver {
  /** https://localhost:PORT */
  url: string;
  /** PEM of the certificate, to trust it. */
  ca: string;
  /** An agent that trusts this receiver's certificate. */
  agent: Agent;
  requests: ReceivedRequest[];
  /** Replies to the next requests, in order; afterwards 200. */
  replyWith(...replies: Reply[]): void;
  stop(): Promise<void>;
}

export async function startHttpsReceiver(): Promise<HttpsReceiver> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec", // fast to generate, unlike a 2048-bit RSA key
    algorithm: "sha256",
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  const requests: ReceivedRequest[] = [];
  const queued: Reply[] = [];
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const reply = queued.shift() ?? { status: 200 };
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ ca: pems.cert, keepAlive: false });
  return {
    url: `https://localhost:${port}`,
    ca: pems.cert,
    agent,
    requests,
    replyWith: (...replies) => queued.push(...replies),
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
