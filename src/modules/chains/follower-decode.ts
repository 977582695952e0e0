/**
 * Turning raw JSON-RPC answers (blocks with their transactions, receipts, logs: hex strings as the
 * node sends them) into transfers. Pure: the follower adapter fetches, this decides.
 *
 * - A native transfer is a successful transaction with a value above zero; its id is
 *   `<txhash>:native`. Value moved by contract internals (internal transactions) is not seen here.
 * - A token transfer is an ERC-20 `Transfer(address indexed, address indexed, uint256)` log of a
 *   configured token contract; its id is `<txhash>:<logIndex>` (the block-wide log index). Logs
 *   with a fourth topic (ERC-721 uses the same event name) and zero amounts are skipped.
 * - Addresses become match keys through an address mapper: `evm:0x…` on EVM chains, `tron:T…` on
 *   TRON, whose Ethereum-compatible JSON-RPC reports addresses as `0x` + 20 bytes without the
 *   `0x41` version byte.
 */

import { CordonError, invalid } from '../../shared/errors.js';
import type { Transfer } from '../graph/index.js';
import { normalizeAddress } from './address.js';
import { assetsOf } from './assets.js';
import { type Chain, isEvmChain } from './chains.js';
import {
  decodeBase58,
  encodeBase58check,
  hasDoubleSha256Checksum,
  hex2,
  hexToBytes,
  isHex,
} from './codecs.js';
import type { FollowerToken } from './follower.js';

/** keccak256("Transfer(address,address,uint256)"): topic 0 of every ERC-20 (and ERC-721) transfer. */
export const ERC20_TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** A transaction as `eth_getBlockByNumber(…, true)` returns it (the fields used). */
export interface RpcTransaction {
  readonly hash: string;
  readonly from: string;
  readonly to?: string | null;
  readonly value: string;
}

/** A block as `eth_getBlockByNumber(…, true)` returns it (the fields used). */
export interface RpcBlock {
  readonly number: string | null;
  readonly hash: string | null;
  readonly parentHash: string;
  readonly timestamp: string;
  readonly transactions: readonly (RpcTransaction | string)[];
}

/** A receipt as `eth_getBlockReceipts` / `eth_getTransactionReceipt` return it (the fields used). */
export interface RpcReceipt {
  readonly transactionHash: string;
  readonly blockHash?: string | null;
  /** `0x1` success, `0x0` failure; absent before Byzantium (then it succeeded). */
  readonly status?: string | null;
  /** The created contract, when the transaction deployed one (it receives the value). */
  readonly contractAddress?: string | null;
}

/** A log as `eth_getLogs` returns it (the fields used). */
export interface RpcLog {
  readonly address: string;
  readonly topics: readonly string[];
  readonly data: string;
  readonly logIndex: string | null;
  readonly transactionHash: string | null;
  readonly blockHash: string | null;
  readonly blockNumber: string | null;
  readonly removed?: boolean;
}

/** A block header reduced to what ordering and reorg checks need. */
export interface BlockHeader {
  readonly number: number;
  readonly hash: string;
  readonly parentHash: string;
  /** Unix seconds. */
  readonly timestamp: number;
}

/** Turns a 20-byte hex address (`0x…`, any case) into a match key. */
export type AddressMapper = (address: string) => string;

/** A configured token, keyed for log matching. */
export interface TokenInfo {
  /** Contract as the JSON-RPC reports it: `0x` + 40 lower-case hex digits. */
  readonly address: string;
  readonly symbol: string;
  readonly decimals: number;
}

/** The native coin of the chain a follower reads. */
export interface NativeAsset {
  readonly symbol: string;
  readonly decimals: number;
}

/** How the transfers of one block are built. */
export interface DecodeContext {
  readonly chain: string;
  readonly tokens: ReadonlyMap<string, TokenInfo>;
  /** Undefined: native transfers are not read. */
  readonly native: NativeAsset | undefined;
  readonly addressKey: AddressMapper;
}

/** The error for a node answer that is not what the JSON-RPC specification promises. */
function badAnswer(message: string): CordonError {
  return new CordonError('unavailable', 'follower.bad_rpc_answer', message);
}

// ---- hex ------------------------------------------------------------------------------------------

