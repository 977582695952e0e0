/**
 * The shapes of clustering: merges and their evidence, the attribution port, what a cluster query
 * returns, and the rule parameters with their defaults. Semantics and the reasons for the defaults:
 * docs/clustering.md.
 */

/** Why two or more addresses were put in one cluster. */
export type MergeHeuristic = 'common-input' | 'deposit-reuse' | 'manual';

/** Every heuristic, for validation and counters. */
export const MERGE_HEURISTICS: readonly MergeHeuristic[] = ['common-input', 'deposit-reuse', 'manual'];

/** Common-input evidence: the spending transaction's shape, for the analyst to judge. */
export interface CommonInputDetail {
  /** The UTXO chain (`bitcoin`, `litecoin`, …): forks share transaction hashes, so a tx is per chain. */
  readonly chain: string;
  /** Inputs of the transaction. */
  readonly inputs: number;
  /** Distinct input addresses (all merged). */
  readonly distinctInputs: number;
  readonly outputs: number;
}

/** One on-chain movement quoted as evidence; `amountBase` is a decimal string of base units. */
export interface LegEvidence {
  readonly tx: string;
  readonly from: string;
  readonly to: string;
  readonly chain: string;
  readonly asset: string;
  readonly amountBase: string;
  readonly timestamp: number;
}

/** Deposit-reuse evidence: the deposit address, the exchange it sweeps to, and the transfers. */
export interface DepositReuseDetail {
  /** The address both wallets paid into (the exchange deposit address). */
  readonly depositAddress: string;
  /** The exchange its sweeps went to, as attributed. */
  readonly exchange: { readonly entityId: string; readonly entityName: string };
  /** The qualifying deposit of each merged wallet into the deposit address. */
  readonly deposits: readonly LegEvidence[];
  /** The sweeps from the deposit address to the exchange that followed those deposits. */
  readonly forwards: readonly LegEvidence[];
  /** Share of what the deposit address received (in the deposits' asset) that it swept, at merge time. */
  readonly forwardRatio: number;
  /** Distinct customer-like senders the deposit address had at merge time. */
  readonly senders: number;
}

/** Manual evidence: an analyst's statement. */
export interface ManualDetail {
  readonly reason: string;
  readonly actor?: string;
}

/** When, why and by whom a merge was undone. */
export interface UndoInfo {
  readonly reason: string;
  readonly actor?: string;
  /** Unix seconds, when the caller gives it (pure code reads no clock). */
  readonly at?: number;
}

interface MergeBase {
  /** Sequential id, stable across export and restore. */
  readonly id: number;
  /**
   * The transaction that proves the merge: the spending transaction (common-input), the newly
   * merged wallet's deposit (deposit-reuse), or the analyst's reference (manual).
   */
  readonly tx: string;
  /** Address keys put in one cluster (at least two, distinct). */
  readonly addresses: readonly string[];
  /** Unix seconds of the evidence transaction (manual: when the analyst merged). */
  readonly timestamp: number;
  readonly status: 'active' | 'undone';
  readonly undone?: UndoInfo;
}

/** One merge with its evidence, as kept in the merge log. */
export type MergeEvidence =
  | (MergeBase & { readonly heuristic: 'common-input'; readonly detail: CommonInputDetail })
  | (MergeBase & { readonly heuristic: 'deposit-reuse'; readonly detail: DepositReuseDetail })
  | (MergeBase & { readonly heuristic: 'manual'; readonly detail: ManualDetail });

/** The detail type for a heuristic. */
export type MergeDetail = MergeEvidence['detail'];

/**
 * An attribution of one address, as the clusterer needs it. The screening address index's hits
 * have this shape, so `(key) => index.lookupKey(key)` is a valid lookup.
 */
export interface AttributionRef {
  readonly entityId: string;
  readonly entityName: string;
  readonly category: string;
  readonly source: string;
  /** 0..1 */
  readonly confidence: number;
}

/**
 * The port to the active lists and attribution files: an address key's attributions, or
 * undefined/empty when it has none. Called at query time, so a new list version needs no rebuild.
 */
export type AttributionLookup = (addressKey: string) => readonly AttributionRef[] | undefined;

