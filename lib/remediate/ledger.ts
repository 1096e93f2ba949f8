// Cross-incident action ledger and breaker budgets, in two flavours:
// - store-backed (revert mode): the ledger is a partition of ordinary action records, one per
//   subscription ("ledger-{subscriptionId}"), claimed with the store's own create-if-absent
//   (recordActionIntent), so two incidents racing for one target cannot both act.
// - in memory (plan mode): the same semantics, nothing written anywhere.
import type { ActionRecord, Store } from "../store/types";
import type { ActionLedger, BreakerBudget } from "./types";

export const ledgerPartition = (subscriptionId: string): string => `ledger-${subscriptionId}`;

/** Ledger rows keep the owning incident in `before.claimedBy` (their incidentId is the partition). */
interface LedgerBefore {
  claimedBy: string;
  before: unknown;
}

const toRow = (subscriptionId: string, r: ActionRecord): ActionRecord => ({
  ...r,
  incidentId: ledgerPartition(subscriptionId),
  before: { claimedBy: r.incidentId, before: r.before } satisfies LedgerBefore,
});

const fromRow = (row: ActionRecord): ActionRecord => {
  const b = row.before as Partial<LedgerBefore> | null;
  return { ...row, incidentId: b?.claimedBy ?? row.incidentId, before: b?.before ?? null };
};

export function storeLedger(store: Store): ActionLedger {
  return {
    // A point read: the ledger partition holds every action ever taken in the subscription.
    async lookup(subscriptionId, actionId) {
      const row = await store.action(ledgerPartition(subscriptionId), actionId);
      return row ? fromRow(row) : null;
    },
    async claim(subscriptionId, record) {
      const res = await store.recordActionIntent(toRow(subscriptionId, record));
      return { created: res.created, action: fromRow(res.action) };
    },
    async settle(subscriptionId, record) {
      await store.recordActionOutcome(toRow(subscriptionId, record));
    },
  };
}

export function memoryLedger(): ActionLedger {
  const rows = new Map<string, ActionRecord>();
  const key = (sub: string, id: string): string => `${sub}|${id}`;
  return {
    async lookup(subscriptionId, actionId) {
      return rows.get(key(subscriptionId, actionId)) ?? null;
    },
    async claim(subscriptionId, record) {
      const k = key(subscriptionId, record.actionId);
      const existing = rows.get(k);
      if (existing) return { created: false, action: existing };
      rows.set(k, { ...record });
      return { created: true, action: record };
    },
    async settle(subscriptionId, record) {
      rows.set(key(subscriptionId, record.actionId), { ...record });
    },
  };
}

export function storeBreaker(store: Store): BreakerBudget {
  return { take: (sub, now, limit) => store.takeBreakerToken(sub, now, limit) };
}

/** Plan mode: counts tokens per subscription and hour in memory, so plan trips where revert would. */
export function memoryBreaker(): BreakerBudget {
  const used = new Map<string, number>();
  return {
    async take(sub, now, limit) {
      const k = `${sub}|${now.toISOString().slice(0, 13)}`;
      const n = used.get(k) ?? 0;
      if (n >= limit) return false;
      used.set(k, n + 1);
      return true;
    },
  };
}
