/**
 * The pure steps of the decision pipeline: turning what the ports answered (customer, screening,
 * exposure reports, aggregates) into the decision context, attaching evidence paths to rule hits,
 * and shaping the answer. No I/O and no clock: the service passes the time in.
 */
import type { ExposureReport } from '../graph/index.js';
import {
  type AggregateFacts,
  type CategoryFact,
  type DecisionContext,
  type EntityFact,
  type ScreeningHitFact,
  ZERO_CATEGORIES,
  ZERO_CATEGORY,
} from './context.js';
import type { Customer } from './customer.js';
import type { Action, PolicyVerdict, Reason } from './policy.js';
import type { NormalizedTransfer } from './transfer-input.js';

/** One list hit on an address, as the address screener reports it. */
export interface AddressListHit {
  entityId: string;
  entityName: string;
  category: string;
  source: string;
  versionId: string;
  confidence: number;
}

/** The screener's answer for one address. */
export type ScreenedAddress =
  | { ok: true; key: string; hits: readonly AddressListHit[] }
  | { ok: false; reason?: string };

const DAY_MS = 86_400_000;

/** Everything the context is built from. */
export interface ContextInputs {
  customer: Customer;
  transfer: NormalizedTransfer;
  /** Screening results in counterparty order, or undefined when screening failed. */
  screening: readonly ScreenedAddress[] | undefined;
  /** Exposure reports by counterparty key, or undefined when exposure failed. */
  exposure: ReadonlyMap<string, ExposureReport> | undefined;
  aggregates: AggregateFacts;
  nowMs: number;
}

/** Marks a category as exposed (keeping the most direct, the fewest hops and the largest share). */
function markCategory(
  categories: Record<string, CategoryFact>,
  category: string,
  direct: boolean,
  minHops: number,
  share: number,
): void {
  const prev = categories[category] ?? ZERO_CATEGORY;
  const hops = BigInt(minHops);
  categories[category] = {
    exposed: true,
    direct: prev.direct || direct,
    minHops: prev.exposed && prev.minHops < hops ? prev.minHops : hops,
    share: Math.max(prev.share, share),
  } satisfies CategoryFact;
}

/** Adds an entity, or merges it into the one already there for the same entity and category. */
function markEntity(entities: Map<string, EntityFact>, e: EntityFact): void {
  const key = `${e.entityId}\u0000${e.category}`;
  const prev = entities.get(key);
  if (!prev) {
    entities.set(key, e);
    return;
  }
  entities.set(key, {
    ...prev,
    sources: [...new Set([...prev.sources, ...e.sources])],
    direct: prev.direct || e.direct,
    minHops: prev.minHops < e.minHops ? prev.minHops : e.minHops,
    share: Math.max(prev.share, e.share),
  });
}

/** The distinct values of one field of the hits, in order of first appearance. */
function distinct(hits: readonly ScreeningHitFact[], field: 'category' | 'source'): string[] {
  if (hits.length === 0) return [];
  return [...new Set(hits.map((h) => h[field]))];
}

