/**
 * Test support for the decisions module: decision contexts built from a few overrides, and
 * in-memory fakes of the ports the services declare. Never used by production code.
 */
import { createFixedClock } from '../../shared/clock.js';
import { normalizeAddress } from '../chains/index.js';
import type { ExposureQuery, ExposureReport } from '../graph/index.js';
import type { Alert } from './alert.js';
import {
  type AggregateFacts,
  type CustomerFacts,
  type DecisionContext,
  type EntityFact,
  type ExposureFacts,
  emptyAggregates,
  emptyCategories,
  type ScreeningFacts,
  type ScreeningHitFact,
  type TransferFacts,
} from './context.js';
import { type Customer, DEFAULT_RISK_SETTINGS } from './customer.js';
import type { CustomerStore, ScreeningRecord } from './customers.service.js';
import {
  type AddressScreener,
  type CustomerLookup,
  createDecisionService,
  type DecisionRecord,
  type DecisionStore,
  type ExposureProvider,
  type PolicySource,
  type StoredDecision,
} from './decisions.service.js';
import { readPackFiles } from './pack-files.repository.js';
import { type AddressListHit, emptyStoredAggregates } from './pipeline.js';
import { type Action, type CompiledPack, compilePack } from './policy.js';

/** Shallow overrides per part of the context. */
export interface ContextOverrides {
  customer?: Partial<CustomerFacts>;
  transfer?: Partial<TransferFacts>;
  hits?: ScreeningHitFact[];
  screeningAvailable?: boolean;
  categories?: Record<string, { direct?: boolean; minHops?: number; share: number }>;
  entities?: (Partial<EntityFact> & { entityId: string; category: string; share: number })[];
  aggregates?: (a: AggregateFacts) => void;
}

/** A clean, verified customer's 500 USDT deposit, adjusted by `o`. */
export function testContext(o: ContextOverrides = {}): Omit<DecisionContext, 'params'> {
  const customer: CustomerFacts = {
    id: 'c1',
    type: 'person',
    jurisdiction: 'US',
    legalEntity: 'cordon-us',
    kycLevel: 2n,
    riskRating: 'low',
    accountAgeDays: 400,
    expectedMonthlyVolumeUsd: 0,
    nationality: ['US'],
    residence: 'US',
    screeningStatus: 'clear',
    ...o.customer,
  };
  const transfer: TransferFacts = {
    kind: 'deposit',
    chain: 'tron',
    asset: 'USDT',
    amount: 500,
    amountUsd: 500,
    hasUsdValue: true,
    stablecoin: true,
    issuerCanFreeze: true,
    counterparties: ['tron:TXsender'],
    ...o.transfer,
  };
  const hits = o.hits ?? [];
  const screening: ScreeningFacts = {
    available: o.screeningAvailable ?? true,
    hits,
    categories: [...new Set(hits.map((h) => h.category))],
    sources: [...new Set(hits.map((h) => h.source))],
  };
  const categories = emptyCategories();
  for (const [c, v] of Object.entries(o.categories ?? {})) {
    categories[c] = {
      exposed: true,
      direct: v.direct ?? false,
      minHops: BigInt(v.minHops ?? (v.direct ? 1 : 2)),
      share: v.share,
    };
  }
  const entities: EntityFact[] = (o.entities ?? []).map((e) => ({
    entityName: e.entityId,
    sources: [],
    direct: false,
    minHops: 2n,
    ...e,
  }));
  const exposure: ExposureFacts = {
    available: true,
    direction: transfer.kind === 'deposit' ? 'incoming' : 'outgoing',
    categories,
    entities,
  };
  const aggregates = emptyAggregates(24);
  o.aggregates?.(aggregates);
  return { customer, transfer, screening, exposure, aggregates };
}

/** A screening hit on the first counterparty. */
export function hit(category: string, source: string, entityId = `${source}:e1`): ScreeningHitFact {
  return { address: 'tron:TXsender', entityId, entityName: entityId, category, source, confidence: 1 };
}

/** An exposure report with no exposure at all, for an address the graph does not know. */
export function emptyReport(query: ExposureQuery): ExposureReport {
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
}

