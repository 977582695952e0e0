/**
 * The asset registry: which assets cordon knows on which chain, with their decimals (so amounts
 * are exact base units) and the facts policies need (is it a stablecoin, can its issuer freeze it).
 * An asset is named by its symbol on a chain (`USDT` on `tron`); chains that are free labels
 * (`ledger` for off-chain account transfers) use the generic table.
 */

import { type Chain, isChain } from './chains.js';

/** One asset on one chain. */
export interface Asset {
  /** Chain id, or the free label the transfer used. */
  readonly chain: string;
  /** Upper-case symbol as transfers name it (`USDT`, `ETH`). */
  readonly symbol: string;
  /** Decimal places of the base unit. */
  readonly decimals: number;
  /** `native` coin of the chain or a `token` on it. */
  readonly kind: 'native' | 'token';
  /** Token contract in the chain's canonical address form, when known. */
  readonly contract?: string;
  /** A stablecoin pegged to a fiat currency. */
  readonly stablecoin: boolean;
  /** Whether the issuer can freeze balances (USDT, USDC can; USDH, Huione's coin, cannot). */
  readonly issuerCanFreeze: boolean;
}

type Row = [
  symbol: string,
  decimals: number,
  kind: 'native' | 'token',
  stable?: boolean,
  freeze?: boolean,
  contract?: string,
];

const EVM_STABLES: Row[] = [
  ['USDT', 6, 'token', true, true],
  ['USDC', 6, 'token', true, true],
  ['DAI', 18, 'token', true, false],
];

const TABLE: Partial<Record<Chain, Row[]>> = {
  bitcoin: [['BTC', 8, 'native']],
  'bitcoin-cash': [['BCH', 8, 'native']],
  'bitcoin-sv': [['BSV', 8, 'native']],
  'bitcoin-gold': [['BTG', 8, 'native']],
  litecoin: [['LTC', 8, 'native']],
  dash: [['DASH', 8, 'native']],
  zcash: [['ZEC', 8, 'native']],
  dogecoin: [['DOGE', 8, 'native']],
  verge: [['XVG', 6, 'native']],
  monero: [['XMR', 12, 'native']],
  xrp: [
    ['XRP', 6, 'native'],
    ['RLUSD', 15, 'token', true, true],
  ],
  solana: [
    ['SOL', 9, 'native'],
    ['USDT', 6, 'token', true, true, 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB'],
    ['USDC', 6, 'token', true, true, 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'],
  ],
  'bnb-beacon': [['BNB', 8, 'native']],
  tron: [
    ['TRX', 6, 'native'],
    ['USDT', 6, 'token', true, true, 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
    ['USDC', 6, 'token', true, true, 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8'],
    ['USDD', 18, 'token', true, false, 'TPYmHEhy5n8TCEfYGqW2rPxsghSfzghPDn'],
    // Huione Group's own stablecoin: its issuer has no freeze function (a policy fact).
    ['USDH', 6, 'token', true, false],
  ],
  ethereum: [
    ['ETH', 18, 'native'],
    ['USDT', 6, 'token', true, true, '0xdac17f958d2ee523a2206206994597c13d831ec7'],
    ['USDC', 6, 'token', true, true, '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48'],
    ['DAI', 18, 'token', true, false, '0x6b175474e89094c44da98b954eedeac495271d0f'],
    ['WETH', 18, 'token'],
    ['USDH', 6, 'token', true, false],
  ],
  bsc: [
    ['BNB', 18, 'native'],
    ['USDT', 18, 'token', true, true, '0x55d398326f99059ff775485246999027b3197955'],
    ['USDC', 18, 'token', true, true, '0x8ac76a51cc950d9822d68b83fe1ad97b32cd580d'],
  ],
  polygon: [['POL', 18, 'native'], ['MATIC', 18, 'native'], ...EVM_STABLES],
  arbitrum: [['ETH', 18, 'native'], ...EVM_STABLES],
  optimism: [['ETH', 18, 'native'], ...EVM_STABLES],
  base: [['ETH', 18, 'native'], ...EVM_STABLES],
  avalanche: [['AVAX', 18, 'native'], ...EVM_STABLES],
  'ethereum-classic': [['ETC', 18, 'native']],
};

/** Assets on chains that are free labels (`ledger`): the common decimals of each symbol. */
const GENERIC: Row[] = [
  ['USD', 2, 'native', true, false],
  ['EUR', 2, 'native', true, false],
  ['GBP', 2, 'native', true, false],
  ['USDT', 6, 'token', true, true],
  ['USDC', 6, 'token', true, true],
  ['USDH', 6, 'token', true, false],
  ['BTC', 8, 'native'],
  ['ETH', 18, 'native'],
  ['TRX', 6, 'native'],
  ['LTC', 8, 'native'],
  ['SOL', 9, 'native'],
  ['XRP', 6, 'native'],
  ['BNB', 18, 'native'],
];

function toAsset(chain: string, [symbol, decimals, kind, stable, freeze, contract]: Row): Asset {
  const asset: Asset = {
    chain,
    symbol,
    decimals,
    kind,
    stablecoin: stable ?? false,
    issuerCanFreeze: freeze ?? false,
  };
  return contract === undefined ? asset : { ...asset, contract };
}

const BY_CHAIN = new Map<string, Map<string, Asset>>();
for (const [chain, rows] of Object.entries(TABLE)) {
  BY_CHAIN.set(chain, new Map(rows.map((r) => [r[0], toAsset(chain, r)])));
}
const GENERIC_BY_SYMBOL = new Map(GENERIC.map((r) => [r[0], r]));

/**
 * The asset `symbol` on `chain` (case-insensitive symbol), or undefined when cordon does not know
 * it there. A chain that is not one of cordon's chain ids is a free label and uses the generic
 * table (`USD`, `USDT`, `BTC`, …).
 *
 * @example findAsset('tron', 'usdt')?.decimals // 6
 */
export function findAsset(chain: string, symbol: string): Asset | undefined {
  const sym = symbol.trim().toUpperCase();
  if (isChain(chain)) return BY_CHAIN.get(chain)?.get(sym);
  const row = GENERIC_BY_SYMBOL.get(sym);
  return row === undefined ? undefined : toAsset(chain, row);
}

/** Every asset known on a chain id (empty for free labels), for documentation and errors. */
export function assetsOf(chain: string): Asset[] {
  return [...(BY_CHAIN.get(chain)?.values() ?? [])];
}
