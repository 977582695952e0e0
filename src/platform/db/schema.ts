import type { ColumnType } from 'kysely';

/**
 * The row types of every table, as the store holds them (snake_case columns). Repositories map
 * them to camelCase domain types; nothing above a repository sees these names.
 *
 * The schema itself is created by the forward-only migrations in `./migrations`.
 */
export interface Database {
  api_keys: ApiKeyTable;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ApiKeyTable {
  id: string;
  name: string;
  role: string;
  /** SHA-256 of the secret part, hex. The secret itself is never stored. */
  secret_hash: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_by: string | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
