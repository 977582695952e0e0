import { createHash } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { CordonError, invalid } from '../../shared/errors.js';
import {
  assessRisk,
  type Customer,
  type CustomerNameMatch,
  type CustomerScreening,
  type CustomerType,
  DEFAULT_LEGAL_ENTITIES,
  DEFAULT_RISK_SETTINGS,
  type LegalEntityMap,
  type RiskRating,
  type RiskSettings,
} from './customer.js';
import { canonicalJson } from './policies.service.js';

/** A name screening query, as the screening service takes it. */
export interface NameScreeningQuery {
  name: string;
  kind?: 'person' | 'organization';
  dob?: string;
  country?: string;
}

/** Screens names against the active lists (the screening service fits). */
export interface NameScreener {
  screenNames(queries: NameScreeningQuery[]): Promise<{
    versions: Record<string, string>;
    results: readonly {
      matches: readonly {
        entityId: string;
        name: string;
        matchedName: string;
        source: string;
        versionId: string;
        score: number;
        decision: 'match' | 'review';
        programs: readonly string[];
      }[];
    }[];
  }>;
}

/** A customer's profile as given by the exchange (create, or replace with PUT). */
export interface CustomerInput {
  type: CustomerType;
  names: { primary: string; aliases?: string[] };
  birthDate?: string | null;
  nationality?: string[];
  residence?: string | null;
  legalEntity: string;
  kycLevel: number;
  expectedMonthlyVolumeUsd?: number | null;
}

/** One stored screening of a customer (the history behind `customer.screening`). */
export interface ScreeningRecord {
  id: string;
  customerId: string;
  customerVersion: number;
  trigger: 'create' | 'update' | 'rescreen' | 'lookback';
  screening: CustomerScreening;
}

/** What the customer service needs from storage (customers.repository.ts). */
export interface CustomerStore {
  get(id: string): Promise<Customer | undefined>;
  /** The customer and the request hash it was created with, by id or by idempotency key. */
  findCreated(by: {
    id?: string;
    idempotencyKey?: string;
  }): Promise<{ customer: Customer; requestHash: string } | undefined>;
  /** Inserts a new customer with its first screening; false when the id or key is taken. */
  insert(
    c: Customer,
    meta: { requestHash: string; idempotencyKey: string | null },
    s: ScreeningRecord,
  ): Promise<boolean>;
  /** Replaces a customer if it is still at `expectedVersion`, with the screening; false otherwise. */
  update(c: Customer, expectedVersion: number, s: ScreeningRecord): Promise<boolean>;
  /** Stores a new screening and rating without changing the profile (re-screening, look-back). */
  saveScreening(customerId: string, s: ScreeningRecord, risk: Customer['risk']): Promise<void>;
  /** Stores a new rating (and its signals) without touching the profile. */
  saveRisk(customerId: string, risk: Customer['risk']): Promise<void>;
  /** The customers with these ids that exist (in no particular order). */
  getMany(ids: readonly string[]): Promise<Customer[]>;
  /** Stores new ratings of several customers at once (look-back), without touching their profiles. */
  saveRisks(risks: readonly { customerId: string; risk: Customer['risk'] }[]): Promise<void>;
  list(q: {
    after?: string;
    limit: number;
    riskRating?: RiskRating;
    jurisdiction?: string;
  }): Promise<Customer[]>;
  /** A page of customers' names (by id), without the rest of their records (look-back's pass over all customers). */
  screeningNames(q: { after?: string; limit: number }): Promise<CustomerScreeningNames[]>;
  screenings(customerId: string, limit: number): Promise<ScreeningRecord[]>;
}

/** What screening a customer's names takes, and the entities its stored screening already names. */
export type CustomerScreeningNames = Pick<
  Customer,
  'id' | 'type' | 'names' | 'birthDate' | 'nationality' | 'residence'
> & {
  /** Entity ids of the stored screening's matches. */
  matchedEntities: string[];
};

