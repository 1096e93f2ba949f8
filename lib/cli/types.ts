// A CLI command is data in a registry (lib/cli/commands/index.ts), run with injected streams so tests
// can drive it in process.
import type { Readable, Writable } from "node:stream";

export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** stdout is a terminal: table format and progress lines by default. */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code: 0 ok, 1 a result reached --fail-on, 2 usage or unreadable input. */
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Thrown for bad flags or unreadable inputs; main prints the message and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
