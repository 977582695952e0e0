import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../../platform/http/app.js';
import { createMetrics } from '../../platform/metrics.js';
import { createFixedClock } from '../../shared/clock.js';
import type { Principal } from '../../shared/roles.js';
import { DEFAULT_RISK_SETTINGS } from './customer.js';
import { decisionsRoutes } from './decisions.routes.js';
import { createDecisionService } from './decisions.service.js';
import { readPackFiles } from './pack-files.repository.js';
import { compilePack } from './policy.js';
import {
  fakeAddressScreener,
  fakeExposure,
  memoryCustomers,
  memoryDecisionStore,
  staticPolicies,
  TRON,
  testCustomer,
} from './testing.js';

const KEYS: Record<string, Principal> = {
  svc: { keyId: 'key_svc', name: 'platform', role: 'service' },
  analyst: { keyId: 'key_an', name: 'analyst', role: 'analyst' },
};

describe('decision routes', () => {
  let app: App;
  const store = memoryDecisionStore();
  before(async () => {
    let seq = 0;
    const service = createDecisionService({
      store,
      customers: memoryCustomers([testCustomer()]),
      screening: fakeAddressScreener({
        [`tron:${TRON.ofac}`]: [
          {
            entityId: 'ofac-sdn:1',
            entityName: 'Listed',
            category: 'sanctioned',
            source: 'ofac-sdn',
            versionId: 'ofac-sdn@1',
            confidence: 1,
          },
        ],
      }),
      exposure: fakeExposure({}),
      policies: staticPolicies(readPackFiles().map((d) => compilePack(d, 1))),
      clock: createFixedClock(Date.parse('2026-03-01T12:00:00Z')),
      newId: (p) => `${p}_${String(++seq).padStart(8, '0')}`,
      riskSettings: DEFAULT_RISK_SETTINGS,
    });
    app = await buildApp({
      logger: false,
      metrics: createMetrics({ defaultMetrics: false }),
      authenticate: async (token) => KEYS[token] ?? null,
      checks: {},
      bodyLimitBytes: 1_000_000,
      version: 'test',
      routes: [decisionsRoutes(service)],
    });
  });
  after(async () => {
    await app?.close();
  });

  const body = (o: Record<string, unknown> = {}) => ({
    id: 'dep-1',
    customerId: 'c1',
    chain: 'tron',
    asset: 'USDT',
    amount: '250.5',
    from: [TRON.clean],
    tx: 'abc123',
    priceUsd: '1',
    ...o,
  });
  const post = (url: string, payload: unknown, token = 'svc', headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      payload: payload as object,
    });

  function problem(res: Awaited<ReturnType<typeof post>>, status: number, field?: string) {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    const p = res.json() as { code: string; errors?: { field: string }[] };
    if (field) assert.deepEqual([...new Set(p.errors?.map((e) => e.field))], [field], res.body);
    return p;
  }

  test('401 without a key, 403 for a role that may not ask for decisions', async () => {
    problem(await app.inject({ method: 'POST', url: '/v1/transfers', payload: body() }), 401);
    problem(await post('/v1/transfers', body(), 'analyst'), 403);
    problem(await post('/v1/withdrawal-attempts', body(), 'analyst'), 403);
  });

  const bad: [string, Record<string, unknown>, string, string?][] = [
    ['missing customerId', { customerId: undefined }, 'body.customerId', 'request.invalid'],
    ['missing from', { from: undefined }, 'body.from', 'request.invalid'],
    ['empty from', { from: [] }, 'body.from', 'request.invalid'],
    ['unknown field', { memo: 'x' }, 'body.memo', 'request.invalid'],
    ['amount as a boolean', { amount: true }, 'body.amount', 'request.invalid'],
    [
      'invalid address checksum',
      { from: ['TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk59'] },
      'from[0]',
      'transfers.invalid_checksum',
    ],
    ['unknown chain', { chain: 'narnia' }, 'chain', 'transfers.unknown_chain'],
    ['unknown asset', { asset: 'XYZ' }, 'asset', 'transfers.unknown_asset'],
    ['zero amount', { amount: '0' }, 'amount', 'transfers.amount_zero'],
    ['negative amount', { amount: -3 }, 'amount', 'transfers.amount_negative'],
    ['absurd amount', { amount: '9'.repeat(70) }, 'amount', 'transfers.amount_too_large'],
    ['absurd USD value', { amount: '999999999999', priceUsd: '100' }, 'amount', 'transfers.amount_absurd'],
    ['bad price', { priceUsd: 'free' }, 'priceUsd', 'transfers.invalid_price'],
    ['no id at all', { id: undefined }, 'id', 'request.missing_id'],
  ];
  for (const [name, o, field, code] of bad) {
    test(`400 for ${name}, naming ${field}`, async () => {
      const p = problem(await post('/v1/transfers', body(o)), 400, field);
      if (code) assert.equal(p.code, code);
    });
  }

  test('400 when the body id and the Idempotency-Key header disagree; 404 for an unknown customer', async () => {
    problem(await post('/v1/transfers', body(), 'svc', { 'idempotency-key': 'other' }), 400, 'id');
    const p = problem(await post('/v1/transfers', body({ id: 'dep-nobody', customerId: 'nobody' })), 404);
    assert.equal(p.code, 'customers.not_found');
  });

  test('413 for an oversized body, 415 for a body that is not JSON', async () => {
    problem(await post('/v1/transfers', body({ tx: 'x'.repeat(70_000) })), 413);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/transfers',
      headers: { authorization: 'Bearer svc', 'content-type': 'text/plain' },
      payload: 'deposit please',
    });
    problem(res, 415);
  });

  test('201 with the decision; a repeat gets the same bytes; a conflicting repeat is a 409', async () => {
    const first = await post('/v1/transfers', body({ id: 'dep-ok' }));
    assert.equal(first.statusCode, 201, first.body);
    assert.match(String(first.headers['content-type']), /application\/json/);
    const d = first.json() as { decision: string; id: string; transfer: { amount: string } };
    assert.equal(d.decision, 'allow');
    assert.equal(d.id, 'dep-ok');
    assert.equal(d.transfer.amount, '250.5');
    const again = await post('/v1/transfers', body({ id: undefined }), 'svc', {
      'idempotency-key': 'dep-ok',
    });
    assert.equal(again.statusCode, 201);
    assert.equal(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    const clash = problem(await post('/v1/transfers', body({ id: 'dep-ok', amount: '251' })), 409);
    assert.equal(clash.code, 'transfers.idempotency_conflict');
  });

  test('a withdrawal to an OFAC-listed address is answered freeze; staff read it back with its inputs', async () => {
    const res = await post('/v1/withdrawal-attempts', {
      id: 'wd-1',
      customerId: 'c1',
      chain: 'TRX',
      asset: 'usdt',
      amount: 75,
      to: TRON.ofac,
    });
    assert.equal(res.statusCode, 201, res.body);
    const d = res.json() as { decision: string; decisionId: string; reasons: { ruleId: string }[] };
    assert.equal(d.decision, 'freeze');
    assert.ok(d.reasons.some((r) => r.ruleId === 'us.ofac-sdn-direct'));

    const get = (url: string, token = 'analyst') =>
      app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    problem(await get(`/v1/decisions/${d.decisionId}`, 'svc'), 403);
    problem(await get('/v1/decisions/dec_missing'), 404);
    const stored = await get(`/v1/decisions/${d.decisionId}`);
    assert.equal(stored.statusCode, 200);
    const s = stored.json() as {
      decision: { decisionId: string };
      inputs: { context: { transfer: { kind: string } } };
    };
    assert.equal(s.decision.decisionId, d.decisionId);
    assert.equal(s.inputs.context.transfer.kind, 'withdrawal');

    const alerts = await get('/v1/alerts?kind=decision');
    assert.equal(alerts.statusCode, 200);
    const a = alerts.json() as { alerts: { decisionId: string; reason: string; status: string }[] };
    assert.deepEqual(
      a.alerts.map((x) => [x.decisionId, x.status]),
      [[d.decisionId, 'open']],
    );
    problem(await get('/v1/alerts?limit=0'), 400, 'querystring.limit');
  });
});
