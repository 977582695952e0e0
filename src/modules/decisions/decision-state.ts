/**
 * In-process state that spares the decision path its store reads: which (kind, client id) pairs were
 * ever decided (52-bit fingerprints), each active customer's recent transfers (for the time-window
 * aggregates), and customers themselves. The store stays the truth: every decision is still committed
 * before it is answered, a fingerprint hit still reads the stored answer, and a unique-key conflict
 * at commit still returns the first answer. What this state assumes is that one process writes the
 * decisions of a given customer, which the embedded store guarantees (it is locked to one process);
 * servers sharing a PostgreSQL database route each customer to one server, or run with
 * `CORDON_DECISION_STATE=store`.
 */
import { createFingerprintSet, transferFingerprint } from '../graph/index.js';
import type { Customer } from './customer.js';
import { riskAsStored } from './customers.repository.js';
import type { CustomerStore } from './customers.service.js';
import type { DecisionRecord, DecisionStore } from './decisions.service.js';
import { emptyStoredAggregates, type StoredAggregates } from './pipeline.js';
import type { TransferKind } from './transfer-input.js';

const DAY_MS = 86_400_000;

/** A past transfer as the aggregates count it (transfers that were blocked or frozen are left out). */
export interface WindowTransfer {
  id: string;
  atMs: number;
  kind: TransferKind;
  usd: number | null;
  near: boolean;
}

/** The reads the in-process state is filled from (the decisions repository implements them). */
export interface DecisionHistory {
  /** A customer's counted transfers received after `fromMs`, oldest first. */
  recentTransfers(customerId: string, fromMs: number): Promise<WindowTransfer[]>;
  /** Every decided (kind, client id), a page at a time in transfer id order. */
  clientIds(
    after: string | null,
    limit: number,
  ): Promise<{ id: string; kind: TransferKind; clientId: string }[]>;
}

/** Settings of the in-process state. */
export interface DecisionStateSettings {
  /** How far back a customer's transfers are kept: the longest aggregate window. */
  horizonMs: number;
  /** Customers whose windows are kept; the least recently used beyond this are dropped. */
  maxCustomers: number;
  /** Page size when loading the decided client ids at start. */
  loadPage: number;
}

export const DEFAULT_DECISION_STATE: DecisionStateSettings = {
  horizonMs: 30 * DAY_MS,
  maxCustomers: 200_000,
  loadPage: 50_000,
};

interface Window {
  /** In time order, oldest first; entries before `start` have left the horizon. */
  entries: WindowTransfer[];
  start: number;
  loading?: Promise<void>;
  /** Committed while the window was loading, merged once it is in. */
  pending?: WindowTransfer[];
}

const countedAction = (action: string) => action !== 'block' && action !== 'freeze';

/** Appends in time order; commits arrive nearly in order, so this walks back a step or two at most. */
function insertInOrder(entries: WindowTransfer[], e: WindowTransfer) {
  let i = entries.length;
  while (i > 0 && (entries[i - 1] as WindowTransfer).atMs > e.atMs) i--;
  if (i === entries.length) entries.push(e);
  else entries.splice(i, 0, e);
}

/** Aggregates of `entries` at `nowMs`, with exactly the store query's bounds (after from, at or before now). */
export function aggregateWindow(
  entries: readonly WindowTransfer[],
  start: number,
  nowMs: number,
  passThroughWindowMs: number,
): StoredAggregates {
  const a = emptyStoredAggregates();
  const d1 = nowMs - DAY_MS;
  const d7 = nowMs - 7 * DAY_MS;
  const d30 = nowMs - 30 * DAY_MS;
  const pt = nowMs - passThroughWindowMs;
  const from = Math.min(d30, pt);
  for (let i = entries.length - 1; i >= start; i--) {
    const e = entries[i] as WindowTransfer;
    if (e.atMs > nowMs) continue;
    if (e.atMs <= from) break; // entries are kept in time order
    const usd = e.usd ?? 0;
    const w = e.kind === 'deposit' ? a.deposits : a.withdrawals;
    if (e.atMs > d1) {
      w.count24h++;
      w.sumUsd24h += usd;
      if (e.near) a.nearThreshold24h++;
    }
    if (e.atMs > d7) {
      w.count7d++;
      w.sumUsd7d += usd;
      if (e.near) a.nearThreshold7d++;
    }
    if (e.atMs > d30) w.sumUsd30d += usd;
    if (e.atMs > pt) {
      if (e.kind === 'deposit') a.passThroughDepositsUsd += usd;
      else a.passThroughWithdrawalsUsd += usd;
    }
  }
  return a;
}

