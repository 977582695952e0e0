import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Real-time decisions: customers and their screenings, transfers and their immutable decisions
 * (one per transfer, the client's id unique per kind), policy packs and their versions (immutable
 * once published), shadow results, alerts, and the look-back jobs with their resumable cursors.
 */
export const migration0004Decisions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('customers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('primary_name', 'text', (c) => c.notNull())
      // names, birth date, nationality, residence: read and written whole
      .addColumn('profile', 'jsonb', (c) => c.notNull())
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('jurisdiction', 'text', (c) => c.notNull())
      .addColumn('kyc_level', 'integer', (c) => c.notNull())
      .addColumn('expected_monthly_volume_usd', 'double precision')
      .addColumn('screening', 'jsonb', (c) => c.notNull())
      .addColumn('risk_rating', 'text', (c) => c.notNull())
      .addColumn('risk', 'jsonb', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.unique())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('customers_created').on('customers').columns(['created_at', 'id']).execute();

    await db.schema
      .createTable('customer_screenings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
      .addColumn('customer_version', 'integer', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('versions', 'jsonb', (c) => c.notNull())
      .addColumn('matches', 'jsonb', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('screened_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('customer_screenings_customer')
      .on('customer_screenings')
      .columns(['customer_id', 'screened_at'])
      .execute();

    await db.schema
      .createTable('transfers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('chain', 'text', (c) => c.notNull())
      .addColumn('asset', 'text', (c) => c.notNull())
      // exact base units (up to 2^128), never a float
      .addColumn('amount_base', sql`numeric(80, 0)`, (c) => c.notNull())
      .addColumn('decimals', 'integer', (c) => c.notNull())
      .addColumn('amount_usd', 'double precision')
      .addColumn('price_usd', 'text')
      .addColumn('near_threshold', 'boolean', (c) => c.notNull())
      .addColumn('counterparties', 'jsonb', (c) => c.notNull())
      .addColumn('own_address', 'text')
      .addColumn('tx', 'text')
      // the decision's action, kept here so behaviour aggregates read one table
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('received_at', 'timestamptz', (c) => c.notNull())
      .addUniqueConstraint('transfers_kind_client_id', ['kind', 'client_id'])
      .execute();
    await db.schema
      .createIndex('transfers_customer_time')
      .on('transfers')
      .columns(['customer_id', 'received_at'])
      .execute();

    // One row per counterparty address of a transfer: look-back finds past transfers by match key.
    await db.schema
      .createTable('transfer_addresses')
      .addColumn('transfer_id', 'text', (c) => c.notNull().references('transfers.id'))
      .addColumn('address_key', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('received_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('transfer_addresses_pk', ['transfer_id', 'address_key'])
      .execute();
    await db.schema
      .createIndex('transfer_addresses_key')
      .on('transfer_addresses')
      .columns(['address_key', 'received_at'])
      .execute();

    await db.schema
      .createTable('decisions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('transfer_id', 'text', (c) => c.notNull().unique().references('transfers.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('risk_score', 'integer', (c) => c.notNull())
      .addColumn('reasons', 'jsonb', (c) => c.notNull())
      .addColumn('policies', 'jsonb', (c) => c.notNull())
      .addColumn('list_versions', 'jsonb', (c) => c.notNull())
      .addColumn('inputs', 'jsonb', (c) => c.notNull())
      // the answer exactly as sent: a retry gets these bytes back
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
      .addUniqueConstraint('decisions_kind_client_id', ['kind', 'client_id'])
      .execute();
    await db.schema
      .createIndex('decisions_customer')
      .on('decisions')
      .columns(['customer_id', 'decided_at'])
      .execute();

    await db.schema
      .createTable('policy_packs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('jurisdiction', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('policy_versions')
      .addColumn('pack_id', 'text', (c) => c.notNull().references('policy_packs.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('definition', 'jsonb', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('shadow', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('note', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('published_at', 'timestamptz')
      .addColumn('published_by', 'text')
      .addPrimaryKeyConstraint('policy_versions_pk', ['pack_id', 'version'])
      .execute();

    await db.schema
      .createTable('shadow_results')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pack_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('decision_id', 'text', (c) => c.notNull().references('decisions.id'))
      .addColumn('would_action', 'text', (c) => c.notNull())
      .addColumn('actual_action', 'text', (c) => c.notNull())
      .addColumn('reasons', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('shadow_results_version')
      .on('shadow_results')
      .columns(['pack_id', 'version', 'id'])
      .execute();

    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text')
      .addColumn('transfer_id', 'text')
      .addColumn('decision_id', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('evidence', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alerts_customer').on('alerts').columns(['customer_id', 'id']).execute();

    await db.schema
      .createTable('lookback_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // the list event (or manual request) that started it: one job per event
      .addColumn('trigger_id', 'text', (c) => c.notNull().unique())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('from_version', 'text')
      .addColumn('to_version', 'text', (c) => c.notNull())
      .addColumn('since', 'timestamptz')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('cursor', 'text')
      .addColumn('progress', 'jsonb', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('finished_at', 'timestamptz')
      .execute();

    // Decisions are evidence: once written they never change, whatever the code above does.
    await sql`
      create function cordon_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception '% rows are immutable', tg_table_name using errcode = 'P0001';
      end $$`.execute(db);
    await sql`create trigger decisions_immutable before update or delete on decisions
      for each row execute function cordon_refuse_change()`.execute(db);
    // A published policy version is what past decisions cite: it can no longer change either.
    await sql`
      create function cordon_refuse_published_change() returns trigger language plpgsql as $$
      begin
        if old.status = 'published' then
          raise exception 'published policy versions are immutable' using errcode = 'P0001';
        end if;
        return case when tg_op = 'DELETE' then old else new end;
      end $$`.execute(db);
    await sql`create trigger policy_versions_immutable before update or delete on policy_versions
      for each row execute function cordon_refuse_published_change()`.execute(db);
  },
};
