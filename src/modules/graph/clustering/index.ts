/** Clustering: union-find over addresses with evidence and undo, the heuristics, attribution inheritance. */
export {
  type Clusterer,
  createClusterer,
  type ManualMergeInput,
  restoreClusterer,
  type TransferOutcome,
  type UndoResult,
} from './clusterer.js';
export {
  analyzeCommonInput,
  type CoinJoinMatch,
  type CoinJoinPattern,
  type CommonInputDecision,
  detectCoinJoin,
} from './common-input.js';
export { isAccountChain } from './deposit-reuse.js';
export {
  type AttributionLookup,
  type AttributionRef,
  type ClusterAttribution,
  type ClustererConfig,
  type ClusterStats,
  type ClusterView,
  type CoinJoinConfig,
  type CommonInputDetail,
  DEFAULT_COINJOIN,
  DEFAULT_DEPOSIT_REUSE,
  DEFAULT_FACTORS,
  type DepositReuseConfig,
  type DepositReuseDetail,
  type Exclusion,
  type HeuristicFactors,
  type LegEvidence,
  type ManualDetail,
  type MergeEvidence,
  type MergeFilter,
  type MergeHeuristic,
  type SkipReason,
  type UndoInfo,
  type UtxoOutcome,
} from './model.js';
