import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { STORES, type TestStore } from '../../../test/helpers/stores.js';
import { createFixedClock } from '../../shared/clock.js';
import { CordonError } from '../../shared/errors.js';
import { contextToJson } from './context.js';
import { createDecisionsRepository } from './decisions.repository.js';
import { readPackFiles } from './pack-files.repository.js';
import { createPoliciesRepository } from './policies.repository.js';
import { createPolicyService } from './policies.service.js';
import { testContext } from './testing.js';

const SHIPPED = readPackFiles();

for (const { label, open } of STORES) {
  describe(`policies repository and service on ${label}`, () => {
    let t: TestStore;
    before(async () => {
      t = await open();
    });
    after(async () => {
      await t?.dispose();
    });

    test('the shipped packs are seeded once as version 1, published; a changed shipped pack becomes a draft', async () => {
      const service = createPolicyService({
        store: createPoliciesRepository(t.store.db),
        clock: createFixedClock(0),
      });
      const first = await service.ensureBuiltinPacks(SHIPPED);
      assert.deepEqual(first, { published: ['eu@1', 'global@1', 'uk@1', 'us@1'], drafted: [] });
      assert.deepEqual(await service.ensureBuiltinPacks(SHIPPED), { published: [], drafted: [] });
      const us = SHIPPED.find((p) => p.id === 'us');
      assert.ok(us);
      const changed = { ...us, params: { ...us.params, huioneIndirectShare: 0.02 } };
      assert.deepEqual(await service.ensureBuiltinPacks([changed]), { published: [], drafted: ['us@2'] });
      const list = await service.list();
      assert.deepEqual(
        list.map((p) => [p.id, p.jurisdiction, p.published, p.drafts]),
        [
          ['eu', 'EU', 1, []],
          ['global', '*', 1, []],
          ['uk', 'GB', 1, []],
          ['us', 'US', 1, [2]],
        ],
      );
      const packs = await service.packsFor('US');
      assert.deepEqual(packs.active.map((p) => `${p.id}@${p.version}`).sort(), ['global@1', 'us@1']);
      assert.deepEqual(packs.shadow, []);
    });

    test('draft → shadow → publish; published versions are immutable, in the service and in the store', async () => {
      const clock = createFixedClock(1_000);
      const service = createPolicyService({
        store: createPoliciesRepository(t.store.db),
        clock,
        refreshMs: 0,
      });
      const us = SHIPPED.find((p) => p.id === 'us');
      assert.ok(us);
      const draft = await service.createDraft(
        { ...us, name: 'United States (stricter)' },
        'key_mlro',
        'tighter',
      );
      assert.deepEqual(
        [draft.packId, draft.version, draft.status, draft.createdBy],
        ['us', 3, 'draft', 'key_mlro'],
      );

      await service.setShadow('us', 3, true);
      const shadowing = await service.packsFor('US');
      assert.deepEqual(
        shadowing.shadow.map((p) => `${p.id}@${p.version}`),
        ['us@3'],
      );
      assert.deepEqual((await service.packsFor('GB')).shadow, [], 'a US draft does not shadow UK traffic');

      const published = await service.publish('us', 3, 'key_mlro');
      assert.equal(published.status, 'published');
      assert.equal(published.shadow, false);
      assert.deepEqual((await service.packsFor('US')).active.map((p) => `${p.id}@${p.version}`).sort(), [
        'global@1',
        'us@3',
      ]);

      await assert.rejects(
        service.publish('us', 3, null),
        (e: unknown) => e instanceof CordonError && e.kind === 'conflict',
      );
      await assert.rejects(
        service.publish('us', 2, null),
        (e: unknown) => e instanceof CordonError && e.code === 'policies.superseded',
      );
      await assert.rejects(
        service.setShadow('us', 3, true),
        (e: unknown) => e instanceof CordonError && e.code === 'policies.not_a_draft',
      );
      await assert.rejects(
        sql`update policy_versions set definition = '{}'::jsonb where pack_id = 'us' and version = 3`.execute(
          t.store.db,
        ),
        /immutable/,
      );
      await assert.rejects(
        sql`delete from policy_versions where pack_id = 'us' and version = 1`.execute(t.store.db),
        /immutable/,
      );
      await assert.rejects(
        service.get('us', 99),
        (e: unknown) => e instanceof CordonError && e.kind === 'not_found',
      );
    });

    test('a bad draft is refused naming the rule and the position; nothing is stored', async () => {
      const service = createPolicyService({
        store: createPoliciesRepository(t.store.db),
        clock: createFixedClock(0),
      });
      const us = SHIPPED.find((p) => p.id === 'us');
      assert.ok(us);
      const bad = {
        ...us,
        rules: [...us.rules, { ...us.rules[0], id: 'us.broken', expression: 'transfer.amountUsd >' }],
      };
      await assert.rejects(service.createDraft(bad, null), (e: unknown) => {
        assert.ok(e instanceof CordonError);
        assert.equal(e.kind, 'invalid');
        assert.equal(e.details.ruleId, 'us.broken');
        assert.equal(e.details.field, `rules[${us.rules.length}].expression`);
        assert.match(e.message, /rule us\.broken\) at line 1, column 21: syntax error/);
        return true;
      });
      await assert.rejects(
        service.createDraft({ ...us, jurisdiction: 'GB' }, null),
        (e: unknown) => e instanceof CordonError && e.code === 'policies.jurisdiction_changed',
      );
      assert.deepEqual(
        (await service.versions('us')).map((v) => v.version),
        [1, 2, 3],
      );
    });

    test('shadow results are summarised; a test replays a draft over recorded decisions', async () => {
      const service = createPolicyService({
        store: createPoliciesRepository(t.store.db),
        clock: createFixedClock(0),
      });
      const decisions = createDecisionsRepository(t.store.db);
      const at = new Date('2026-01-01T00:00:00Z');
      for (const [i, usd] of [50, 5000].entries()) {
        const context = contextToJson(testContext({ transfer: { amountUsd: usd } }));
        await decisions.record({
          transfer: {
            id: `trf_p${i}`,
            kind: 'deposit',
            clientId: `p${i}`,
            requestHash: 'h',
            customerId: 'c1',
            chain: 'tron',
            asset: 'USDT',
            amountBase: 1n,
            decimals: 6,
            amountUsd: usd,
            priceUsd: '1',
            nearThreshold: false,
            counterparties: [{ address: 'a', key: `tron:a${i}` }],
            ownAddress: null,
            tx: null,
            receivedAt: at,
          },
          decision: {
            id: `dec_p${i}`,
            action: 'allow',
            riskScore: 0,
            reasons: [],
            policies: [],
            listVersions: {},
            inputs: { context },
            response: '{}',
            decidedAt: at,
          },
          shadow: [
            {
              id: `shd_p${i}`,
              packId: 'us',
              version: 2,
              wouldAction: i === 0 ? 'allow' : 'hold',
              reasons: [],
            },
          ],
          alert: null,
          customerRisk: null,
        });
      }
      const shadow = await service.shadowResults('us', 2, {});
      assert.deepEqual(shadow.summary, [
        { wouldAction: 'allow', actualAction: 'allow', count: 1 },
        { wouldAction: 'hold', actualAction: 'allow', count: 1 },
      ]);
      assert.deepEqual(
        shadow.results.map((r) => r.decisionId),
        ['dec_p0', 'dec_p1'],
      );

      const us = SHIPPED.find((p) => p.id === 'us');
      assert.ok(us);
      const draft = await service.createDraft(
        {
          ...us,
          params: { ...us.params, reviewAboveUsd: 1000 },
          rules: [
            ...us.rules,
            {
              id: 'us.large',
              description: 'large',
              reason: 'a test rule for replay',
              expression: 'transfer.amountUsd > params.reviewAboveUsd',
              severity: 'low',
              action: 'review',
            },
          ],
        },
        null,
      );
      const report = await service.test('us', draft.version, 10);
      assert.equal(report.evaluated, 2);
      assert.equal(report.changed, 1);
      assert.deepEqual(
        report.results.map((r) => [r.decisionId, r.actualAction, r.wouldAction, r.rules]),
        [
          ['dec_p1', 'allow', 'review', ['us.large']],
          ['dec_p0', 'allow', 'allow', []],
        ],
      );
    });
  });
}