/** Creates, updates, reads and re-screens customers; rates their risk. */
export interface CustomerService {
  /** Creates a customer; a repeat of the same request (same id or key) returns it with `created: false`. */
  create(
    input: CustomerInput,
    ids: { id?: string; idempotencyKey?: string },
  ): Promise<{ customer: Customer; created: boolean }>;
  /** PUT: replaces the whole profile. */
  replace(id: string, input: CustomerInput): Promise<Customer>;
  /** PATCH: changes the fields given. */
  update(id: string, patch: Partial<CustomerInput>): Promise<Customer>;
  get(id: string): Promise<Customer>;
  list(q: {
    after?: string;
    limit?: number;
    riskRating?: RiskRating;
    jurisdiction?: string;
  }): Promise<Customer[]>;
  screenings(id: string): Promise<ScreeningRecord[]>;
  /** A page of customers' names, by id, up to 1,000 (look-back's pass over all customers). */
  screeningNames(q: { after?: string; limit?: number }): Promise<CustomerScreeningNames[]>;
  /** Screens again against the lists active now (also what look-back calls). */
  rescreen(id: string, trigger?: 'rescreen' | 'lookback'): Promise<Customer>;
  /** Counts look-back alerts into the customer's rating (a new link to a listed entity raises it). */
  noteLookbackAlerts(id: string, count: number): Promise<Customer>;
  /** The same for many customers at once (customer id → alerts); ids of missing customers are skipped. */
  noteLookbackAlertsMany(counts: ReadonlyMap<string, number>): Promise<void>;
}

/** Everything the customer service is built from. */
export interface CustomerServiceDeps {
  store: CustomerStore;
  screener: NameScreener;
  clock: Clock;
  newId: (prefix: string) => string;
  legalEntities?: LegalEntityMap;
  riskSettings?: RiskSettings;
  /** How long name screening may take before the customer is stored as `failed` screening. */
  screeningTimeoutMs?: number;
}

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const COUNTRY = /^[A-Z]{2}$/;

function normalizeInput(
  input: CustomerInput,
  legalEntities: LegalEntityMap,
  nowMs: number,
): CustomerInput & {
  jurisdiction: string;
} {
  if (input.type !== 'person' && input.type !== 'organization')
    throw invalid('customers.invalid_type', 'type must be person or organization', { field: 'type' });
  const primary = input.names?.primary?.normalize('NFC').trim() ?? '';
  if (primary.length === 0 || primary.length > 300)
    throw invalid('customers.invalid_name', 'names.primary must be 1-300 characters', {
      field: 'names.primary',
    });
  const aliases = [
    ...new Set((input.names.aliases ?? []).map((a) => a.normalize('NFC').trim()).filter(Boolean)),
  ];
  if (aliases.length > 50 || aliases.some((a) => a.length > 300))
    throw invalid('customers.invalid_alias', 'names.aliases: at most 50, each 1-300 characters', {
      field: 'names.aliases',
    });
  let birthDate: string | null = null;
  if (input.birthDate) {
    const m = DATE.exec(input.birthDate);
    const t = m ? Date.parse(`${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}T00:00:00Z`) : Number.NaN;
    if (!m || Number.isNaN(t) || t > nowMs || Number(m[1]) < 1800 || (m[2] && Number(m[2]) > 12))
      throw invalid('customers.invalid_date', 'birthDate must be a past date, YYYY, YYYY-MM or YYYY-MM-DD', {
        field: 'birthDate',
      });
    birthDate = input.birthDate;
  }
  const nationality = [...new Set((input.nationality ?? []).map((c) => c.trim().toUpperCase()))];
  nationality.forEach((c, i) => {
    if (!COUNTRY.test(c))
      throw invalid('customers.invalid_country', 'nationality: ISO 3166-1 alpha-2 codes', {
        field: `nationality[${i}]`,
      });
  });
  const residence = input.residence ? input.residence.trim().toUpperCase() : null;
  if (residence !== null && !COUNTRY.test(residence))
    throw invalid('customers.invalid_country', 'residence: an ISO 3166-1 alpha-2 code', {
      field: 'residence',
    });
  const jurisdiction = legalEntities[input.legalEntity];
  if (jurisdiction === undefined)
    throw invalid(
      'customers.unknown_legal_entity',
      `legalEntity must be one of ${Object.keys(legalEntities).join(', ')}`,
      { field: 'legalEntity', value: input.legalEntity },
    );
  if (!Number.isInteger(input.kycLevel) || input.kycLevel < 0 || input.kycLevel > 3)
    throw invalid('customers.invalid_kyc_level', 'kycLevel must be 0, 1, 2 or 3', { field: 'kycLevel' });
  const volume = input.expectedMonthlyVolumeUsd ?? null;
  if (volume !== null && (!Number.isFinite(volume) || volume < 0 || volume > 1e12))
    throw invalid('customers.invalid_volume', 'expectedMonthlyVolumeUsd must be 0 to 10^12', {
      field: 'expectedMonthlyVolumeUsd',
    });
  return {
    type: input.type,
    names: { primary, aliases },
    birthDate,
    nationality,
    residence,
    legalEntity: input.legalEntity,
    jurisdiction,
    kycLevel: input.kycLevel,
    expectedMonthlyVolumeUsd: volume,
  };
}

