/** Chains: the chain registry and address codecs (validation, normalisation, match keys). */

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