/** Valid TRON addresses for tests (checksums pass). */
export const TRON = {
  clean: 'TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk58',
  huione: 'TPW4KJSVKQMea3noY7xSUxhPWcVBj8ujAr',
  nearHaowang: 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8',
  ofac: 'TPYmHEhy5n8TCEfYGqW2rPxsghSfzghPDn',
  other: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
} as const;

/** A verified, clean, long-standing customer of `cordon-us`, adjusted by `o`. */
export function testCustomer(o: Partial<Customer> = {}): Customer {
  const at = new Date('2024-01-01T00:00:00Z');
  return {
    id: 'c1',
    type: 'person',
    names: { primary: 'Jane Roe', aliases: [] },
    birthDate: '1980-05-01',
    nationality: ['US'],
    residence: 'US',
    legalEntity: 'cordon-us',
    jurisdiction: 'US',
    kycLevel: 2,
    expectedMonthlyVolumeUsd: null,
    screening: { status: 'clear', screenedAt: at, versions: {}, matches: [] },
    risk: { rating: 'low', reasons: [], assessedAt: at, signals: {} },
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...o,
  };
}

/** Customers held in a map. */
export function memoryCustomers(list: Customer[]): CustomerLookup & { map: Map<string, Customer> } {
  const map = new Map(list.map((c) => [c.id, c]));
  return { map, get: async (id) => map.get(id) } satisfies CustomerLookup & { map: Map<string, Customer> };
}

/** An address screener over a fixed map of match keys to hits; `fail` makes it throw or hang. */
export function fakeAddressScreener(
  listed: Record<string, AddressListHit[]>,
  options: { versions?: Record<string, string>; fail?: 'throw' | 'hang' } = {},
): AddressScreener {
  return {
    async screenAddresses(inputs) {
      if (options.fail === 'throw') throw new Error('screening index unavailable');
      if (options.fail === 'hang') await new Promise(() => {});
      return {
        versions: options.versions ?? { 'ofac-sdn': 'ofac-sdn@0000000000000001' },
        results: inputs.map((i) => {
          const n = normalizeAddress(i.address, i.chain);
          return n.ok ? { ok: true as const, key: n.key, hits: listed[n.key] ?? [] } : { ok: false as const };
        }),
      };
    },
  } satisfies AddressScreener;
}

/** An exposure provider answering from fixed reports (an empty report for anything else). */
export function fakeExposure(
  reports: Record<string, ExposureReport>,
  options: { fail?: 'throw' | 'hang' } = {},
): ExposureProvider & { queries: ExposureQuery[] } {
  const queries: ExposureQuery[] = [];
  return {
    queries,
    async exposure(query) {
      queries.push(query);
      if (options.fail === 'throw') throw new Error('graph not loaded');
      if (options.fail === 'hang') await new Promise(() => {});
      return reports[query.address] ?? emptyReport(query);
    },
  } satisfies ExposureProvider & { queries: ExposureQuery[] };
}

/** A report for `address` with the given flagged entities (hops counted from `address`). */
export function exposureReport(
  address: string,
  direction: 'incoming' | 'outgoing',
  items: {
    entityId: string;
    entityName?: string;
    category: string;
    minHops: number;
    share: number;
    sources?: string[];
  }[],
): ExposureReport {
  const entities = items.map((i) => ({
    entityId: i.entityId,
    entityName: i.entityName ?? i.entityId,
    category: i.category,
    sources: i.sources ?? ['attributions'],
    direct: i.minHops === 1,
    minHops: i.minHops,
    amounts: { USDT: '1000' },
    share: i.share,
  }));
  const categories = [...new Set(items.map((i) => i.category))].map((category) => {
    const of = entities.filter((e) => e.category === category);
    return {
      category,
      direct: of.some((e) => e.direct),
      minHops: Math.min(...of.map((e) => e.minHops)),
      amounts: { USDT: '1000' },
      share: Math.max(...of.map((e) => e.share)),
    };
  });
  const paths = entities.map((e) => ({
    entityId: e.entityId,
    category: e.category,
    hops: e.minHops,
    share: e.share,
    transfers: [
      {
        id: `t-${e.entityId}`,
        chain: 'tron',
        asset: 'USDT',
        from: 'TXflagged',
        to: address.replace(/^tron:/, ''),
        amount: '1000',
        timestamp: '2025-01-01T00:00:00Z',
      },
    ],
  }));
  return {
    address,
    method: 'haircut',
    hops: 3,
    directions: [{ direction, volume: { USDT: '2500' }, entities, categories, paths }],
    basis: ['attributions@test'],
    graphTransfers: 100,
  };
}