/** The in-process state around a decision store, and the readiness of its idempotency filter. */
export interface DecisionState {
  store: DecisionStore;
  /** Loads the decided client ids; until it finishes every request reads the store. */
  load(): Promise<number>;
  readonly ready: boolean;
  stats(): { clientIds: number; customers: number; transfers: number };
}

/**
 * Wraps a decision store: `findAnswer` reads the store only when the fingerprint of (kind, client id)
 * was seen, `aggregates` come from the customer's window in memory (loaded from the store on first
 * use), and `record` feeds both once the commit succeeded. `riskCommitted` is told when a decision
 * changed a customer's rating, so a customer cache keeps the new one.
 */
export function createDecisionState(
  inner: DecisionStore,
  history: DecisionHistory,
  options: {
    settings?: Partial<DecisionStateSettings>;
    riskCommitted?: (customerId: string, risk: Customer['risk']) => void;
  } = {},
): DecisionState {
  const settings = { ...DEFAULT_DECISION_STATE, ...options.settings };
  const seen = createFingerprintSet();
  let ready = false;
  let loadingIds: Promise<number> | undefined;
  const windows = new Map<string, Window>();
  let kept = 0;

  const fingerprint = (kind: string, clientId: string) => transferFingerprint(kind, clientId);

  function touch(customerId: string, w: Window) {
    windows.delete(customerId);
    windows.set(customerId, w);
    while (windows.size > settings.maxCustomers) {
      const oldest = windows.keys().next().value as string;
      const dropped = windows.get(oldest);
      if (dropped?.loading) break; // never drop one whose load is still merging
      kept -= (dropped?.entries.length ?? 0) - (dropped?.start ?? 0);
      windows.delete(oldest);
    }
  }

  function prune(w: Window, nowMs: number) {
    const limit = nowMs - settings.horizonMs - DAY_MS;
    while (w.start < w.entries.length && (w.entries[w.start] as WindowTransfer).atMs <= limit) {
      w.start++;
      kept--;
    }
    if (w.start > 64 && w.start * 2 > w.entries.length) {
      w.entries = w.entries.slice(w.start);
      w.start = 0;
    }
  }

  async function windowOf(customerId: string, nowMs: number): Promise<Window> {
    let w = windows.get(customerId);
    if (!w) {
      const fresh: Window = { entries: [], start: 0, pending: [] };
      fresh.loading = history
        .recentTransfers(customerId, nowMs - settings.horizonMs - DAY_MS)
        .then((rows) => {
          const ids = new Set(rows.map((r) => r.id));
          const merged = rows.concat((fresh.pending ?? []).filter((p) => !ids.has(p.id)));
          merged.sort((x, y) => x.atMs - y.atMs);
          fresh.entries = merged;
          kept += merged.length;
          fresh.pending = undefined;
          fresh.loading = undefined;
        })
        .catch((err: unknown) => {
          windows.delete(customerId);
          throw err;
        });
      windows.set(customerId, fresh);
      w = fresh;
    }
    touch(customerId, w);
    if (w.loading) await w.loading;
    prune(w, nowMs);
    return w;
  }

  function noteCommitted(r: DecisionRecord) {
    const t = r.transfer;
    seen.add(fingerprint(t.kind, t.clientId));
    if (r.customerRisk) options.riskCommitted?.(r.customerRisk.customerId, r.customerRisk.risk);
    if (!countedAction(r.decision.action)) return;
    const w = windows.get(t.customerId);
    if (!w) return; // loaded from the store, with this transfer, on first use
    const entry: WindowTransfer = {
      id: t.id,
      atMs: t.receivedAt.getTime(),
      kind: t.kind,
      usd: t.amountUsd,
      near: t.nearThreshold,
    };
    if (w.loading) w.pending?.push(entry);
    else {
      insertInOrder(w.entries, entry);
      kept++;
    }
  }

  const store: DecisionStore = {
    ...inner,
    async findAnswer(kind, clientId) {
      if (ready && !seen.has(fingerprint(kind, clientId))) return undefined;
      return inner.findAnswer(kind, clientId);
    },
    async aggregates({ customerId, now, passThroughWindowMs }) {
      const nowMs = now.getTime();
      const w = await windowOf(customerId, nowMs);
      return aggregateWindow(w.entries, w.start, nowMs, passThroughWindowMs);
    },
    async record(r) {
      const result = await inner.record(r);
      if (result.ok) noteCommitted(r);
      else seen.add(fingerprint(r.transfer.kind, r.transfer.clientId));
      return result;
    },
  };

  return {
    store,
    get ready() {
      return ready;
    },
    load() {
      loadingIds ??= (async () => {
        let after: string | null = null;
        for (;;) {
          const page = await history.clientIds(after, settings.loadPage);
          for (const p of page) seen.add(fingerprint(p.kind, p.clientId));
          if (page.length < settings.loadPage) break;
          after = (page[page.length - 1] as { id: string }).id;
        }
        ready = true;
        return seen.size;
      })();
      return loadingIds;
    },
    stats: () => ({ clientIds: seen.size, customers: windows.size, transfers: kept }),
  };
}