/** Builds the decision context from the pipeline's inputs (see context.ts for the meaning of each field). */
export function buildDecisionContext(i: ContextInputs): Omit<DecisionContext, 'params'> {
  const { customer: c, transfer: t } = i;
  const hits: ScreeningHitFact[] = [];
  const screening = i.screening ?? [];
  for (let idx = 0; idx < screening.length; idx++) {
    const r = screening[idx] as ScreenedAddress;
    if (!r.ok) continue;
    const address = t.counterparties[idx]?.key ?? r.key;
    for (const h of r.hits)
      hits.push({
        address,
        entityId: h.entityId,
        entityName: h.entityName,
        category: h.category,
        source: h.source,
        confidence: h.confidence,
      });
  }

  // Every known category, not exposed until marked (the shared zero fact: facts are never changed
  // in place, a marked category gets a new one). Until one is marked, the shared read-only set of
  // them all (so a rule reading them can tell they are all unexposed without looking at each).
  let categories: Record<string, CategoryFact> = ZERO_CATEGORIES;
  const mark = (category: string, direct: boolean, minHops: number, share: number) => {
    if (categories === ZERO_CATEGORIES) categories = { ...ZERO_CATEGORIES };
    markCategory(categories, category, direct, minHops, share);
  };
  const entities = new Map<string, EntityFact>();

  // A counterparty that is itself listed is direct exposure: hop 1, all of the transfer.
  for (const h of hits) {
    mark(h.category, true, 1, 1);
    markEntity(entities, {
      entityId: h.entityId,
      entityName: h.entityName,
      category: h.category,
      sources: [h.source],
      direct: true,
      minHops: 1n,
      share: 1,
    });
  }
  const direction = t.kind === 'deposit' ? 'incoming' : 'outgoing';
  if (i.exposure)
    for (const report of i.exposure.values()) {
      if (report.self) {
        mark(report.self.category, true, 1, 1);
        markEntity(entities, { ...report.self, sources: [], direct: true, minHops: 1n, share: 1 });
      }
      let d: ExposureReport['directions'][number] | undefined;
      for (const x of report.directions)
        if (x.direction === direction) {
          d = x;
          break;
        }
      if (!d) continue;
      // The report counts hops from the counterparty; seen from the exchange, everything is one further.
      for (const cat of d.categories) mark(cat.category, false, cat.minHops + 1, cat.share);
      for (const e of d.entities)
        markEntity(entities, {
          entityId: e.entityId,
          entityName: e.entityName,
          category: e.category,
          sources: [...e.sources],
          direct: false,
          minHops: BigInt(e.minHops + 1),
          share: e.share,
        });
    }

  const counterparties = new Array<string>(t.counterparties.length);
  for (let k = 0; k < counterparties.length; k++)
    counterparties[k] = (t.counterparties[k] as NormalizedTransfer['counterparties'][number]).key;
  return {
    customer: {
      id: c.id,
      type: c.type,
      jurisdiction: c.jurisdiction,
      legalEntity: c.legalEntity,
      kycLevel: BigInt(c.kycLevel),
      riskRating: c.risk.rating,
      accountAgeDays: Math.max(0, (i.nowMs - c.createdAt.getTime()) / DAY_MS),
      expectedMonthlyVolumeUsd: c.expectedMonthlyVolumeUsd ?? 0,
      nationality: [...c.nationality],
      residence: c.residence ?? '',
      screeningStatus: c.screening.status,
    },
    transfer: {
      kind: t.kind,
      chain: t.chain,
      asset: t.asset.symbol,
      amount: Number(t.amount),
      amountUsd: t.amountUsd ?? 0,
      hasUsdValue: t.amountUsd !== null,
      stablecoin: t.asset.stablecoin,
      issuerCanFreeze: t.asset.issuerCanFreeze,
      counterparties,
    },
    screening: {
      available: i.screening !== undefined,
      hits,
      categories: distinct(hits, 'category'),
      sources: distinct(hits, 'source'),
    },
    exposure: {
      available: i.exposure !== undefined,
      direction,
      categories,
      entities:
        entities.size === 0
          ? []
          : [...entities.values()].sort((a, b) => b.share - a.share || a.entityId.localeCompare(b.entityId)),
    },
    aggregates: i.aggregates,
  };
}

const CATEGORY_KEY = /^exposure\.categories\["([^"]+)"\]/;

/** Whether a reason is a rule hit whose evidence names an exposure category or the entities. */
function readsExposure(r: Reason): boolean {
  if (r.kind !== 'rule' || typeof r.evidence !== 'object' || r.evidence === null) return false;
  for (const k of Object.keys(r.evidence))
    if (CATEGORY_KEY.test(k) || k.startsWith('exposure.entities')) return true;
  return false;
}

/**
 * Adds the graph's evidence paths to the rule hits that read exposure: the paths to the categories
 * a rule names, or to any flagged entity when it reads `exposure.entities` (at most `max` each).
 */
export function attachExposurePaths(
  reasons: Reason[],
  reports: ReadonlyMap<string, ExposureReport> | undefined,
  direction: 'incoming' | 'outgoing',
  max = 3,
): Reason[] {
  if (!reports || reports.size === 0) return reasons;
  // Most decisions have no rule hit that reads exposure: then there is nothing to attach.
  if (!reasons.some(readsExposure)) return reasons;
  const all = [...reports.values()].flatMap((r) =>
    (r.directions.find((d) => d.direction === direction)?.paths ?? []).map((p) => ({
      counterparty: r.address,
      ...p,
    })),
  );
  if (all.length === 0) return reasons;
  all.sort((a, b) => b.share - a.share || a.hops - b.hops);
  return reasons.map((r) => {
    if (r.kind !== 'rule' || typeof r.evidence !== 'object' || r.evidence === null) return r;
    const keys = Object.keys(r.evidence);
    const cats = new Set<string>();
    let anyEntity = false;
    for (const k of keys) {
      const m = CATEGORY_KEY.exec(k);
      if (m?.[1]) cats.add(m[1]);
      if (k.startsWith('exposure.entities')) anyEntity = true;
    }
    if (cats.size === 0 && !anyEntity) return r;
    const paths = all.filter((p) => anyEntity || cats.has(p.category)).slice(0, max);
    return paths.length === 0 ? r : { ...r, evidence: { ...(r.evidence as object), paths } };
  });
}

