// The one seam between the CLI and intake (lib/events): `readInputs`, loaded lazily so a command's
// start stays fast. Commands take it as a dependency so tests can hand in their own reader.
import type { IntakeItem } from "../events/types";
import type { IntakeStats } from "./summary";
import type { Readable } from "node:stream";

export interface ReadInputsOptions {
  stdin?: Readable;
  /** Parse every record (no fast-path skipping): --all. */
  all?: boolean;
  stats?: IntakeStats;
}

export type ReadInputs = (inputs: string[], opts: ReadInputsOptions) => AsyncIterable<IntakeItem>;

// Where intake exports readInputs. Listed as candidates because the module is being written in
// parallel; the first that exports a `readInputs` function wins.
const CANDIDATES = ["../events/read", "../events/readInputs", "../events/index"];

export async function loadReadInputs(): Promise<ReadInputs> {
  for (const spec of CANDIDATES) {
    try {
      const mod = (await import(/* @vite-ignore */ spec)) as { readInputs?: unknown };
      if (typeof mod.readInputs === "function") return mod.readInputs as ReadInputs;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw err;
    }
  }
  throw new Error("intake (lib/events readInputs) is not available in this build");
}
