import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite, protocol } from '@electric-sql/pglite';
import { type CachedQuery, createRunEncoder, createStatementCache } from './pglite-statements.js';

/** What the store reads of an answer (all the database thread passes on). */
function essentials(r: { rows: unknown[]; affectedRows?: number }) {
  return { rows: r.rows, ...(r.affectedRows !== undefined ? { affectedRows: r.affectedRows } : {}) };
}

test('a run is encoded byte for byte as PGlite serialises it, also when the buffer grows', () => {
  const { serialize } = protocol;
  const encoder = createRunEncoder();
  const cases: (string | null)[][] = [
    [],
    ['a', null, ''],
    ['ünïcode ✓ 😀', 'x'.repeat(200_000), null, '{"a":[1,"two"]}'],
    ['😀'.repeat(40_000)],
    ['short again'],
  ];
  for (const values of cases) {
    const parts = [
      serialize.bind({ statement: 'cordon_s12', values }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    ];
    const expected = Buffer.concat(parts);
    assert.ok(Buffer.from(encoder.run('cordon_s12', values)).equals(expected), `${values.length} values`);
  }
});

describe('PGlite statements prepared by name', () => {
  let pg: PGlite;
  let query: CachedQuery;

  before(async () => {
    pg = await PGlite.create({ parsers: { 20: (v: string) => v } });
    query = createStatementCache(pg);
    await pg.exec(`create table t (id text primary key, n int8, at timestamptz, doc jsonb, tags text[])`);
  });
  after(() => pg.close());

  test('answers exactly as PGlite.query: rows, types, nulls, affected rows', async () => {
    const insert = 'insert into t values ($1, $2, $3, $4, $5) returning *';
    const at = new Date('2026-03-02T09:00:00.000Z');
    const a = await query(insert, ['a', '9007199254740993', at, { x: [1, 'two'] }, ['p', 'q']]);
    const b = await pg.query(insert, ['b', '9007199254740993', at, { x: [1, 'two'] }, ['p', 'q']]);
    assert.deepEqual(a, essentials({ ...b, rows: b.rows.map((r) => ({ ...(r as object), id: 'a' })) }));
    assert.equal((a.rows[0] as { n: unknown }).n, '9007199254740993');
    const select = 'select * from t where id = $1 or n is null and $2::text is null';
    for (let i = 0; i < 8; i++) {
      // Past the fifth run Postgres may switch to a generic plan: still the same answer.
      assert.deepEqual(await query(select, ['b', null]), essentials(await pg.query(select, ['b', null])));
    }
    const update = 'update t set doc = $1 where id <> $2';
    assert.deepEqual(await query(update, [null, 'z']), essentials(await pg.query(update, [null, 'z'])));
  });

  test('errors carry the SQLSTATE, and the statement still works afterwards', async () => {
    const insert = 'insert into t (id) values ($1)';
    await query(insert, ['dup']);
    await assert.rejects(query(insert, ['dup']), (err: { code?: string }) => err.code === '23505');
    assert.deepEqual(await query(insert, ['dup2']), { rows: [], affectedRows: 1 });
    await assert.rejects(query('select * from nowhere where x = $1', [1]), { code: '42P01' });
  });

  test('a statement whose result changed with the schema is prepared again', async () => {
    const select = 'select * from t where id = $1';
    const before = await query(select, ['a']);
    await pg.exec('alter table t add column extra text');
    const after = await query(select, ['a']);
    assert.deepEqual(after.rows, [{ ...(before.rows[0] as object), extra: null }]);
  });

  test('more distinct statements than are kept prepared', async () => {
    for (let i = 0; i < 260; i++) {
      const { rows } = await query(`select $1::int + ${i} as v`, [1]);
      assert.deepEqual(rows, [{ v: i + 1 }]);
    }
    assert.deepEqual((await query('select $1::int + 0 as v', [41])).rows, [{ v: 41 }]);
  });
});
