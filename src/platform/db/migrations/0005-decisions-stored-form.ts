import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Decisions store less (docs/decisions.md, "What a decision stores"):
 *
 * - the unique key on decisions (kind, client id) goes: the transfers' key on the same pair already
 *   enforces it (a decision belongs to exactly one transfer, `transfer_id` is unique, and both rows are
 *   written together from the same request), and the idempotency look-up reads that key instead;
 * - `reasons`, `policies` and `list_versions` are no longer written: the stored answer (`response`,
 *   the bytes sent) carries all three. Rows written before keep theirs, so the columns stay, nullable.
 *
 * Nothing already stored changes: the immutability trigger guards rows, and this only changes the
 * table's constraints.
 */
export const migration0005DecisionsStoredForm: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table decisions drop constraint decisions_kind_client_id`.execute(db);
    await sql`alter table decisions alter column reasons drop not null,
      alter column policies drop not null, alter column list_versions drop not null`.execute(db);
  },
};