/**
 * A customer store that keeps what it read for `ttlMs` and forgets a customer whenever it writes
 * one (or is told to). Changes made by another process show after at most `ttlMs`.
 */
export function cachingCustomerStore(
  inner: CustomerStore,
  options: {
    ttlMs: number;
    now: () => number;
    maxEntries?: number;
    /** A number in [0, 1) (`Math.random`): each entry then lives a random share of `ttlMs`, at least half. */
    random?: () => number;
  },
): CustomerStore & {
  forget(id: string): void;
  riskCommitted(id: string, risk: Customer['risk']): void;
} {
  const cache = new Map<string, { customer: Customer; untilMs: number }>();
  const max = options.maxEntries ?? 100_000;
  // Bumped by every forget: a read that began before a write must not cache what it read.
  let generation = 0;
  const forget = (id: string) => {
    generation++;
    cache.delete(id);
  };
  return {
    ...inner,
    forget,
    // A decision's new rating, committed: a cached customer takes it as a re-read would return it,
    // instead of being read again by the customer's next decision.
    riskCommitted(id, risk) {
      generation++;
      const hit = cache.get(id);
      if (hit) hit.customer = { ...hit.customer, risk: riskAsStored(risk) };
    },
    async get(id) {
      const hit = cache.get(id);
      const now = options.now();
      if (hit && hit.untilMs > now) return hit.customer;
      const before = generation;
      const c = await inner.get(id);
      if (c && options.ttlMs > 0 && generation === before) {
        if (cache.size >= max) cache.clear();
        // Each entry lives between half the time to live and all of it: customers cached together (the
        // first decisions after a start) are read again spread over time, not all in one instant
        // ahead of every decision queued behind those reads.
        const share = options.random ? 0.5 + 0.5 * options.random() : 1;
        cache.set(id, { customer: c, untilMs: now + options.ttlMs * share });
      }
      return c;
    },
    async insert(c, meta, s) {
      forget(c.id);
      return inner.insert(c, meta, s);
    },
    async update(c, expectedVersion, s) {
      forget(c.id);
      try {
        return await inner.update(c, expectedVersion, s);
      } finally {
        forget(c.id);
      }
    },
    async saveScreening(customerId, s, risk) {
      forget(customerId);
      try {
        return await inner.saveScreening(customerId, s, risk);
      } finally {
        forget(customerId);
      }
    },
    async saveRisk(customerId, risk) {
      forget(customerId);
      try {
        return await inner.saveRisk(customerId, risk);
      } finally {
        forget(customerId);
      }
    },
    async saveRisks(risks) {
      for (const r of risks) forget(r.customerId);
      try {
        return await inner.saveRisks(risks);
      } finally {
        for (const r of risks) forget(r.customerId);
      }
    },
  };
}
