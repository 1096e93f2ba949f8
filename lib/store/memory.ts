// The in-memory store for offline replay: the same logic and limits as TableStore, over memory tables.
import { EntityStore, TABLE_SUFFIXES, type StoreTables } from "./entityStore";
import { MemoryEntityTable } from "./entityTable";

export class MemoryStore extends EntityStore {
  constructor(prefix = "responder") {
    const [incidents, actions, journal, breaker, poison] = TABLE_SUFFIXES.map(
      (s) => new MemoryEntityTable(`${prefix}${s}`),
    );
    super({ incidents, actions, journal, breaker, poison } as StoreTables);
  }
}