function hashInput(input: CustomerInput): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/** The name screening queries of a customer: the primary name and each alias, with the same evidence. */
export function screeningQueries(
  c: Pick<Customer, 'type' | 'names' | 'birthDate' | 'nationality' | 'residence'>,
): NameScreeningQuery[] {
  const country = c.nationality[0] ?? c.residence ?? undefined;
  return [c.names.primary, ...c.names.aliases].map((name) => ({
    name,
    kind: c.type,
    ...(c.birthDate ? { dob: c.birthDate } : {}),
    ...(country ? { country } : {}),
  }));
}

/**
 * Builds the customer service. Every create and update screens the names (primary and aliases,
 * with date of birth and nationality as evidence) and recomputes the risk rating; a screening that
 * fails or times out is stored as `failed`, which raises the rating and holds transfers until the
 * customer is screened again.
 */
export function createCustomerService(deps: CustomerServiceDeps): CustomerService {
  const { store, clock } = deps;
  const legalEntities = deps.legalEntities ?? DEFAULT_LEGAL_ENTITIES;
  const riskSettings = deps.riskSettings ?? DEFAULT_RISK_SETTINGS;
  const timeoutMs = deps.screeningTimeoutMs ?? 5000;

  async function screen(
    c: Pick<Customer, 'type' | 'names' | 'birthDate' | 'nationality' | 'residence'>,
  ): Promise<CustomerScreening> {
    const queries = screeningQueries(c);
    const names = queries.map((q) => q.name);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const answer = await Promise.race([
        deps.screener.screenNames(queries),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      const best = new Map<string, CustomerNameMatch>();
      answer.results.forEach((r, i) => {
        for (const m of r.matches) {
          const prev = best.get(m.entityId);
          if (prev && prev.score >= m.score) continue;
          best.set(m.entityId, {
            entityId: m.entityId,
            name: m.name,
            matchedName: m.matchedName,
            queryName: names[i] ?? '',
            source: m.source,
            versionId: m.versionId,
            score: m.score,
            decision: m.decision,
            programs: [...m.programs],
          });
        }
      });
      const matches = [...best.values()].sort((a, b) => b.score - a.score);
      const status = matches.some((m) => m.decision === 'match')
        ? 'match'
        : matches.length > 0
          ? 'review'
          : 'clear';
      return { status, screenedAt: new Date(clock.nowMs()), versions: { ...answer.versions }, matches };
    } catch (err) {
      return {
        status: 'failed',
        screenedAt: new Date(clock.nowMs()),
        versions: {},
        matches: [],
        error: err instanceof Error ? err.message : String(err),
      };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  function rate(c: Customer): Customer['risk'] {
    const assessed = assessRisk(c, c.risk.signals, riskSettings);
    return { ...assessed, assessedAt: new Date(clock.nowMs()), signals: c.risk.signals };
  }

  async function mustGet(id: string): Promise<Customer> {
    const c = await store.get(id);
    if (!c) throw new CordonError('not_found', 'customers.not_found', `no customer ${id}`, { id });
    return c;
  }

  async function change(id: string, next: (c: Customer) => CustomerInput): Promise<Customer> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await mustGet(id);
      const n = normalizeInput(next(current), legalEntities, clock.nowMs());
      const nowMs = clock.nowMs();
      const draft: Customer = {
        ...current,
        ...n,
        names: { primary: n.names.primary, aliases: n.names.aliases ?? [] },
        birthDate: n.birthDate ?? null,
        nationality: n.nationality ?? [],
        residence: n.residence ?? null,
        expectedMonthlyVolumeUsd: n.expectedMonthlyVolumeUsd ?? null,
        version: current.version + 1,
        updatedAt: new Date(nowMs),
      };
      draft.screening = await screen(draft);
      draft.risk = rate(draft);
      const record: ScreeningRecord = {
        id: deps.newId('scr'),
        customerId: id,
        customerVersion: draft.version,
        trigger: 'update',
        screening: draft.screening,
      };
      if (await store.update(draft, current.version, record)) return draft;
    }
    throw new CordonError('conflict', 'customers.concurrent_update', `customer ${id} keeps changing; retry`, {
      id,
    });
  }

  const toInput = (c: Customer): CustomerInput => ({
    type: c.type,
    names: c.names,
    birthDate: c.birthDate,
    nationality: c.nationality,
    residence: c.residence,
    legalEntity: c.legalEntity,
    kycLevel: c.kycLevel,
    expectedMonthlyVolumeUsd: c.expectedMonthlyVolumeUsd,
  });

  return {
    async create(input, ids) {
      if (ids.id !== undefined && !ID.test(ids.id))
        throw invalid('customers.invalid_id', 'id must be 1-128 letters, digits or . _ : @ -', {
          field: 'id',
        });
      if (ids.idempotencyKey !== undefined && !ID.test(ids.idempotencyKey))
        throw invalid('customers.invalid_key', 'Idempotency-Key must be 1-128 letters, digits or . _ : @ -', {
          field: 'Idempotency-Key',
        });
      const nowMs = clock.nowMs();
      const n = normalizeInput(input, legalEntities, nowMs);
      const requestHash = hashInput({ ...n, ...(ids.id ? { id: ids.id } : {}) } as CustomerInput);
      const replay = async (): Promise<{ customer: Customer; created: false } | undefined> => {
        const found = await store.findCreated(ids);
        if (!found) return undefined;
        if (found.requestHash !== requestHash)
          throw new CordonError(
            'conflict',
            'customers.idempotency_conflict',
            `customer ${found.customer.id} was created from a different request; use PATCH or PUT to change it`,
            { field: ids.id ? 'id' : 'Idempotency-Key', id: found.customer.id },
          );
        return { customer: found.customer, created: false };
      };
      if (ids.id || ids.idempotencyKey) {
        const r = await replay();
        if (r) return r;
      }
      const id = ids.id ?? deps.newId('cus');
      const customer: Customer = {
        id,
        type: n.type,
        names: { primary: n.names.primary, aliases: n.names.aliases ?? [] },
        birthDate: n.birthDate ?? null,
        nationality: n.nationality ?? [],
        residence: n.residence ?? null,
        legalEntity: n.legalEntity,
        jurisdiction: n.jurisdiction,
        kycLevel: n.kycLevel,
        expectedMonthlyVolumeUsd: n.expectedMonthlyVolumeUsd ?? null,
        screening: { status: 'unscreened', screenedAt: null, versions: {}, matches: [] },
        risk: { rating: 'low', reasons: [], assessedAt: new Date(nowMs), signals: {} },
        version: 1,
        createdAt: new Date(nowMs),
        updatedAt: new Date(nowMs),
      };
      customer.screening = await screen(customer);
      customer.risk = rate(customer);
      const ok = await store.insert(
        customer,
        { requestHash, idempotencyKey: ids.idempotencyKey ?? null },
        {
          id: deps.newId('scr'),
          customerId: id,
          customerVersion: 1,
          trigger: 'create',
          screening: customer.screening,
        },
      );
      if (ok) return { customer, created: true };
      const r = await replay();
      if (r) return r;
      throw new CordonError('conflict', 'customers.exists', `customer ${id} already exists`, {
        field: 'id',
        id,
      });
    },

    replace: (id, input) => change(id, () => input),

    update: (id, patch) =>
      change(id, (c) => {
        const base = toInput(c);
        return {
          ...base,
          ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
          names: patch.names
            ? {
                primary: patch.names.primary ?? base.names.primary,
                aliases: patch.names.aliases ?? base.names.aliases,
              }
            : base.names,
        } as CustomerInput;
      }),

    get: mustGet,

    list: (q) => store.list({ ...q, limit: Math.min(Math.max(q.limit ?? 50, 1), 500) }),

    screeningNames: (q) => store.screeningNames({ ...q, limit: Math.min(Math.max(q.limit ?? 500, 1), 1000) }),

    async screenings(id) {
      await mustGet(id);
      return store.screenings(id, 100);
    },

    async rescreen(id, trigger = 'rescreen') {
      const c = await mustGet(id);
      const screening = await screen(c);
      const next: Customer = { ...c, screening };
      next.risk = rate(next);
      await store.saveScreening(
        id,
        { id: deps.newId('scr'), customerId: id, customerVersion: c.version, trigger, screening },
        next.risk,
      );
      return next;
    },

    async noteLookbackAlerts(id, count) {
      const c = await mustGet(id);
      const signals = { ...c.risk.signals, lookbackAlerts: (c.risk.signals.lookbackAlerts ?? 0) + count };
      const next: Customer = { ...c, risk: { ...c.risk, signals } };
      next.risk = rate(next);
      await store.saveRisk(id, next.risk);
      return next;
    },

    async noteLookbackAlertsMany(counts) {
      if (counts.size === 0) return;
      const found = await store.getMany([...counts.keys()]);
      await store.saveRisks(
        found.map((c) => {
          const signals = {
            ...c.risk.signals,
            lookbackAlerts: (c.risk.signals.lookbackAlerts ?? 0) + (counts.get(c.id) ?? 0),
          };
          return { customerId: c.id, risk: rate({ ...c, risk: { ...c.risk, signals } }) };
        }),
      );
    },
  };
}
