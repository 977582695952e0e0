import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createFixedClock } from '../../shared/clock.js';
import type { Alert } from './alert.js';
import type { Customer } from './customer.js';
import {
  createLookbackService,
  type ListChange,
  type LookbackCustomers,
  type LookbackDiff,
  type LookbackJob,
  type LookbackNameFilter,
  type LookbackStore,
  type PastTransfer,
} from './lookback.service.js';
import { fakeAddressScreener, TRON, testCustomer } from './testing.js';

function memoryLookbackStore(changes: ListChange[], transfers: PastTransfer[]) {
  const jobs = new Map<string, LookbackJob>();
  const alerts = new Map<string, Alert>();
  const saves: LookbackJob[] = [];
  const touched: string[][] = [];
  const pages: [string, string | null][] = [];
  let failAfterSaves = Number.POSITIVE_INFINITY;
  const store = {
    async changesWithoutJob() {
      return changes.filter((c) => ![...jobs.values()].some((j) => j.triggerId === c.id));
    },
    async createJob(job) {
      const existing = [...jobs.values()].find((j) => j.triggerId === job.triggerId);
      if (existing) return structuredClone(existing);
      jobs.set(job.id, structuredClone(job));
      return structuredClone(job);
    },
    async unfinishedJobs() {
      return [...jobs.values()].filter((j) => j.status !== 'done').map((j) => structuredClone(j));
    },
    async saveJob(job) {
      if (saves.length >= failAfterSaves) throw new Error('store went away');
      saves.push(structuredClone(job));
      jobs.set(job.id, structuredClone(job));
    },
    async listJobs() {
      return [...jobs.values()];
    },
    async getJob(id) {
      return jobs.get(id);
    },
    async touchedAddresses(keys, since) {
      touched.push([...keys]);
      return keys.filter((k) =>
        transfers.some((t) => t.addressKey === k && (!since || t.receivedAt >= since)),
      );
    },
    async transfersTouching(key, since, { after, limit }) {
      pages.push([key, after]);
      const position = (t: PastTransfer) => `${t.receivedAt.toISOString()}|${t.transferId}`;
      const all = transfers
        .filter((t) => t.addressKey === key && (!since || t.receivedAt >= since))
        .sort((a, b) => position(a).localeCompare(position(b)))
        .filter((t) => after === null || position(t) > after);
      const page = all.slice(0, limit);
      const last = page.at(-1);
      return { transfers: page, next: all.length > limit && last ? position(last) : null };
    },
    async insertAlerts(list) {
      const fresh = list.filter((a) => !alerts.has(a.dedupKey));
      for (const a of fresh) alerts.set(a.dedupKey, a);
      return fresh;
    },
  } satisfies LookbackStore;
  return {
    store,
    jobs,
    alerts,
    saves,
    touched,
    pages,
    failAfter: (n: number) => {
      failAfterSaves = n;
    },
  };
}

function memoryCustomers(list: Customer[], matchesAfter: Record<string, Customer['screening']['matches']>) {
  const map = new Map(list.map((c) => [c.id, c]));
  const noted: [string, number][] = [];
  const rescreened: string[] = [];
  const customers = {
    async screeningNames({ after, limit }) {
      return [...map.values()]
        .filter((c) => !after || c.id > after)
        .sort((a, b) => a.id.localeCompare(b.id))
        .slice(0, limit)
        .map((c) => ({ ...c, matchedEntities: c.screening.matches.map((m) => m.entityId) }));
    },
    async rescreen(id) {
      rescreened.push(id);
      const c = map.get(id) as Customer;
      const next = { ...c, screening: { ...c.screening, matches: matchesAfter[id] ?? c.screening.matches } };
      map.set(id, next);
      return next;
    },
    async noteLookbackAlertsMany(counts) {
      for (const [id, n] of counts) noted.push([id, n]);
    },
  } satisfies LookbackCustomers;
  return { customers, noted, rescreened };
}

