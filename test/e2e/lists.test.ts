import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createListRepository,
  createListService,
  createListUpdater,
  ensureBuiltinLists,
  formatByName,
  type ListService,
  listsRoutes,
} from '../../src/modules/lists/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { localFile } from '../../src/platform/files.js';
import { buildApp } from '../../src/platform/http/app.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { newId } from '../../src/shared/ids.js';
import { runCordon } from '../helpers/cli.js';
import { freshPgliteDir, openTestPglite, type TestStore } from '../helpers/stores.js';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const UN = join(DATA, 'un', 'UN_consolidated_2026-02-27.xml');
const OFAC = [
  'sdn_2024-05-03.csv',
  'add_2025-12-24.csv',
  'alt_2025-12-24.csv',
  'sdn_comments_2025-12-24.csv',
].map((f) => join(DATA, 'ofac_sdn', f));

/** A publisher stand-in on loopback: serves shared/data files, a truncated copy, and 404s. */
function startPublisher(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/truncated.xml') {
      res.end(readFileSync(UN).subarray(0, 300_000));
      return;
    }
    try {
      res.end(readFileSync(join(DATA, path)));
    } catch {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe('lists end to end', () => {
  let t: TestStore;
  let lists: ListService;
  let publisher: { server: Server; url: string };
  before(async () => {
    t = await openTestPglite();
    lists = createListService({
      store: createListRepository(t.store),
      clock: systemClock,
      newId: (p) => newId(p, Date.now()),
    });
    publisher = await startPublisher();
  });
  after(async () => {
    publisher?.server.close();
    await t?.dispose();
  });

  test('update from the publisher: good sources activate, a 404 and a truncated file are reported and change nothing', async () => {
    const updater = createListUpdater({
      lists,
      sources: [
        { source: 'un-sc', format: 'un-xml', urls: [`${publisher.url}/un/UN_consolidated_2026-02-27.xml`] },
        {
          source: 'ofac-sdn',
          format: 'ofac-csv',
          urls: OFAC.map((p) => `${publisher.url}/ofac_sdn/${p.split('/').pop()}`),
        },
      ],
      maxFileBytes: 50_000_000,
      timeoutMs: 10_000,
      importedBy: 'update',
    });
    const first = await updater.update();
    assert.deepEqual(
      first.map((o) => [o.source, o.ok]),
      [
        ['un-sc', true],
        ['ofac-sdn', true],
      ],
    );
    const un = first[0]?.ok ? first[0].result.version : undefined;
    assert.equal(un?.counts.entities, 1003);
    const ofac = first[1]?.ok ? first[1].result.version : undefined;
    assert.equal(ofac?.counts.entities, 14965);
    // The publisher's two malformed addresses are skipped with warnings, not fatal for the whole list.
    assert.equal(
      ofac?.warnings.filter((w) => /address/.test(w.message) && /skipped/.test(w.message)).length,
      2,
    );

    const broken = createListUpdater({
      lists,
      sources: [
        { source: 'un-sc', format: 'un-xml', urls: [`${publisher.url}/truncated.xml`] },
        { source: 'ofac-sdn', format: 'ofac-csv', urls: [`${publisher.url}/nowhere/sdn.csv`] },
      ],
      maxFileBytes: 50_000_000,
      timeoutMs: 10_000,
      importedBy: 'update',
    });
    const second = await broken.update();
    assert.equal(second[0]?.ok, false);
    assert.match(second[0]?.ok === false ? second[0].error : '', /truncated\.xml:\d+/);
    assert.equal(second[1]?.ok, false);
    assert.match(second[1]?.ok === false ? second[1].error : '', /HTTP 404/);
    const active = await lists.status();
    assert.equal(active.find((v) => v.source === 'un-sc')?.id, un?.id);
    assert.equal(active.find((v) => v.source === 'ofac-sdn')?.id, ofac?.id);
  });

  test('diff of the 2024 OFAC Ethereum list against the 2026 feed shows the delisted Tornado Cash addresses', async () => {
    const crypto = join(DATA, 'ofac_crypto');
    const old = await lists.importFiles({
      format: formatByName('ofac-crypto'),
      source: 'ofac-eth',
      files: [localFile(join(crypto, '0xb10c_lists_2024-09-27', 'sanctioned_addresses_ETH.txt'))],
      importedBy: 'test',
      maxFileBytes: 10_000_000,
    });
    const now = await lists.importFiles({
      format: formatByName('ofac-crypto'),
      source: 'ofac-eth',
      files: [localFile(join(crypto, 'ofac_sdn_crypto_addresses_2026-09-18_nonBTC.csv'))],
      importedBy: 'test',
      maxFileBytes: 10_000_000,
    });
    const diff = await lists.diff(old.version.id, now.version.id);
    const removed = new Set(diff.addresses.removed.map((a) => a.address.toLowerCase()));
    assert.equal(
      removed.size,
      90,
      'README: 90 of the 152 ETH addresses of 2024 are absent from the 2026 list',
    );
    const tornado = readFileSync(join(DATA, 'address_labels', 'etherscan_tornado-cash.csv'), 'utf8')
      .split('\n')
      .map((l) => /0x[0-9a-fA-F]{40}/.exec(l)?.[0]?.toLowerCase())
      .filter((a): a is string => a !== undefined);
    const delistedTornado = tornado.filter((a) => removed.has(a));
    assert.ok(
      delistedTornado.length >= 50,
      `${delistedTornado.length} Tornado Cash addresses among the removed`,
    );
  });

  test('the built-in Huione set is loaded once and its relations resolve to the group', async () => {
    const first = await ensureBuiltinLists(lists, 1_000_000);
    assert.ok(['activated', 'unchanged'].includes(first.status));
    assert.equal((await ensureBuiltinLists(lists, 1_000_000)).status, 'unchanged');
    const hpay = (await lists.status()).find((v) => v.source === 'fincen-311-huione');
    assert.equal(hpay?.counts.entities, 11);
    const diff = await lists.diff('fincen-311-huione', undefined);
    const haowang = diff.entities.added.find((e) => /Haowang/.test(e.name));
    assert.ok(haowang);
    const { entity } = await lists.getEntity(haowang.id);
    const targets = entity.relations.map((r) => r.target);
    const group = diff.entities.added.find((e) => e.name === 'Huione Group');
    assert.ok(group && targets.includes(group.id), `Haowang relates to the group: ${targets.join(', ')}`);
  });

  test('HTTP: status, versions, entity, import with a bad line (400 naming it), diff', async () => {
    const app = await buildApp({
      logger: false,
      metrics: createMetrics({ defaultMetrics: false }),
      authenticate: async (token) =>
        token === 'admin'
          ? { keyId: 'k1', name: 'a', role: 'admin' }
          : token === 'analyst'
            ? { keyId: 'k2', name: 'b', role: 'analyst' }
            : null,
      checks: {},
      bodyLimitBytes: 1_000_000,
      version: 'test',
      routes: [listsRoutes(lists, { maxFileBytes: 10_000_000 })],
    });
    const auth = (role: string) => ({ authorization: `Bearer ${role}` });
    const status = await app.inject({ method: 'GET', url: '/v1/lists', headers: auth('analyst') });
    assert.equal(status.statusCode, 200);
    assert.ok((status.json() as { active: { source: string }[] }).active.some((v) => v.source === 'un-sc'));

    const entity = await app.inject({
      method: 'GET',
      url: '/v1/entities/un-sc:QDi.001',
      headers: auth('analyst'),
    });
    assert.equal(entity.statusCode, 200, entity.body);
    assert.equal(
      (await app.inject({ method: 'GET', url: '/v1/entities/un-sc:nope', headers: auth('analyst') }))
        .statusCode,
      404,
    );

    const csv = (rows: string) => ({
      files: [{ name: 'attrib.csv', content: `chain,address,entity,category,source,confidence\n${rows}` }],
    });
    const forbidden = await app.inject({
      method: 'POST',
      url: '/v1/lists/import',
      headers: auth('analyst'),
      payload: csv(''),
    });
    assert.equal(forbidden.statusCode, 403);
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/lists/import',
      headers: auth('admin'),
      payload: csv(
        'tron,TA3rH2A7iHnm6pKH8gr9cK1EZnShnmZdFg,Xinbi,guarantee-marketplace,case 7,0.9\ntron,TA3rH2A7iHnm6pKH8gr9cK1EZnShnmZdFg,X,laundromat,case 7,0.9\n',
      ),
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match((bad.json() as { detail: string }).detail, /attrib\.csv:3/);
    const good = await app.inject({
      method: 'POST',
      url: '/v1/lists/import',
      headers: auth('admin'),
      payload: {
        source: 'investigations',
        ...csv('tron,TA3rH2A7iHnm6pKH8gr9cK1EZnShnmZdFg,Xinbi Guarantee,guarantee-marketplace,case 7,0.9\n'),
      },
    });
    assert.equal(good.statusCode, 200, good.body);
    assert.equal(
      (good.json() as { version: { counts: { attributions: number } } }).version.counts.attributions,
      1,
    );
    const versions = await app.inject({
      method: 'GET',
      url: '/v1/lists/investigations/versions',
      headers: auth('analyst'),
    });
    assert.equal((versions.json() as { versions: unknown[] }).versions.length, 1);
    const diff = await app.inject({
      method: 'GET',
      url: '/v1/lists/diff?source=investigations',
      headers: auth('analyst'),
    });
    assert.equal(diff.statusCode, 200, diff.body);
    assert.equal((diff.json() as { addresses: { added: unknown[] } }).addresses.added.length, 1);
  });
});

describe('cordon lists (CLI)', () => {
  test('import real UN file, status and diff as JSON; a bad file exits 2 with one line', async () => {
    const dir = await freshPgliteDir();
    const imported = await runCordon(['lists', 'import', UN, '--db', dir, '--json']);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(JSON.parse(imported.stdout).version.counts.entities, 1003);
    const status = await runCordon(['lists', 'status', '--db', dir, '--json']);
    assert.deepEqual((JSON.parse(status.stdout).active as { source: string }[]).map((v) => v.source).sort(), [
      'fincen-311-huione',
      'un-sc',
    ]);
    const bad = await runCordon([
      'lists',
      'import',
      join(DATA, 'README.md'),
      '--db',
      dir,
      '--format',
      'un-xml',
    ]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.match(bad.stderr, /^cordon: README\.md/);
  });
});
