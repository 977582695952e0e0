/**
 * Validation and normalisation of a deposit or withdrawal attempt: a known chain and asset, a
 * positive amount that fits the asset's decimals, checksummed counterparty addresses, a sane USD
 * value. Errors name the field. Also the canonical hash that tells a repeat from a conflicting
 * reuse of the same client id. Pure.
 */
import crypto from 'node:crypto';
import { formatAmount, parseAmount } from '../../shared/amount.js';
import { invalid } from '../../shared/errors.js';
import {
  type Asset,
  findAsset,
  isChain,
  normalizeAddress,
  resolveChainCode,
  type ValidAddress,
} from '../chains/index.js';

/** `deposit` (POST /v1/transfers) or `withdrawal` (POST /v1/withdrawal-attempts). */
export type TransferKind = 'deposit' | 'withdrawal';

/** A decision request as the service receives it (the HTTP schema maps onto it). */
export interface TransferRequest {
  kind: TransferKind;
  /** The client's id for the transfer: the idempotency key, unique per kind. */
  clientId: string;
  customerId: string;
  chain: string;
  asset: string;
  /** Decimal string or JSON number in whole units of the asset. */
  amount: string | number;
  /** Deposits: the sending addresses. Withdrawals: the destination address (one). */
  counterparties: string[];
  /** The exchange's own address (the deposit address, or the hot wallet sending a withdrawal). */
  ownAddress?: string;
  /** Transaction hash (deposits: required; withdrawals: not broadcast yet). */
  tx?: string;
  /** USD price of one unit of the asset, when the platform knows it. */
  priceUsd?: string | number;
}

/** A counterparty address in its canonical spelling and its match key. */
export interface NormalizedAddress {
  address: string;
  key: string;
}

/** A request that passed validation. */
export interface NormalizedTransfer {
  kind: TransferKind;
  clientId: string;
  customerId: string;
  chain: string;
  asset: Asset;
  amountBase: bigint;
  /** The amount as a canonical decimal string. */
  amount: string;
  priceUsd: string | null;
  amountUsd: number | null;
  counterparties: NormalizedAddress[];
  ownAddress: NormalizedAddress | null;
  tx: string | null;
}

/** Limits of what is accepted. */
export interface TransferLimits {
  /** A USD value above this is absurd (a unit mistake), not a transfer. */
  maxAmountUsd: number;
  maxCounterparties: number;
}

/** Defaults: no transfer is worth more than a trillion dollars, no deposit has more than 100 senders. */
export const DEFAULT_TRANSFER_LIMITS: TransferLimits = { maxAmountUsd: 1e12, maxCounterparties: 100 };

const CLIENT_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const TX = /^[A-Za-z0-9:._-]{1,200}$/;
const PRICE = /^\d{1,15}(\.\d{1,18})?$/;

/** Validates a request; throws an `invalid` CordonError naming the field at fault. */
export function normalizeTransferRequest(
  req: TransferRequest,
  limits: TransferLimits = DEFAULT_TRANSFER_LIMITS,
): NormalizedTransfer {
  if (!CLIENT_ID.test(req.clientId ?? ''))
    throw invalid('transfers.invalid_id', 'id must be 1-128 letters, digits or . _ : @ -', { field: 'id' });
  if (typeof req.customerId !== 'string' || req.customerId.trim() === '')
    throw invalid('transfers.missing_customer', 'customerId is required', { field: 'customerId' });
  const chain = readChain(req.chain);
  const asset = findAsset(chain, req.asset ?? '');
  if (!asset)
    throw invalid(
      'transfers.unknown_asset',
      `unknown asset "${String(req.asset).slice(0, 20)}" on ${chain}`,
      {
        field: 'asset',
        value: req.asset,
      },
    );
  const parsed = parseAmount(req.amount, asset.decimals);
  if (!parsed.ok)
    throw invalid(`transfers.amount_${parsed.error}`, parsed.reason, { field: 'amount', value: req.amount });
  const amount = formatAmount(parsed.base, asset.decimals);

  let priceUsd: string | null = null;
  let amountUsd: number | null = null;
  if (req.priceUsd !== undefined && req.priceUsd !== null) {
    const text = typeof req.priceUsd === 'number' ? String(req.priceUsd) : req.priceUsd.trim();
    if (!PRICE.test(text) || Number(text) <= 0)
      throw invalid('transfers.invalid_price', 'priceUsd must be a positive decimal number', {
        field: 'priceUsd',
        value: req.priceUsd,
      });
    priceUsd = text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
    amountUsd = Number(amount) * Number(priceUsd);
    if (!Number.isFinite(amountUsd) || amountUsd > limits.maxAmountUsd)
      throw invalid('transfers.amount_absurd', `the amount is worth more than ${limits.maxAmountUsd} USD`, {
        field: 'amount',
        value: req.amount,
      });
  }

  const field = req.kind === 'deposit' ? 'from' : 'to';
  if (!Array.isArray(req.counterparties) || req.counterparties.length === 0)
    throw invalid('transfers.missing_counterparty', `${field} is required`, { field });
  if (req.counterparties.length > limits.maxCounterparties)
    throw invalid(
      'transfers.too_many_counterparties',
      `${field} has more than ${limits.maxCounterparties} addresses`,
      {
        field,
      },
    );
  const seen = new Set<string>();
  const counterparties: NormalizedAddress[] = [];
  req.counterparties.forEach((a, i) => {
    const n = readAddress(chain, a, req.kind === 'deposit' ? `from[${i}]` : 'to');
    if (!seen.has(n.key)) {
      seen.add(n.key);
      counterparties.push(n);
    }
  });
  const ownField = req.kind === 'deposit' ? 'to' : 'from';
  const ownAddress = req.ownAddress ? readAddress(chain, req.ownAddress, ownField) : null;

  let tx: string | null = null;
  if (req.tx !== undefined && req.tx !== null && req.tx !== '') {
    if (!TX.test(req.tx))
      throw invalid('transfers.invalid_tx', 'tx must be a transaction hash', { field: 'tx' });
    tx = req.tx;
  } else if (req.kind === 'deposit') {
    throw invalid('transfers.missing_tx', 'tx (the deposit transaction hash) is required', { field: 'tx' });
  }

  return {
    kind: req.kind,
    clientId: req.clientId,
    customerId: req.customerId.trim(),
    chain,
    asset,
    amountBase: parsed.base,
    amount,
    priceUsd,
    amountUsd,
    counterparties,
    ownAddress,
    tx,
  };
}

