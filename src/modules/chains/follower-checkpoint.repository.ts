import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { CheckpointStore, FollowerCheckpoint } from './follower.js';

/**
 * Follower checkpoints in the store (PGlite or PostgreSQL): one row per follower for the block it
 * stands on, and its recent block hashes in `follower_blocks`. A save replaces both in one
 * transaction, so a crash leaves either the old checkpoint or the new one.
 */
export function createFollowerCheckpointRepository(db: Kysely<Database>): CheckpointStore {
  return {
    async load(followerId) {
      const head = await db
        .selectFrom('follower_checkpoints')
        .select(['block_number', 'block_hash'])
        .where('follower_id', '=', followerId)
        .executeTakeFirst();
      if (head === undefined) return undefined;
      const rows = await db
        .selectFrom('follower_blocks')
        .select(['block_number', 'block_hash'])
        .where('follower_id', '=', followerId)
        .orderBy('block_number')
        .execute();
      const checkpoint: FollowerCheckpoint = {
        number: Number(head.block_number),
        hash: head.block_hash,
        recent: rows.map((r) => ({ number: Number(r.block_number), hash: r.block_hash })),
      };
      return checkpoint;
    },

    async save(followerId, checkpoint) {
      const now = new Date();
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('follower_checkpoints')
          .values({
            follower_id: followerId,
            block_number: checkpoint.number,
            block_hash: checkpoint.hash,
            updated_at: now,
          })
          .onConflict((oc) =>
            oc.column('follower_id').doUpdateSet({
              block_number: checkpoint.number,
              block_hash: checkpoint.hash,
              updated_at: now,
            }),
          )
          .execute();
        // The kept hashes become exactly `recent`: a rewind forgets those above, an advance the oldest.
        const keep = checkpoint.recent.map((b) => String(b.number));
        let stale = tx.deleteFrom('follower_blocks').where('follower_id', '=', followerId);
        if (keep.length > 0) stale = stale.where('block_number', 'not in', keep);
        await stale.execute();
        if (keep.length === 0) return;
        await tx
          .insertInto('follower_blocks')
          .values(
            checkpoint.recent.map((b) => ({
              follower_id: followerId,
              block_number: b.number,
              block_hash: b.hash,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['follower_id', 'block_number']).doUpdateSet((eb) => ({
              block_hash: eb.ref('excluded.block_hash'),
            })),
          )
          .execute();
      });
    },
  };
}
