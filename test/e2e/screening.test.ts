import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createActiveListReader,
  createListRepository,
  createListService,
  ensureBuiltinLists,
  formatByName,
} from '../../src/modules/lists/index.js';
import {
  createScreeningService,
  DEFAULT_SCREENING_SETTINGS,
  screeningRoutes,
} from '../../src/modules/screening/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { localFile } from '../../src/platform/files.js';
import { type App, buildApp } from '../../src/platform/http/app.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { newId } from '../../src/shared/ids.js';
import { runCordon } from '../helpers/cli.js';
import { openTestPglite, type TestStore } from '../helpers/stores.js';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const TRON_LISTED = 'TA3rH2A7iHnm6pKH8gr9cK1EZnShnmZdFg'; // ISIL Khorasan in the 2026 OFAC feed

describe('screening through HTTP on the embedded store', () => {
  let t: TestStore;
  let app: App;
  const headers = { authorization: 'Bearer svc' };
  before(async () => {
    t = await openTestPglite();
    const lists = createListService({
      store: createListRepository(t.store),
      clock: systemClock,
      newId: (p) => newId(p, Date.now()),
    });
    await ensureBuiltinLists(lists, 1e6);
    for (const [format, file] of [
      ['un-xml', join(DATA, 'un', 'UN_consolidated_2026-02-27.xml')],
      ['ofac-crypto', join(DATA, 'ofac_crypto', 'ofac_sdn_crypto_addresses_2026-09-18_nonBTC.csv')],
    ] as const) {
      await lists.importFiles({
        format: formatByName(format),
        files: [localFile(file)],
        importedBy: 'test',
        maxFileBytes: 1e8,
      });
    }
    const screening = createScreeningService({
      source: createActiveListReader(t.store.db),
      settings: DEFAULT_SCREENING_SETTINGS,
      yieldNow: async () => {},
      now: () => performance.now(),
    });
    app = await buildApp({
      logger: false,
      metrics: createMetrics({ defaultMetrics: false }),
      authenticate: async (token) =>
        token === 'svc' ? { keyId: 'k', name: 'platform', role: 'service' } : null,
      checks: {},
      bodyLimitBytes: 4_000_000,
      version: 'test',
      routes: [screeningRoutes(screening)],
    });
  });
  after(async () => {
    await t?.dispose();
  });

  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers, payload: payload as object });

  test('bad input is a 4xx naming the field', async () => {
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/v1/screen/entities',
          payload: { queries: [{ name: 'x' }] },
        })
      ).statusCode,
      401,
    );
    for (const [body, field] of [
      [{ queries: [{ name: '' }] }, /body\.queries\[0\]\.name/],
      [{ queries: [{ name: 'x'.repeat(10_000) }] }, /body\.queries\[0\]\.name/],
      [{ queries: [] }, /body\.queries/],
      [{ queries: Array.from({ length: 1001 }, () => ({ name: 'a' })) }, /body\.queries/],
      [{ queries: [{ name: 'A', dob: '12/01/1970' }] }, /body\.queries\[0\]\.dob/],
    ] as const) {
      const r = await post('/v1/screen/entities', body);
      assert.equal(r.statusCode, 400);
      assert.match((r.json() as { detail: string }).detail, field);
    }
    const badAddress = await post('/v1/screen/addresses', {
      addresses: [{ address: TRON_LISTED.replace('A3r', 'A3R') }],
    });
    assert.equal(badAddress.statusCode, 400);
    assert.match((badAddress.json() as { detail: string }).detail, /addresses\[0\]\.address/);
    const unknownChain = await post('/v1/screen/addresses', {
      addresses: [{ address: TRON_LISTED, chain: 'NOTACHAIN' }],
    });
    assert.equal(unknownChain.statusCode, 400);
    assert.equal((unknownChain.json() as { code: string }).code, 'address.unknown_chain');
  });

  test('a hit on Haowang Guarantee reports the Huione Group and the measures', async () => {
    const r = await post('/v1/screen/entities', {
      queries: [{ id: 'q1', name: 'Haowang Guarantee', type: 'organization' }],
    });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json() as {
      results: {
        id: string;
        matches: {
          name: string;
          decision: string;
          programs: string[];
          related: { name: string; relation: string }[];
        }[];
      }[];
    };
    const top = body.results[0]?.matches[0];
    assert.equal(body.results[0]?.id, 'q1');
    assert.match(top?.name ?? '', /Haowang Guarantee/);
    assert.equal(top?.decision, 'match');
    assert.ok(top?.programs.some((p) => p.startsWith('FinCEN-311')));
    assert.ok(
      top?.related.some((x) => x.name === 'Huione Group'),
      JSON.stringify(top?.related),
    );
  });

  test('a UN name with a typo and reordered finds its entity, explained', async () => {
    const r = await post('/v1/screen/entities', {
      queries: [{ name: 'SALEK, ABDULHAI', type: 'person', dob: '1965' }],
    });
    const top = (
      r.json() as {
        results: {
          matches: {
            name: string;
            score: number;
            explanation: { features: unknown[]; aligned: unknown[] };
          }[];
        }[];
      }
    ).results[0]?.matches[0];
    assert.match(top?.name ?? '', /ABDUL ?HAI SALEK/i);
    assert.ok((top?.explanation.aligned.length ?? 0) >= 2);
    assert.ok((top?.explanation.features.length ?? 0) >= 1);
  });

  test('addresses: a listed TRON address hits, a look-alike does not, invalid ones are per-item errors on request', async () => {
    const lookalike = '0x098b716b8aaf00000000000000000000002e2f96';
    const r = await post('/v1/screen/addresses', {
      addresses: [
        { address: TRON_LISTED },
        { address: lookalike, chain: 'ETH' },
        { address: 'not-an-address' },
      ],
      skipInvalid: true,
    });
    assert.equal(r.statusCode, 200, r.body);
    const results = (
      r.json() as {
        results: {
          hits: { entityName: string; category: string; list: string }[];
          error?: { code: string };
        }[];
      }
    ).results;
    assert.equal(results[0]?.hits[0]?.entityName, 'ISIL Khorasan');
    assert.equal(results[0]?.hits[0]?.category, 'sanctioned');
    assert.equal(results[1]?.hits.length, 0);
    assert.equal(results[2]?.error?.code, 'address.invalid_format');
  });

  test('POST /v1/match explains two names', async () => {
    const r = await post('/v1/match', { a: "CH'OE Ch'un-yo'ng", b: 'CHOE Chun Yong', type: 'person' });
    assert.equal(r.statusCode, 200);
    const body = r.json() as { score: number; match: boolean };
    assert.equal(body.match, true, JSON.stringify(body));
  });
});

