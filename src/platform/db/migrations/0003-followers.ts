import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Chain followers: where each follower stands (the last block it handed on) and the hashes of the
 * blocks before it, so a restart resumes there and a reorg can be walked back to its fork point.
 */
export const migration0003Followers: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('follower_checkpoints')
      .addColumn('follower_id', 'text', (c) => c.primaryKey())
      .addColumn('block_number', 'bigint', (c) => c.notNull())
      .addColumn('block_hash', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('follower_blocks')
      .addColumn('follower_id', 'text', (c) =>
        c.notNull().references('follower_checkpoints.follower_id').onDelete('cascade'),
      )
      .addColumn('block_number', 'bigint', (c) => c.notNull())
      .addColumn('block_hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('follower_blocks_pk', ['follower_id', 'block_number'])
      .execute();
  },
};
