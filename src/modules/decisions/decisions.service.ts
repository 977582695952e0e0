import type { Clock } from '../../shared/clock.js';
import { CordonError } from '../../shared/errors.js';
import type { ValidAddress } from '../chains/index.js';
import type { ExposureMethod, ExposureQuery, ExposureReport } from '../graph/index.js';
import type { Alert, AlertQuery } from './alert.js';
import { contextToJson } from './context.js';
import { assessRisk, type Customer, type RiskSettings, type RiskSignals } from './customer.js';
import {
  type AddressListHit,
  aggregatesWithCurrent,
  attachExposurePaths,
  buildDecisionContext,
  type DecisionResponse,
  decisionResponse,
  emptyStoredAggregates,
  type ScreenedAddress,
  type StoredAggregates,
} from './pipeline.js';
import { type Action, actionRank, type CompiledPack, evaluatePacks, type Reason } from './policy.js';
import {
  checkedAddress,
  DEFAULT_TRANSFER_LIMITS,
  isNearThreshold,
  type NormalizedAddress,
  type NormalizedTransfer,
  normalizeTransferRequest,
  requestHash,
  type TransferKind,
  type TransferLimits,
  type TransferRequest,
} from './transfer-input.js';

/** Screens counterparty addresses against the active lists (the screening service fits). */
export interface AddressScreener {
  /** `checked`: what `normalizeAddress(address, chain)` returned, when known (the screener may skip it). */
  screenAddresses(
    inputs: { address: string; chain?: string; checked?: ValidAddress }[],
  ): Promise<{ versions: Record<string, string>; results: readonly ScreenedAddress[] }>;
}

/** Direction-aware exposure of an address (the graph module implements it). */
export interface ExposureProvider {
  exposure(query: ExposureQuery): Promise<ExposureReport> | ExposureReport;
}

/** The packs to evaluate for a jurisdiction: the published ones, and drafts running in shadow. */
export interface PolicySource {
  packsFor(jurisdiction: string): Promise<{ active: CompiledPack[]; shadow: CompiledPack[] }>;
}

/** Reads customers (the customers repository). */
export interface CustomerLookup {
  get(id: string): Promise<Customer | undefined>;
}

/** A stored decision's idempotency facts and exact response. */
export interface StoredAnswer {
  requestHash: string;
  response: string;
}

/** A transfer, its decision and what goes with them, written in one transaction. */
export interface DecisionRecord {
  transfer: {
    id: string;
    kind: TransferKind;
    clientId: string;
    requestHash: string;
    customerId: string;
    chain: string;
    asset: string;
    amountBase: bigint;
    decimals: number;
    amountUsd: number | null;
    priceUsd: string | null;
    nearThreshold: boolean;
    counterparties: NormalizedAddress[];
    ownAddress: NormalizedAddress | null;
    tx: string | null;
    receivedAt: Date;
  };
  decision: {
    id: string;
    action: Action;
    riskScore: number;
    reasons: Reason[];
    policies: { packId: string; version: number }[];
    /** The answer's `listVersions` (the store keeps them there only, and restores the inputs' copies from them). */
    listVersions: Record<string, string>;
    /** The context, the screening answers and the exposure reports: enough to replay the decision. */
    inputs: unknown;
    response: string;
    decidedAt: Date;
  };
  shadow: {
    id: string;
    packId: string;
    version: number;
    wouldAction: Action;
    reasons: Reason[];
  }[];
  alert: Alert | null;
  customerRisk: { customerId: string; risk: Customer['risk'] } | null;
}

/** A decision as an auditor reads it back. */
export interface StoredDecision {
  id: string;
  transferId: string;
  kind: TransferKind;
  clientId: string;
  customerId: string;
  action: Action;
  riskScore: number;
  response: DecisionResponse;
  inputs: unknown;
  decidedAt: Date;
}

