/** Graph: transfers, the transfer graph, clustering, exposure and typology detection. */

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
