import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kysely, sql } from 'kysely';
import { createPgliteDialect } from './pglite-dialect.js';
import type { PgliteLike } from './pglite-thread.js';

/** A store that records the statements handed to it and answers each only when told to. */
function fakeStore(inOrder: boolean) {
  const sent: string[] = [];
  const answers: (() => void)[] = [];
  const store: PgliteLike = {
    inOrder,
    query<R>(text: string) {
      sent.push(text);
      return new Promise<{ rows: R[] }>((resolve) => answers.push(() => resolve({ rows: [] })));
    },
    close: async () => {},
  };
  /** Answers the oldest unanswered statement. */
  const answer = () => answers.shift()?.();
  return { store, sent, answer };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the PGlite dialect', () => {
  test('on a store that runs statements in order, the next statement goes before the answer to the first', async () => {
    const { store, sent, answer } = fakeStore(true);
    const db = new Kysely<Record<string, never>>({ dialect: createPgliteDialect(store) });
    const first = sql`select 1`.execute(db);
    const second = sql`select 2`.execute(db);
    await settle();
    assert.deepEqual(sent, ['select 1', 'select 2']);
    answer();
    answer();
    await Promise.all([first, second]);
  });

  test('otherwise each statement waits for the answer to the one before', async () => {
    const { store, sent, answer } = fakeStore(false);
    const db = new Kysely<Record<string, never>>({ dialect: createPgliteDialect(store) });
    const first = sql`select 1`.execute(db);
    const second = sql`select 2`.execute(db);
    await settle();
    assert.deepEqual(sent, ['select 1']);
    answer();
    await settle();
    assert.deepEqual(sent, ['select 1', 'select 2']);
    answer();
    await Promise.all([first, second]);
  });

  test('nothing goes between the statements of a transaction, and what came first goes first', async () => {
    const { store, sent, answer } = fakeStore(true);
    const db = new Kysely<Record<string, never>>({ dialect: createPgliteDialect(store) });
    const before = sql`select 0`.execute(db);
    const tx = db.transaction().execute(async (t) => {
      await sql`insert 1`.execute(t);
      await sql`insert 2`.execute(t);
    });
    await settle();
    const outside = sql`select 3`.execute(db);
    // Answer whatever is sent, one at a time, until everything has been answered.
    for (let i = 0; i < 10; i++) {
      await settle();
      answer();
    }
    await Promise.all([before, tx, outside]);
    assert.deepEqual(sent, ['select 0', 'begin', 'insert 1', 'insert 2', 'commit', 'select 3']);
  });
});