/** An attribution a cluster inherits from one of its members, with the path of evidence. */
export interface ClusterAttribution {
  readonly entityId: string;
  readonly entityName: string;
  readonly category: string;
  readonly source: string;
  /** Listed confidence discounted by the heuristic factor of every merge on `via`. */
  readonly confidence: number;
  /** The confidence the list or attribution file gives the member. */
  readonly listedConfidence: number;
  /** The attributed member the confidence comes from (the best one when several carry it). */
  readonly member: string;
  /** Members carrying this entity and category. */
  readonly members: number;
  /** Merges leading from the queried address to `member`, in order; empty when it is the address itself. */
  readonly via: readonly MergeEvidence[];
}

/** The cluster an address belongs to, with its inherited attributions. */
export interface ClusterView {
  /** The queried address key. */
  readonly address: string;
  /** Whether the address is in any merge (active or undone). */
  readonly known: boolean;
  /**
   * The key of the member that entered the merge log first. A cluster keeps its id as it grows;
   * when two clusters merge the older id wins; it changes only when an undo splits the cluster.
   * The same after `exportLog` → `restoreClusterer` (ids follow the log order).
   */
  readonly clusterId: string;
  readonly size: number;
  /** Members, the queried address first, at most `memberLimit`. */
  readonly members: readonly string[];
  readonly membersTruncated: boolean;
  /** Best first (confidence, then entity id). */
  readonly attributions: readonly ClusterAttribution[];
}

/** Which merges to list; every field narrows, none means all (newest first). */
export interface MergeFilter {
  /** Merges that include this address key. */
  readonly address?: string;
  readonly heuristic?: MergeHeuristic;
  readonly tx?: string;
  /** Default `all`. */
  readonly status?: 'active' | 'undone' | 'all';
  /** Merges whose `detail.depositAddress` is this key. */
  readonly depositAddress?: string;
  /** Only ids below this (paging newest first). */
  readonly beforeId?: number;
  /** Default 100. */
  readonly limit?: number;
}

/**
 * When a UTXO transaction looks like a CoinJoin (many owners in one transaction), its inputs are
 * not merged. Structural tests only; defaults catch Whirlpool, JoinMarket, Wasabi 1 and 2 shapes.
 */
export interface CoinJoinConfig {
  /** Distinct input addresses a mix needs (default 3). */
  readonly minDistinctInputs: number;
  /** Outputs of one identical amount a mix needs (default 3). */
  readonly minEqualOutputs: number;
  /**
   * Equal outputs count as a mix when they are at least this share of all outputs (default 0.5:
   * JoinMarket's n equal + n − 1 change), or at least the distinct inputs (Whirlpool's 5 × 5).
   */
  readonly minEqualOutputShare: number;
  /** Multi-denomination mixes (Wasabi 2): distinct inputs needed (default 10). */
  readonly multiDenominationMinInputs: number;
  /** … outputs needed (default 10). */
  readonly multiDenominationMinOutputs: number;
  /** … distinct amounts that each occur at least twice (default 2). */
  readonly multiDenominationMinRepeated: number;
  /** … share of outputs whose amount occurs at least twice (default 0.5). */
  readonly multiDenominationMinShare: number;
}

/** Parameters of the deposit-address-reuse rule; see docs/clustering.md for each default. */
export interface DepositReuseConfig {
  /** A deposit counts only when a sweep to the exchange follows within this many seconds (default 86 400). */
  readonly maxForwardDelaySec: number;
  /** Swept to the exchange ÷ received from customers, per asset, at least (default 0.9). */
  readonly minForwardRatio: number;
  /** Sent anywhere but the exchange ÷ received, per asset, at most (default 0.1). */
  readonly maxOtherOutShare: number;
  /**
   * Distinct customer-like senders above which the address is a busy or shared one, not a personal
   * deposit address: no merges, and earlier merges through it are undone (default 3).
   */
  readonly maxSenders: number;
  /**
   * A deposit smaller than this share of the sweep that follows it is dust (address poisoning) and
   * neither merges its sender nor counts it as a customer (default 0.01).
   */
  readonly minDepositShare: number;
  /** Categories whose addresses are exchange hot wallets (default `exchange`). */
  readonly exchangeCategories: readonly string[];
  /**
   * Senders attributed with one of these are services paying into the address (an exchange
   * withdrawal, a bridge), never customers: ignored (default exchange, bridge, mixer, gambling,
   * darknet-market, guarantee-marketplace, special-measures).
   */
  readonly serviceCategories: readonly string[];
  /** Undo merges through an address once it turns out busy or not a deposit address (default true). */
  readonly revokeWhenBusy: boolean;
  /**
   * Forget a candidate without merges after this many seconds without activity, measured against
   * the newest timestamp seen (default 604 800, a week); bounds memory on long imports.
   */
  readonly staleAfterSec: number;
  /**
   * Chains the rule applies to (transfer `chain` values). Default: the account chains (EVM, TRON,
   * Solana); UTXO chains use common-input instead.
   */
  readonly chains?: readonly string[];
}

