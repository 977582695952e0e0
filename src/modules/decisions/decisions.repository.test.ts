import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { STORES, type TestStore } from '../../../test/helpers/stores.js';
import { createCustomersRepository } from './customers.repository.js';
import { createDecisionsRepository, insertAlert } from './decisions.repository.js';
import { decidedRecords, testCustomer, testRecord } from './testing.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;

const record = testRecord;

for (const { label, open } of STORES) {
  describe(`decisions repository on ${label}`, () => {
    let t: TestStore;
    before(async () => {
      t = await open();
    });
    after(async () => {
      await t?.dispose();
    });

    test('a decision is written with its transfer and read back, its response byte for byte', async () => {
      const repo = createDecisionsRepository(t.store.db);
      const r = record({ clientId: 'dep-A', withAlert: true });
      assert.deepEqual(await repo.record(r), { ok: true });
      assert.deepEqual(await repo.findAnswer('deposit', 'dep-A'), {
        requestHash: 'hash-dep-A',
        response: r.decision.response,
      });
      assert.equal(await repo.findAnswer('withdrawal', 'dep-A'), undefined);
      const d = await repo.getDecision(r.decision.id);
      assert.equal(d?.transferId, r.transfer.id);
      assert.deepEqual(d?.inputs, r.decision.inputs);
      assert.deepEqual(d?.decidedAt, r.decision.decidedAt);
      const row = await t.store.db
        .selectFrom('transfers')
        .select(['amount_base'])
        .where('id', '=', r.transfer.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.amount_base, r.transfer.amountBase.toString(), 'amounts stay exact');
      const alerts = await repo.listAlerts({ limit: 10, customerId: 'c1' });
      assert.deepEqual(
        alerts.map((a) => [a.id, a.kind, a.decisionId]),
        [[r.alert?.id, 'decision', r.decision.id]],
      );
      const shadows = await t.store.db.selectFrom('shadow_results').selectAll().execute();
      assert.deepEqual(
        shadows.map((s) => [s.would_action, s.actual_action]),
        [['hold', 'allow']],
      );
    });

    test('decisions stored in the compact form read back byte for byte as rows of the old full form', async () => {
      const repo = createDecisionsRepository(t.store.db);
      const records = await decidedRecords();
      for (const r of records) {
        // The new form, through the one-statement write…
        assert.deepEqual(await repo.record(r), { ok: true });
        // …and the same decision as the code before migration 0005 wrote it, under other ids.
        const d = r.decision;
        const old = {
          ...r,
          transfer: { ...r.transfer, id: `old_${r.transfer.id}`, clientId: `old-${r.transfer.clientId}` },
        };
        await t.store.db
          .insertInto('transfers')
          .values({
            id: old.transfer.id,
            kind: old.transfer.kind,
            client_id: old.transfer.clientId,
            request_hash: old.transfer.requestHash,
            customer_id: old.transfer.customerId,
            chain: old.transfer.chain,
            asset: old.transfer.asset,
            amount_base: old.transfer.amountBase.toString(),
            decimals: old.transfer.decimals,
            amount_usd: old.transfer.amountUsd,
            price_usd: old.transfer.priceUsd,
            near_threshold: old.transfer.nearThreshold,
            counterparties: JSON.stringify(old.transfer.counterparties),
            own_address: null,
            tx: old.transfer.tx,
            action: d.action,
            received_at: old.transfer.receivedAt,
          })
          .execute();
        await t.store.db
          .insertInto('decisions')
          .values({
            id: `old_${d.id}`,
            transfer_id: old.transfer.id,
            kind: old.transfer.kind,
            client_id: old.transfer.clientId,
            customer_id: old.transfer.customerId,
            action: d.action,
            risk_score: d.riskScore,
            reasons: JSON.stringify(d.reasons),
            policies: JSON.stringify(d.policies),
            list_versions: JSON.stringify(d.listVersions),
            inputs: JSON.stringify(d.inputs),
            response: d.response,
            decided_at: d.decidedAt,
          })
          .execute();
        const now = await repo.getDecision(d.id);
        const before = await repo.getDecision(`old_${d.id}`);
        assert.ok(now && before);
        assert.deepEqual(now.inputs, JSON.parse(JSON.stringify(d.inputs)), r.transfer.clientId);
        assert.equal(JSON.stringify(now.inputs), JSON.stringify(before.inputs), r.transfer.clientId);
        assert.equal(JSON.stringify(now.response), JSON.stringify(before.response));
        assert.equal((await repo.findAnswer(r.transfer.kind, r.transfer.clientId))?.response, d.response);
      }
      const sizes = await sql<{ compact: string; full: string }>`
        select sum(octet_length(inputs::text)) filter (where id like 'dec_%') as compact,
          sum(octet_length(inputs::text)) filter (where id like 'old_%') as full
        from decisions where id like 'dec\_0%' or id like 'old\_dec\_0%'`.execute(t.store.db);
      const { compact, full } = sizes.rows[0] ?? { compact: '0', full: '0' };
      assert.ok(Number(compact) < Number(full) * 0.8, `${compact} against ${full} bytes`);
    });

    test('the same client id again returns the first answer and writes nothing; the other kind is free', async () => {
      const repo = createDecisionsRepository(t.store.db);
      const first = record({ clientId: 'dep-B' });
      await repo.record(first);
      const second = record({ clientId: 'dep-B' });
      assert.deepEqual(await repo.record(second), {
        ok: false,
        existing: { requestHash: 'hash-dep-B', response: first.decision.response },
      });
      assert.equal(await repo.getDecision(second.decision.id), undefined);
      assert.equal(await repo.getDecision(second.transfer.id), undefined);
      assert.deepEqual(await repo.record(record({ clientId: 'dep-B', kind: 'withdrawal' })), { ok: true });
    });

    test('concurrent decisions commit as one statement: every row, the last rating of a customer wins', async () => {
      const customers = createCustomersRepository(t.store.db);
      const c = testCustomer({ id: 'batched' });
      await customers.insert(
        c,
        { requestHash: 'h-batched', idempotencyKey: null },
        { id: 'scr_b', customerId: c.id, customerVersion: 1, trigger: 'create', screening: c.screening },
      );
      const fallbacks: unknown[] = [];
      const repo = createDecisionsRepository(t.store.db, { onBatchFallback: (e) => fallbacks.push(e) });
      const rs = Array.from({ length: 12 }, (_, i) =>
        record({ clientId: `batch-${i}`, customerId: 'batched', withAlert: i % 2 === 0, action: 'hold' }),
      );
      rs.forEach((r, i) => {
        r.transfer.counterparties = [
          { address: `A${i}`, key: `tron:A${i}` },
          { address: `B${i}`, key: `tron:B${i}` },
        ];
        r.customerRisk = {
          customerId: 'batched',
          risk: { rating: 'medium', reasons: [], assessedAt: new Date(T0 + i), signals: { volumeRatio: i } },
        };
      });
      const results = await Promise.all(rs.map((r) => repo.record(r)));
      assert.deepEqual(fallbacks, []);
      assert.ok(results.every((x) => x.ok));
      for (const r of rs) {
        const d = await repo.getDecision(r.decision.id);
        assert.deepEqual(d?.inputs, r.decision.inputs);
        assert.equal(
          (await repo.findAnswer('deposit', r.transfer.clientId))?.response,
          r.decision.response,
          'the response byte for byte',
        );
      }
      const ids = rs.map((r) => r.transfer.id);
      const row = await t.store.db
        .selectFrom('transfers')
        .select(['amount_base', 'received_at', 'counterparties', 'near_threshold', 'amount_usd'])
        .where('id', '=', ids[3] as string)
        .executeTakeFirstOrThrow();
      assert.equal(row.amount_base, rs[3]?.transfer.amountBase.toString());
      assert.deepEqual(new Date(row.received_at), rs[3]?.transfer.receivedAt);
      assert.deepEqual(row.counterparties, rs[3]?.transfer.counterparties);
      assert.equal(Number(row.amount_usd), 100);
      const addresses = await t.store.db
        .selectFrom('transfer_addresses')
        .select(({ fn }) => fn.countAll<string>().as('n'))
        .where('transfer_id', 'in', ids)
        .executeTakeFirstOrThrow();
      assert.equal(Number(addresses.n), 24);
      const shadows = await t.store.db
        .selectFrom('shadow_results')
        .select(({ fn }) => fn.countAll<string>().as('n'))
        .where(
          'decision_id',
          'in',
          rs.map((r) => r.decision.id),
        )
        .executeTakeFirstOrThrow();
      assert.equal(Number(shadows.n), 12);
      const alerts = await repo.listAlerts({ limit: 50, customerId: 'batched' });
      assert.equal(alerts.length, 6);
      assert.deepEqual(alerts[0]?.evidence, { rules: ['x'] });
      const after = await customers.get('batched');
      assert.equal(after?.risk.rating, 'medium');
      assert.equal(after?.risk.signals.volumeRatio, 11, 'the last decision of the batch sets the rating');
    });

    test('a backlog is written in capped batches, in order: every decision once, the last rating wins', async () => {
      const customers = createCustomersRepository(t.store.db);
      const c = testCustomer({ id: 'capped' });
      await customers.insert(
        c,
        { requestHash: 'h-capped', idempotencyKey: null },
        { id: 'scr_c', customerId: c.id, customerVersion: 1, trigger: 'create', screening: c.screening },
      );
      for (const cap of [
        { maxBatch: 5, batchTargetMs: 0, most: 5 },
        // A target no batch can meet: the batch is held to the smallest size the target may ask for.
        { maxBatch: 200, batchTargetMs: 1e-9, most: 8 },
      ]) {
        const sizes: number[] = [];
        const repo = createDecisionsRepository(t.store.db, {
          ...cap,
          onBatchWritten: (b) => sizes.push(b.size),
        });
        const rs = Array.from({ length: 40 }, (_, i) =>
          record({ clientId: `cap-${cap.most}-${i}`, customerId: 'capped' }),
        );
        rs.forEach((r, i) => {
          r.customerRisk = {
            customerId: 'capped',
            risk: { rating: 'low', reasons: [], assessedAt: new Date(T0 + i), signals: { volumeRatio: i } },
          };
        });
        const results = await Promise.all(rs.map((r) => repo.record(r)));
        assert.ok(results.every((x) => x.ok));
        assert.equal(
          sizes.reduce((a, b) => a + b, 0),
          40,
          'every decision in exactly one batch',
        );
        assert.ok(Math.max(...sizes) <= cap.most, `batches of ${sizes.join(', ')}, at most ${cap.most}`);
        assert.ok(sizes.length >= Math.ceil(40 / cap.most));
        for (const r of rs)
          assert.equal(
            (await repo.findAnswer('deposit', r.transfer.clientId))?.response,
            r.decision.response,
          );
        const after = await customers.get('capped');
        assert.equal(after?.risk.signals.volumeRatio, 39, 'the last decision queued sets the rating');
      }
    });

    test('a repeat racing its first request in one batch: the batch falls back, nothing lost or doubled', async () => {
      const fallbacks: unknown[] = [];
      const repo = createDecisionsRepository(t.store.db, { onBatchFallback: (e) => fallbacks.push(e) });
      const first = record({ clientId: 'race-1' });
      const other = record({ clientId: 'race-2', withAlert: true });
      const repeat = record({ clientId: 'race-1' });
      const [a, b, c] = await Promise.all([repo.record(first), repo.record(other), repo.record(repeat)]);
      assert.deepEqual(a, { ok: true });
      assert.deepEqual(b, { ok: true });
      assert.deepEqual(c, {
        ok: false,
        existing: { requestHash: 'hash-race-1', response: first.decision.response },
      });
      assert.equal(fallbacks.length, 1, 'the unique key stopped the one-statement batch');
      assert.equal(await repo.getDecision(repeat.decision.id), undefined);
      assert.equal((await repo.getDecision(other.decision.id))?.id, other.decision.id);
      assert.equal(
        (await repo.listAlerts({ limit: 10, customerId: 'c1' })).some((x) => x.id === other.alert?.id),
        true,
      );
    });

    test('batches sent behind one that fails commit after its fallback, in order: the last rating wins', async () => {
      const customers = createCustomersRepository(t.store.db);
      const c = testCustomer({ id: 'piped' });
      await customers.insert(
        c,
        { requestHash: 'h-piped', idempotencyKey: null },
        { id: 'scr_p', customerId: c.id, customerVersion: 1, trigger: 'create', screening: c.screening },
      );
      const fallbacks: unknown[] = [];
      const sizes: number[] = [];
      const repo = createDecisionsRepository(t.store.db, {
        maxBatch: 3,
        batchTargetMs: 0,
        inFlight: 3,
        onBatchFallback: (e) => fallbacks.push(e),
        onBatchWritten: (b) => sizes.push(b.size),
      });
      // The first batch holds a repeat racing its first request, so the unique key stops it; the two
      // batches behind it are sent before its answer comes back.
      const rs = [
        record({ clientId: 'pipe-1', customerId: 'piped' }),
        record({ clientId: 'pipe-2', customerId: 'piped' }),
        record({ clientId: 'pipe-1', customerId: 'piped' }),
        ...Array.from({ length: 6 }, (_, i) => record({ clientId: `pipe-${i + 3}`, customerId: 'piped' })),
      ];
      rs.forEach((r, i) => {
        r.customerRisk = {
          customerId: 'piped',
          risk: { rating: 'low', reasons: [], assessedAt: new Date(T0 + i), signals: { volumeRatio: i } },
        };
      });
      const results = await Promise.all(rs.map((r) => repo.record(r)));
      assert.equal(fallbacks.length, 1, 'only the failed batch went the conflict-aware way');
      assert.deepEqual(sizes, [3, 3], 'the batches behind it were held back and sent again, whole');
      assert.deepEqual(results[2], {
        ok: false,
        existing: { requestHash: 'hash-pipe-1', response: rs[0]?.decision.response },
      });
      for (const [i, r] of rs.entries()) {
        if (i === 2) continue;
        assert.deepEqual(results[i], { ok: true });
        assert.equal((await repo.findAnswer('deposit', r.transfer.clientId))?.response, r.decision.response);
      }
      assert.equal(await repo.getDecision(rs[2]?.decision.id as string), undefined);
      const after = await customers.get('piped');
      assert.equal(after?.risk.signals.volumeRatio, 8, 'the last decision sets the rating, not the fallback');
    });

    test('answers holding the separator of the batch text, or nothing, read back byte for byte', async () => {
      const repo = createDecisionsRepository(t.store.db);
      const rs = [
        record({ clientId: 'sep-1' }),
        record({ clientId: 'sep-2' }),
        record({ clientId: 'sep-3' }),
        record({ clientId: 'sep-4' }),
      ];
      const texts = ['{"a":"x\u001ey \\ \\" \u001e"}', '', '\u001e', '{"q":"\\"\\\\ ✓ \\u001e"}'];
      rs.forEach((r, i) => {
        r.decision.response = texts[i] as string;
      });
      const results = await Promise.all(rs.map((r) => repo.record(r)));
      assert.ok(results.every((x) => x.ok));
      for (const [i, r] of rs.entries())
        assert.equal((await repo.findAnswer('deposit', r.transfer.clientId))?.response, texts[i]);
    });

    test('decisions are immutable in the store itself', async () => {
      const repo = createDecisionsRepository(t.store.db);
      const r = record({});
      await repo.record(r);
      await assert.rejects(
        sql`update decisions set action = 'allow' where id = ${r.decision.id}`.execute(t.store.db),
        /immutable/,
      );
      await assert.rejects(
        sql`delete from decisions where id = ${r.decision.id}`.execute(t.store.db),
        /immutable/,
      );
    });

    test('aggregates count non-refused transfers per window and kind', async () => {
      const repo = createDecisionsRepository(t.store.db);
      const c = 'agg';
      const put = (o: Parameters<typeof record>[0]) => repo.record(record({ customerId: c, ...o }));
      await put({ usd: 9500, at: T0 - 1 * HOUR, near: true });
      await put({ usd: 1000, at: T0 - 30 * HOUR });
      await put({ usd: 2000, at: T0 - 6 * 24 * HOUR, near: true });
      await put({ usd: 4000, at: T0 - 20 * 24 * HOUR });
      await put({ usd: 8000, at: T0 - 40 * 24 * HOUR });
      await put({ usd: 50_000, at: T0 - 2 * HOUR, action: 'block' });
      await put({ usd: null, at: T0 - 2 * HOUR });
      await put({ usd: 700, at: T0 - 3 * HOUR, kind: 'withdrawal' });
      await put({ usd: 5, at: T0 + HOUR });
      await repo.record(record({ customerId: 'someone-else', usd: 1, at: T0 - HOUR }));
      const a = await repo.aggregates({ customerId: c, now: new Date(T0), passThroughWindowMs: 12 * HOUR });
      assert.deepEqual(a, {
        deposits: { count24h: 2, sumUsd24h: 9500, count7d: 4, sumUsd7d: 12_500, sumUsd30d: 16_500 },
        withdrawals: { count24h: 1, sumUsd24h: 700, count7d: 1, sumUsd7d: 700, sumUsd30d: 700 },
        nearThreshold24h: 1,
        nearThreshold7d: 2,
        passThroughDepositsUsd: 9500,
        passThroughWithdrawalsUsd: 700,
      });
    });

    test('a decision updates the customer rating in the same transaction; alerts de-duplicate', async () => {
      const customers = createCustomersRepository(t.store.db);
      const c = testCustomer({ id: 'risky' });
      await customers.insert(
        c,
        { requestHash: 'h', idempotencyKey: null },
        {
          id: 'scr_1',
          customerId: c.id,
          customerVersion: 1,
          trigger: 'create',
          screening: c.screening,
        },
      );
      const repo = createDecisionsRepository(t.store.db);
      const r = record({ customerId: 'risky', action: 'block' });
      r.customerRisk = {
        customerId: 'risky',
        risk: {
          rating: 'high',
          reasons: [{ factor: 'exposure', code: 'exposure.block', rating: 'high', detail: 'refused' }],
          assessedAt: new Date(T0),
          signals: {
            worstDecision: { action: 'block', decisionId: r.decision.id, at: new Date(T0).toISOString() },
          },
        },
      };
      await repo.record(r);
      const after = await customers.get('risky');
      assert.equal(after?.risk.rating, 'high');
      assert.equal(after?.risk.signals.worstDecision?.decisionId, r.decision.id);
      assert.equal(after?.version, 1, 'a rating change is not a profile change');

      const alert = {
        id: 'alr_x',
        kind: 'lookback.transfer' as const,
        customerId: 'risky',
        transferId: r.transfer.id,
        decisionId: null,
        reason: 'newly linked',
        evidence: {},
        status: 'open' as const,
        createdAt: new Date(T0),
        dedupKey: 'lookback:x',
      };
      assert.equal(await insertAlert(t.store.db, alert), true);
      assert.equal(await insertAlert(t.store.db, { ...alert, id: 'alr_y' }), false);
      const page = await repo.listAlerts({ limit: 10, kind: 'lookback.transfer' });
      assert.deepEqual(
        page.map((a) => a.id),
        ['alr_x'],
      );
      const decisions = await repo.listDecisions({ customerId: 'risky', limit: 10 });
      assert.deepEqual(
        decisions.map((d) => d.id),
        [r.decision.id],
      );
    });
  });
}