/** A `0x` quantity as a bigint (`0x` alone is zero, as some nodes send it). */
export function quantity(hex: string | null | undefined, field: string): bigint {
  if (typeof hex !== 'string' || !hex.startsWith('0x') || (hex.length > 2 && !isHex(hex, 2))) {
    throw badAnswer(`${field}: expected a 0x quantity, got ${String(hex).slice(0, 80)}`);
  }
  return hex.length === 2 ? 0n : BigInt(hex);
}

/** A `0x` quantity that must fit a JavaScript number (block heights, log indexes, timestamps). */
export function smallQuantity(hex: string | null | undefined, field: string): number {
  const n = quantity(hex, field);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw badAnswer(`${field}: ${hex} is too large`);
  return Number(n);
}

/** A height as a JSON-RPC quantity. */
export function toQuantity(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}

function hash32(hex: string | null | undefined, field: string): string {
  if (typeof hex !== 'string' || hex.length !== 66 || !hex.startsWith('0x') || !isHex(hex, 2)) {
    throw badAnswer(`${field}: expected a 32-byte hash, got ${String(hex).slice(0, 80)}`);
  }
  return hex.toLowerCase();
}

/** `0x` + 40 lower-case hex digits, or undefined when `hex` is not a 20-byte address. */
export function hexAddress(hex: string | null | undefined): string | undefined {
  if (typeof hex !== 'string' || hex.length !== 42 || !hex.startsWith('0x') || !isHex(hex, 2)) {
    return undefined;
  }
  return hex.toLowerCase();
}

// ---- addresses ------------------------------------------------------------------------------------

/** The match key of an EVM address (`evm:0x…`, lower case), shared by every EVM chain. */
export function evmAddressKey(address: string): string {
  const hex = hexAddress(address);
  if (hex === undefined) throw badAnswer(`not a 20-byte address: ${address.slice(0, 80)}`);
  return `evm:${hex}`;
}

/**
 * The TRON base58 address (`T…`) of a 20-byte hex address as TRON's Ethereum-compatible JSON-RPC
 * reports it: the version byte 0x41 is put back, then base58check.
 *
 * @example tronAddressFromHex('0xa614f803b6fd780986a42c78ec9c7f77e6ded13c') // 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'
 */
export function tronAddressFromHex(address: string): string {
  const hex = hexAddress(address);
  if (hex === undefined) throw badAnswer(`not a 20-byte address: ${address.slice(0, 80)}`);
  const payload = new Uint8Array(21);
  payload[0] = 0x41;
  payload.set(hexToBytes(hex, 2), 1);
  return encodeBase58check(payload);
}

/** The TRON match key (`tron:T…`) of a 20-byte hex address from TRON's JSON-RPC. */
export function tronAddressKey(address: string): string {
  return `tron:${tronAddressFromHex(address)}`;
}

/**
 * The 20-byte hex form (`0x…`, lower case) of a TRON address given as base58 (`T…`), as hex with
 * its version byte (`41…`, `0x41…`) or already as 20-byte hex: what `eth_getLogs` filters on.
 * Undefined when it is none of these (or fails its checksum).
 *
 * @example tronAddressToHex('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t') // '0xa614f803b6fd780986a42c78ec9c7f77e6ded13c'
 */
export function tronAddressToHex(address: string): string | undefined {
  const direct = hexAddress(address.trim());
  if (direct !== undefined) return direct;
  const r = normalizeAddress(address, 'tron');
  if (!r.ok) return undefined;
  const bytes = decodeBase58(r.normalized);
  if (bytes?.length !== 25 || bytes[0] !== 0x41 || !hasDoubleSha256Checksum(bytes)) return undefined;
  let out = '0x';
  for (let i = 1; i < 21; i++) out += hex2(bytes[i] ?? 0);
  return out;
}

/** The address mapper a chain uses by default: TRON keys for `tron`, `evm:` keys for EVM chains. */
export function defaultAddressMapper(chain: Chain): AddressMapper {
  return chain === 'tron' ? tronAddressKey : evmAddressKey;
}

// ---- configuration --------------------------------------------------------------------------------

/**
 * The configured tokens keyed by their JSON-RPC contract address. TRON contracts may be given in
 * base58 or hex; EVM contracts must be valid EVM addresses (a mixed-case one must pass EIP-55).
 */
