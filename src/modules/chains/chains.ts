/**
 * The chain registry: canonical chain ids, their address families, and the mapping from the
 * currency / network codes that lists and exchanges use (XBT, TRX, BEP-20, USDT, …) to those ids.
 */

/** Every canonical chain id. */
export const CHAINS = [
  'bitcoin',
  'ethereum',
  'bsc',
  'polygon',
  'arbitrum',
  'optimism',
  'base',
  'avalanche',
  'ethereum-classic',
  'tron',
  'bitcoin-cash',
  'bitcoin-sv',
  'litecoin',
  'bitcoin-gold',
  'dash',
  'zcash',
  'dogecoin',
  'verge',
  'xrp',
  'monero',
  'bnb-beacon',
  'solana',
] as const;

/** A canonical chain id. */
export type Chain = (typeof CHAINS)[number];

/** The EVM chains: one 20-byte account format shared by all of them. */
export const EVM_CHAINS = [
  'ethereum',
  'bsc',
  'polygon',
  'arbitrum',
  'optimism',
  'base',
  'avalanche',
  'ethereum-classic',
] as const satisfies readonly Chain[];

/** A chain id of the EVM family. */
export type EvmChain = (typeof EVM_CHAINS)[number];

/**
 * Address family: chains of one family share an address grammar. `bitcoin-like` covers the
 * Bitcoin-derived UTXO chains (base58check, bech32, cashaddr); `cosmos` is a bech32 account address
 * (the retired BNB Beacon Chain).
 */
export type ChainFamily = 'evm' | 'bitcoin-like' | 'tron' | 'solana' | 'xrp' | 'monero' | 'cosmos';

const CHAIN_SET: ReadonlySet<string> = new Set<string>(CHAINS);
const EVM_SET: ReadonlySet<string> = new Set<string>(EVM_CHAINS);

const FAMILY: Readonly<Record<Chain, ChainFamily>> = {
  bitcoin: 'bitcoin-like',
  ethereum: 'evm',
  bsc: 'evm',
  polygon: 'evm',
  arbitrum: 'evm',
  optimism: 'evm',
  base: 'evm',
  avalanche: 'evm',
  'ethereum-classic': 'evm',
  tron: 'tron',
  'bitcoin-cash': 'bitcoin-like',
  'bitcoin-sv': 'bitcoin-like',
  litecoin: 'bitcoin-like',
  'bitcoin-gold': 'bitcoin-like',
  dash: 'bitcoin-like',
  zcash: 'bitcoin-like',
  dogecoin: 'bitcoin-like',
  verge: 'bitcoin-like',
  xrp: 'xrp',
  monero: 'monero',
  'bnb-beacon': 'cosmos',
  solana: 'solana',
};

/** Whether a string is a canonical chain id (exact, lower case). */
export function isChain(value: string): value is Chain {
  return CHAIN_SET.has(value);
}

/** Whether a chain id names an EVM chain. */
export function isEvmChain(chain: string): chain is EvmChain {
  return EVM_SET.has(chain);
}

/** The address family of a chain. */
export function chainFamily(chain: Chain): ChainFamily {
  return FAMILY[chain];
}

/** What a token code resolves to: the chain is read from the address format. */
export type TokenCode = 'token';

/** Codes (lower case) that are not chain ids themselves. Token codes map to `'token'`. */
const CODES: ReadonlyMap<string, Chain | TokenCode> = new Map<string, Chain | TokenCode>([
  ['xbt', 'bitcoin'],
  ['btc', 'bitcoin'],
  ['eth', 'ethereum'],
  ['erc20', 'ethereum'],
  ['erc-20', 'ethereum'],
  ['etc', 'ethereum-classic'],
  ['bsc', 'bsc'],
  ['bnb', 'bsc'],
  ['bep20', 'bsc'],
  ['bep-20', 'bsc'],
  ['bep2', 'bnb-beacon'],
  ['bep-2', 'bnb-beacon'],
  ['arb', 'arbitrum'],
  ['matic', 'polygon'],
  ['pol', 'polygon'],
  ['op', 'optimism'],
  ['avax', 'avalanche'],
  ['trx', 'tron'],
  ['trc20', 'tron'],
  ['trc-20', 'tron'],
  ['ltc', 'litecoin'],
  ['bch', 'bitcoin-cash'],
  ['bsv', 'bitcoin-sv'],
  ['btg', 'bitcoin-gold'],
  ['zec', 'zcash'],
  ['doge', 'dogecoin'],
  ['sol', 'solana'],
  ['xmr', 'monero'],
  ['xvg', 'verge'],
  ['usdt', 'token'],
  ['usdc', 'token'],
  ['dai', 'token'],
  ['busd', 'token'],
  ['usdh', 'token'],
]);

/** Longest code or chain id worth lower-casing; anything longer cannot resolve. */
const MAX_CODE_LENGTH = 24;

/**
 * Resolves a list / currency / network code or a chain id, case-insensitively, to a chain id, to
 * `'token'` for a token whose chain follows from the address format (USDT, USDC, DAI, BUSD, USDH), or
 * to undefined when unknown. Surrounding whitespace is ignored.
 */
export function resolveChainCode(code: string): Chain | TokenCode | undefined {
  if (code.length === 0 || code.length > MAX_CODE_LENGTH + 8) return undefined;
  const lower = code.trim().toLowerCase();
  if (lower.length > MAX_CODE_LENGTH) return undefined;
  if (CHAIN_SET.has(lower)) return lower as Chain;
  return CODES.get(lower);
}