/** What the decision service needs from storage (decisions.repository.ts). */
export interface DecisionStore {
  findAnswer(kind: TransferKind, clientId: string): Promise<StoredAnswer | undefined>;
  aggregates(q: { customerId: string; now: Date; passThroughWindowMs: number }): Promise<StoredAggregates>;
  /** Commits everything or nothing; a (kind, client id) already taken returns the first answer instead. */
  record(r: DecisionRecord): Promise<{ ok: true } | { ok: false; existing: StoredAnswer }>;
  getDecision(id: string): Promise<StoredDecision | undefined>;
  listDecisions(q: { customerId?: string; after?: string; limit: number }): Promise<StoredDecision[]>;
  listAlerts(q: AlertQuery): Promise<Alert[]>;
}

/** Tunables of the pipeline (from configuration). */
export interface DecisionSettings {
  exposure: { hops: number; method: ExposureMethod; maxPaths: number };
  /** How long screening or exposure may take before the decision is held without them. */
  dependencyTimeoutMs: number;
  /** Reporting thresholds in USD whose just-under amounts count as possible structuring. */
  nearThresholdsUsd: readonly number[];
  /** How far under a threshold counts as just under (0.1 = the 10% below it). */
  nearThresholdBand: number;
  /** Deposits and withdrawals within this window count as pass-through. */
  passThroughWindowHours: number;
  limits: TransferLimits;
}

/** Defaults: 3 hops by haircut, 2 s for a dependency, CTR (10,000) and travel-rule (3,000) thresholds. */
export const DEFAULT_DECISION_SETTINGS: DecisionSettings = {
  exposure: { hops: 3, method: 'haircut', maxPaths: 5 },
  dependencyTimeoutMs: 2000,
  nearThresholdsUsd: [10_000, 3_000],
  nearThresholdBand: 0.1,
  passThroughWindowHours: 24,
  limits: DEFAULT_TRANSFER_LIMITS,
};

/** The answer to a decision request: the exact bytes to send, and whether it is a replay. */
export interface DecisionAnswer {
  replayed: boolean;
  /** The JSON body, byte for byte as first sent. */
  body: string;
  decision: DecisionResponse;
}

/** Decides deposits and withdrawal attempts, and reads decisions and alerts back. */
export interface DecisionService {
  decide(request: TransferRequest): Promise<DecisionAnswer>;
  getDecision(id: string): Promise<StoredDecision>;
  listDecisions(q: { customerId?: string; after?: string; limit?: number }): Promise<StoredDecision[]>;
  listAlerts(q: Partial<AlertQuery>): Promise<Alert[]>;
}

/** Everything the service is built from; ports are interfaces, so tests pass in-memory fakes. */
export interface DecisionServiceDeps {
  store: DecisionStore;
  customers: CustomerLookup;
  screening: AddressScreener;
  exposure: ExposureProvider;
  policies: PolicySource;
  clock: Clock;
  newId: (prefix: string) => string;
  settings?: Partial<DecisionSettings>;
  riskSettings: RiskSettings;
}

class Timeout extends Error {}

/** A decision's deadline: `expired` rejects once it has passed, unless cancelled first. */
interface Deadline {
  expired: Promise<never>;
  cancel: () => void;
}

/**
 * Deadlines of one length, `ms` after each call: one deadline for all the dependencies of a
 * decision (they start together), and one timer for all the decisions under way rather than one
 * each (they start in order and last as long, so they expire in order: the timer waits for the
 * oldest still pending). None expires early; each rejects at the first timer run after it passed.
 * While none is pending the timer is kept but does not keep the process up.
 */