/** How much each merge on an evidence path keeps of a listed confidence. */
export type HeuristicFactors = Readonly<Record<MergeHeuristic, number>>;

/** Everything the clusterer can be told; all optional. */
export interface ClustererConfig {
  /** The attribution port (default: nothing is attributed). */
  readonly attributions?: AttributionLookup;
  readonly factors?: Partial<HeuristicFactors>;
  readonly coinjoin?: Partial<CoinJoinConfig>;
  /** `false` turns the rule off. */
  readonly depositReuse?: Partial<DepositReuseConfig> | false;
  /** Members listed by `clusterOf` (default 100). */
  readonly memberLimit?: number;
  /** Recent skipped UTXO transactions kept for `exclusions()` (default 1000). */
  readonly keepExclusions?: number;
}

/**
 * Default confidence factors: a common-input merge is near-certain ownership outside CoinJoins
 * (0.95); deposit reuse is weaker (0.8: shared deposit addresses, scam victims paying one address);
 * an analyst's manual merge keeps the confidence (1).
 */
export const DEFAULT_FACTORS: HeuristicFactors = { 'common-input': 0.95, 'deposit-reuse': 0.8, manual: 1 };

/** Default CoinJoin detection thresholds (see CoinJoinConfig). */
export const DEFAULT_COINJOIN: CoinJoinConfig = {
  minDistinctInputs: 3,
  minEqualOutputs: 3,
  minEqualOutputShare: 0.5,
  multiDenominationMinInputs: 10,
  multiDenominationMinOutputs: 10,
  multiDenominationMinRepeated: 2,
  multiDenominationMinShare: 0.5,
};

/** Default deposit-reuse parameters (see DepositReuseConfig). */
export const DEFAULT_DEPOSIT_REUSE: DepositReuseConfig = {
  maxForwardDelaySec: 86_400,
  minForwardRatio: 0.9,
  maxOtherOutShare: 0.1,
  maxSenders: 3,
  minDepositShare: 0.01,
  exchangeCategories: ['exchange'],
  serviceCategories: [
    'exchange',
    'bridge',
    'mixer',
    'gambling',
    'darknet-market',
    'guarantee-marketplace',
    'special-measures',
  ],
  revokeWhenBusy: true,
  staleAfterSec: 604_800,
};

/** Why a UTXO transaction produced no merge. */
export type SkipReason = 'single-input' | 'single-owner' | 'coinjoin' | 'duplicate' | 'undone';

/** A UTXO transaction that was not merged, and why (kept for analysts: `exclusions()`). */
export interface Exclusion {
  readonly tx: string;
  readonly timestamp: number;
  readonly reason: SkipReason;
  /** One line for the analyst, e.g. `CoinJoin (equal-outputs): 5 distinct inputs, 5 of 5 outputs of 5000000`. */
  readonly explanation: string;
}

/** What feeding one UTXO transaction did. */
export type UtxoOutcome =
  /** `merge` is built on first access: bulk ingestion rarely reads it. */
  | { readonly action: 'merged'; readonly merge: MergeEvidence }
  | { readonly action: 'skipped'; readonly exclusion: Exclusion };

/** Counters for monitoring and the benchmark. */
export interface ClusterStats {
  /** Addresses the clusterer knows. */
  readonly addresses: number;
  /** Clusters of two or more addresses. */
  readonly clusters: number;
  /** Addresses in clusters of two or more. */
  readonly clusteredAddresses: number;
  readonly largestCluster: number;
  readonly merges: {
    readonly active: number;
    readonly undone: number;
    readonly byHeuristic: Readonly<Record<MergeHeuristic, number>>;
  };
  readonly skipped: Readonly<Record<SkipReason, number>>;
  /** Addresses being watched as possible deposit addresses, and those ruled out as busy. */
  readonly depositCandidates: number;
  readonly busyDepositAddresses: number;
}