/** The packs given, as a policy source (published by jurisdiction, plus shadow drafts). */
export function staticPolicies(active: CompiledPack[], shadow: CompiledPack[] = []): PolicySource {
  const of = (ps: CompiledPack[], j: string) =>
    ps.filter((p) => p.jurisdiction === j || p.jurisdiction === '*');
  return { packsFor: async (j) => ({ active: of(active, j), shadow: of(shadow, j) }) } satisfies PolicySource;
}

/** A decision store in memory, with aggregates computed as the repository computes them. */
export function memoryDecisionStore(): DecisionStore & { records: DecisionRecord[]; alerts: Alert[] } {
  const records: DecisionRecord[] = [];
  const alerts: Alert[] = [];
  const byKey = (kind: string, clientId: string) =>
    records.find((r) => r.transfer.kind === kind && r.transfer.clientId === clientId);
  const stored = (r: DecisionRecord): StoredDecision => ({
    id: r.decision.id,
    transferId: r.transfer.id,
    kind: r.transfer.kind,
    clientId: r.transfer.clientId,
    customerId: r.transfer.customerId,
    action: r.decision.action,
    riskScore: r.decision.riskScore,
    response: JSON.parse(r.decision.response),
    inputs: r.decision.inputs,
    decidedAt: r.decision.decidedAt,
  });
  return {
    records,
    alerts,
    async findAnswer(kind, clientId) {
      const r = byKey(kind, clientId);
      return r && { requestHash: r.transfer.requestHash, response: r.decision.response };
    },
    async aggregates({ customerId, now, passThroughWindowMs }) {
      const a = emptyStoredAggregates();
      const t = now.getTime();
      for (const r of records) {
        const x = r.transfer;
        const age = t - x.receivedAt.getTime();
        if (x.customerId !== customerId || age < 0 || ['block', 'freeze'].includes(r.decision.action))
          continue;
        const w = x.kind === 'deposit' ? a.deposits : a.withdrawals;
        const usd = x.amountUsd ?? 0;
        if (age < 86_400_000) {
          w.count24h++;
          w.sumUsd24h += usd;
          if (x.nearThreshold) a.nearThreshold24h++;
        }
        if (age < 7 * 86_400_000) {
          w.count7d++;
          w.sumUsd7d += usd;
          if (x.nearThreshold) a.nearThreshold7d++;
        }
        if (age < 30 * 86_400_000) w.sumUsd30d += usd;
        if (age < passThroughWindowMs) {
          if (x.kind === 'deposit') a.passThroughDepositsUsd += usd;
          else a.passThroughWithdrawalsUsd += usd;
        }
      }
      return a;
    },
    async record(r) {
      const prior = byKey(r.transfer.kind, r.transfer.clientId);
      if (prior)
        return {
          ok: false,
          existing: { requestHash: prior.transfer.requestHash, response: prior.decision.response },
        };
      records.push(structuredClone(r));
      if (r.alert) alerts.push(r.alert);
      return { ok: true };
    },
    async getDecision(id) {
      const r = records.find((x) => x.decision.id === id);
      return r && stored(r);
    },
    async listDecisions({ customerId, limit }) {
      return records
        .filter((r) => !customerId || r.transfer.customerId === customerId)
        .slice(0, limit)
        .map(stored);
    },
    async listAlerts({ limit }) {
      return alerts.slice(0, limit);
    },
  } satisfies DecisionStore & { records: DecisionRecord[]; alerts: Alert[] };
}

