/** Chains: the chain registry, address codecs (validation, normalisation, match keys) and chain followers. */

export {
  type AddressErrorCode,
  type AddressResult,
  addressKey,
  type InvalidAddress,
  inferChains,
  MAX_ADDRESS_LENGTH,
  normalizeAddress,
  type ValidAddress,
} from './address.js';
export { type Asset, assetsOf, findAsset } from './assets.js';
export {
  CHAINS,
  type Chain,
  type ChainFamily,
  chainFamily,
  EVM_CHAINS,
  type EvmChain,
  isChain,
  isEvmChain,
  resolveChainCode,
  type TokenCode,
} from './chains.js';
export {
  createEvmFollower,
  type EvmFollower,
  type EvmFollowerOptions,
  type EvmRpcClient,
} from './evm.follower.js';
export type {
  BlockRef,
  CheckpointStore,
  FollowerCheckpoint,
  FollowerLogger,
  FollowerRunResult,
  FollowerToken,
  ReorgReport,
  TransferSink,
} from './follower.js';
export { createFollowerCheckpointRepository } from './follower-checkpoint.repository.js';
export {
  type AddressMapper,
  evmAddressKey,
  tronAddressFromHex,
  tronAddressKey,
  tronAddressToHex,
} from './follower-decode.js';
