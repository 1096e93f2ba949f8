// Plan mode writes nothing: respond gets a store whose reads see the real store and whose writes land
// in memory only. Offline replay already uses a MemoryStore and needs no overlay.
import { MemoryStore } from "../store/memory";
import type { ActionRecord, IncidentRecord, JournalEntry, PoisonRecord, Store } from "../store/types";

export function planOverlay(base: Store): Store {
  const mem = new MemoryStore("plan");
  const byId = (list: IncidentRecord[]): IncidentRecord[] => [
    ...new Map(list.map((i) => [i.id, i])).values(),
  ];
  return {
    async claimIncident(incident: IncidentRecord) {
      const existing = (await mem.getIncident(incident.id)) ?? (await base.getIncident(incident.id));
      if (existing) return { claimed: false, incident: existing };
      return mem.claimIncident(incident);
    },
    async getIncident(id: string) {
      return (await mem.getIncident(id)) ?? base.getIncident(id);
    },
    async updateIncident(incident: IncidentRecord) {
      if (!(await mem.getIncident(incident.id))) {
        const { incident: copied } = await mem.claimIncident(incident);
        return mem.updateIncident({ ...incident, etag: copied.etag });
      }
      return mem.updateIncident(incident);
    },
    async acquireLease(id: string, owner: string, until: Date, now?: Date) {
      if (!(await mem.getIncident(id))) {
        const found = await base.getIncident(id);
        if (found) await mem.claimIncident(found);
      }
      return mem.acquireLease(id, owner, until, now);
    },
    async openIncidents(sub: string, actor: string, at: Date) {
      return byId([
        ...(await base.openIncidents(sub, actor, at)),
        ...(await mem.openIncidents(sub, actor, at)),
      ]);
    },
    recordActionIntent: (a: ActionRecord) => mem.recordActionIntent(a),
    recordActionOutcome: (a: ActionRecord) => mem.recordActionOutcome(a),
    actions: async (id: string) => [...(await base.actions(id)), ...(await mem.actions(id))],
    action: async (id: string, actionId: string) =>
      (await mem.action(id, actionId)) ?? base.action(id, actionId),
    appendJournal: (e: JournalEntry) => mem.appendJournal(e),
    journal: async (sub: string, from: Date, to: Date) =>
      [...(await base.journal(sub, from, to)), ...(await mem.journal(sub, from, to))].sort((a, b) =>
        a.time.localeCompare(b.time),
      ),
    takeBreakerToken: (sub: string, now: Date, limit: number) => mem.takeBreakerToken(sub, now, limit),
    recordPoison: (p: PoisonRecord) => mem.recordPoison(p),
  };
}
