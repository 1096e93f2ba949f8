// In-process CLI harness: PassThrough streams standing in for the terminal.
import { PassThrough } from "node:stream";
import type { CliIO } from "../../lib/cli/types";

export interface FakeIO extends CliIO {
  out(): string;
  err(): string;
}

export function fakeIO(
  opts: { stdin?: string; stdoutIsTTY?: boolean; stderrIsTTY?: boolean; env?: Record<string, string> } = {},
): FakeIO {
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? "");
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const outChunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  stdout.on("data", (c: Buffer) => outChunks.push(c));
  stderr.on("data", (c: Buffer) => errChunks.push(c));
  return {
    stdin,
    stdout,
    stderr,
    stdoutIsTTY: opts.stdoutIsTTY ?? false,
    stderrIsTTY: opts.stderrIsTTY ?? false,
    env: opts.env ?? {},
    cwd: process.cwd(),
    out: () => Buffer.concat(outChunks).toString("utf8"),
    err: () => Buffer.concat(errChunks).toString("utf8"),
  };
}

export function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
