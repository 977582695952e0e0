/** Graph: transfers, the transfer graph, clustering, exposure and typology detection. */

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
