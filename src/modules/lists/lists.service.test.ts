import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { STORES, type TestStore } from '../../../test/helpers/stores.js';
import { createFixedClock } from '../../shared/clock.js';
import { CordonError } from '../../shared/errors.js';
import type { ListFormat } from './formats.js';
import { createListRepository } from './lists.repository.js';
import { createListService, type ListService } from './lists.service.js';
import { emptyEntity, type ListEntity, type ListRecord, type SourceFile } from './model.js';
import { parseError } from './parse-error.js';

/**
 * A tiny line format for these tests: `id|name|currency:address,…`. A line `!bad` is a parse error,
 * so a failure can be planted after some records have been read.
 */
const lineFormat: ListFormat = {
  name: 'test-lines',
  description: 'test',
  defaultSource: 'test-list',
  parse: async function* (files: SourceFile[]): AsyncIterable<ListRecord> {
    for (const file of files) {
      let text = '';
      for await (const chunk of file.open()) text += new TextDecoder().decode(chunk);
      let line = 0;
      for (const row of text.split('\n')) {
        line++;
        if (!row.trim()) continue;
        if (row === '!bad') throw parseError(file.name, 'planted failure', { line });
        const [id = '', name = '', addrs = ''] = row.split('|');
        const e: ListEntity = emptyEntity('test-list', id, 'organization');
        e.names.push({ value: name, kind: 'primary' });
        e.programs.push('TEST');
        for (const a of addrs.split(',').filter(Boolean)) {
          const [currency = '', address = ''] = a.split(':');
          e.cryptoAddresses.push({ currency, address });
        }
        yield { type: 'entity', entity: e };
      }
    }
  },
};

const file = (name: string, text: string): SourceFile => ({
  name,
  open: async function* () {
    yield new TextEncoder().encode(text);
  },
});

// Real OFAC-listed addresses (2024 ETH list) and a TRON address from the 2026 feed.
const ETH_A = '0x098B716B8Aaf21512996dC57EB0615e2383E2f96';
const ETH_B = '0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B';
const TRX_A = 'TA3rH2A7iHnm6pKH8gr9cK1EZnShnmZdFg';

const V1 = `e1|ALPHA HOLDINGS|ETH:${ETH_A}\ne2|BETA TRADING|\ne3|GAMMA LTD|TRX:${TRX_A}\n`;
// e1 gains an address, e2 is removed, e3 unchanged, e4 added; order shuffled.
const V2 = `e4|DELTA GROUP|\ne3|GAMMA LTD|TRX:${TRX_A}\ne1|ALPHA HOLDINGS|ETH:${ETH_A},ETH:${ETH_B}\n`;

