/**
 * The transfer: one on-chain (or ledger) movement of an amount of one asset from one address to
 * another, as the graph, the typology detectors and the decision pipeline see it. Addresses are
 * match keys (`tron:T…`, `evm:0x…`: see the chains module), so one wallet spelled two ways is one
 * node. Also the UTXO transaction, whose inputs and outputs stay together for clustering.
 *
 * The JSON Lines formats are in CONTRACT.md (transfer) and docs/graph.md (UTXO transaction).
 */

import { formatAmount, parseAmount } from '../../shared/amount.js';
import { type Asset, findAsset, isChain, normalizeAddress, resolveChainCode } from '../chains/index.js';

/** One value movement. `amountBase` is exact, in the asset's base units. */
export interface Transfer {
  /** The id the source gave (unique per chain), e.g. `t1` or `0xabc…:3`. */
  readonly id: string;
  /** Canonical chain id (`tron`, `ethereum`) or a free label (`ledger`). */
  readonly chain: string;
  /** Upper-case asset symbol (`USDT`). */
  readonly asset: string;
  /** Decimals of the asset, so `amountBase` can be printed. */
  readonly decimals: number;
  /** Sender's match key. */
  readonly from: string;
  /** Receiver's match key. */
  readonly to: string;
  readonly amountBase: bigint;
  /** Unix seconds. */
  readonly timestamp: number;
  /** Transaction hash, when the source has one. */
  readonly tx?: string;
}

/** One input or output of a UTXO transaction. */
export interface UtxoLeg {
  /** Match key of the address. */
  readonly address: string;
  readonly amountBase: bigint;
}

/**
 * A UTXO-chain transaction with all its inputs and outputs: the evidence common-input clustering
 * needs, which per-pair transfers lose.
 */
export interface UtxoTransaction {
  readonly tx: string;
  readonly chain: string;
  readonly asset: string;
  readonly decimals: number;
  readonly timestamp: number;
  readonly inputs: readonly UtxoLeg[];
  readonly outputs: readonly UtxoLeg[];
}

/** A line that could not be read, with its 1-based line number and the field at fault. */
export interface LineError {
  readonly line: number;
  readonly code: string;
  readonly field?: string;
  readonly message: string;
}

/** What one line of a transfer file holds. */
export type TransferLine =
  | {
      readonly ok: true;
      readonly kind: 'transfer';
      readonly transfer: Transfer;
      readonly unchecked?: readonly string[];
    }
  | { readonly ok: true; readonly kind: 'utxo'; readonly utxo: UtxoTransaction }
  | { readonly ok: true; readonly kind: 'blank' }
  | ({ readonly ok: false } & LineError);

/** How strictly lines are read. */
export interface TransferParseOptions {
  /**
   * Decimals to assume for an asset cordon does not know (the analyzer reads any ledger); when
   * undefined an unknown asset is an error (`transfer.unknown_asset`), as graph import wants.
   */
  readonly unknownAssetDecimals?: number;
  /**
   * Keep an address that is not valid for its chain (bad checksum, wrong format) as given, keyed
   * `<chain>:<text>`, instead of rejecting the line: the analyzer looks at the shape of flows, which
   * made-up or truncated addresses do not change. The line's result lists the fields kept so.
   */
  readonly keepInvalidAddresses?: boolean;
}

/** Longest accepted id, tx hash or free-label address. */
export const MAX_ID_LENGTH = 200;
const LABEL = /^[a-z0-9][a-z0-9_.-]{0,31}$/;
/** 2009-01-03 (Bitcoin's genesis block) to 2100-01-01: anything else is a unit mistake. */
const MIN_TS = 1_230_940_800;
const MAX_TS = 4_102_444_800;

class FieldError extends Error {
  constructor(
    readonly code: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads one line of a transfer file: a transfer (contract format), a UTXO transaction (`inputs`
 * and `outputs` arrays) or a blank line. Errors name the line, the field and what is wrong;
 * unknown fields are ignored.
 *
 * @example parseTransferLine('{"id":"t1","chain":"tron","asset":"USDT",…}', 1)
 */
export function parseTransferLine(
  text: string,
  line: number,
  options: TransferParseOptions = {},
): TransferLine {
  if (text.trim() === '') return { ok: true, kind: 'blank' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      line,
      code: 'transfer.malformed_json',
      message: `line ${line}: not JSON (${(e as Error).message})`,
    };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      line,
      code: 'transfer.not_an_object',
      message: `line ${line}: expected a JSON object`,
    };
  }
  try {
    const o = raw as Record<string, unknown>;
    if ('inputs' in o || 'outputs' in o) return { ok: true, kind: 'utxo', utxo: readUtxo(o, options) };
    const unchecked: string[] = [];
    const transfer = readTransfer(o, options, unchecked);
    return unchecked.length === 0
      ? { ok: true, kind: 'transfer', transfer }
      : { ok: true, kind: 'transfer', transfer, unchecked };
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    return {
      ok: false,
      line,
      code: e.code,
      field: e.field,
      message: `line ${line}: ${e.field}: ${e.message}`,
    };
  }
}

