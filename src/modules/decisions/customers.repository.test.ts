import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES, type TestStore } from '../../../test/helpers/stores.js';
import { createCustomersRepository, riskAsStored } from './customers.repository.js';
import { testCustomer } from './testing.js';

for (const { label, open } of STORES) {
  describe(`customers repository on ${label}`, () => {
    let t: TestStore;
    before(async () => {
      t = await open();
    });
    after(async () => {
      await t?.dispose();
    });

    const screeningOf = (id: string, customerId: string, version: number, status: 'clear' | 'match') => ({
      id,
      customerId,
      customerVersion: version,
      trigger: 'create' as const,
      screening: {
        status,
        screenedAt: new Date('2026-01-01T00:00:00Z'),
        versions: { 'ofac-sdn': 'ofac-sdn@1' },
        matches: [],
      },
    });

    test('insert and read back every field; id and idempotency key are unique', async () => {
      const repo = createCustomersRepository(t.store.db);
      const c = testCustomer({
        id: 'c-a',
        names: { primary: 'Sok Dara', aliases: ['ដារ៉ា សុខ'] },
        expectedMonthlyVolumeUsd: 1234.5,
        risk: {
          rating: 'medium',
          reasons: [{ factor: 'kyc', code: 'kyc.unverified', rating: 'medium', detail: 'x' }],
          assessedAt: new Date('2026-01-01T00:00:00Z'),
          signals: { volumeRatio: 1.5 },
        },
      });
      assert.equal(
        await repo.insert(
          c,
          { requestHash: 'h1', idempotencyKey: 'key-a' },
          screeningOf('s1', 'c-a', 1, 'clear'),
        ),
        true,
      );
      assert.deepEqual(await repo.get('c-a'), c);
      assert.deepEqual(await repo.findCreated({ idempotencyKey: 'key-a' }), {
        customer: c,
        requestHash: 'h1',
      });
      assert.equal(await repo.findCreated({}), undefined);
      assert.equal(
        await repo.insert(
          c,
          { requestHash: 'h2', idempotencyKey: null },
          screeningOf('s2', 'c-a', 1, 'clear'),
        ),
        false,
      );
      const other = testCustomer({ id: 'c-b' });
      assert.equal(
        await repo.insert(
          other,
          { requestHash: 'h3', idempotencyKey: 'key-a' },
          screeningOf('s3', 'c-b', 1, 'clear'),
        ),
        false,
      );
      assert.equal(await repo.get('c-b'), undefined, 'nothing half-written');
    });

    test('updates are optimistic on the version; screenings are kept as history', async () => {
      const repo = createCustomersRepository(t.store.db);
      const c = testCustomer({ id: 'c-u' });
      await repo.insert(
        c,
        { requestHash: 'h', idempotencyKey: null },
        screeningOf('s-u1', 'c-u', 1, 'clear'),
      );
      const next = { ...c, kycLevel: 3, version: 2, updatedAt: new Date('2026-02-01T00:00:00Z') };
      assert.equal(await repo.update(next, 1, screeningOf('s-u2', 'c-u', 2, 'clear')), true);
      assert.equal(
        await repo.update({ ...next, version: 3 }, 1, screeningOf('s-u3', 'c-u', 3, 'clear')),
        false,
      );
      assert.equal((await repo.get('c-u'))?.kycLevel, 3);
      const risk = {
        rating: 'high' as const,
        reasons: [],
        assessedAt: new Date('2026-02-02T00:00:00Z'),
        signals: { lookbackAlerts: 1 },
      };
      await repo.saveScreening('c-u', screeningOf('s-u4', 'c-u', 2, 'match'), risk);
      const after = await repo.get('c-u');
      assert.deepEqual([after?.screening.status, after?.risk.rating, after?.version], ['match', 'high', 2]);
      assert.deepEqual((await repo.screenings('c-u', 10)).map((s) => s.id).sort(), ['s-u1', 's-u2', 's-u4']);
      assert.deepEqual(
        (await repo.list({ limit: 10, riskRating: 'high' })).map((x) => x.id),
        ['c-u'],
      );
      assert.deepEqual(
        (await repo.list({ limit: 10, after: 'c-b' })).map((x) => x.id),
        ['c-u'],
      );
    });

    test('pages of names and matched entities (look-back) carry what screening needs, by id', async () => {
      const repo = createCustomersRepository(t.store.db);
      const match = (entityId: string) => ({
        entityId,
        name: 'Listed Name',
        matchedName: 'Listed Name',
        queryName: 'Sok Dara',
        source: 'ofac-sdn',
        versionId: 'ofac-sdn@1',
        score: 0.9,
        decision: 'review' as const,
        programs: ['SDGT'],
      });
      const matched = testCustomer({
        id: 'n-1',
        type: 'organization',
        names: { primary: 'Sok Dara Trading', aliases: ['ដារ៉ា សុខ'] },
        birthDate: null,
        nationality: [],
        residence: 'KH',
        screening: {
          status: 'review',
          screenedAt: new Date('2026-01-01T00:00:00Z'),
          versions: {},
          matches: [match('ofac-sdn:7'), match('ofac-sdn:9')],
        },
      });
      for (const c of [matched, testCustomer({ id: 'n-2' }), testCustomer({ id: 'n-3' })])
        await repo.insert(
          c,
          { requestHash: 'h', idempotencyKey: null },
          screeningOf(`s-${c.id}`, c.id, 1, 'clear'),
        );
      const first = await repo.screeningNames({ after: 'n-', limit: 2 });
      assert.deepEqual(first, [
        {
          id: 'n-1',
          type: 'organization',
          names: { primary: 'Sok Dara Trading', aliases: ['ដារ៉ា សុខ'] },
          birthDate: null,
          nationality: [],
          residence: 'KH',
          matchedEntities: ['ofac-sdn:7', 'ofac-sdn:9'],
        },
        {
          id: 'n-2',
          type: 'person',
          names: { primary: 'Jane Roe', aliases: [] },
          birthDate: '1980-05-01',
          nationality: ['US'],
          residence: 'US',
          matchedEntities: [],
        },
      ]);
      assert.deepEqual(
        (await repo.screeningNames({ after: 'n-2', limit: 2 })).map((c) => c.id),
        ['n-3'],
      );
    });

    test('several customers read and re-rated at once (look-back); unknown ids are skipped', async () => {
      const repo = createCustomersRepository(t.store.db);
      const ids = Array.from({ length: 620 }, (_, i) => `c-many-${String(i).padStart(4, '0')}`);
      for (const id of ids)
        await repo.insert(
          testCustomer({ id }),
          { requestHash: 'h', idempotencyKey: null },
          {
            ...screeningOf(`s-${id}`, id, 1, 'clear'),
          },
        );
      const got = await repo.getMany([...ids, 'c-missing']);
      assert.deepEqual(got.map((c) => c.id).sort(), ids);
      const risk = (n: number) => ({
        rating: 'high' as const,
        reasons: [
          { factor: 'exposure' as const, code: 'exposure.lookback', rating: 'high' as const, detail: `${n}` },
        ],
        assessedAt: new Date('2026-03-01T00:00:00Z'),
        signals: { lookbackAlerts: n },
      });
      await repo.saveRisks([
        ...ids.map((id, i) => ({ customerId: id, risk: risk(i) })),
        { customerId: 'c-missing', risk: risk(0) },
      ]);
      const after = await repo.getMany([ids[0] as string, ids[619] as string]);
      assert.deepEqual(
        after
          .map((c) => [c.id, c.risk.rating, c.risk.signals.lookbackAlerts, c.risk.assessedAt.toISOString()])
          .sort(),
        [
          [ids[0], 'high', 0, '2026-03-01T00:00:00.000Z'],
          [ids[619], 'high', 619, '2026-03-01T00:00:00.000Z'],
        ],
      );
      assert.equal((await repo.get(ids[0] as string))?.names.primary, 'Jane Roe', 'the profile is untouched');
      assert.deepEqual(await repo.getMany([]), []);
    });

    test('a rating as a cache keeps it is what a read returns once it is written, to the byte', async () => {
      const repo = createCustomersRepository(t.store.db);
      await repo.insert(
        testCustomer({ id: 'c-rerated' }),
        { requestHash: 'h', idempotencyKey: null },
        screeningOf('s-rerated', 'c-rerated', 1, 'clear'),
      );
      // Keys in an order jsonb does not keep (it sorts them by length, then bytes).
      const risk = {
        rating: 'high' as const,
        reasons: [
          { factor: 'behaviour' as const, rating: 'high' as const, detail: 'd', code: 'volume.over' },
        ],
        assessedAt: new Date('2026-03-01T12:34:56.789Z'),
        signals: {
          worstDecision: { decisionId: 'dec_1', action: 'hold', at: '2026-03-01T12:34:56.789Z' },
          volumeRatio: 2.5,
        },
      };
      await repo.saveRisks([{ customerId: 'c-rerated', risk }]);
      const read = (await repo.get('c-rerated'))?.risk;
      assert.deepEqual(riskAsStored(risk), read);
      assert.equal(JSON.stringify(riskAsStored(risk)), JSON.stringify(read));
      assert.notEqual(JSON.stringify(risk), JSON.stringify(read), 'the store reorders the keys');
    });
  });
}