/** The answer to a decision request, exactly as sent and stored (replays send the stored bytes). */
export interface DecisionResponse {
  decisionId: string;
  transferId: string;
  /** The client's id of the transfer. */
  id: string;
  kind: 'deposit' | 'withdrawal';
  customerId: string;
  decision: Action;
  riskScore: number;
  reasons: Reason[];
  /** Packs evaluated, with their versions: the jurisdiction's and the global baseline. */
  policies: { packId: string; version: number }[];
  /** Active list versions by source that screening used. */
  listVersions: Record<string, string>;
  transfer: {
    chain: string;
    asset: string;
    amount: string;
    amountUsd: number | null;
    counterparties: string[];
    tx: string | null;
  };
  decidedAt: string;
}

/** Shapes the answer from the verdict. */
export function decisionResponse(input: {
  decisionId: string;
  transferId: string;
  transfer: NormalizedTransfer;
  verdict: PolicyVerdict;
  listVersions: Record<string, string>;
  decidedAtMs: number;
}): DecisionResponse {
  const t = input.transfer;
  return {
    decisionId: input.decisionId,
    transferId: input.transferId,
    id: t.clientId,
    kind: t.kind,
    customerId: t.customerId,
    decision: input.verdict.action,
    riskScore: input.verdict.riskScore,
    reasons: input.verdict.reasons,
    policies: input.verdict.packs,
    listVersions: input.listVersions,
    transfer: {
      chain: t.chain,
      asset: t.asset.symbol,
      amount: t.amount,
      amountUsd: t.amountUsd,
      counterparties: t.counterparties.map((c) => c.address),
      tx: t.tx,
    },
    decidedAt: new Date(input.decidedAtMs).toISOString(),
  };
}

/** Windowed totals of a customer's earlier transfers, as the store counts them (this one excluded). */
export interface StoredAggregates {
  deposits: { count24h: number; sumUsd24h: number; count7d: number; sumUsd7d: number; sumUsd30d: number };
  withdrawals: { count24h: number; sumUsd24h: number; count7d: number; sumUsd7d: number; sumUsd30d: number };
  nearThreshold24h: number;
  nearThreshold7d: number;
  /** Sums within the pass-through window. */
  passThroughDepositsUsd: number;
  passThroughWithdrawalsUsd: number;
}

/** No earlier transfers. */
export function emptyStoredAggregates(): StoredAggregates {
  const w = { count24h: 0, sumUsd24h: 0, count7d: 0, sumUsd7d: 0, sumUsd30d: 0 };
  return {
    deposits: { ...w },
    withdrawals: { ...w },
    nearThreshold24h: 0,
    nearThreshold7d: 0,
    passThroughDepositsUsd: 0,
    passThroughWithdrawalsUsd: 0,
  };
}

/** The aggregates rules see: the stored totals plus the transfer being decided. */
export function aggregatesWithCurrent(
  s: StoredAggregates,
  t: Pick<NormalizedTransfer, 'kind' | 'amountUsd'>,
  nearThreshold: boolean,
  windowHours: number,
): AggregateFacts {
  const usd = t.amountUsd ?? 0;
  const win = (w: StoredAggregates['deposits'], mine: boolean) => ({
    count24h: BigInt(w.count24h + (mine ? 1 : 0)),
    sumUsd24h: w.sumUsd24h + (mine ? usd : 0),
    count7d: BigInt(w.count7d + (mine ? 1 : 0)),
    sumUsd7d: w.sumUsd7d + (mine ? usd : 0),
    sumUsd30d: w.sumUsd30d + (mine ? usd : 0),
  });
  const near = nearThreshold ? 1 : 0;
  const depositsUsd = s.passThroughDepositsUsd + (t.kind === 'deposit' ? usd : 0);
  const withdrawalsUsd = s.passThroughWithdrawalsUsd + (t.kind === 'withdrawal' ? usd : 0);
  return {
    deposits: win(s.deposits, t.kind === 'deposit'),
    withdrawals: win(s.withdrawals, t.kind === 'withdrawal'),
    nearThreshold: { count24h: BigInt(s.nearThreshold24h + near), count7d: BigInt(s.nearThreshold7d + near) },
    passThrough: {
      windowHours,
      depositsUsd,
      withdrawalsUsd,
      share: depositsUsd > 0 ? Math.min(1, withdrawalsUsd / depositsUsd) : 0,
    },
  };
}

/**
 * An exposure provider for a deployment without a transfer graph: every address has no known
 * exposure (an empty report, as the graph gives for an address it has never seen). Screening of
 * the counterparty itself still applies.
 */
export const NO_GRAPH_EXPOSURE = {
  exposure(query: {
    address: string;
    direction: string;
    method: 'poison' | 'haircut';
    hops: number;
  }): ExposureReport {
    return {
      address: query.address,
      method: query.method,
      hops: query.hops,
      directions: [
        {
          direction: query.direction === 'outgoing' ? 'outgoing' : 'incoming',
          volume: {},
          entities: [],
          categories: [],
          paths: [],
        },
      ],
      basis: [],
      graphTransfers: 0,
    };
  },
};
