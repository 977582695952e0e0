import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Type } from 'typebox';
import { CordonError } from '../../shared/errors.js';
import type { Principal } from '../../shared/roles.js';
import { createMetrics } from '../metrics.js';
import { type AppDeps, buildApp, type RoutePlugin } from './app.js';
import { principalOf } from './auth.js';

const PRINCIPALS: Record<string, Principal> = {
  'admin-token': { keyId: 'key_admin', name: 'admin', role: 'admin' },
  'auditor-token': { keyId: 'key_auditor', name: 'auditor', role: 'auditor' },
};

/** A small route set exercising each edge: roles, body validation, domain errors, bugs. */
const sampleRoutes: RoutePlugin = async (app) => {
  app.post(
    '/things',
    {
      config: { allow: ['admin', 'mlro'] },
      schema: {
        body: Type.Object(
          {
            name: Type.String({ minLength: 1 }),
            amount: Type.Integer({ minimum: 1 }),
            tags: Type.Optional(Type.Array(Type.String())),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ name: Type.String(), by: Type.String() }) },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return { name: request.body.name, by: principalOf(request).name };
    },
  );
  app.get('/conflict', { config: { allow: ['admin'] } }, async () => {
    throw new CordonError('conflict', 'things.duplicate', 'thing exists', { id: 't1' });
  });
  app.get('/bug', { config: { allow: ['admin'] } }, async () => {
    throw new Error('secret internal detail: password=hunter2');
  });
};

async function makeApp(overrides: Partial<AppDeps> = {}) {
  return buildApp({
    logger: false,
    metrics: createMetrics({ defaultMetrics: false }),
    authenticate: async (token) => PRINCIPALS[token] ?? null,
    checks: { store: async () => {} },
    bodyLimitBytes: 1024,
    version: '0.0.0-test',
    routes: [sampleRoutes],
    ...overrides,
  });
}

function assertProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  assert.equal(res.statusCode, status);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(body.type, `urn:cordon:problem:${code}`);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  return body;
}