const HUIONE_HIT = {
  entityId: 'fincen-311-huione:haowang-guarantee',
  entityName: 'Haowang Guarantee',
  category: 'special-measures',
  source: 'attributions',
  versionId: 'attributions@v2',
  confidence: 0.9,
};
const DIFF: LookbackDiff = {
  entities: { added: [{ id: 'ofac-sdn:9', name: 'New Designee' }], changed: [] },
  addresses: {
    added: [
      { currency: 'tron', address: TRON.clean, entityId: HUIONE_HIT.entityId },
      { currency: 'tron', address: TRON.other, entityId: HUIONE_HIT.entityId },
    ],
  },
};
const CHANGE: ListChange = {
  id: 'evt_1',
  source: 'attributions',
  fromVersion: 'attributions@v1',
  toVersion: 'attributions@v2',
  createdAt: new Date(0),
};

function past(id: string, address: string, customerId: string, at: string): PastTransfer {
  return {
    transferId: id,
    customerId,
    kind: 'deposit',
    addressKey: `tron:${address}`,
    address,
    addressKeys: [`tron:${address}`],
    receivedAt: new Date(at),
    decisionId: `dec_${id}`,
    action: 'allow',
  };
}

function setup(
  transfers: PastTransfer[],
  matchesAfter: Record<string, Customer['screening']['matches']> = {},
  names?: LookbackNameFilter,
  settings: { transferBatch?: number; busyShare?: number } = {},
  timing: { clock?: ReturnType<typeof createFixedClock>; sleep?: (ms: number) => Promise<void> } = {},
) {
  const mem = memoryLookbackStore([CHANGE], transfers);
  const cust = memoryCustomers(
    ['c1', 'c2'].map((id) => testCustomer({ id, names: { primary: `Customer ${id}`, aliases: [] } })),
    matchesAfter,
  );
  const diffs: [string | undefined, string | undefined][] = [];
  let n = 0;
  const service = createLookbackService({
    store: mem.store,
    lists: {
      diff: async (from, to) => {
        diffs.push([from, to]);
        return DIFF;
      },
    },
    screening: fakeAddressScreener({
      [`tron:${TRON.clean}`]: [HUIONE_HIT],
      [`tron:${TRON.other}`]: [HUIONE_HIT],
    }),
    customers: cust.customers,
    ...(names ? { names } : {}),
    clock: timing.clock ?? createFixedClock(Date.parse('2026-03-01T00:00:00Z')),
    newId: (p) => `${p}_${++n}`,
    yieldNow: async () => {},
    ...(timing.sleep ? { sleep: timing.sleep } : {}),
    settings: { addressBatch: 1, customerBatch: 1, ...settings },
  });
  return { service, mem, cust, diffs };
}

