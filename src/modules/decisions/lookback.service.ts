import type { Clock } from '../../shared/clock.js';
import { CordonError } from '../../shared/errors.js';
import type { Alert } from './alert.js';
import type { Customer } from './customer.js';
import {
  type CustomerScreeningNames,
  type NameScreeningQuery,
  screeningQueries,
} from './customers.service.js';
import type { ScreenedAddress } from './pipeline.js';

/** A `list.changed` event: a source's active version moved from one version to another. */
export interface ListChange {
  id: string;
  source: string;
  fromVersion: string | null;
  toVersion: string;
  createdAt: Date;
}

/** What changed between two versions, as the lists module diffs them. */
export interface LookbackDiff {
  entities: {
    added: readonly { id: string; name: string }[];
    changed: readonly { id: string; name: string }[];
  };
  addresses: { added: readonly { currency: string; address: string; entityId: string }[] };
}

/** Diffs list versions (the list service fits: `diff(to)` compares a version with the one before it). */
export interface ListDiffSource {
  diff(from: string | undefined, to: string | undefined): Promise<LookbackDiff>;
}

/** Screens addresses against the lists active now; `refresh` makes sure a just-activated version is in. */
export interface LookbackAddressScreener {
  screenAddresses(
    inputs: { address: string; chain?: string }[],
  ): Promise<{ versions: Record<string, string>; results: readonly ScreenedAddress[] }>;
  refresh?(): Promise<unknown>;
}

/** Re-screens customers and records look-back alerts on their rating (the customer service fits). */
export interface LookbackCustomers {
  /** A page of customers' names and the entities they already match, by id (not their full records). */
  screeningNames(q: { after?: string; limit?: number }): Promise<CustomerScreeningNames[]>;
  rescreen(id: string, trigger: 'lookback'): Promise<Customer>;
  /** Adds look-back alerts to customers' ratings (customer id → alerts); unknown ids are skipped. */
  noteLookbackAlertsMany(counts: ReadonlyMap<string, number>): Promise<void>;
}

/**
 * Screens names against only some listed entities: those a change added or changed. Its answer
 * must never miss a name that full screening would match (or send to review) with one of them; it
 * may name a few more. The screening wiring fits (an index of just those entities).
 */
export interface LookbackNameFilter {
  against(entityIds: readonly string[]): Promise<(queries: NameScreeningQuery[]) => boolean>;
}

/** A past transfer that touched an address. */
export interface PastTransfer {
  transferId: string;
  customerId: string;
  kind: string;
  addressKey: string;
  address: string;
  /** Every counterparty key of the transfer (a transfer linked through two added addresses counts once). */
  addressKeys: readonly string[];
  receivedAt: Date;
  decisionId: string | null;
  action: string;
}

/** A page of the past transfers that touched one address, and where the next page starts. */
export interface PastTransferPage {
  transfers: PastTransfer[];
  /** Opaque position to pass as `after` for the following page; null when this page was the last. */
  next: string | null;
}

/** Progress counters of a job. */
export interface LookbackProgress {
  addressesTotal: number;
  addressesDone: number;
  transfersLinked: number;
  customersScreened: number;
  customersLinked: number;
  alertsOpened: number;
}