export function tokenTable(chain: Chain, tokens: readonly FollowerToken[]): Map<string, TokenInfo> {
  const table = new Map<string, TokenInfo>();
  for (const t of tokens) {
    let address: string | undefined;
    if (chain === 'tron') address = tronAddressToHex(t.contract);
    else {
      const r = normalizeAddress(t.contract, chain);
      address = r.ok && r.family === 'evm' ? r.normalized : undefined;
    }
    if (address === undefined) {
      throw invalid(
        'follower.invalid_token',
        `token ${t.symbol}: "${t.contract}" is not a ${chain} contract address`,
      );
    }
    if (!Number.isInteger(t.decimals) || t.decimals < 0 || t.decimals > 77) {
      throw invalid('follower.invalid_token', `token ${t.symbol}: decimals must be an integer from 0 to 77`);
    }
    const symbol = t.symbol.trim().toUpperCase();
    if (!/^[A-Z0-9._-]{1,20}$/.test(symbol)) {
      throw invalid('follower.invalid_token', `token "${t.symbol.slice(0, 20)}": not a symbol`);
    }
    if (table.has(address))
      throw invalid('follower.invalid_token', `token contract ${t.contract} is listed twice`);
    table.set(address, { address, symbol, decimals: t.decimals });
  }
  return table;
}

/** The native coin of a chain from the asset registry (`ETH`, `BNB`, `TRX`, …). */
export function nativeAssetOf(chain: Chain): NativeAsset | undefined {
  const asset = assetsOf(chain).find((a) => a.kind === 'native');
  return asset === undefined ? undefined : { symbol: asset.symbol, decimals: asset.decimals };
}

/** Whether a chain can be followed over Ethereum JSON-RPC. */
export function isFollowableChain(chain: string): chain is Chain {
  return chain === 'tron' || isEvmChain(chain);
}

// ---- blocks, receipts, logs -----------------------------------------------------------------------

/** The header of a block from `eth_getBlockByNumber`, checked. */
export function blockHeader(block: RpcBlock): BlockHeader {
  return {
    number: smallQuantity(block.number, 'block.number'),
    hash: hash32(block.hash, 'block.hash'),
    parentHash: hash32(block.parentHash, 'block.parentHash'),
    timestamp: smallQuantity(block.timestamp, 'block.timestamp'),
  };
}

/** Hashes of the block's transactions that carry value: their receipts decide if value moved. */
export function valueTransactionHashes(block: RpcBlock): string[] {
  const out: string[] = [];
  for (const tx of block.transactions) {
    if (typeof tx === 'string') {
      throw badAnswer('block.transactions: expected full transactions, got hashes');
    }
    if (quantity(tx.value, 'transaction.value') > 0n) out.push(hash32(tx.hash, 'transaction.hash'));
  }
  return out;
}

/** Why a log is not a token transfer the follower keeps (for counting, not for errors). */
export type SkipReason = 'not-configured' | 'not-erc20-transfer' | 'removed' | 'malformed' | 'zero-amount';

/** A log decoded into a transfer, or the reason it was skipped. */
export type DecodedLog =
  | { ok: true; transfer: Transfer; logIndex: number }
  | { ok: false; reason: SkipReason };

function topicAddress(topic: string | undefined): string | undefined {
  if (typeof topic !== 'string' || topic.length !== 66 || !isHex(topic, 2)) return undefined;
  // An address topic is 12 zero bytes then the 20 address bytes.
  for (let i = 2; i < 26; i++) if (topic.charCodeAt(i) !== 48) return undefined;
  return `0x${topic.slice(26).toLowerCase()}`;
}

/**
 * Decodes one log into a token transfer when it is an ERC-20 `Transfer` of a configured token,
 * timestamped with its block's time.
 */