function readChain(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid('transfers.missing_chain', 'chain is required', { field: 'chain' });
  const lower = value.trim().toLowerCase();
  if (isChain(lower)) return lower;
  const resolved = resolveChainCode(lower);
  if (resolved !== undefined && resolved !== 'token') return resolved;
  throw invalid('transfers.unknown_chain', `unknown chain "${value.slice(0, 40)}"`, {
    field: 'chain',
    value,
  });
}

/**
 * Addresses already validated, by chain and spelling: checksums (double SHA-256, Keccak) cost more
 * than the rest of the validation, and the same addresses come back (an exchange's own deposit
 * addresses, regular senders). Normalisation is a pure function of the two, so the cache cannot go
 * stale; only valid addresses are kept, and it is emptied when full.
 */
const validAddresses = new Map<string, ValidAddress>();
const MAX_VALID_ADDRESSES = 50_000;

/**
 * What `normalizeAddress(address, chain)` answered when a request named this address on this
 * chain, while it is still remembered (else undefined): the same call gives the same answer, so a
 * later step that would normalise the same spelling again (screening the canonical spelling, which
 * most requests send) can take it instead.
 */
export function checkedAddress(chain: string, address: string): ValidAddress | undefined {
  return validAddresses.get(`${chain}\u0000${address}`);
}

function readAddress(chain: string, value: unknown, field: string): NormalizedAddress {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid('transfers.missing_address', `${field} must be an address`, { field });
  const cacheKey = `${chain}\u0000${value}`;
  const known = validAddresses.get(cacheKey);
  if (known) return { address: known.normalized, key: known.key };
  const r = normalizeAddress(value, chain);
  if (!r.ok)
    throw invalid(
      r.code === 'address.invalid_checksum' ? 'transfers.invalid_checksum' : 'transfers.invalid_address',
      `${field}: ${r.reason}`,
      { field, value: value.slice(0, 130) },
    );
  if (validAddresses.size >= MAX_VALID_ADDRESSES) validAddresses.clear();
  validAddresses.set(cacheKey, r);
  return { address: r.normalized, key: r.key };
}

/**
 * SHA-256 of the request's canonical form (normalised values, sorted keys, the client id left out):
 * two requests with the same hash ask the same question, however they were spelled.
 */
export function requestHash(t: NormalizedTransfer): string {
  return sha256Hex(canonicalRequest(t));
}

/**
 * The canonical form: the JSON of `{ amountBase, asset, chain, counterparties (keys), customerId,
 * kind, ownAddress (key or null), priceUsd, tx }` in that order, written out directly (each value
 * by `JSON.stringify`, so the text is the same as stringifying that object).
 */
export function canonicalRequest(t: NormalizedTransfer): string {
  const q = JSON.stringify;
  let cps = '';
  for (let i = 0; i < t.counterparties.length; i++)
    cps += (i === 0 ? '' : ',') + q((t.counterparties[i] as NormalizedAddress).key);
  return `{"amountBase":${q(t.amountBase.toString())},"asset":${q(t.asset.symbol)},"chain":${q(t.chain)},"counterparties":[${cps}],"customerId":${q(t.customerId)},"kind":${q(t.kind)},"ownAddress":${t.ownAddress ? q(t.ownAddress.key) : 'null'},"priceUsd":${t.priceUsd === null ? 'null' : q(t.priceUsd)},"tx":${t.tx === null ? 'null' : q(t.tx)}}`;
}

/** SHA-256 in hex: one call where Node has `crypto.hash` (20.12 and later), a Hash object before. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Whether a USD value lies just under one of the thresholds (within `band`, e.g. 0.1 = the 10% below). */
export function isNearThreshold(
  amountUsd: number | null,
  thresholdsUsd: readonly number[],
  band: number,
): boolean {
  if (amountUsd === null) return false;
  return thresholdsUsd.some((t) => amountUsd < t && amountUsd >= t * (1 - band));
}
