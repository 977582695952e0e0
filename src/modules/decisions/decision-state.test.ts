import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES, type TestStore } from '../../../test/helpers/stores.js';
import { createRng } from '../graph/index.js';
import { createCustomersRepository } from './customers.repository.js';
import { cachingCustomerStore, createDecisionState, type DecisionHistory } from './decision-state.js';
import { createDecisionsRepository } from './decisions.repository.js';
import type { Action } from './policy.js';
import { memoryCustomerStore, testCustomer, testRecord } from './testing.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T12:00:00Z');
const PASS_THROUGH = DAY;

for (const { label, open } of STORES) {
  describe(`decision state on ${label}`, () => {
    let t: TestStore;
    before(async () => {
      t = await open();
      const customers = createCustomersRepository(t.store.db);
      for (const id of ['c1', 'c2', 'c3']) {
        const c = testCustomer({ id });
        await customers.insert(
          c,
          { requestHash: `h-${id}`, idempotencyKey: null },
          { id: `scr-${id}`, customerId: id, customerVersion: 1, trigger: 'create', screening: c.screening },
        );
      }
    });
    after(async () => {
      await t?.dispose();
    });

    test('aggregates from memory equal the store query at every instant, across the load boundary', async () => {
      const repo = createDecisionsRepository(t.store.db);
      const r = createRng(7);
      const rng = () => r.next();
      const actions: Action[] = ['allow', 'allow', 'review', 'hold', 'block', 'freeze'];
      const make = (i: number) =>
        testRecord({
          customerId: 'c1',
          clientId: `agg-${label}-${i}`,
          kind: rng() < 0.5 ? 'deposit' : 'withdrawal',
          usd: rng() < 0.1 ? null : Math.round(rng() * 20_000) / 100,
          near: rng() < 0.2,
          action: actions[Math.floor(rng() * actions.length)],
          at: T0 - 40 * DAY + Math.floor(rng() * 40 * DAY),
        });
      // Half written before the state exists (it loads them), half through it (it appends them).
      for (let i = 0; i < 150; i++) await repo.record(make(i));
      const state = createDecisionState(repo, repo);
      let now = T0 - 10 * DAY;
      for (let i = 150; i < 300; i++) {
        await state.store.record(make(i));
        if (i % 15 === 0) {
          now += DAY;
          const q = { customerId: 'c1', now: new Date(now), passThroughWindowMs: PASS_THROUGH };
          const fromMemory = await state.store.aggregates(q);
          const fromStore = await repo.aggregates(q);
          for (const k of ['deposits', 'withdrawals'] as const)
            for (const [field, v] of Object.entries(fromStore[k]))
              assert.ok(
                Math.abs(v - fromMemory[k][field as keyof typeof fromMemory.deposits]) < 1e-6,
                `${k}.${field} at ${new Date(now).toISOString()}: ${fromMemory[k][field as keyof typeof fromMemory.deposits]} vs ${v}`,
              );
          assert.equal(fromMemory.nearThreshold24h, fromStore.nearThreshold24h);
          assert.equal(fromMemory.nearThreshold7d, fromStore.nearThreshold7d);
          assert.ok(Math.abs(fromMemory.passThroughDepositsUsd - fromStore.passThroughDepositsUsd) < 1e-6);
          assert.ok(
            Math.abs(fromMemory.passThroughWithdrawalsUsd - fromStore.passThroughWithdrawalsUsd) < 1e-6,
          );
        }
      }
      const final = await state.store.aggregates({
        customerId: 'c1',
        now: new Date(T0),
        passThroughWindowMs: PASS_THROUGH,
      });
      assert.ok(final.deposits.count7d + final.withdrawals.count7d > 0, 'the comparison saw transfers');
    });

    test('idempotency reads the store only for a client id it has seen, once loaded', async () => {
      const repo = createDecisionsRepository(t.store.db);
      await repo.record(testRecord({ customerId: 'c2', clientId: `old-${label}` }));
      let reads = 0;
      const counting = {
        ...repo,
        findAnswer: (k: 'deposit' | 'withdrawal', id: string) => {
          reads++;
          return repo.findAnswer(k, id);
        },
      };
      const state = createDecisionState(counting, repo, { settings: { loadPage: 2 } });
      assert.equal(await state.store.findAnswer('deposit', 'never'), undefined);
      assert.equal(reads, 1, 'before the load every lookup reads the store');
      assert.ok((await state.load()) >= 1);
      assert.equal(state.ready, true);
      assert.equal(await state.store.findAnswer('deposit', 'never'), undefined);
      assert.equal(reads, 1, 'an id never decided costs no read');
      assert.equal(
        (await state.store.findAnswer('deposit', `old-${label}`))?.requestHash,
        `hash-old-${label}`,
      );
      assert.equal(reads, 2, 'an id decided before the start is read back');
      const fresh = testRecord({ customerId: 'c2', clientId: `new-${label}` });
      assert.deepEqual(await state.store.record(fresh), { ok: true });
      assert.equal(
        (await state.store.findAnswer('deposit', `new-${label}`))?.response,
        fresh.decision.response,
      );
      assert.equal(reads, 3);
      // A repeat that reaches the commit (two requests at once) still gets the first answer.
      const repeat = testRecord({ customerId: 'c2', clientId: `new-${label}` });
      assert.deepEqual(await state.store.record(repeat), {
        ok: false,
        existing: { requestHash: fresh.transfer.requestHash, response: fresh.decision.response },
      });
    });

    test('a transfer committed while its customer is loading is counted once, whichever side saw it', async () => {
      const repo = createDecisionsRepository(t.store.db);
      for (const order of ['commit-then-read', 'read-then-commit'] as const) {
        const customerId = 'c3';
        let release!: () => void;
        const gate = new Promise<void>((r) => {
          release = r;
        });
        const history: DecisionHistory = {
          clientIds: repo.clientIds,
          async recentTransfers(id, from) {
            if (order === 'commit-then-read') {
              await gate;
              return repo.recentTransfers(id, from);
            }
            const rows = await repo.recentTransfers(id, from);
            await gate;
            return rows;
          },
        };
        const state = createDecisionState(repo, history);
        const now = new Date(T0 + 1000);
        const q = { customerId, now, passThroughWindowMs: PASS_THROUGH };
        const before = await repo.aggregates(q);
        const pending = state.store.aggregates(q);
        await new Promise((r) => setTimeout(r, 20));
        await state.store.record(
          testRecord({ customerId, clientId: `race-${order}-${label}`, at: T0, usd: 5 }),
        );
        release();
        await pending;
        const after = await state.store.aggregates(q);
        assert.equal(after.deposits.count24h, before.deposits.count24h + 1, order);
        assert.deepEqual(after, await repo.aggregates(q), order);
      }
    });
  });
}