/** One look-back run over one list change; resumable from its phase and cursor. */
export interface LookbackJob {
  id: string;
  triggerId: string;
  source: string;
  fromVersion: string | null;
  toVersion: string;
  /** Only transfers received on or after this date (null: all of them). */
  since: Date | null;
  status: 'pending' | 'running' | 'done' | 'failed';
  phase: 'addresses' | 'customers' | 'done';
  /**
   * Addresses phase: the last address key fully processed, or that key, a line break and the position
   * within its past transfers reached so far. Customers phase: the last customer id processed.
   */
  cursor: string | null;
  progress: LookbackProgress;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** What look-back needs from storage (lookback.repository.ts). */
export interface LookbackStore {
  /** `list.changed` events that have no job yet, oldest first. */
  changesWithoutJob(limit: number): Promise<ListChange[]>;
  /** Creates a job unless one exists for its trigger; returns the job for the trigger. */
  createJob(job: LookbackJob): Promise<LookbackJob>;
  /** Jobs not finished (pending, running after a crash, or failed and to be retried), oldest first. */
  unfinishedJobs(limit: number): Promise<LookbackJob[]>;
  saveJob(job: LookbackJob): Promise<void>;
  listJobs(limit: number): Promise<LookbackJob[]>;
  getJob(id: string): Promise<LookbackJob | undefined>;
  /** Which of `keys` past transfers (received on or after `since`) touched: an index probe each. */
  touchedAddresses(keys: readonly string[], since: Date | null): Promise<string[]>;
  /**
   * Past transfers (received on or after `since`) that touched one address, `limit` at most, in a
   * stable order, after the position a previous page returned (null: from the first).
   */
  transfersTouching(
    key: string,
    since: Date | null,
    page: { after: string | null; limit: number },
  ): Promise<PastTransferPage>;
  /** Inserts alerts, skipping those whose dedup key exists; returns the ones that were new. */
  insertAlerts(alerts: readonly Alert[]): Promise<Alert[]>;
}

/** Tunables of look-back. */
export interface LookbackSettings {
  addressBatch: number;
  /** Past transfers read (and alerted) per statement: bounds how long one statement holds the store. */
  transferBatch: number;
  customerBatch: number;
  /** Pause between batches, so decisions always get the store between them. */
  pauseMs: number;
  /**
   * At most this share of wall time spent working (0 < share ≤ 1): after each batch the job rests
   * in proportion to how long the batch took. Below 1 on a store that runs one statement at a time
   * (the embedded one), so a look-back that keeps it busy cannot build a queue of decisions behind it.
   */
  busyShare: number;
}

/** Defaults: 500 addresses, past transfers or customers per batch, no extra pause beyond a turn of the event loop. */
export const DEFAULT_LOOKBACK_SETTINGS: LookbackSettings = {
  addressBatch: 500,
  transferBatch: 500,
  customerBatch: 500,
  pauseMs: 0,
  busyShare: 1,
};

/** Finds past transfers and customers newly linked to listed entities when a list changes. */
export interface LookbackService {
  /** Opens jobs for list changes that have none yet; returns the new jobs. */
  discover(): Promise<LookbackJob[]>;
  /** Starts a job by hand for a version (against the version before it), e.g. with a `since` date. */
  request(input: { toVersion: string; source: string; since: Date | null; by: string }): Promise<LookbackJob>;
  /** Works through every unfinished job, batch by batch, yielding between batches. */
  runPending(): Promise<LookbackJob[]>;
  jobs(limit?: number): Promise<LookbackJob[]>;
  job(id: string): Promise<LookbackJob>;
  /** Polls for list changes and runs them in the background; returns the function that stops it. */
  start(pollMs: number, onError: (err: unknown) => void): () => void;
}

/** An address the change added, as screened now. */
interface AddedAddress {
  address: string;
  entityId: string;
  hits: ScreenedAddress & { ok: true };
}

/**
 * The settings for a store that runs one statement at a time (the embedded one): work at most 2/3 of
 * the time, so decisions find the store free at least a third of it.
 */
export const ONE_CONNECTION_LOOKBACK_SETTINGS: Partial<LookbackSettings> = { busyShare: 2 / 3 };

/** The longest rest between two batches, whatever the batch took. */
const MAX_REST_MS = 1000;

const emptyProgress = (): LookbackProgress => ({
  addressesTotal: 0,
  addressesDone: 0,
  transfersLinked: 0,
  customersScreened: 0,
  customersLinked: 0,
  alertsOpened: 0,
});

/**
 * Builds the look-back service. A job re-screens, against what changed in one list version: every
 * past transfer whose counterparty address was added (found through the address index of past
 * transfers, so the cost follows the change, not the history), then every customer when entities
 * were added or changed. Progress and the cursor are saved after each batch, so a restarted
 * process resumes where it stopped; alerts are de-duplicated, so re-running a batch opens nothing twice.
 */
export function createLookbackService(deps: {
  store: LookbackStore;
  lists: ListDiffSource;
  screening: LookbackAddressScreener;
  customers: LookbackCustomers;
  /** When given, only customers whose names may match a changed entity are screened in full. */
  names?: LookbackNameFilter;
  clock: Clock;
  newId: (prefix: string) => string;
  yieldNow: () => Promise<void>;
  /** Waits between batches (pauseMs, busyShare); a timer by default. */
  sleep?: (ms: number) => Promise<void>;
  settings?: Partial<LookbackSettings>;
}): LookbackService {
  const { store, clock } = deps;
  const settings = { ...DEFAULT_LOOKBACK_SETTINGS, ...deps.settings };
  if (!(settings.busyShare > 0 && settings.busyShare <= 1))
    throw new Error(`look-back busyShare must be in (0, 1], got ${settings.busyShare}`);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let running: Promise<LookbackJob[]> | undefined;

  const now = () => new Date(clock.nowMs());

  function newJob(change: Omit<ListChange, 'createdAt'>, since: Date | null): LookbackJob {
    const at = now();
    return {
      id: deps.newId('lbk'),
      triggerId: change.id,
      source: change.source,
      fromVersion: change.fromVersion,
      toVersion: change.toVersion,
      since,
      status: 'pending',
      phase: 'addresses',
      cursor: null,
      progress: emptyProgress(),
      error: null,
      createdAt: at,
      updatedAt: at,
      finishedAt: null,
    };
  }

  let workingSince = clock.nowMs();
  async function pause() {
    await deps.yieldNow();
    const busy = clock.nowMs() - workingSince;
    const rest =
      settings.pauseMs +
      (settings.busyShare < 1 ? (busy * (1 - settings.busyShare)) / settings.busyShare : 0);
    if (rest > 0) await sleep(Math.min(rest, MAX_REST_MS));
    workingSince = clock.nowMs();
  }

  async function save(job: LookbackJob) {
    job.updatedAt = now();
    await store.saveJob(job);
  }

  async function runAddresses(job: LookbackJob, diff: LookbackDiff) {
    // Screen every added address once to learn its match key and what it is now listed as.
    const added = diff.addresses.added;
    const byKey = new Map<string, AddedAddress>();
    for (let i = 0; i < added.length; i += settings.addressBatch) {
      const slice = added.slice(i, i + settings.addressBatch);
      const screened = await deps.screening.screenAddresses(
        slice.map((a) => ({ address: a.address, chain: a.currency })),
      );
      screened.results.forEach((r, j) => {
        const a = slice[j];
        if (r.ok && a && !byKey.has(r.key))
          byKey.set(r.key, { address: a.address, entityId: a.entityId, hits: r });
      });
      await pause();
    }
    const keys = [...byKey.keys()].sort();
    job.progress.addressesTotal = keys.length;
    // The cursor: the last key done, or a key and the position reached among its past transfers.
    const cut = job.cursor?.indexOf('\n') ?? -1;
    const atKey = cut >= 0 ? (job.cursor as string).slice(0, cut) : job.cursor;
    const atPosition = cut >= 0 ? (job.cursor as string).slice(cut + 1) : null;
    let start = atKey === null ? 0 : keys.findIndex((k) => (atPosition === null ? k > atKey : k >= atKey));
    if (start < 0) start = keys.length;
    job.progress.addressesDone = start;
    for (let i = start; i < keys.length; i += settings.addressBatch) {
      const batch = keys.slice(i, i + settings.addressBatch);
      // One index probe per key finds the few keys past transfers touched; those are read a page
      // (one bounded statement) at a time, so no statement holds the store for long.
      const touched = new Set(await store.touchedAddresses(batch, job.since));
      for (const [j, key] of batch.entries()) {
        if (!touched.has(key)) continue;
        let after = key === atKey ? atPosition : null;
        do {
          const page = await store.transfersTouching(key, job.since, {
            after,
            limit: settings.transferBatch,
          });
          await link(job, byKey, page.transfers);
          after = page.next;
          job.cursor = after === null ? key : `${key}\n${after}`;
          if (after === null) job.progress.addressesDone = i + j + 1;
          await save(job);
          await pause();
        } while (after !== null);
      }
      if (job.cursor !== batch.at(-1)) {
        job.progress.addressesDone = i + batch.length;
        job.cursor = batch.at(-1) ?? job.cursor;
        await save(job);
        await pause();
      }
    }
  }

  /** Opens an alert per past transfer and newly listed entity, and counts them into the customers' ratings. */
  async function link(job: LookbackJob, byKey: Map<string, AddedAddress>, past: readonly PastTransfer[]) {
    const alerts: Alert[] = [];
    for (const t of past) {
      const found = byKey.get(t.addressKey);
      if (!found) continue;
      // A transfer that touched several added addresses counts once: at the first of them.
      if (!t.addressKeys.some((k) => k < t.addressKey && byKey.has(k))) job.progress.transfersLinked++;
      const fromSource = found.hits.hits.filter((h) => h.source === job.source);
      const hits =
        fromSource.length > 0
          ? fromSource
          : [
              {
                entityId: found.entityId,
                entityName: found.entityId,
                category: 'unknown',
                source: job.source,
                versionId: job.toVersion,
                confidence: 1,
              },
            ];
      for (const h of hits) {
        alerts.push({
          id: deps.newId('alr'),
          kind: 'lookback.transfer',
          customerId: t.customerId,
          transferId: t.transferId,
          decisionId: t.decisionId,
          reason: `past ${t.kind} ${t.transferId} is linked to ${h.entityName} (${h.category}), newly listed in ${job.toVersion}`,
          evidence: {
            address: t.address,
            addressKey: t.addressKey,
            entityId: h.entityId,
            entityName: h.entityName,
            category: h.category,
            source: h.source,
            listVersion: job.toVersion,
            previousVersion: job.fromVersion,
            transfer: {
              id: t.transferId,
              kind: t.kind,
              receivedAt: t.receivedAt.toISOString(),
              action: t.action,
            },
          },
          status: 'open',
          createdAt: now(),
          dedupKey: `lookback:${job.toVersion}:${t.transferId}:${t.addressKey}:${h.entityId}`,
        });
      }
    }
    const opened = await store.insertAlerts(alerts);
    const perCustomer = new Map<string, number>();
    for (const a of opened)
      if (a.customerId) perCustomer.set(a.customerId, (perCustomer.get(a.customerId) ?? 0) + 1);
    // A transfer may name a customer that no longer exists: it is skipped, the alert stands regardless.
    await deps.customers.noteLookbackAlertsMany(perCustomer);
    job.progress.alertsOpened += opened.length;
  }

  async function runCustomers(job: LookbackJob, diff: LookbackDiff) {
    const changed = new Map<string, string>();
    for (const e of [...diff.entities.added, ...diff.entities.changed]) changed.set(e.id, e.name);
    if (changed.size === 0) return;
    // Names that cannot match a changed entity keep their screening: only the others are screened again.
    const mayMatch = deps.names ? await deps.names.against([...changed.keys()]) : () => true;
    for (;;) {
      const page = await deps.customers.screeningNames({
        ...(job.cursor ? { after: job.cursor } : {}),
        limit: settings.customerBatch,
      });
      if (page.length === 0) return;
      const alerts: Alert[] = [];
      for (const [i, before] of page.entries()) {
        job.progress.customersScreened++;
        // screening names is CPU work: give decisions the event loop every 50 customers
        if (i > 0 && i % 50 === 0) await deps.yieldNow();
        if (!mayMatch(screeningQueries(before))) continue;
        const known = new Set(before.matchedEntities);
        const after = await deps.customers.rescreen(before.id, 'lookback');
        const fresh = after.screening.matches.filter(
          (m) => changed.has(m.entityId) && !known.has(m.entityId),
        );
        if (fresh.length > 0) job.progress.customersLinked++;
        for (const m of fresh)
          alerts.push({
            id: deps.newId('alr'),
            kind: 'lookback.customer',
            customerId: before.id,
            transferId: null,
            decisionId: null,
            reason: `customer ${before.id} (${m.queryName}) now matches ${m.name} in ${job.toVersion} (score ${m.score.toFixed(2)}, ${m.decision})`,
            evidence: { match: m, listVersion: job.toVersion, previousVersion: job.fromVersion },
            status: 'open',
            createdAt: now(),
            dedupKey: `lookback:${job.toVersion}:customer:${before.id}:${m.entityId}`,
          });
      }
      job.progress.alertsOpened += (await store.insertAlerts(alerts)).length;
      job.cursor = page.at(-1)?.id ?? job.cursor;
      await save(job);
      await pause();
      if (page.length < settings.customerBatch) return;
    }
  }

  async function runJob(job: LookbackJob): Promise<LookbackJob> {
    workingSince = clock.nowMs();
    try {
      job.status = 'running';
      await save(job);
      await deps.screening.refresh?.();
      const diff = job.fromVersion
        ? await deps.lists.diff(job.fromVersion, job.toVersion)
        : await deps.lists.diff(job.toVersion, undefined);
      if (job.phase === 'addresses') {
        await runAddresses(job, diff);
        job.phase = 'customers';
        job.cursor = null;
        await save(job);
      }
      if (job.phase === 'customers') await runCustomers(job, diff);
      job.phase = 'done';
      job.status = 'done';
      job.cursor = null;
      job.finishedAt = now();
      await save(job);
    } catch (err) {
      job.status = 'failed';
      job.error = err instanceof Error ? err.message : String(err);
      // Best effort: when the store itself failed, the job stays as last saved and is resumed later.
      await save(job).catch(() => {});
    }
    return job;
  }

  async function discover(): Promise<LookbackJob[]> {
    const out: LookbackJob[] = [];
    for (const change of await store.changesWithoutJob(100))
      out.push(await store.createJob(newJob(change, null)));
    return out;
  }

  async function runAll(): Promise<LookbackJob[]> {
    await discover();
    const done: LookbackJob[] = [];
    for (const job of await store.unfinishedJobs(100)) done.push(await runJob(job));
    return done;
  }

  function runPending(): Promise<LookbackJob[]> {
    running ??= runAll().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    discover,

    async request({ toVersion, source, since, by }) {
      const job = newJob(
        { id: `manual:${deps.newId('req')}:${by}`, source, fromVersion: null, toVersion },
        since,
      );
      return store.createJob(job);
    },

    runPending,

    jobs: (limit = 50) => store.listJobs(Math.min(Math.max(limit, 1), 500)),

    async job(id) {
      const j = await store.getJob(id);
      if (!j) throw new CordonError('not_found', 'lookback.not_found', `no look-back job ${id}`, { id });
      return j;
    },

    start(pollMs, onError) {
      let stopped = false;
      const tick = async () => {
        if (stopped) return;
        try {
          await runPending();
        } catch (err) {
          onError(err);
        }
      };
      const timer = setInterval(() => void tick(), pollMs);
      timer.unref?.();
      void tick();
      return () => {
        stopped = true;
        clearInterval(timer);
      };
    },
  };
}