describe('HTTP edge', () => {
  test('no key → 401 problem+json', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'POST', url: '/v1/things', payload: { name: 'x', amount: 1 } });
    assertProblem(res, 401, 'auth.missing_key');
  });

  test('malformed Authorization header and unknown key → 401', async () => {
    const app = await makeApp();
    const a = await app.inject({
      method: 'GET',
      url: '/v1/conflict',
      headers: { authorization: 'Basic abc' },
    });
    assertProblem(a, 401, 'auth.malformed_header');
    const b = await app.inject({
      method: 'GET',
      url: '/v1/conflict',
      headers: { authorization: 'Bearer nope' },
    });
    assertProblem(b, 401, 'auth.invalid_key');
  });

  test('a valid key without the role → 403 naming the allowed roles', async () => {
    const app = await makeApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { authorization: 'Bearer auditor-token' },
      payload: { name: 'x', amount: 1 },
    });
    const body = assertProblem(res, 403, 'auth.role_not_allowed');
    assert.match(String(body.detail), /allowed: admin, mlro/);
  });

  test('authentication is checked before the body: unauthenticated garbage is 401, not 400', async () => {
    const app = await makeApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { 'content-type': 'application/json' },
      payload: '{oops',
    });
    assertProblem(res, 401, 'auth.missing_key');
  });

  const admin = { authorization: 'Bearer admin-token' };
  const malformed: [string, Record<string, string>, string, number, string, RegExp][] = [
    ['broken JSON', { 'content-type': 'application/json' }, '{"name": ', 400, 'request.malformed', /body/],
    [
      'a missing field',
      { 'content-type': 'application/json' },
      '{"name":"x"}',
      400,
      'request.invalid',
      /body\.amount is required/,
    ],
    [
      'a wrong type',
      { 'content-type': 'application/json' },
      '{"name":"x","amount":"lots"}',
      400,
      'request.invalid',
      /body\.amount/,
    ],
    [
      'an unknown field',
      { 'content-type': 'application/json' },
      '{"name":"x","amount":1,"evil":1}',
      400,
      'request.invalid',
      /body\.evil is not allowed/,
    ],
    [
      'a bad array item',
      { 'content-type': 'application/json' },
      '{"name":"x","amount":1,"tags":[1]}',
      400,
      'request.invalid',
      /body\.tags\[0\]/,
    ],
    ['an empty JSON body', { 'content-type': 'application/json' }, '', 400, 'request.empty_body', /empty/],
    [
      'a wrong content type',
      { 'content-type': 'text/plain' },
      'name=x',
      415,
      'request.unsupported_media_type',
      /application\/json/,
    ],
    [
      'an oversized body',
      { 'content-type': 'application/json' },
      JSON.stringify({ name: 'x'.repeat(2000), amount: 1 }),
      413,
      'request.too_large',
      /limit/,
    ],
  ];
  for (const [name, headers, payload, status, code, detail] of malformed) {
    test(`${name} → ${status} problem+json naming the problem`, async () => {
      const app = await makeApp();
      const res = await app.inject({
        method: 'POST',
        url: '/v1/things',
        headers: { ...admin, ...headers },
        payload,
      });
      const body = assertProblem(res, status, code);
      assert.match(String(body.detail), detail);
    });
  }

  test('the happy path after all the refusals', async () => {
    const app = await makeApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: admin,
      payload: { name: 'x', amount: 2 },
    });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), { name: 'x', by: 'admin' });
  });

  test('domain errors map by kind; bugs become a 500 that leaks nothing', async () => {
    const app = await makeApp();
    const c = await app.inject({ method: 'GET', url: '/v1/conflict', headers: admin });
    assert.deepEqual(assertProblem(c, 409, 'things.duplicate').details, { id: 't1' });
    const b = await app.inject({ method: 'GET', url: '/v1/bug', headers: admin });
    const body = assertProblem(b, 500, 'internal');
    assert.ok(!JSON.stringify(body).includes('hunter2'));
    assert.equal(body.requestId, b.headers['x-request-id']);
  });

  test('unknown routes → 404 problem+json', async () => {
    const app = await makeApp();
    assertProblem(await app.inject({ method: 'GET', url: '/v1/nothing-here' }), 404, 'route.not_found');
  });

  test('a /v1 route that does not declare its roles cannot be registered', async () => {
    const careless: RoutePlugin = async (app) => {
      app.get('/open', async () => ({}));
    };
    await assert.rejects(makeApp({ routes: [careless] }), /must declare config\.allow/);
  });

  test('/openapi.json is a valid OpenAPI 3.1 document listing routes with their roles', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as {
      paths: Record<string, Record<string, { description?: string; security?: unknown }>>;
    };
    const result = await new Validator().validate(doc as never);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
    const op = doc.paths['/v1/things']?.post;
    assert.ok(op, 'POST /v1/things documented');
    assert.match(String(op.description), /Roles: admin, mlro/);
    assert.deepEqual(op.security, [{ bearerAuth: [] }]);
    assert.ok(doc.paths['/health']);
  });

  test('/health is 200 when every check answers and 503 naming the one that does not', async () => {
    const ok = await makeApp();
    const a = await ok.inject({ method: 'GET', url: '/health' });
    assert.equal(a.statusCode, 200);
    assert.equal(a.json().checks.store.status, 'ok');
    const down = await makeApp({
      checks: {
        store: async () => {
          throw new Error('connection refused');
        },
      },
    });
    const b = await down.inject({ method: 'GET', url: '/health' });
    assert.equal(b.statusCode, 503);
    assert.equal(b.json().checks.store.error, 'connection refused');
    assert.equal((await down.inject({ method: 'GET', url: '/health/live' })).statusCode, 200);
  });

  test('/metrics exposes the request latency histogram by route template', async () => {
    const app = await makeApp();
    await app.inject({ method: 'GET', url: '/v1/conflict', headers: admin });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(
      res.body,
      /cordon_http_request_duration_seconds_bucket\{.*route="\/v1\/conflict".*status_code="409"/,
    );
  });
});

test('a plugin that adds shared schemas keeps strict bodies and coerced query strings', async () => {
  const withSharedSchema: RoutePlugin = async (app) => {
    app.addSchema({ $id: 'urn:test:label', type: 'string', minLength: 1 });
    app.post(
      '/shared',
      {
        config: { allow: ['admin'] },
        schema: {
          body: Type.Object(
            { flag: Type.Boolean(), label: Type.Unsafe<string>({ $ref: 'urn:test:label' }) },
            { additionalProperties: false },
          ),
          querystring: Type.Object({ n: Type.Optional(Type.Integer()) }),
        },
      },
      async (request) => ({ body: request.body, n: (request.query as { n?: number }).n ?? null }),
    );
  };
  const app = await makeApp({ routes: [withSharedSchema] });
  const post = (payload: object, url = '/v1/shared') =>
    app.inject({ method: 'POST', url, headers: { authorization: 'Bearer admin-token' }, payload });
  assertProblem(await post({ flag: 'true', label: 'x' }), 400, 'request.invalid');
  assertProblem(await post({ flag: true, label: 'x', extra: 1 }), 400, 'request.invalid');
  assertProblem(await post({ flag: true, label: '' }), 400, 'request.invalid');
  const ok = await post({ flag: true, label: 'x' }, '/v1/shared?n=7');
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), { body: { flag: true, label: 'x' }, n: 7 });
  await app.close();
});