export function decodeTransferLog(log: RpcLog, timestamp: number, ctx: DecodeContext): DecodedLog {
  if (log.removed === true) return { ok: false, reason: 'removed' };
  const contract = hexAddress(log.address);
  const token = contract === undefined ? undefined : ctx.tokens.get(contract);
  if (token === undefined) return { ok: false, reason: 'not-configured' };
  if (log.topics.length !== 3 || log.topics[0]?.toLowerCase() !== ERC20_TRANSFER_TOPIC) {
    return { ok: false, reason: 'not-erc20-transfer' };
  }
  const from = topicAddress(log.topics[1]);
  const to = topicAddress(log.topics[2]);
  const data = log.data;
  if (
    from === undefined ||
    to === undefined ||
    typeof data !== 'string' ||
    data.length !== 66 ||
    !isHex(data, 2) ||
    typeof log.transactionHash !== 'string' ||
    typeof log.logIndex !== 'string'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const amountBase = BigInt(data);
  if (amountBase === 0n) return { ok: false, reason: 'zero-amount' };
  const tx = hash32(log.transactionHash, 'log.transactionHash');
  const logIndex = smallQuantity(log.logIndex, 'log.logIndex');
  return {
    ok: true,
    logIndex,
    transfer: {
      id: `${tx}:${logIndex}`,
      chain: ctx.chain,
      asset: token.symbol,
      decimals: token.decimals,
      from: ctx.addressKey(from),
      to: ctx.addressKey(to),
      amountBase,
      timestamp,
      tx,
    },
  };
}

/** What one block yields: its transfers in chain order and the logs skipped, by reason. */
export interface BlockTransfers {
  readonly transfers: Transfer[];
  readonly skipped: Partial<Record<SkipReason, number>>;
}

/**
 * The transfers of one block in chain order: for each transaction, its native transfer (when it
 * succeeded and carried value), then its token transfers by log index. `receipts` must hold the
 * receipt of every transaction `valueTransactionHashes` named; `logs` are this block's logs.
 */
export function blockTransfers(
  block: RpcBlock,
  logs: readonly RpcLog[],
  receipts: ReadonlyMap<string, RpcReceipt>,
  ctx: DecodeContext,
): BlockTransfers {
  const header = blockHeader(block);
  const skipped: Partial<Record<SkipReason, number>> = {};
  const byTx = new Map<string, { transfer: Transfer; logIndex: number }[]>();
  for (const log of logs) {
    const d = decodeTransferLog(log, header.timestamp, ctx);
    if (!d.ok) {
      skipped[d.reason] = (skipped[d.reason] ?? 0) + 1;
      continue;
    }
    const tx = d.transfer.tx ?? '';
    const list = byTx.get(tx);
    if (list === undefined) byTx.set(tx, [d]);
    else list.push(d);
  }
  const transfers: Transfer[] = [];
  const seen = new Set<string>();
  for (const raw of block.transactions) {
    if (typeof raw === 'string') {
      throw badAnswer('block.transactions: expected full transactions, got hashes');
    }
    const tx = hash32(raw.hash, 'transaction.hash');
    seen.add(tx);
    const native = nativeTransfer(raw, tx, header.timestamp, receipts, ctx);
    if (native !== undefined) transfers.push(native);
    const tokenTransfers = byTx.get(tx);
    if (tokenTransfers !== undefined) {
      tokenTransfers.sort((a, b) => a.logIndex - b.logIndex);
      for (const t of tokenTransfers) transfers.push(t.transfer);
    }
  }
  for (const tx of byTx.keys()) {
    if (!seen.has(tx)) throw badAnswer(`log of transaction ${tx} that is not in block ${header.number}`);
  }
  return { transfers, skipped };
}

function nativeTransfer(
  raw: RpcTransaction,
  tx: string,
  timestamp: number,
  receipts: ReadonlyMap<string, RpcReceipt>,
  ctx: DecodeContext,
): Transfer | undefined {
  if (ctx.native === undefined) return undefined;
  const amountBase = quantity(raw.value, 'transaction.value');
  if (amountBase === 0n) return undefined;
  const receipt = receipts.get(tx);
  if (receipt === undefined) throw badAnswer(`no receipt for value transaction ${tx}`);
  if (receipt.status !== undefined && receipt.status !== null && quantity(receipt.status, 'status') !== 1n) {
    return undefined; // failed: no value moved
  }
  const to = hexAddress(raw.to) ?? hexAddress(receipt.contractAddress);
  const from = hexAddress(raw.from);
  if (from === undefined || to === undefined) {
    throw badAnswer(`transaction ${tx} has no sender or no receiver`);
  }
  return {
    id: `${tx}:native`,
    chain: ctx.chain,
    asset: ctx.native.symbol,
    decimals: ctx.native.decimals,
    from: ctx.addressKey(from),
    to: ctx.addressKey(to),
    amountBase,
    timestamp,
    tx,
  };
}