export function deadlines(ms: number): () => Deadline {
  type Entry = { at: number; reject: ((err: Error) => void) | undefined };
  let queue: (Entry | undefined)[] = [];
  let head = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Drops the cancelled and expired at the head; empties the queue when nothing is pending. */
  const advance = () => {
    while (head < queue.length && (queue[head] as Entry).reject === undefined) queue[head++] = undefined;
    if (head === queue.length) {
      queue = [];
      head = 0;
    } else if (head >= 1024 && head * 2 >= queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  };
  /** Sets the timer for the oldest pending deadline (after the last run or when there was none). */
  const arm = () => {
    const first = queue[head];
    timer = first ? setTimeout(fire, Math.max(1, first.at - performance.now())) : undefined;
  };
  const fire = () => {
    const now = performance.now();
    for (let i = head; i < queue.length; i++) {
      const e = queue[i] as Entry;
      if (e.reject === undefined) continue;
      if (e.at > now) break;
      const reject = e.reject;
      e.reject = undefined;
      reject(new Timeout(`no answer within ${ms} ms`));
    }
    advance();
    arm();
  };

  return () => {
    const e: Entry = { at: performance.now() + ms, reject: undefined };
    const expired = new Promise<never>((_, reject) => {
      e.reject = reject;
    });
    // Nobody may be waiting any more when it rejects (all answered in time): never an unhandled rejection.
    expired.catch(() => {});
    queue.push(e);
    if (timer === undefined) arm();
    else if (queue.length === 1) timer.ref();
    return {
      expired,
      cancel: () => {
        if (e.reject === undefined) return;
        e.reject = undefined;
        advance();
        // Nothing pending: the timer stays for the next decision (decisions rarely overlap, so
        // clearing it would mean a timer per decision again) but no longer keeps the process up.
        if (queue.length === 0) timer?.unref();
      },
    };
  };
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: string };

function failed(err: unknown): { ok: false; error: string } {
  return { ok: false, error: err instanceof Error ? err.message : String(err) };
}

function isThenable<T>(v: Promise<T> | T): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/**
 * Runs one dependency: its value, or why it failed (it threw, rejected, or had not answered when
 * `expired` rejected). A dependency that answers at once (an in-memory graph) is not made to wait
 * for a later turn of the event loop.
 */
function attempt<T>(work: () => Promise<T> | T, expired: Promise<never>): Attempt<T> | Promise<Attempt<T>> {
  let value: Promise<T> | T;
  try {
    value = work();
  } catch (err) {
    return failed(err);
  }
  if (!isThenable(value)) return { ok: true, value };
  return Promise.race([value, expired]).then((v): Attempt<T> => ({ ok: true, value: v }), failed);
}

function dependencyReason(name: string, error: string): Reason {
  return {
    kind: 'dependency',
    code: `dependency.${name}_unavailable`,
    action: 'hold',
    severity: 'high',
    description: `${name} could not be consulted (${error}); held until it can (fail closed)`,
    evidence: { dependency: name, error },
  };
}

/**
 * Builds the decision service: validate → enrich → screen → exposure → behaviour → policy →
 * decision, committed with its inputs in one transaction before the answer is returned. Any
 * dependency that throws or times out makes the decision at least `hold`, with the reason.
 */
export function createDecisionService(deps: DecisionServiceDeps): DecisionService {
  const settings: DecisionSettings = { ...DEFAULT_DECISION_SETTINGS, ...deps.settings };
  const { store, clock } = deps;
  const deadline = deadlines(settings.dependencyTimeoutMs);

  function replay(existing: StoredAnswer, hash: string, t: NormalizedTransfer): DecisionAnswer {
    if (existing.requestHash !== hash)
      throw new CordonError(
        'conflict',
        'transfers.idempotency_conflict',
        `${t.kind} ${t.clientId} was already decided for a different request; use a new id`,
        { field: 'id', id: t.clientId },
      );
    return {
      replayed: true,
      body: existing.response,
      decision: JSON.parse(existing.response) as DecisionResponse,
    };
  }

  async function screen(t: NormalizedTransfer) {
    return deps.screening.screenAddresses(
      t.counterparties.map((c) => {
        // The canonical spelling was usually the one sent, and then it was just checked.
        const checked = checkedAddress(t.chain, c.address);
        return checked
          ? { address: c.address, chain: t.chain, checked }
          : { address: c.address, chain: t.chain };
      }),
    );
  }

  /** The report of each counterparty, one after the other; at once when the provider answers at once. */
  function exposures(
    t: NormalizedTransfer,
  ): Map<string, ExposureReport> | Promise<Map<string, ExposureReport>> {
    const direction = t.kind === 'deposit' ? 'incoming' : 'outgoing';
    const query = (address: string): ExposureQuery => ({
      address,
      direction,
      method: settings.exposure.method,
      hops: settings.exposure.hops,
      maxPaths: settings.exposure.maxPaths,
    });
    const out = new Map<string, ExposureReport>();
    const cps = t.counterparties;
    for (let i = 0; i < cps.length; i++) {
      const key = (cps[i] as NormalizedAddress).key;
      const report = deps.exposure.exposure(query(key));
      if (isThenable(report)) {
        const rest = async () => {
          out.set(key, await report);
          for (let j = i + 1; j < cps.length; j++) {
            const k = (cps[j] as NormalizedAddress).key;
            out.set(k, await deps.exposure.exposure(query(k)));
          }
          return out;
        };
        return rest();
      }
      out.set(key, report);
    }
    return out;
  }

  function riskAfter(
    customer: Customer,
    action: Action,
    decisionId: string,
    agg: StoredAggregates,
    t: NormalizedTransfer,
    nowMs: number,
  ) {
    const signals: RiskSignals = { ...customer.risk.signals };
    const worst = signals.worstDecision;
    if (
      actionRank(action) >= actionRank('hold') &&
      (!worst || actionRank(action) > actionRank(worst.action as Action))
    )
      signals.worstDecision = { action, decisionId, at: new Date(nowMs).toISOString() };
    if (customer.expectedMonthlyVolumeUsd && customer.expectedMonthlyVolumeUsd > 0) {
      const volume = agg.deposits.sumUsd30d + agg.withdrawals.sumUsd30d + (t.amountUsd ?? 0);
      signals.volumeRatio = Math.round((volume / customer.expectedMonthlyVolumeUsd) * 10) / 10;
    }
    const assessed = assessRisk(customer, signals, deps.riskSettings);
    const codes = (rs: { code: string; rating: string }[]) =>
      rs.map((r) => `${r.code}:${r.rating}`).join(',');
    if (assessed.rating === customer.risk.rating && codes(assessed.reasons) === codes(customer.risk.reasons))
      return null;
    return {
      customerId: customer.id,
      risk: { ...assessed, assessedAt: new Date(nowMs), signals },
    };
  }

  return {
    async decide(request) {
      const t = normalizeTransferRequest(request, settings.limits);
      const hash = requestHash(t);
      const existing = await store.findAnswer(t.kind, t.clientId);
      if (existing) return replay(existing, hash, t);

      const customer = await deps.customers.get(t.customerId);
      if (!customer)
        throw new CordonError(
          'not_found',
          'customers.not_found',
          `no customer ${t.customerId}; create it first`,
          {
            field: 'customerId',
            id: t.customerId,
          },
        );

      const startMs = clock.nowMs();
      const now = new Date(startMs);
      const passThroughWindowMs = settings.passThroughWindowHours * 3_600_000;
      const due = deadline();
      const [screened, exposed, stored, packs] = await Promise.all([
        attempt(() => screen(t), due.expired),
        attempt(() => exposures(t), due.expired),
        attempt(() => store.aggregates({ customerId: t.customerId, now, passThroughWindowMs }), due.expired),
        attempt(() => deps.policies.packsFor(customer.jurisdiction), due.expired),
      ]);
      due.cancel();

      const failures: Reason[] = [];
      if (!screened.ok) failures.push(dependencyReason('screening', screened.error));
      if (!exposed.ok) failures.push(dependencyReason('exposure', exposed.error));
      if (!stored.ok) failures.push(dependencyReason('aggregates', stored.error));
      if (!packs.ok) failures.push(dependencyReason('policies', packs.error));
      else if (packs.value.active.length === 0)
        failures.push(
          dependencyReason('policies', `no published pack for ${customer.jurisdiction} or the baseline`),
        );

      const near = isNearThreshold(t.amountUsd, settings.nearThresholdsUsd, settings.nearThresholdBand);
      const storedAgg = stored.ok ? stored.value : emptyStoredAggregates();
      const reports = exposed.ok ? exposed.value : undefined;
      const context = buildDecisionContext({
        customer,
        transfer: t,
        screening: screened.ok ? screened.value.results : undefined,
        exposure: reports,
        aggregates: aggregatesWithCurrent(storedAgg, t, near, settings.passThroughWindowHours),
        nowMs: startMs,
      });
      const active = packs.ok ? packs.value.active : [];
      const verdict = evaluatePacks(active, context, failures);
      const direction = t.kind === 'deposit' ? 'incoming' : 'outgoing';
      verdict.reasons = attachExposurePaths(verdict.reasons, reports, direction);

      const decidedAtMs = clock.nowMs();
      const decisionId = deps.newId('dec');
      const transferId = deps.newId('trf');
      const listVersions = screened.ok ? { ...screened.value.versions } : {};
      const response = decisionResponse({
        decisionId,
        transferId,
        transfer: t,
        verdict,
        listVersions,
        decidedAtMs,
      });
      const body = JSON.stringify(response);

      // Shadow packs replace the active pack of their jurisdiction (or join, for a new one) and
      // record what they would have decided; the answer never depends on them.
      const shadow = (packs.ok ? packs.value.shadow : []).map((draft) => {
        const set = [
          ...active.filter((p) => p.id !== draft.id && p.jurisdiction !== draft.jurisdiction),
          draft,
        ];
        const would = evaluatePacks(set, context, failures);
        return {
          id: deps.newId('shd'),
          packId: draft.id,
          version: draft.version,
          wouldAction: would.action,
          reasons: would.reasons.filter((r) => r.packId === draft.id),
        };
      });

      const alert: Alert | null =
        verdict.action === 'allow'
          ? null
          : {
              id: deps.newId('alr'),
              kind: 'decision',
              customerId: customer.id,
              transferId,
              decisionId,
              reason: `${t.kind} ${verdict.action}: ${
                verdict.reasons.map((r) => r.ruleId ?? r.code).join(', ') || 'no reason'
              }`,
              evidence: {
                decisionId,
                action: verdict.action,
                riskScore: verdict.riskScore,
                reasons: verdict.reasons,
              },
              status: 'open',
              createdAt: new Date(decidedAtMs),
              dedupKey: `decision:${decisionId}`,
            };

      const record: DecisionRecord = {
        transfer: {
          id: transferId,
          kind: t.kind,
          clientId: t.clientId,
          requestHash: hash,
          customerId: customer.id,
          chain: t.chain,
          asset: t.asset.symbol,
          amountBase: t.amountBase,
          decimals: t.asset.decimals,
          amountUsd: t.amountUsd,
          priceUsd: t.priceUsd,
          nearThreshold: near,
          counterparties: t.counterparties,
          ownAddress: t.ownAddress,
          tx: t.tx,
          receivedAt: now,
        },
        decision: {
          id: decisionId,
          action: verdict.action,
          riskScore: verdict.riskScore,
          reasons: verdict.reasons,
          policies: verdict.packs,
          listVersions,
          inputs: {
            context: contextToJson(context),
            screening: screened.ok ? screened.value : { error: screened.error },
            exposure: reports ? [...reports.values()] : { error: exposed.ok ? null : exposed.error },
            aggregates: storedAgg,
          },
          response: body,
          decidedAt: new Date(decidedAtMs),
        },
        shadow,
        alert,
        customerRisk: riskAfter(customer, verdict.action, decisionId, storedAgg, t, decidedAtMs),
      };
      const written = await store.record(record);
      if (!written.ok) return replay(written.existing, hash, t);
      return { replayed: false, body, decision: response };
    },

    async getDecision(id) {
      const d = await store.getDecision(id);
      if (!d) throw new CordonError('not_found', 'decisions.not_found', `no decision ${id}`, { id });
      return d;
    },

    listDecisions: (q) => store.listDecisions({ ...q, limit: Math.min(Math.max(q.limit ?? 50, 1), 500) }),

    listAlerts: (q) => store.listAlerts({ ...q, limit: Math.min(Math.max(q.limit ?? 50, 1), 500) }),
  };
}

/** The hit shape a screener reports, re-exported for adapters and fakes. */
export type { AddressListHit, ScreenedAddress };