/**
 * Reads a transfer from an already-parsed object (HTTP bodies), throwing nothing: the same checks
 * and messages as a file line, without the line number.
 */
export function readTransferObject(
  value: Record<string, unknown>,
  options: TransferParseOptions = {},
): { ok: true; transfer: Transfer } | { ok: false; code: string; field: string; message: string } {
  try {
    return { ok: true, transfer: readTransfer(value, options) };
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    return { ok: false, code: e.code, field: e.field, message: `${e.field}: ${e.message}` };
  }
}

function readTransfer(
  o: Record<string, unknown>,
  options: TransferParseOptions,
  unchecked: string[] = [],
): Transfer {
  const id = readId(o.id, 'id');
  const chain = readChain(o.chain);
  const asset = readAsset(chain, o.asset, options);
  const address = (value: unknown, field: string): string => {
    try {
      return readAddress(chain, value, field);
    } catch (e) {
      if (!(e instanceof FieldError) || !options.keepInvalidAddresses || typeof value !== 'string') throw e;
      if (e.code !== 'transfer.invalid_checksum' && e.code !== 'transfer.invalid_address') throw e;
      const raw = value.trim();
      if (raw.length > MAX_ID_LENGTH) throw e;
      unchecked.push(field);
      return `${chain}:${raw}`;
    }
  };
  const from = address(o.from, 'from');
  const to = address(o.to, 'to');
  const amountBase = readAmount(o.amount, asset.decimals, 'amount');
  const timestamp = readTimestamp(o.timestamp);
  const tx = o.tx === undefined || o.tx === null || o.tx === '' ? undefined : readId(o.tx, 'tx');
  const base = { id, chain, asset: asset.symbol, decimals: asset.decimals, from, to, amountBase, timestamp };
  return tx === undefined ? base : { ...base, tx };
}

function readUtxo(o: Record<string, unknown>, options: TransferParseOptions): UtxoTransaction {
  const tx = readId(o.tx ?? o.id, 'tx');
  const chain = readChain(o.chain);
  const asset = readAsset(chain, o.asset ?? defaultUtxoAsset(chain), options);
  const timestamp = readTimestamp(o.timestamp);
  const legs = (value: unknown, field: 'inputs' | 'outputs'): UtxoLeg[] => {
    if (!Array.isArray(value)) throw new FieldError('transfer.missing_field', field, 'must be an array');
    if (value.length === 0 || value.length > 10_000) {
      throw new FieldError('transfer.invalid_legs', field, 'must hold 1 to 10000 entries');
    }
    return value.map((leg: unknown, i) => {
      const path = `${field}[${i}]`;
      if (typeof leg !== 'object' || leg === null)
        throw new FieldError('transfer.invalid_legs', path, 'must be an object');
      const l = leg as Record<string, unknown>;
      return {
        address: readAddress(chain, l.address, `${path}.address`),
        amountBase: readAmount(l.amount, asset.decimals, `${path}.amount`),
      };
    });
  };
  return {
    tx,
    chain,
    asset: asset.symbol,
    decimals: asset.decimals,
    timestamp,
    inputs: legs(o.inputs, 'inputs'),
    outputs: legs(o.outputs, 'outputs'),
  };
}

function defaultUtxoAsset(chain: string): string | undefined {
  const natives: Record<string, string> = {
    bitcoin: 'BTC',
    litecoin: 'LTC',
    'bitcoin-cash': 'BCH',
    dogecoin: 'DOGE',
    dash: 'DASH',
    zcash: 'ZEC',
  };
  return natives[chain];
}

function readId(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FieldError('transfer.missing_field', field, 'is required (a non-empty string)');
  }
  if (value.length > MAX_ID_LENGTH)
    throw new FieldError('transfer.too_long', field, `is longer than ${MAX_ID_LENGTH}`);
  return value.trim();
}

/** A known chain id or code (`TRX` → tron) becomes the chain id; anything else is a free label. */
function readChain(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FieldError('transfer.missing_field', 'chain', 'is required');
  }
  const lower = value.trim().toLowerCase();
  if (isChain(lower)) return lower;
  const resolved = resolveChainCode(lower);
  if (resolved !== undefined && resolved !== 'token') return resolved;
  if (!LABEL.test(lower)) {
    throw new FieldError(
      'transfer.invalid_chain',
      'chain',
      `"${value.slice(0, 40)}" is neither a chain nor a label`,
    );
  }
  return lower;
}