describe('look-back', () => {
  test('a list change opens one alert per past transfer newly linked, and raises those customers’ rating', async () => {
    const { service, mem, cust, diffs } = setup([
      past('t1', TRON.clean, 'c1', '2025-01-01T00:00:00Z'),
      past('t2', TRON.other, 'c2', '2025-06-01T00:00:00Z'),
      past('t3', TRON.huione, 'c2', '2025-06-01T00:00:00Z'),
    ]);
    const [job] = await service.runPending();
    assert.equal(job?.status, 'done', job?.error ?? '');
    assert.deepEqual(diffs, [['attributions@v1', 'attributions@v2']]);
    assert.deepEqual(job?.progress, {
      addressesTotal: 2,
      addressesDone: 2,
      transfersLinked: 2,
      customersScreened: 2,
      customersLinked: 0,
      alertsOpened: 2,
    });
    const alerts = [...mem.alerts.values()];
    assert.deepEqual(
      alerts.map((a) => [a.kind, a.transferId, a.customerId]),
      [
        ['lookback.transfer', 't1', 'c1'],
        ['lookback.transfer', 't2', 'c2'],
      ],
    );
    assert.match(
      alerts[0]?.reason ?? '',
      /past deposit t1 is linked to Haowang Guarantee \(special-measures\), newly listed in attributions@v2/,
    );
    assert.deepEqual(cust.noted, [
      ['c1', 1],
      ['c2', 1],
    ]);
    assert.deepEqual(await service.runPending(), [], 'nothing left to do');
  });

  test('progress is saved per batch: a job killed half-way resumes from its cursor and opens nothing twice', async () => {
    const transfers = [
      past('t1', TRON.clean, 'c1', '2025-01-01T00:00:00Z'),
      past('t2', TRON.other, 'c2', '2025-06-01T00:00:00Z'),
    ];
    const { service, mem } = setup(transfers);
    mem.failAfter(2); // running, then the first batch; the second batch's save fails
    const [failed] = await service.runPending();
    assert.equal(failed?.status, 'failed');
    const saved = [...mem.jobs.values()][0];
    assert.equal(saved?.cursor, `tron:${TRON.clean}`);
    assert.equal(saved?.progress.addressesDone, 1);
    mem.failAfter(Number.POSITIVE_INFINITY);
    mem.touched.length = 0;
    const [resumed] = await service.runPending();
    assert.deepEqual(mem.touched, [[`tron:${TRON.other}`]], 'the first batch is not searched again');
    assert.equal(resumed?.status, 'done', resumed?.error ?? '');
    assert.deepEqual(
      [...mem.alerts.values()].map((a) => a.transferId),
      ['t1', 't2'],
    );
  });

  test('an address with many past transfers is read a page at a time; a job killed mid-address resumes within it', async () => {
    const transfers = [1, 2, 3, 4, 5].map((i) => past(`t${i}`, TRON.clean, 'c1', `2025-0${i}-01T00:00:00Z`));
    const { service, mem } = setup(transfers, {}, undefined, { transferBatch: 2 });
    mem.failAfter(2); // running, then the first page; the second page's save fails
    const [failed] = await service.runPending();
    assert.equal(failed?.status, 'failed');
    const saved = [...mem.jobs.values()][0];
    assert.equal(saved?.cursor, `tron:${TRON.clean}\n2025-02-01T00:00:00.000Z|t2`);
    assert.equal(saved?.progress.transfersLinked, 2);
    mem.failAfter(Number.POSITIVE_INFINITY);
    mem.pages.length = 0;
    const [resumed] = await service.runPending();
    assert.equal(resumed?.status, 'done', resumed?.error ?? '');
    assert.deepEqual(
      mem.pages,
      [
        [`tron:${TRON.clean}`, '2025-02-01T00:00:00.000Z|t2'],
        [`tron:${TRON.clean}`, '2025-04-01T00:00:00.000Z|t4'],
      ],
      'the pages already done are not read again',
    );
    assert.deepEqual(
      [...mem.alerts.values()].map((a) => a.transferId),
      ['t1', 't2', 't3', 't4', 't5'],
    );
    assert.equal(resumed?.progress.transfersLinked, 5);
    assert.equal(resumed?.progress.addressesDone, 2);
  });

  test('with a busy share below 1, the job rests after each batch in proportion to the time the batch took', async () => {
    const clock = createFixedClock(Date.parse('2026-03-01T00:00:00Z'));
    const rests: number[] = [];
    const transfers = [1, 2, 3].map((i) => past(`t${i}`, TRON.clean, 'c1', `2025-0${i}-01T00:00:00Z`));
    const { service, mem } = setup(
      transfers,
      {},
      undefined,
      { transferBatch: 1, busyShare: 0.5 },
      {
        clock,
        sleep: async (ms) => {
          rests.push(ms);
          clock.advance(ms);
        },
      },
    );
    const touching = mem.store.transfersTouching;
    mem.store.transfersTouching = async (...args) => {
      clock.advance(40); // each page of past transfers takes 40 ms
      return touching(...args);
    };
    const [job] = await service.runPending();
    assert.equal(job?.status, 'done', job?.error ?? '');
    // three pages of 40 ms, each followed by as long a rest (share 1/2); the rest takes no time
    assert.deepEqual(rests, [40, 40, 40]);
    assert.throws(() => setup([], {}, undefined, { busyShare: 0 }), /busyShare must be in \(0, 1\], got 0/);
  });

  test('a past transfer linked through two added addresses counts once, with an alert for each address', async () => {
    const both = (address: string): PastTransfer => ({
      ...past('t1', address, 'c1', '2025-01-01T00:00:00Z'),
      addressKeys: [`tron:${TRON.other}`, `tron:${TRON.clean}`],
    });
    const { service, mem } = setup([both(TRON.clean), both(TRON.other)]);
    const [job] = await service.runPending();
    assert.equal(job?.status, 'done', job?.error ?? '');
    assert.equal(job?.progress.transfersLinked, 1);
    assert.equal(job?.progress.alertsOpened, 2);
    assert.deepEqual(
      [...mem.alerts.values()].map((a) => [a.transferId, (a.evidence as { address: string }).address]).sort(),
      [
        ['t1', TRON.clean],
        ['t1', TRON.other],
      ].sort(),
    );
  });

  test('customers are re-screened and alerted only for matches to entities the change added', async () => {
    const { service, mem } = setup([], {
      c1: [designeeMatch('ofac-sdn:9')],
      c2: [designeeMatch('ofac-sdn:1')],
    });
    const [job] = await service.runPending();
    assert.equal(job?.progress.customersLinked, 1);
    assert.deepEqual(
      [...mem.alerts.values()].map((a) => [a.kind, a.customerId]),
      [['lookback.customer', 'c1']],
    );
  });

  test('with a name filter, only customers whose names may match a changed entity are screened again', async () => {
    const match = designeeMatch('ofac-sdn:9');
    const asked: (readonly string[])[] = [];
    const queried: string[] = [];
    const { service, mem, cust } = setup(
      [],
      { c1: [match] },
      {
        async against(ids) {
          asked.push(ids);
          return (queries) => {
            queried.push(...queries.map((q) => q.name));
            return queries.some((q) => q.name === 'Customer c1');
          };
        },
      },
    );
    const [job] = await service.runPending();
    assert.equal(job?.status, 'done', job?.error ?? '');
    assert.deepEqual(asked, [['ofac-sdn:9']], 'the filter is built once, for the entities the change added');
    assert.deepEqual(
      queried,
      ['Customer c1', 'Customer c2'],
      'every customer is screened against the change',
    );
    assert.deepEqual(cust.rescreened, ['c1'], 'only the possible match is screened in full');
    assert.equal(job?.progress.customersScreened, 2);
    assert.equal(job?.progress.customersLinked, 1);
    assert.deepEqual(
      [...mem.alerts.values()].filter((a) => a.kind === 'lookback.customer').map((a) => a.customerId),
      ['c1'],
    );
  });

  test('a look-back asked by hand counts only transfers since its date', async () => {
    const { service, mem, diffs } = setup([
      past('old', TRON.clean, 'c1', '2023-01-01T00:00:00Z'),
      past('new', TRON.clean, 'c1', '2025-01-01T00:00:00Z'),
    ]);
    await service.runPending();
    mem.alerts.clear();
    const job = await service.request({
      toVersion: 'attributions@v2',
      source: 'attributions',
      since: new Date('2024-01-01T00:00:00Z'),
      by: 'key_mlro',
    });
    assert.equal(job.status, 'pending');
    await service.runPending();
    assert.deepEqual(
      diffs.at(-1),
      ['attributions@v2', undefined],
      'a version alone is diffed against the one before it',
    );
    assert.deepEqual(
      [...mem.alerts.values()].map((a) => a.transferId),
      ['new'],
    );
  });
});

/** A customer's screening match to the newly designated entity `entityId` (name Jane Roe). */
function designeeMatch(entityId: string) {
  return {
    entityId,
    name: 'New Designee',
    matchedName: 'Jane Roe',
    queryName: 'Jane Roe',
    source: 'ofac-sdn',
    versionId: 'ofac-sdn@2',
    score: 0.95,
    decision: 'match' as const,
    programs: [],
  };
}
