import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Watchlists and attributions: immutable versions per source, their entities, addresses and
 * attributions, the active pointer per source (switched atomically), and the diff events that
 * trigger re-screening.
 */
export const migration0002Lists: Migration = {
  async up(db: Kysely<unknown>) {
    // A version is written in batches while it is parsed (state 'staging', invisible to readers),
    // then sealed (state 'ready', label `<source>@<hash16>`) and activated in one short transaction.
    await db.schema
      .createTable('list_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'serial', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.unique())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text')
      .addColumn('files', 'jsonb', (c) => c.notNull())
      .addColumn('counts', 'jsonb', (c) => c.notNull())
      .addColumn('warnings', 'jsonb', (c) => c.notNull())
      .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('imported_by', 'text')
      .addUniqueConstraint('list_versions_source_hash', ['source', 'content_hash'])
      .execute();

    await db.schema
      .createTable('list_entities')
      .addColumn('version_id', 'text', (c) => c.notNull().references('list_versions.id'))
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      // canonical JSON as text: stored and returned as is, never queried inside
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('list_entities_pk', ['version_id', 'entity_id'])
      .execute();
    // No separate index on entity_id: every lookup names the version too, which the primary key covers.

    await db.schema
      .createTable('list_addresses')
      .addColumn('version_id', 'text', (c) => c.notNull().references('list_versions.id'))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('address_key', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('confidence', 'real', (c) => c.notNull())
      .addColumn('attributed_by', 'text')
      .addColumn('valid_from', 'text')
      .addColumn('valid_to', 'text')
      .execute();
    await db.schema
      .createIndex('list_addresses_version')
      .on('list_addresses')
      .columns(['version_id', 'address_key'])
      .execute();
    await db.schema.createIndex('list_addresses_key').on('list_addresses').column('address_key').execute();

    await db.schema
      .createTable('list_active')
      .addColumn('source', 'text', (c) => c.primaryKey())
      .addColumn('version_id', 'text', (c) => c.notNull().references('list_versions.id'))
      .addColumn('activated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('activated_by', 'text')
      .execute();

    await db.schema
      .createTable('list_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('from_version', 'text')
      .addColumn('to_version', 'text', (c) => c.notNull())
      .addColumn('summary', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('published_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('list_events_created').on('list_events').column('created_at').execute();
  },
};
