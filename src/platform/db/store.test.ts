import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { freshPgliteDir, STORES, type TestStore } from '../../../test/helpers/stores.js';
import { CordonError } from '../../shared/errors.js';
import { MIGRATIONS } from './migrations/index.js';
import { migrateToLatest, openStore } from './store.js';

for (const { label, open } of STORES) {
  describe(`store on ${label}`, () => {
    let t: TestStore;
    before(async () => {
      t = await open();
    });
    after(async () => {
      await t?.dispose();
    });

    test('opening runs every migration, in order, and records it', async () => {
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        t.store.db,
      );
      assert.deepEqual(
        rows.rows.map((r) => r.name),
        MIGRATIONS.map(([name]) => name),
      );
      const tables = await t.store.db.introspection.getTables();
      assert.ok(tables.some((x) => x.name === 'api_keys'));
    });

    test('migrating again is a no-op, and the data survives a reopen', async () => {
      await t.store.db
        .insertInto('api_keys')
        .values({
          id: 'k1',
          name: 'n',
          role: 'admin',
          secret_hash: 'h',
          created_by: null,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      assert.deepEqual(await migrateToLatest(t.store.db), []);
      await t.store.close();
      const reopened = await t.reopen();
      const row = await reopened.db
        .selectFrom('api_keys')
        .select(['id', 'created_at'])
        .executeTakeFirstOrThrow();
      assert.equal(row.id, 'k1');
      assert.ok(row.created_at instanceof Date, 'timestamptz reads back as a Date on every dialect');
    });

    test('int8 and numeric read back as exact strings on every dialect', async () => {
      const r = await sql<{
        big: string;
        amount: string;
      }>`select 9007199254740993::int8 as big, 123456789012345678901234567890.5::numeric as amount`.execute(
        t.store.db,
      );
      assert.deepEqual(r.rows[0], { big: '9007199254740993', amount: '123456789012345678901234567890.5' });
    });

    test('concurrent transactions never see or break each other (PGlite serialises them)', async () => {
      await sql`create table counter (n int not null)`.execute(t.store.db);
      await sql`insert into counter values (0)`.execute(t.store.db);
      // 40 read-modify-write transactions at once, each yielding to the event loop mid-way.
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          t.store.db
            .transaction()
            .setIsolationLevel('serializable')
            .execute(async (tx) => {
              const { rows } = await sql<{ n: number }>`select n from counter`.execute(tx);
              await new Promise((r) => setTimeout(r, i % 3));
              await sql`update counter set n = ${(rows[0]?.n ?? 0) + 1}`.execute(tx);
            }),
        ),
      );
      const committed = results.filter((r) => r.status === 'fulfilled').length;
      const { rows } = await sql<{ n: number }>`select n from counter`.execute(t.store.db);
      // Whatever committed is counted exactly once: no lost update, no half-applied transaction.
      assert.equal(rows[0]?.n, committed);
      if (label === 'pglite')
        assert.equal(committed, 40, 'on PGlite every transaction runs alone and commits');
    });

    test('bulkInsert stores awkward text exactly (tabs, newlines, backslashes, quotes, null, unicode)', async () => {
      await sql`create table bulk (a text, b real, c text)`.execute(t.store.db);
      const rows: [string, number, string | null][] = [
        ['tab\there', 0.5, 'line\nbreak\r\n'],
        ['back\\slash \\N', 1, null],
        ['{"json": "with \\"quotes\\""}', 0.25, '汇旺 Хуэй'],
      ];
      await t.store.bulkInsert(
        'bulk',
        [
          { name: 'a', type: 'text' },
          { name: 'b', type: 'real' },
          { name: 'c', type: 'text' },
        ],
        rows,
      );
      const back = await sql<{
        a: string;
        b: number;
        c: string | null;
      }>`select a, b, c from bulk order by b`.execute(t.store.db);
      assert.deepEqual(
        back.rows.map((r) => [r.a, r.b, r.c]),
        [...rows].sort((x, y) => x[1] - y[1]),
      );
      await assert.rejects(
        t.store.bulkInsert('bulk; drop table x', [{ name: 'a', type: 'text' }], [['x']]),
        /bad identifier/,
      );
    });

    test('a failed transaction leaves nothing behind', async () => {
      await assert.rejects(
        t.store.db.transaction().execute(async (tx) => {
          await tx
            .insertInto('api_keys')
            .values({
              id: 'rollback-me',
              name: 'n',
              role: 'admin',
              secret_hash: 'h',
              created_by: null,
              last_used_at: null,
              revoked_at: null,
            })
            .execute();
          throw new Error('boom');
        }),
        /boom/,
      );
      const found = await t.store.db
        .selectFrom('api_keys')
        .select('id')
        .where('id', '=', 'rollback-me')
        .execute();
      assert.equal(found.length, 0);
    });
  });
}

describe('embedded store folder lock', () => {
  test('a second opener gets store.locked while the first holds it; a dead holder is taken over', async () => {
    const dir = await freshPgliteDir();
    const first = await openStore({ kind: 'pglite', dir });
    try {
      // Pretend another live process (pid 1 always exists) holds the lock.
      writeFileSync(join(dir, 'cordon.lock'), '1');
      await assert.rejects(
        openStore({ kind: 'pglite', dir }),
        (e: unknown) =>
          e instanceof CordonError && e.code === 'store.locked' && /in use by process 1/.test(e.message),
      );
    } finally {
      writeFileSync(join(dir, 'cordon.lock'), String(process.pid));
      await first.close();
    }
    // A lock left by a process that no longer exists (after SIGKILL) does not block a restart.
    writeFileSync(join(dir, 'cordon.lock'), '2147483646');
    const again = await openStore({ kind: 'pglite', dir });
    await again.close();
  });
});

describe('PostgreSQL unreachable', () => {
  test('opening fails with store.unreachable, not a crash', async () => {
    await assert.rejects(
      openStore({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' }),
      (e: unknown) => e instanceof CordonError && e.code === 'store.unreachable' && e.kind === 'unavailable',
    );
  });
});
