/** Graph: transfers, the transfer graph, clustering, exposure and typology detection. */

export { analyzeCommand } from './analyze.command.js';
export { clusterRoutes } from './cluster.routes.js';
export {
  type AttributionLookup,
  type AttributionRef,
  type ClusterAttribution,
  type Clusterer,
  type ClustererConfig,
  type ClusterStats,
  type ClusterView,
  createClusterer,
  DEFAULT_COINJOIN,
  DEFAULT_DEPOSIT_REUSE,
  DEFAULT_FACTORS,
  type DepositReuseConfig,
  detectCoinJoin,
  type Exclusion,
  type ManualMergeInput,
  type MergeEvidence,
  type MergeFilter,
  type MergeHeuristic,
  restoreClusterer,
  type TransferOutcome,
  type UndoInfo,
  type UndoResult,
  type UtxoOutcome,
} from './clustering/index.js';
export {
  computeExposure,
  type ExposureResult,
  MAX_HOPS,
  type NodeFlag,
  SERVICE_CATEGORIES,
} from './exposure.js';
export type {
  CategoryExposure,
  DirectionalExposure,
  ExposureDirection,
  ExposureItem,
  ExposureMethod,
  ExposureQuery,
  ExposureReport,
  PathTransfer,
} from './exposure-model.js';
export { exposureCommand, graphCommand } from './graph.command.js';
export { createTransferGraph, type GraphAsset, type TransferGraph } from './graph.js';
export { graphRoutes } from './graph.routes.js';
export {
  createGraphService,
  DEFAULT_GRAPH_SETTINGS,
  type FlagSource,
  type GraphService,
  type GraphSettings,
  type GraphStats,
} from './graph.service.js';
export { openSegmentStore, type SegmentStore } from './graph-segments.repository.js';
export { createFingerprintSet, type FingerprintSet, transferFingerprint } from './segment.js';
export { type AddressSubject, resolveSubject } from './subject.js';
export {
  displayAddress,
  type LineError,
  parseTransferLine,
  readTransferObject,
  type Transfer,
  type TransferLine,
  type TransferParseOptions,
  transferToJson,
  type UtxoLeg,
  type UtxoTransaction,
  utxoToTransfers,
} from './transfer.js';
export {
  alertToJson,
  createRng,
  DEFAULT_TYPOLOGY_CONFIG,
  detectTypologies,
  evaluateAlerts,
  generateTypologyData,
  parseTypologyConfig,
  TYPOLOGIES,
  type Typology,
  type TypologyAlert,
  type TypologyConfig,
  type TypologyLabel,
  type TypologyScore,
} from './typologies/index.js';
