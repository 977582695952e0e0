import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createGraphService,
  type FlagSource,
  type GraphService,
  graphRoutes,
  openSegmentStore,
} from '../../src/modules/graph/index.js';
import { type App, buildApp } from '../../src/platform/http/app.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { runCordon } from '../helpers/cli.js';

// Valid TRON addresses (base58check); G is attributed in demo/attributions.csv.
const G = 'TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk58';
const A = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const S = 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8';
const B = 'TPYmHEhy5n8TCEfYGqW2rPxsghSfzghPDn';
const transfer = (id: string, from: string, to: string, amount: string, day: number) => ({
  id,
  chain: 'tron',
  asset: 'USDT',
  from,
  to,
  amount,
  timestamp: `2024-05-${String(day).padStart(2, '0')}T00:00:00Z`,
  tx: `tx${id}`,
});
const TRANSFERS = [
  transfer('1', G, A, '1000', 1),
  transfer('2', A, S, '800', 2),
  transfer('3', B, S, '200', 3),
];

describe('graph and exposure through HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-graph-http-'));
  let graph: GraphService;
  let app: App;
  const flags: FlagSource = {
    flagsOf: (key) =>
      key === `tron:${G}`
        ? [
            {
              entityId: 'haowang',
              entityName: 'Haowang Guarantee',
              category: 'guarantee-marketplace',
              source: 'test',
            },
          ]
        : undefined,
    basis: () => ['test@1'],
  };
  const roles: Record<string, 'service' | 'analyst'> = { svc: 'service', ana: 'analyst' };
  before(async () => {
    graph = createGraphService({ segments: await openSegmentStore(dir), flags });
    await graph.load();
    app = await buildApp({
      logger: false,
      metrics: createMetrics({ defaultMetrics: false }),
      authenticate: async (token) => {
        const role = roles[token];
        return role === undefined ? null : { keyId: token, name: token, role };
      },
      checks: {},
      bodyLimitBytes: 4_000_000,
      version: 'test',
      routes: [graphRoutes(graph, { now: () => performance.now() })],
    });
  });
  after(async () => {
    await app?.close();
    graph?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  test('refuses the unauthenticated, the wrong role and bad transfers, naming the field', async () => {
    assert.equal(
      (await app.inject({ method: 'POST', url: '/v1/graph/transfers', payload: { transfers: TRANSFERS } }))
        .statusCode,
      401,
    );
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/v1/graph/transfers',
          headers: as('ana'),
          payload: { transfers: TRANSFERS },
        })
      ).statusCode,
      403,
    );
    const bad = [
      [{ ...TRANSFERS[0], amount: '-5' }, /transfers\[1\]\.amount/, 'transfer.amount_negative'],
      [{ ...TRANSFERS[0], asset: 'DOGE' }, /transfers\[1\]\.asset/, 'transfer.unknown_asset'],
      [{ ...TRANSFERS[0], to: `${A.slice(0, -1)}u` }, /transfers\[1\]\.to/, 'transfer.invalid_checksum'],
    ] as const;
    for (const [t, field, code] of bad) {
      const r = await app.inject({
        method: 'POST',
        url: '/v1/graph/transfers',
        headers: as('svc'),
        payload: { transfers: [TRANSFERS[1], t] },
      });
      assert.equal(r.statusCode, 400, JSON.stringify(t));
      const body = r.json() as { detail: string; code: string };
      assert.match(body.detail, field);
      assert.equal(body.code, code);
    }
    assert.equal(graph.stats().transfers, 0, 'a rejected request adds nothing');
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/graph/transfers',
      headers: as('svc'),
      payload: { transfers: [{ id: 'x' }] },
    });
    assert.equal(missing.statusCode, 400);
    const exposureBad = await app.inject({
      method: 'GET',
      url: `/v1/exposure/tron/${A.slice(0, -1)}u`,
      headers: as('ana'),
    });
    assert.equal(exposureBad.statusCode, 400);
    assert.equal((exposureBad.json() as { code: string }).code, 'address.invalid_checksum');
    const hopsBad = await app.inject({
      method: 'GET',
      url: `/v1/exposure/tron/${S}?hops=9`,
      headers: as('ana'),
    });
    assert.equal(hopsBad.statusCode, 400);
  });

  test('ingests (skipping invalid ones on request, duplicates always) and answers exposure with the path', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/graph/transfers',
      headers: as('svc'),
      payload: { transfers: [...TRANSFERS, { ...TRANSFERS[0], id: '9', amount: 'x' }], skipInvalid: true },
    });
    assert.equal(r.statusCode, 200);
    const ingest = r.json() as { added: number; rejected: { field: string }[] };
    assert.equal(ingest.added, 3);
    assert.deepEqual(
      ingest.rejected.map((x) => x.field),
      ['transfers[3].amount'],
    );
    const again = await app.inject({
      method: 'POST',
      url: '/v1/graph/transfers',
      headers: as('svc'),
      payload: { transfers: TRANSFERS },
    });
    assert.deepEqual((again.json() as { added: number; duplicates: number }).duplicates, 3);

    const e = await app.inject({
      method: 'GET',
      url: `/v1/exposure/TRX/${S}?hops=2&direction=incoming&method=haircut`,
      headers: as('ana'),
    });
    assert.equal(e.statusCode, 200);
    const body = e.json() as {
      chain: string;
      directions: {
        volume: Record<string, string>;
        entities: { entityId: string; share: number; minHops: number; amounts: Record<string, string> }[];
        paths: { transfers: { id: string }[] }[];
      }[];
    };
    assert.equal(body.chain, 'tron');
    const d = body.directions[0];
    assert.deepEqual(d?.volume, { USDT: '1000' });
    assert.deepEqual(
      d?.entities.map((x) => [x.entityId, x.share, x.minHops, x.amounts.USDT]),
      [['haowang', 0.8, 2, '800']],
    );
    assert.deepEqual(
      d?.paths[0]?.transfers.map((t) => t.id),
      ['1', '2'],
    );
    const oneHop = await app.inject({
      method: 'GET',
      url: `/v1/exposure/tron/${S}?hops=1&direction=incoming`,
      headers: as('ana'),
    });
    assert.equal((oneHop.json() as typeof body).directions[0]?.entities.length, 0);
  });
});