describe('cordon match (CLI)', () => {
  test('one pair, and a bulk file with a malformed line reported by number', async () => {
    const one = await runCordon([
      'match',
      'M. D. S. IMPORT EXPORT CO., LTD.',
      'MDS IMPORT EXPORT',
      '--type',
      'organization',
      '--json',
    ]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(JSON.parse(one.stdout).match, true);
    const dir = mkdtempSync(join(tmpdir(), 'cordon-match-'));
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    writeFileSync(
      input,
      [
        '{"id":"p1","a":"BELLETECH CORP","b":"ACME CORP","type":"organization"}',
        '{broken',
        '{"id":"p3","a":"Alexey KUZMICHEV","b":"Aleksey KUZMICHYOV","type":"person"}',
        // other systems' words for the kinds, in any case
        '{"id":"p4","a":"Gazprom LLC","b":"ООО Газпром","type":"Company"}',
        '{"id":"p5","a":"Bill Gates","b":"William Gates","type":"individual"}',
        '{"id":"p6","a":"Ivan","b":"Ivan","type":"vessel"}',
      ].join('\n'),
    );
    const bulk = await runCordon(['match', '--input', input, '--output', output]);
    assert.equal(bulk.code, 0, bulk.stderr);
    assert.match(bulk.stderr, /in\.jsonl:2: not valid JSON/);
    assert.match(bulk.stderr, /in\.jsonl:6: type must be person or organization/);
    const rows = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; match: boolean; score: number });
    assert.deepEqual(
      rows.map((r) => [r.id, r.match]),
      [
        ['p1', false],
        ['p3', true],
        ['p4', true],
        ['p5', true],
      ],
    );
    const strict = await runCordon(['match', '--input', input, '--output', output, '--strict']);
    assert.equal(strict.code, 2);
  });
});
