// Dedup across a run: the same operation seen twice (Event Grid redelivery, a dead-letter blob and an
// activity-log export of the same call) is reported once; later sightings name the first.
//
// Semantics (DESIGN.md "Operation key"):
// - Only outcome rows (succeeded, failed, canceled; also `other`, which may be an outcome) are the
//   operation. The first outcome row of a key is the original; every later row of that key, outcome
//   or started/accepted, gets `duplicateOf` = that first outcome's eventId.
// - A started/accepted row seen before any outcome is not a duplicate: it is information.
// - Without a correlation id the key `sub||op` would merge unrelated operations, so such events are
//   deduplicated by their eventId alone (Event Grid redelivers with the same id).
//
// Memory: one entry per distinct operation, capped (default 1,000,000 keys, about 150 bytes each, so
// roughly 150 MB worst case). Past the cap the least recently seen key is forgotten (LRU over Map
// insertion order); a very late repeat of a forgotten operation is then reported as new, never lost.
import type { ActivityEvent } from "../events/types";
import type { Classification } from "./types";

export interface Deduplicator {
  observe(event: ActivityEvent, classification: Classification): { duplicateOf?: string };
  /** Number of operations remembered (for tests and stats). */
  readonly size: number;
}

const IN_PROGRESS = new Set(["started", "accepted"]);

export function createDeduplicator(options: { maxKeys?: number } = {}): Deduplicator {
  const maxKeys = Math.max(1, options.maxKeys ?? 1_000_000);
  const firstOutcome = new Map<string, string>();

  const touch = (key: string, eventId: string): void => {
    firstOutcome.delete(key);
    firstOutcome.set(key, eventId);
    if (firstOutcome.size > maxKeys) {
      const oldest = firstOutcome.keys().next().value;
      if (oldest !== undefined) firstOutcome.delete(oldest);
    }
  };

  return {
    observe(event, classification) {
      const key = event.correlationId ? classification.operationKey : `eventId|${event.eventId}`;
      const seen = firstOutcome.get(key);
      if (seen !== undefined) {
        touch(key, seen);
        return { duplicateOf: seen };
      }
      if (!IN_PROGRESS.has(event.status)) touch(key, event.eventId);
      return {};
    },
    get size() {
      return firstOutcome.size;
    },
  };
}
