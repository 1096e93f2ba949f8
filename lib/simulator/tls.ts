// Self-signed certificate for the HTTPS mount: SAN 127.0.0.1 and localhost, usable as its own CA.
import { generate } from "selfsigned";

export interface TlsMaterial {
  key: string;
  cert: string;
}

export async function generateSelfSignedCertificate(days = 7): Promise<TlsMaterial> {
  const notAfterDate = new Date(Date.now() + days * 86_400_000);
  const pems = await generate([{ name: "commonName", value: "unregister-responder simulator" }], {
    keyType: "ec",
    curve: "P-256",
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
