import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES, type TestStore } from '../../../test/helpers/stores.js';
import type { BlockRef, FollowerCheckpoint } from './follower.js';
import { createFollowerCheckpointRepository } from './follower-checkpoint.repository.js';

const hash = (tag: string, n: number) => `0x${tag}${n.toString(16).padStart(63, '0')}`;
const blocks = (tag: string, from: number, to: number): BlockRef[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ number: from + i, hash: hash(tag, from + i) }));
const checkpointAt = (tag: string, from: number, to: number): FollowerCheckpoint => ({
  number: to,
  hash: hash(tag, to),
  recent: blocks(tag, from, to),
});

for (const { label, open } of STORES) {
  describe(`follower checkpoint repository on ${label}`, () => {
    let t: TestStore;
    before(async () => {
      t = await open();
    });
    after(async () => {
      await t?.dispose();
    });

    test('a follower that never saved has no checkpoint', async () => {
      assert.equal(await createFollowerCheckpointRepository(t.store.db).load('never'), undefined);
    });

    test('save then load round-trips the head and the recent hashes in order', async () => {
      const repo = createFollowerCheckpointRepository(t.store.db);
      const cp = checkpointAt('a', 95, 100);
      await repo.save('eth', cp);
      assert.deepEqual(await repo.load('eth'), cp);
    });

    test('a later save replaces the window: older hashes are forgotten', async () => {
      const repo = createFollowerCheckpointRepository(t.store.db);
      await repo.save('slide', checkpointAt('a', 0, 5));
      const moved = checkpointAt('a', 4, 9);
      await repo.save('slide', moved);
      assert.deepEqual(await repo.load('slide'), moved);
    });

    test('a rewind forgets the orphaned hashes; the new fork overwrites the same heights', async () => {
      const repo = createFollowerCheckpointRepository(t.store.db);
      await repo.save('reorg', checkpointAt('a', 0, 9));
      const rewound: FollowerCheckpoint = { number: 6, hash: hash('a', 6), recent: blocks('a', 0, 6) };
      await repo.save('reorg', rewound);
      assert.deepEqual(await repo.load('reorg'), rewound);
      const forked: FollowerCheckpoint = {
        number: 8,
        hash: hash('b', 8),
        recent: [...blocks('a', 0, 6), ...blocks('b', 7, 8)],
      };
      await repo.save('reorg', forked);
      assert.deepEqual(await repo.load('reorg'), forked);
    });

    test('followers do not see each other, and heights beyond 2^31 survive', async () => {
      const repo = createFollowerCheckpointRepository(t.store.db);
      const high = checkpointAt('c', 3_000_000_000, 3_000_000_002);
      await repo.save('tron', high);
      await repo.save('bsc', checkpointAt('d', 1, 2));
      assert.deepEqual(await repo.load('tron'), high);
      assert.deepEqual(await repo.load('bsc'), checkpointAt('d', 1, 2));
    });

    test('the checkpoint persists across a reopen of the store', async () => {
      const cp = checkpointAt('e', 40, 42);
      await createFollowerCheckpointRepository(t.store.db).save('persist', cp);
      await t.store.close();
      const reopened = await t.reopen();
      assert.deepEqual(await createFollowerCheckpointRepository(reopened.db).load('persist'), cp);
    });
  });
}