describe('customer cache', () => {
  test('with a random source, each entry lives a random share of the time to live, at least half', async () => {
    const mem = memoryCustomerStore();
    let reads = 0;
    const inner = {
      ...mem.store,
      async get(id: string) {
        reads++;
        return mem.store.get(id);
      },
    };
    let now = 0;
    const shares = [0, 0.5];
    const cache = cachingCustomerStore(inner, {
      ttlMs: 1000,
      now: () => now,
      random: () => shares.shift() ?? 0.999,
    });
    const c = testCustomer({ id: 'j1' });
    await cache.insert(
      c,
      { requestHash: 'h', idempotencyKey: null },
      { id: 's1', customerId: 'j1', customerVersion: 1, trigger: 'create', screening: c.screening },
    );
    await cache.get('j1'); // cached until 500 (share 0)
    now = 499;
    await cache.get('j1');
    assert.equal(reads, 1);
    now = 500;
    await cache.get('j1'); // read again, cached until 500 + 750 (share 0.5)
    assert.equal(reads, 2);
    now = 1249;
    await cache.get('j1');
    assert.equal(reads, 2);
    now = 1250;
    await cache.get('j1');
    assert.equal(reads, 3);
  });

  test('reads once, forgets on every write, and never keeps what a read raced with a write', async () => {
    const mem = memoryCustomerStore();
    let reads = 0;
    let hold: Promise<void> | undefined;
    const inner = {
      ...mem.store,
      async get(id: string) {
        reads++;
        const c = await mem.store.get(id);
        if (hold) await hold;
        return c;
      },
    };
    let now = 0;
    const cache = cachingCustomerStore(inner, { ttlMs: 1000, now: () => now });
    const c = testCustomer({ id: 'k1' });
    await cache.insert(
      c,
      { requestHash: 'h', idempotencyKey: null },
      {
        id: 's1',
        customerId: 'k1',
        customerVersion: 1,
        trigger: 'create',
        screening: c.screening,
      },
    );
    await cache.get('k1');
    await cache.get('k1');
    assert.equal(reads, 1);
    now = 1001;
    await cache.get('k1');
    assert.equal(reads, 2, 'after the time to live it reads again');

    const high = { ...c.risk, rating: 'high' as const };
    await cache.saveRisk('k1', high);
    assert.equal((await cache.get('k1'))?.risk.rating, 'high');

    // A read that started before a write returns the old customer but does not cache it.
    let release!: () => void;
    hold = new Promise((r) => {
      release = r;
    });
    cache.forget('k1');
    const racing = cache.get('k1');
    await new Promise((r) => setTimeout(r, 5));
    await cache.saveRisk('k1', { ...c.risk, rating: 'prohibited' });
    release();
    hold = undefined;
    assert.equal((await racing)?.risk.rating, 'high');
    assert.equal((await cache.get('k1'))?.risk.rating, 'prohibited');
    await cache.saveRisks([{ customerId: 'k1', risk: { ...c.risk, rating: 'medium' } }]);
    assert.equal((await cache.get('k1'))?.risk.rating, 'medium', 'set-based rating writes forget too');

    // A decision's committed rating replaces the cached one without a read; a read racing it is not kept.
    cache.forget('k1');
    const readsBefore = reads;
    cache.riskCommitted('k1', { ...c.risk, rating: 'low' });
    assert.equal((await cache.get('k1'))?.risk.rating, 'medium', 'not cached: nothing to replace');
    assert.equal(reads, readsBefore + 1);
    cache.riskCommitted('k1', {
      ...c.risk,
      rating: 'high',
      assessedAt: new Date('2026-02-03T04:05:06.007Z'),
    });
    const kept = await cache.get('k1');
    assert.equal(reads, readsBefore + 1, 'no read');
    assert.equal(kept?.risk.rating, 'high');
    assert.equal(kept?.risk.assessedAt.toISOString(), '2026-02-03T04:05:06.007Z');
    now += 2000;
    hold = new Promise((r) => {
      release = r;
    });
    const racing2 = cache.get('k1');
    await new Promise((r) => setTimeout(r, 5));
    cache.riskCommitted('k1', { ...c.risk, rating: 'prohibited' });
    release();
    hold = undefined;
    assert.equal((await racing2)?.risk.rating, 'medium', 'the read returns the store');
    assert.equal(reads, readsBefore + 2);
    await cache.get('k1');
    assert.equal(reads, readsBefore + 3, 'what raced with a committed rating is not cached');
  });
});