/** A customer store in memory, with the repository's uniqueness and version checks. */
export function memoryCustomerStore() {
  const rows = new Map<string, { c: Customer; hash: string; key: string | null }>();
  const screenings: ScreeningRecord[] = [];
  const store = {
    async get(id) {
      return rows.get(id) && structuredClone(rows.get(id)?.c);
    },
    async findCreated({ id, idempotencyKey }) {
      const row = id ? rows.get(id) : [...rows.values()].find((r) => r.key === idempotencyKey);
      return row && { customer: structuredClone(row.c), requestHash: row.hash };
    },
    async insert(c, meta, s) {
      if (
        rows.has(c.id) ||
        (meta.idempotencyKey && [...rows.values()].some((r) => r.key === meta.idempotencyKey))
      )
        return false;
      rows.set(c.id, { c: structuredClone(c), hash: meta.requestHash, key: meta.idempotencyKey });
      screenings.push(s);
      return true;
    },
    async update(c, expected, s) {
      const row = rows.get(c.id);
      if (!row || row.c.version !== expected) return false;
      row.c = structuredClone(c);
      screenings.push(s);
      return true;
    },
    async saveScreening(id, s, risk) {
      const row = rows.get(id);
      if (row) row.c = { ...row.c, screening: s.screening, risk };
      screenings.push(s);
    },
    async saveRisk(id, risk) {
      const row = rows.get(id);
      if (row) row.c = { ...row.c, risk };
    },
    async getMany(ids) {
      return ids.flatMap((id) => {
        const row = rows.get(id);
        return row ? [structuredClone(row.c)] : [];
      });
    },
    async saveRisks(risks) {
      for (const { customerId, risk } of risks) {
        const row = rows.get(customerId);
        if (row) row.c = { ...row.c, risk };
      }
    },
    async list({ after, limit }) {
      return [...rows.values()]
        .map((r) => r.c)
        .filter((c) => !after || c.id > after)
        .sort((a, b) => a.id.localeCompare(b.id))
        .slice(0, limit);
    },
    async screeningNames({ after, limit }) {
      return [...rows.values()]
        .map((r) => r.c)
        .filter((c) => !after || c.id > after)
        .sort((a, b) => a.id.localeCompare(b.id))
        .slice(0, limit)
        .map((c) => ({
          id: c.id,
          type: c.type,
          names: c.names,
          birthDate: c.birthDate,
          nationality: c.nationality,
          residence: c.residence,
          matchedEntities: c.screening.matches.map((m) => m.entityId),
        }));
    },
    async screenings(id) {
      return screenings.filter((s) => s.customerId === id).reverse();
    },
  } satisfies CustomerStore;
  return { store, rows, screenings };
}

let recordCount = 0;

/** A committed-looking decision record (deposit of 100 USD by c1, allowed), adjusted by `o`. */
export function testRecord(o: {
  kind?: 'deposit' | 'withdrawal';
  clientId?: string;
  customerId?: string;
  usd?: number | null;
  at?: number;
  action?: Action;
  near?: boolean;
  withAlert?: boolean;
}): DecisionRecord {
  const i = ++recordCount;
  const at = new Date(o.at ?? Date.parse('2026-03-01T12:00:00Z'));
  const id = String(i).padStart(4, '0');
  return {
    transfer: {
      id: `trf_${id}`,
      kind: o.kind ?? 'deposit',
      clientId: o.clientId ?? `client-${i}`,
      requestHash: `hash-${o.clientId ?? i}`,
      customerId: o.customerId ?? 'c1',
      chain: 'tron',
      asset: 'USDT',
      amountBase: 340282366920938463463374607431768211455n,
      decimals: 6,
      amountUsd: o.usd === undefined ? 100 : o.usd,
      priceUsd: '1',
      nearThreshold: o.near ?? false,
      counterparties: [{ address: TRON.clean, key: `tron:${TRON.clean}` }],
      ownAddress: null,
      tx: `tx${i}`,
      receivedAt: at,
    },
    decision: {
      id: `dec_${id}`,
      action: o.action ?? 'allow',
      riskScore: 0,
      reasons: [],
      policies: [{ packId: 'us', version: 1 }],
      listVersions: { 'ofac-sdn': 'ofac-sdn@1' },
      inputs: { context: { customer: { jurisdiction: 'US' } } },
      response: `{"decisionId":"dec_${id}","note":"exact bytes ünïcode ✓"}`,
      decidedAt: at,
    },
    shadow: [{ id: `shd_${id}`, packId: 'us', version: 2, wouldAction: 'hold', reasons: [] }],
    alert: o.withAlert
      ? {
          id: `alr_${id}`,
          kind: 'decision',
          customerId: o.customerId ?? 'c1',
          transferId: `trf_${id}`,
          decisionId: `dec_${id}`,
          reason: 'deposit hold: x',
          evidence: { rules: ['x'] },
          status: 'open',
          createdAt: at,
          dedupKey: `decision:dec_${id}`,
        }
      : null,
    customerRisk: null,
  };
}

