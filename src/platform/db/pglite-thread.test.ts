import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openPgliteThread } from './pglite-thread.js';

describe('PGlite on its database thread', () => {
  let dir: string;
  let pg: Awaited<ReturnType<typeof openPgliteThread>>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-pglite-thread-'));
    pg = await openPgliteThread(join(dir, 'pgdata'));
    await pg.query('create table t (id int primary key, doc jsonb)');
  });
  after(async () => {
    await pg?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a statement sent again by its key answers as the first time, with its own values', async () => {
    const insert = 'insert into t values ($1, $2) returning id, doc';
    for (let i = 1; i <= 3; i++)
      assert.deepEqual(await pg.query(insert, [i, JSON.stringify({ i, s: 'ünï ✓' })]), {
        rows: [{ id: i, doc: { i, s: 'ünï ✓' } }],
        affectedRows: 1,
      });
    await assert.rejects(pg.query(insert, [1, null]), { code: '23505' });
    assert.deepEqual((await pg.query('select count(*)::int as n from t where id > $1', [0])).rows, [
      { n: 3 },
    ]);
  });

  test('more distinct statements than are kept by key still answer', async () => {
    for (let i = 0; i < 520; i++) {
      const { rows } = await pg.query(`select $1::int + ${i} as v`, [1]);
      assert.deepEqual(rows, [{ v: i + 1 }]);
    }
    assert.deepEqual((await pg.query('select $1::int + 7 as v', [2])).rows, [{ v: 9 }]);
    assert.deepEqual((await pg.query('select $1::int + 519 as v', [2])).rows, [{ v: 521 }]);
  });

  test('the thread reports its CPU and, once asked, its collections', async () => {
    const first = await pg.stats();
    assert.ok(first.cpuSeconds > 0);
    assert.deepEqual(first.gcs, {});
    const settings = await pg.query<{ setting: string }>(`select setting from pg_settings where name = $1`, [
      'full_page_writes',
    ]);
    assert.deepEqual(settings.rows, [{ setting: 'off' }]);
  });
});
