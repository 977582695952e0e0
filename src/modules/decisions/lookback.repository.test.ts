import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES, type TestStore } from '../../../test/helpers/stores.js';
import { createDecisionsRepository } from './decisions.repository.js';
import { createLookbackRepository } from './lookback.repository.js';
import type { LookbackJob, PastTransferPage } from './lookback.service.js';

const job = (id: string, triggerId: string, createdAt: string): LookbackJob => ({
  id,
  triggerId,
  source: 'attributions',
  fromVersion: null,
  toVersion: 'attributions@2',
  since: null,
  status: 'pending',
  phase: 'addresses',
  cursor: null,
  progress: {
    addressesTotal: 0,
    addressesDone: 0,
    transfersLinked: 0,
    customersScreened: 0,
    customersLinked: 0,
    alertsOpened: 0,
  },
  error: null,
  createdAt: new Date(createdAt),
  updatedAt: new Date(createdAt),
  finishedAt: null,
});

for (const { label, open } of STORES) {
  describe(`look-back repository on ${label}`, () => {
    let t: TestStore;
    before(async () => {
      t = await open();
    });
    after(async () => {
      await t?.dispose();
    });

    test('list changes without a job are found once; a job per trigger; progress round-trips', async () => {
      const db = t.store.db;
      for (const [id, at] of [
        ['evt_a', '2026-01-01T00:00:00Z'],
        ['evt_b', '2026-01-02T00:00:00Z'],
      ] as const)
        await db
          .insertInto('list_events')
          .values({
            id,
            type: 'list.changed',
            source: 'attributions',
            from_version: null,
            to_version: `attributions@${id}`,
            summary: '{}',
            created_at: at,
            published_at: null,
          })
          .execute();
      const repo = createLookbackRepository(db);
      assert.deepEqual(
        (await repo.changesWithoutJob(10)).map((c) => [c.id, c.toVersion]),
        [
          ['evt_a', 'attributions@evt_a'],
          ['evt_b', 'attributions@evt_b'],
        ],
      );
      const a = await repo.createJob(job('lbk_1', 'evt_a', '2026-01-03T00:00:00Z'));
      const again = await repo.createJob(job('lbk_2', 'evt_a', '2026-01-04T00:00:00Z'));
      assert.equal(again.id, a.id, 'one job per trigger');
      assert.deepEqual(
        (await repo.changesWithoutJob(10)).map((c) => c.id),
        ['evt_b'],
      );
      const saved = {
        ...a,
        status: 'running' as const,
        cursor: 'tron:Tx',
        progress: { ...a.progress, addressesDone: 3 },
        updatedAt: new Date('2026-01-05T00:00:00Z'),
      };
      await repo.saveJob(saved);
      assert.deepEqual(await repo.getJob('lbk_1'), saved);
      assert.deepEqual(
        (await repo.unfinishedJobs(10)).map((j) => j.id),
        ['lbk_1'],
      );
      await repo.saveJob({
        ...saved,
        status: 'done',
        phase: 'done',
        finishedAt: new Date('2026-01-06T00:00:00Z'),
      });
      assert.deepEqual(await repo.unfinishedJobs(10), []);
      assert.deepEqual(
        (await repo.listJobs(10)).map((j) => j.status),
        ['done'],
      );
    });

    test('past transfers are found by counterparty key and date; alerts are opened once', async () => {
      const decisions = createDecisionsRepository(t.store.db);
      for (const [i, keys, at] of [
        [1, ['tron:TA'], '2024-01-01T00:00:00Z'],
        [2, ['tron:TA'], '2025-06-01T00:00:00Z'],
        [3, ['tron:TB'], '2025-06-01T00:00:00Z'],
        // received at the same moment as trf_2, with two counterparties
        [4, ['tron:TC', 'tron:TA'], '2025-06-01T00:00:00Z'],
      ] as const) {
        await decisions.record({
          transfer: {
            id: `trf_${i}`,
            kind: 'deposit',
            clientId: `c${i}`,
            requestHash: 'h',
            customerId: 'cust',
            chain: 'tron',
            asset: 'USDT',
            amountBase: 1n,
            decimals: 6,
            amountUsd: 1,
            priceUsd: null,
            nearThreshold: false,
            counterparties: keys.map((key) => ({ address: key.slice(5), key })),
            ownAddress: null,
            tx: null,
            receivedAt: new Date(at),
          },
          decision: {
            id: `dec_${i}`,
            action: 'allow',
            riskScore: 0,
            reasons: [],
            policies: [],
            listVersions: {},
            inputs: {},
            response: '{}',
            decidedAt: new Date(at),
          },
          shadow: [],
          alert: null,
          customerRisk: null,
        });
      }
      const repo = createLookbackRepository(t.store.db);
      assert.deepEqual(await repo.touchedAddresses(['tron:TZ', 'tron:TB', 'tron:TA'], null), [
        'tron:TA',
        'tron:TB',
      ]);
      assert.deepEqual(
        await repo.touchedAddresses(['tron:TA', 'tron:TB'], new Date('2025-07-01T00:00:00Z')),
        [],
      );
      assert.deepEqual(await repo.touchedAddresses([], null), []);
      const all = await repo.transfersTouching('tron:TA', null, { after: null, limit: 10 });
      assert.deepEqual(
        all.transfers.map((p) => [p.transferId, p.decisionId, p.address, p.addressKeys]),
        [
          ['trf_1', 'dec_1', 'TA', ['tron:TA']],
          ['trf_2', 'dec_2', 'TA', ['tron:TA']],
          ['trf_4', 'dec_4', 'TA', ['tron:TA', 'tron:TC']],
        ],
      );
      assert.equal(all.next, null);
      // Pages of one: each position leads to the next transfer (ties in time by id), then to the end.
      const seen: string[] = [];
      let position: string | null = null;
      for (let n = 0; n < 5; n++) {
        const page: PastTransferPage = await repo.transfersTouching('tron:TA', null, {
          after: position,
          limit: 1,
        });
        seen.push(...page.transfers.map((p) => p.transferId));
        position = page.next;
        if (position === null) break;
      }
      assert.deepEqual(seen, ['trf_1', 'trf_2', 'trf_4']);
      assert.equal(position, null);
      assert.deepEqual(
        (
          await repo.transfersTouching('tron:TA', new Date('2025-01-01T00:00:00Z'), {
            after: null,
            limit: 10,
          })
        ).transfers.map((p) => p.transferId),
        ['trf_2', 'trf_4'],
      );
      assert.deepEqual(await repo.transfersTouching('tron:TZ', null, { after: null, limit: 10 }), {
        transfers: [],
        next: null,
      });
      await assert.rejects(
        repo.transfersTouching('tron:TA', null, { after: 'garbage', limit: 1 }),
        /bad transfer position/,
      );
      const alert = {
        id: 'alr_1',
        kind: 'lookback.transfer' as const,
        customerId: 'cust',
        transferId: 'trf_2',
        decisionId: 'dec_2',
        reason: 'linked',
        evidence: { entityId: 'x' },
        status: 'open' as const,
        createdAt: new Date('2026-01-01T00:00:00Z'),
        dedupKey: 'lookback:v2:trf_2',
      };
      assert.deepEqual(
        (await repo.insertAlerts([alert, { ...alert, id: 'alr_dup' }])).map((a) => a.id),
        ['alr_1'],
      );
      assert.deepEqual(await repo.insertAlerts([{ ...alert, id: 'alr_again' }]), []);
      // More than one statement's worth, some already open: only the new ones come back, in order.
      const many = Array.from({ length: 1203 }, (_, i) => ({
        ...alert,
        id: `alr_m${i}`,
        dedupKey: i % 400 === 0 ? 'lookback:v2:trf_2' : `lookback:v2:m${i}`,
      }));
      const opened = await repo.insertAlerts(many);
      assert.equal(opened.length, 1203 - 4);
      assert.deepEqual(
        opened.slice(0, 2).map((a) => a.id),
        ['alr_m1', 'alr_m2'],
      );
      assert.deepEqual(await repo.insertAlerts(many), []);
    });
  });
}
