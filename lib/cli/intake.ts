// The one seam between the CLI and intake (lib/events): `readInputs`, loaded lazily so a command's
// start stays fast. Commands take it as a dependency so tests can hand in their own reader.
import type { Readable } from "node:stream";
import type { IntakeItem } from "../events/types";
import type { IntakeStats } from "./summary";

export interface ReadInputsOptions {
  stdin?: Readable;
  /** Parse every record (no fast-path skipping): --all. */
  all?: boolean;
  stats?: IntakeStats;
  /** Called after each chunk read (drives the progress line even while the fast path skips). */
  onProgress?: (bytes: number) => void;
}

export type ReadInputs = (inputs: string[], opts: ReadInputsOptions) => AsyncIterable<IntakeItem>;

export async function loadReadInputs(): Promise<ReadInputs> {
  return (await import("../events/index")).readInputs;
}
