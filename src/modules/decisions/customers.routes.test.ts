import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../../platform/http/app.js';
import { createMetrics } from '../../platform/metrics.js';
import { createFixedClock } from '../../shared/clock.js';
import type { Principal } from '../../shared/roles.js';
import { customersRoutes } from './customers.routes.js';
import { createCustomerService } from './customers.service.js';
import { memoryCustomerStore } from './testing.js';

const KEYS: Record<string, Principal> = {
  svc: { keyId: 'key_svc', name: 'platform', role: 'service' },
  auditor: { keyId: 'key_aud', name: 'monitor', role: 'auditor' },
};

describe('customer routes', () => {
  let app: App;
  before(async () => {
    let n = 0;
    const service = createCustomerService({
      store: memoryCustomerStore().store,
      screener: { screenNames: async (qs) => ({ versions: {}, results: qs.map(() => ({ matches: [] })) }) },
      clock: createFixedClock(Date.parse('2026-01-01T00:00:00Z')),
      newId: (p) => `${p}_${++n}`,
    });
    app = await buildApp({
      logger: false,
      metrics: createMetrics({ defaultMetrics: false }),
      authenticate: async (token) => KEYS[token] ?? null,
      checks: {},
      bodyLimitBytes: 100_000,
      version: 'test',
      routes: [customersRoutes(service)],
    });
  });
  after(async () => {
    await app?.close();
  });

  const body = (o: Record<string, unknown> = {}) => ({
    type: 'organization',
    names: { primary: 'Mekong Trading Co., Ltd.' },
    birthDate: '2015',
    nationality: ['KH'],
    legalEntity: 'cordon-uk',
    kycLevel: 3,
    ...o,
  });
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    token?: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload ? { payload: payload as object } : {}),
    });

  test('401, 403, 400 naming the field, 404 — before anything is created', async () => {
    assert.equal((await call('POST', '/v1/customers', undefined, body())).statusCode, 401);
    assert.equal((await call('POST', '/v1/customers', 'auditor', body())).statusCode, 403);
    for (const [o, field] of [
      [{ type: 'robot' }, 'body.type'],
      [{ kycLevel: 9 }, 'body.kycLevel'],
      [{ names: {} }, 'body.names.primary'],
      [{ nationality: ['KHM'] }, 'body.nationality[0]'],
      [{ legalEntity: 'cordon-mars' }, 'legalEntity'],
      [{ birthDate: '2999' }, 'birthDate'],
    ] as const) {
      const res = await call('POST', '/v1/customers', 'svc', body(o));
      assert.equal(res.statusCode, 400, res.body);
      assert.ok(
        (res.json() as { errors: { field: string }[] }).errors.some((e) => e.field === field),
        res.body,
      );
    }
    assert.equal((await call('GET', '/v1/customers/nobody', 'auditor')).statusCode, 404);
    assert.equal((await call('PATCH', '/v1/customers/nobody', 'svc', { kycLevel: 1 })).statusCode, 404);
    assert.equal((await call('PATCH', '/v1/customers/nobody', 'svc', {})).statusCode, 400);
  });

  test('create with an Idempotency-Key (201, then 200 for the repeat, 409 for a different body); patch; put; read', async () => {
    const first = await call('POST', '/v1/customers', 'svc', body(), { 'idempotency-key': 'onboard-77' });
    assert.equal(first.statusCode, 201, first.body);
    const c = first.json() as { id: string; jurisdiction: string; risk: { rating: string } };
    assert.equal(c.jurisdiction, 'GB');
    const again = await call('POST', '/v1/customers', 'svc', body(), { 'idempotency-key': 'onboard-77' });
    assert.equal(again.statusCode, 200);
    assert.equal((again.json() as { id: string }).id, c.id);
    assert.equal(
      (await call('POST', '/v1/customers', 'svc', body({ kycLevel: 1 }), { 'idempotency-key': 'onboard-77' }))
        .statusCode,
      409,
    );

    const patched = await call('PATCH', `/v1/customers/${c.id}`, 'svc', {
      kycLevel: 1,
      expectedMonthlyVolumeUsd: 1e6,
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const p = patched.json() as {
      version: number;
      kycLevel: number;
      names: { primary: string };
      risk: { rating: string };
    };
    assert.deepEqual(
      [p.version, p.kycLevel, p.names.primary, p.risk.rating],
      [2, 1, 'Mekong Trading Co., Ltd.', 'medium'],
    );
    const put = await call('PUT', `/v1/customers/${c.id}`, 'svc', body({ nationality: ['KP'] }));
    assert.equal((put.json() as { risk: { rating: string } }).risk.rating, 'prohibited');
    const read = await call('GET', `/v1/customers/${c.id}/screenings`, 'auditor');
    assert.deepEqual(
      (read.json() as { screenings: { trigger: string }[] }).screenings.map((s) => s.trigger),
      ['update', 'update', 'create'],
    );
  });
});