for (const { label, open } of STORES) {
  describe(`list versions on ${label}`, () => {
    let t: TestStore;
    let lists: ListService;
    let seq = 0;
    before(async () => {
      t = await open();
      lists = createListService({
        store: createListRepository(t.store),
        clock: createFixedClock(Date.parse('2026-11-01T00:00:00Z')),
        newId: (p) => `${p}_${++seq}`,
      });
    });
    after(async () => {
      await t?.dispose();
    });
    const opts = (text: string, name = 'list.txt') => ({
      format: lineFormat,
      files: [file(name, text)],
      importedBy: 'test',
      maxFileBytes: 10_000,
    });

    test('import, same content again, a change, diff, rollback', async () => {
      const first = await lists.importFiles(opts(V1));
      assert.equal(first.status, 'activated');
      assert.equal(first.previous, null);
      assert.deepEqual(first.version.counts, { entities: 3, names: 3, addresses: 2, attributions: 0 });
      assert.match(first.version.id, /^test-list@[0-9a-f]{16}$/);
      assert.equal(first.version.files[0]?.bytes, Buffer.byteLength(V1));

      // Same content in another order and file: the same version, nothing new.
      const reordered = V1.split('\n').reverse().join('\n');
      const same = await lists.importFiles(opts(reordered, 'other-name.txt'));
      assert.equal(same.status, 'unchanged');
      assert.equal(same.version.id, first.version.id);

      const second = await lists.importFiles(opts(V2));
      assert.equal(second.status, 'activated');
      assert.equal(second.previous, first.version.id);
      assert.deepEqual(second.diff, {
        entitiesAdded: 1,
        entitiesRemoved: 1,
        entitiesChanged: 1,
        addressesAdded: 1,
        addressesRemoved: 0,
      });

      const diff = await lists.diff(first.version.id, second.version.id);
      assert.deepEqual(
        diff.entities.added.map((e) => e.id),
        ['test-list:e4'],
      );
      assert.deepEqual(
        diff.entities.removed.map((e) => e.name),
        ['BETA TRADING'],
      );
      assert.deepEqual(
        diff.entities.changed.map((e) => e.id),
        ['test-list:e1'],
      );
      assert.deepEqual(diff.addresses.added, [{ currency: 'ETH', address: ETH_B, entityId: 'test-list:e1' }]);
      // one argument: that version against its predecessor; a source name means its active version
      assert.deepEqual(await lists.diff('test-list', undefined), diff);

      const back = await lists.activate(first.version.id, 'test');
      assert.equal(back.status, 'reactivated');
      assert.deepEqual(back.diff, {
        entitiesAdded: 1,
        entitiesRemoved: 1,
        entitiesChanged: 1,
        addressesAdded: 0,
        addressesRemoved: 1,
      });
      assert.equal((await lists.status()).find((v) => v.source === 'test-list')?.id, first.version.id);
      assert.equal((await lists.getEntity('test-list:e2')).entity.names[0]?.value, 'BETA TRADING');
      assert.deepEqual(
        (await lists.versions('test-list')).map((v) => [v.id, v.active]),
        [
          [first.version.id, true],
          [second.version.id, false],
        ],
      );
      // every activation left an event for re-screening
      const events = await sql<{
        n: string;
      }>`select count(*) as n from list_events where source = 'test-list'`.execute(t.store.db);
      assert.equal(Number(events.rows[0]?.n), 3);
    });

    const bad: [string, ReturnType<typeof opts>, string, RegExp][] = [
      [
        'a parse error after some records',
        opts('e9|NEW ONE|\n!bad\n'),
        'lists.parse_error',
        /list\.txt:2: planted failure/,
      ],
      [
        'an address failing its checksum',
        opts(`e9|X|ETH:${ETH_A.replace('B716', 'b716')}\n`),
        'address.invalid_checksum',
        /entity e9: ETH address/,
      ],
      ['an empty file', opts(''), 'lists.parse_error', /the file is empty/],
      [
        'a file over the size limit',
        { ...opts('e9|X|\n'), maxFileBytes: 3 },
        'lists.file_too_large',
        /limit of 3 bytes/,
      ],
      ['duplicate ids', opts('e9|X|\ne9|Y|\n'), 'lists.duplicate_id', /duplicate entity id e9/],
    ];
    for (const [name, input, code, message] of bad) {
      test(`${name}: a clear error, and the active version stays`, async () => {
        const before = (await lists.status()).find((v) => v.source === 'test-list')?.id;
        await assert.rejects(
          lists.importFiles(input),
          (e: unknown) => e instanceof CordonError && e.code === code && message.test(e.message),
        );
        assert.equal((await lists.status()).find((v) => v.source === 'test-list')?.id, before);
        const stray = await sql<{
          n: string;
        }>`select count(*) as n from list_entities where entity_id = 'test-list:e9'`.execute(t.store.db);
        assert.equal(Number(stray.rows[0]?.n), 0, 'nothing of the bad import was stored');
        const staging = await sql<{
          n: string;
        }>`select count(*) as n from list_versions where state = 'staging'`.execute(t.store.db);
        assert.equal(Number(staging.rows[0]?.n), 0, 'the staging version was discarded');
      });
    }

    test('readers see the old version or the new one, never a mix', async () => {
      const big = (tag: string) =>
        Array.from({ length: 2000 }, (_, i) => `b${i}|${tag} ENTITY ${i}|`).join('\n');
      await lists.importFiles({ ...opts(big('OLD')), source: 'atomic', maxFileBytes: 1e6 });
      let stop = false;
      const seen = new Set<string>();
      const reader = (async () => {
        while (!stop) {
          const r = await sql<{ old: string; neu: string }>`
            select count(*) filter (where e.name like 'OLD%') as old, count(*) filter (where e.name like 'NEW%') as neu
            from list_entities e join list_active a on a.version_id = e.version_id where a.source = 'atomic'`.execute(
            t.store.db,
          );
          seen.add(`${r.rows[0]?.old}/${r.rows[0]?.neu}`);
        }
      })();
      await lists.importFiles({ ...opts(big('NEW')), source: 'atomic', maxFileBytes: 1e6 });
      stop = true;
      await reader;
      for (const s of seen) assert.ok(s === '2000/0' || s === '0/2000', `a reader saw ${s}`);
      assert.ok(seen.has('0/2000') || seen.has('2000/0'));
    });
  });
}