describe('graph and exposure through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-graph-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('imports a file with bad lines, persists it, and traces exposure to an attributed address', async () => {
    const db = join(dir, 'store');
    const file = join(dir, 'transfers.jsonl');
    const lines = TRANSFERS.map((t) => JSON.stringify(t));
    lines.splice(1, 0, '{"id": "broken"', JSON.stringify({ ...TRANSFERS[0], id: 'n', amount: 'lots' }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const lists = await runCordon(['--db', db, 'lists', 'import', 'demo/attributions.csv']);
    assert.equal(lists.code, 0, lists.stderr);
    const imported = await runCordon(['--db', db, '--json', 'graph', 'import', file]);
    assert.equal(imported.code, 0, imported.stderr);
    const summary = JSON.parse(imported.stdout) as {
      added: number;
      errors: number;
      firstErrors: { line: number; field?: string }[];
    };
    assert.equal(summary.added, 3);
    assert.equal(summary.errors, 2);
    assert.deepEqual(
      summary.firstErrors.map((e) => [e.line, e.field]),
      [
        [2, undefined],
        [3, 'amount'],
      ],
    );
    const strict = await runCordon(['--db', db, 'graph', 'import', '--strict', file]);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /line 2/);
    const exposure = await runCordon([
      '--db',
      db,
      '--json',
      'exposure',
      S,
      '--hops',
      '2',
      '--method',
      'poison',
      '--direction',
      'incoming',
    ]);
    assert.equal(exposure.code, 0, exposure.stderr);
    const report = JSON.parse(exposure.stdout) as {
      directions: { entities: { entityName: string; category: string; share: number }[] }[];
    };
    assert.deepEqual(
      report.directions[0]?.entities.map((e) => [e.entityName, e.category, e.share]),
      [['Demo Guarantee Marketplace', 'guarantee-marketplace', 0.8]],
    );
    const stats = await runCordon(['--db', db, '--json', 'graph', 'stats']);
    assert.equal((JSON.parse(stats.stdout) as { transfers: number }).transfers, 3);
    const bad = await runCordon(['--db', db, 'exposure', 'not-an-address']);
    assert.equal(bad.code, 2);
  });
});
