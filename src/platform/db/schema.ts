import type { ColumnType } from 'kysely';

/**
 * The row types of every table, as the store holds them (snake_case columns). Repositories map
 * them to camelCase domain types; nothing above a repository sees these names.
 *
 * The schema itself is created by the forward-only migrations in `./migrations`.
 */
export interface Database {
  api_keys: ApiKeyTable;
  list_versions: ListVersionTable;
  list_entities: ListEntityTable;
  list_addresses: ListAddressTable;
  list_active: ListActiveTable;
  list_events: ListEventTable;
  follower_checkpoints: FollowerCheckpointTable;
  follower_blocks: FollowerBlockTable;
  customers: CustomerTable;
  customer_screenings: CustomerScreeningTable;
  transfers: TransferTable;
  transfer_addresses: TransferAddressTable;
  decisions: DecisionTable;
  policy_packs: PolicyPackTable;
  policy_versions: PolicyVersionTable;
  shadow_results: ShadowResultTable;
  alerts: AlertTable;
  lookback_jobs: LookbackJobTable;
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

type Json<T> = ColumnType<T, string, string>;
/** A JSON column no longer written: null in rows written since. */
type OldJson = ColumnType<unknown, string | null | undefined, string | null>;

export interface ListVersionTable {
  /** Internal id (`lv_…`), referenced by entities and addresses. */
  id: string;
  /** Import order. */
  seq: ColumnType<number, never, never>;
  /** Public id, `<source>@<first 16 hex of content_hash>`; null while staging. */
  label: string | null;
  state: 'staging' | 'ready';
  source: string;
  format: string;
  /** SHA-256 over the canonical content (sorted entity hashes and attributions): equal content, equal hash. */
  content_hash: string | null;
  files: Json<{ name: string; sha256: string; bytes: number }[]>;
  counts: Json<{ entities: number; names: number; addresses: number; attributions: number }>;
  warnings: Json<{ file: string; line?: number; element?: string; message: string }[]>;
  imported_at: ColumnType<Date, Date | string | undefined, Date | string>;
  imported_by: string | null;
}

export interface ListEntityTable {
  version_id: string;
  entity_id: string;
  kind: string;
  /** Primary name, for listings. */
  name: string;
  /** SHA-256 of the entity's canonical JSON: a changed entity has a changed hash. */
  hash: string;
  /** The entity's canonical JSON. */
  data: string;
}

export interface ListAddressTable {
  version_id: string;
  /** Currency or chain code as listed. */
  currency: string;
  address: string;
  /** Chain-aware match key (see chains/address.ts). */
  address_key: string;
  entity_id: string;
  category: string;
  confidence: number;
  attributed_by: string | null;
  valid_from: string | null;
  valid_to: string | null;
}

export interface ListActiveTable {
  source: string;
  version_id: string;
  activated_at: ColumnType<Date, Date | string, Date | string>;
  activated_by: string | null;
}

export interface ListEventTable {
  id: string;
  type: string;
  source: string;
  from_version: string | null;
  to_version: string;
  summary: Json<unknown>;
  created_at: ColumnType<Date, Date | string, Date | string>;
  published_at: ColumnType<Date, Date | string, Date | string> | null;
}

/** Where a chain follower stands: the last block it handed on. */
export interface FollowerCheckpointTable {
  follower_id: string;
  /** int8: read back as a string. */
  block_number: ColumnType<string, number | bigint | string, number | bigint | string>;
  block_hash: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Recent block hashes of a follower, for walking a reorg back to its fork point. */
export interface FollowerBlockTable {
  follower_id: string;
  block_number: ColumnType<string, number | bigint | string, number | bigint | string>;
  block_hash: string;
}

/** Decisions (0004): JSON columns are written as text and read back parsed or as text (repositories accept both). */
export interface CustomerTable {
  id: string;
  type: string;
  primary_name: string;
  profile: Json<unknown>;
  legal_entity: string;
  jurisdiction: string;
  kyc_level: number;
  expected_monthly_volume_usd: number | null;
  screening: Json<unknown>;
  risk_rating: string;
  risk: Json<unknown>;
  version: number;
  request_hash: string;
  idempotency_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomerScreeningTable {
  id: string;
  customer_id: string;
  customer_version: number;
  trigger: string;
  status: string;
  versions: Json<unknown>;
  matches: Json<unknown>;
  error: string | null;
  screened_at: Timestamp;
}

export interface TransferTable {
  id: string;
  kind: string;
  client_id: string;
  request_hash: string;
  customer_id: string;
  chain: string;
  asset: string;
  /** numeric: read back as a string. */
  amount_base: ColumnType<string, string, string>;
  decimals: number;
  amount_usd: number | null;
  price_usd: string | null;
  near_threshold: boolean;
  counterparties: Json<unknown>;
  own_address: string | null;
  tx: string | null;
  action: string;
  received_at: Timestamp;
}

export interface TransferAddressTable {
  transfer_id: string;
  address_key: string;
  address: string;
  customer_id: string;
  kind: string;
  received_at: Timestamp;
}

export interface DecisionTable {
  id: string;
  transfer_id: string;
  kind: string;
  client_id: string;
  customer_id: string;
  action: string;
  risk_score: number;
  /** Written before migration 0005 only (null since): the stored answer, `response`, carries them. */
  reasons: OldJson;
  policies: OldJson;
  list_versions: OldJson;
  /** The inputs in their stored form (decision-inputs.ts): read them through `expandInputs`. */
  inputs: Json<unknown>;
  response: string;
  decided_at: Timestamp;
}

export interface PolicyPackTable {
  id: string;
  jurisdiction: string;
  name: string;
  created_at: Timestamp;
}

export interface PolicyVersionTable {
  pack_id: string;
  version: number;
  status: string;
  definition: Json<unknown>;
  hash: string;
  shadow: ColumnType<boolean, boolean | undefined, boolean>;
  note: string | null;
  created_at: Timestamp;
  created_by: string | null;
  published_at: Timestamp | null;
  published_by: string | null;
}

export interface ShadowResultTable {
  id: string;
  pack_id: string;
  version: number;
  decision_id: string;
  would_action: string;
  actual_action: string;
  reasons: Json<unknown>;
  created_at: Timestamp;
}

export interface AlertTable {
  id: string;
  kind: string;
  customer_id: string | null;
  transfer_id: string | null;
  decision_id: string | null;
  reason: string;
  evidence: Json<unknown>;
  status: string;
  dedup_key: string;
  created_at: Timestamp;
}

export interface LookbackJobTable {
  id: string;
  trigger_id: string;
  source: string;
  from_version: string | null;
  to_version: string;
  since: Timestamp | null;
  status: string;
  phase: string;
  cursor: string | null;
  progress: Json<unknown>;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}