/**
 * Records as the real decision service makes them (shipped packs, fake ports): a clean deposit, an
 * exposed one, listed counterparties (block, freeze), two counterparties, a withdrawal, and
 * decisions whose screening or exposure failed; for tests of what the store keeps of them.
 */
export async function decidedRecords(): Promise<DecisionRecord[]> {
  const store = memoryDecisionStore();
  const versions = { 'ofac-sdn': 'ofac-sdn@00000001', attributions: 'attributions@test' };
  const hitOf = (category: string, source: string, entityId: string): AddressListHit => ({
    entityId,
    entityName: `Entity ${entityId}`,
    category,
    source,
    versionId: versions['ofac-sdn'],
    confidence: 1,
  });
  const listed = {
    [`tron:${TRON.huione}`]: [hitOf('special-measures', 'attributions', 'huione')],
    [`tron:${TRON.ofac}`]: [hitOf('sanctioned', 'ofac-sdn', '99999')],
  };
  const exposed = exposureReport(`tron:${TRON.nearHaowang}`, 'incoming', [
    { entityId: 'haowang', category: 'special-measures', minHops: 1, share: 0.35 },
    { entityId: 'mixer-1', category: 'mixer', minHops: 2, share: 0.125 },
  ]);
  const outgoing = exposureReport(`tron:${TRON.other}`, 'outgoing', [
    { entityId: 'scam-1', category: 'scam', minHops: 3, share: 0.01 },
  ]);
  const packs = readPackFiles().map((d) => compilePack(d, 1));
  let seq = 0;
  const service = (o: { screening?: 'throw'; exposure?: 'throw' } = {}) =>
    createDecisionService({
      store,
      customers: memoryCustomers([testCustomer(), testCustomer({ id: 'eu', legalEntity: 'cordon-eu' })]),
      screening: fakeAddressScreener(listed, { versions, ...(o.screening ? { fail: o.screening } : {}) }),
      exposure: fakeExposure(
        {
          [`tron:${TRON.nearHaowang}`]: { ...exposed, basis: Object.values(versions).sort() },
          [`tron:${TRON.other}`]: outgoing,
        },
        o.exposure ? { fail: o.exposure } : {},
      ),
      policies: staticPolicies(packs),
      clock: createFixedClock(Date.parse('2026-03-01T12:00:00Z')),
      newId: (p) => `${p}_${String(++seq).padStart(6, '0')}`,
      riskSettings: DEFAULT_RISK_SETTINGS,
      settings: { dependencyTimeoutMs: 200 },
    });
  const deposit = (clientId: string, counterparties: string[], customerId = 'c1') => ({
    kind: 'deposit' as const,
    clientId,
    customerId,
    chain: 'tron',
    asset: 'USDT',
    amount: '9500',
    counterparties,
    tx: `tx-${clientId}`,
    priceUsd: '1',
  });
  const s = service();
  await s.decide(deposit('clean', [TRON.clean]));
  await s.decide(deposit('exposed', [TRON.nearHaowang]));
  await s.decide(deposit('exposed-eu', [TRON.nearHaowang], 'eu'));
  await s.decide(deposit('listed', [TRON.huione, TRON.clean]));
  await s.decide(deposit('sanctioned', [TRON.ofac]));
  await s.decide({
    kind: 'withdrawal',
    clientId: 'out',
    customerId: 'c1',
    chain: 'tron',
    asset: 'USDT',
    amount: '12.5',
    counterparties: [TRON.other],
    priceUsd: '1',
  });
  await service({ screening: 'throw' }).decide(deposit('no-screening', [TRON.nearHaowang]));
  await service({ exposure: 'throw' }).decide(deposit('no-exposure', [TRON.clean]));
  return store.records;
}
