// Shared helpers for the intake tests: temp files and collecting readInputs output.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readInputs, newIntakeStats, type IntakeStats } from "../../lib/events/index";
import type { ActivityEvent, IntakeItem, Rejected } from "../../lib/events/types";

export const FIXTURES = "test/fixtures/events";
export const SAMPLES = "samples/events";

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "intake-test-"));
}

export function tempFile(name: string, content: string | Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

export async function readAll(
  inputs: string[],
  opts: { all?: boolean; stdin?: NodeJS.ReadableStream } = {},
): Promise<{ items: IntakeItem[]; events: ActivityEvent[]; rejected: Rejected[]; stats: IntakeStats }> {
  const stats = newIntakeStats();
  const items: IntakeItem[] = [];
  for await (const item of readInputs(inputs, { all: opts.all, stats, stdin: opts.stdin as never }))
    items.push(item);
  return {
    items,
    events: items.filter((i): i is ActivityEvent => !("rejected" in i)),
    rejected: items.filter((i): i is Rejected => "rejected" in i),
    stats,
  };
}