function readAsset(chain: string, value: unknown, options: TransferParseOptions): Asset {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FieldError('transfer.missing_field', 'asset', 'is required');
  }
  const found = findAsset(chain, value);
  if (found !== undefined) return found;
  const symbol = value.trim().toUpperCase();
  if (options.unknownAssetDecimals !== undefined && /^[A-Z0-9._-]{1,20}$/.test(symbol)) {
    return {
      chain,
      symbol,
      decimals: options.unknownAssetDecimals,
      kind: 'token',
      stablecoin: false,
      issuerCanFreeze: false,
    };
  }
  throw new FieldError(
    'transfer.unknown_asset',
    'asset',
    `unknown asset "${value.slice(0, 20)}" on ${chain}`,
  );
}

/**
 * Valid addresses seen recently, per chain: a chain's busy addresses recur in most transfers, and a
 * hit skips the checksum (a double SHA-256 or a Keccak per address). Bounded: cleared when full.
 */
const validKeys = new Map<string, string>();
const MAX_CACHED_KEYS = 500_000;

function readAddress(chain: string, value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FieldError('transfer.missing_field', field, 'is required');
  }
  if (!isChain(chain)) {
    const raw = value.trim();
    if (raw.length > MAX_ID_LENGTH)
      throw new FieldError('transfer.too_long', field, `is longer than ${MAX_ID_LENGTH}`);
    return `${chain}:${raw}`;
  }
  const cacheKey = `${chain} ${value}`;
  const cached = validKeys.get(cacheKey);
  if (cached !== undefined) return cached;
  const r = normalizeAddress(value, chain);
  if (!r.ok)
    throw new FieldError(
      r.code === 'address.invalid_checksum' ? 'transfer.invalid_checksum' : 'transfer.invalid_address',
      field,
      r.reason,
    );
  if (validKeys.size >= MAX_CACHED_KEYS) validKeys.clear();
  validKeys.set(cacheKey, r.key);
  return r.key;
}

function readAmount(value: unknown, decimals: number, field: string): bigint {
  if (value === undefined || value === null)
    throw new FieldError('transfer.missing_field', field, 'is required');
  const r = parseAmount(value, decimals);
  if (!r.ok) throw new FieldError(`transfer.amount_${r.error}`, field, r.reason);
  return r.base;
}

function readTimestamp(value: unknown): number {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) seconds = Number(value);
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value.trim()))
    seconds = Date.parse(value.trim()) / 1000;
  else throw new FieldError('transfer.invalid_timestamp', 'timestamp', 'must be ISO 8601 or Unix seconds');
  if (!Number.isFinite(seconds)) {
    throw new FieldError(
      'transfer.invalid_timestamp',
      'timestamp',
      `"${String(value).slice(0, 40)}" is not a date`,
    );
  }
  if (seconds < MIN_TS || seconds > MAX_TS) {
    throw new FieldError(
      'transfer.invalid_timestamp',
      'timestamp',
      'is outside 2009–2100 (milliseconds given as seconds?)',
    );
  }
  return Math.floor(seconds);
}

/**
 * Splits a UTXO transaction into per-pair transfers for the value graph: each output is funded by
 * the inputs in proportion to their value (the usual convention; the split is exact in base units,
 * the remainder going to the largest input). Ids are `<tx>:<input>:<output>`; the fee is dropped.
 */
export function utxoToTransfers(u: UtxoTransaction): Transfer[] {
  const totalIn = u.inputs.reduce((s, l) => s + l.amountBase, 0n);
  const out: Transfer[] = [];
  if (totalIn === 0n) return out;
  let largest = 0;
  u.inputs.forEach((l, i) => {
    if (l.amountBase > (u.inputs[largest]?.amountBase ?? 0n)) largest = i;
  });
  u.outputs.forEach((o, j) => {
    let assigned = 0n;
    const shares = u.inputs.map((l) => {
      const share = (o.amountBase * l.amountBase) / totalIn;
      assigned += share;
      return share;
    });
    shares[largest] = (shares[largest] ?? 0n) + (o.amountBase - assigned);
    u.inputs.forEach((l, i) => {
      const amountBase = shares[i] ?? 0n;
      if (amountBase <= 0n || l.address === o.address) return;
      out.push({
        id: `${u.tx}:${i}:${j}`,
        chain: u.chain,
        asset: u.asset,
        decimals: u.decimals,
        from: l.address,
        to: o.address,
        amountBase,
        timestamp: u.timestamp,
        tx: u.tx,
      });
    });
  });
  return out;
}

/** The contract's JSON form of a transfer (amount as a decimal string, timestamp ISO 8601). */
export function transferToJson(t: Transfer): Record<string, string> {
  const json: Record<string, string> = {
    id: t.id,
    chain: t.chain,
    asset: t.asset,
    from: displayAddress(t.from),
    to: displayAddress(t.to),
    amount: formatAmount(t.amountBase, t.decimals),
    timestamp: new Date(t.timestamp * 1000).toISOString().replace('.000Z', 'Z'),
  };
  if (t.tx !== undefined) json.tx = t.tx;
  return json;
}

/** The address part of a match key (`tron:TXyz` → `TXyz`). */
export function displayAddress(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(i + 1);
}
