/**
 * Address validation and normalisation for every chain in the registry, and the match key that
 * screening compares: two spellings of one address (EVM case, TRON hex vs base58, bech32 case,
 * Bitcoin Cash legacy vs cashaddr) get one key; one address string on two non-EVM chains gets two.
 *
 * Rules per chain:
 * - EVM: `0x` + 40 hex digits; mixed case must pass EIP-55, all-lower and all-upper are accepted.
 *   Key `evm:0x…` (lower case), shared by every EVM chain.
 * - TRON: base58check with version 0x41 (21-byte payload), or the hex form `41…` / `0x41…`
 *   (converted to base58). Key `tron:T…`.
 * - Bitcoin-derived chains: base58check with the chain's version bytes (testnet versions rejected),
 *   bech32 (segwit v0) / bech32m (v1+) with BIP-173/350 program-length rules, cashaddr for Bitcoin
 *   Cash. Zcash transparent addresses use two version bytes (t1 0x1cb8, t3 0x1cbd).
 * - XRP: base58 over the XRP alphabet, version 0x00, double-SHA-256 checksum.
 * - Monero: 95 characters (standard `4…`, subaddress `8…`) or 106 (integrated `4…`) in Monero's
 *   8-byte-block base58; the network byte and the keccak-256 checksum are both checked.
 * - Solana: base58 that decodes to exactly 32 bytes (an ed25519 key; no checksum exists), accepted
 *   only when no other format fits.
 * - BNB Beacon Chain (retired BEP-2 chain, still on sanctions lists): bech32 `bnb1…`, 20 bytes.
 *
 * Keys are `<chain>:` + the normalized form; base58 stays case-sensitive, bech32 and cashaddr are
 * lower-cased, Bitcoin Cash legacy addresses are converted to cashaddr. Input is trimmed; nothing
 * else is repaired. Inputs longer than any address are rejected before decoding, and no regular
 * expression is used, so the cost per call is bounded.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58xmr } from '@scure/base';
import {
  type Chain,
  type ChainFamily,
  chainFamily,
  EVM_CHAINS,
  isEvmChain,
  resolveChainCode,
} from './chains.js';
import {
  CASHADDR_PREFIX,
  convertBits,
  decodeBase58,
  decodeBech32,
  decodeCashaddr,
  decodeXrpBase58,
  encodeBase58check,
  encodeCashaddr,
  hasDoubleSha256Checksum,
  hasEip55Checksum,
  hex2,
  hexToBytes,
  isBase58,
  isHex,
  isXrpBase58,
} from './codecs.js';

/** Why an address was rejected. */
export type AddressErrorCode =
  | 'address.invalid_checksum'
  | 'address.invalid_format'
  | 'address.unknown_chain'
  | 'address.chain_mismatch';

/** A valid address, its chain, its canonical spelling and its match key. */
export interface ValidAddress {
  ok: true;
  chain: Chain;
  family: ChainFamily;
  /** Canonical spelling (EVM lower case, TRON base58, bech32/cashaddr lower case, base58 as given). */
  normalized: string;
  /** Match key: `evm:0x…` for every EVM chain, else `<chain>:<normalized>`. */
  key: string;
}

/** A rejected address (or chain hint). */
export interface InvalidAddress {
  ok: false;
  reason: string;
  code: AddressErrorCode;
}

/** Result of `normalizeAddress`. */
export type AddressResult = ValidAddress | InvalidAddress;

/** Longest accepted address (a Monero integrated address is 106; a 64-byte cashaddr hash is 124). */
export const MAX_ADDRESS_LENGTH = 128;

/**
 * One chain an input is valid for. A Bitcoin Cash legacy address carries its cashaddr type and
 * hash instead of strings: the cashaddr form is only computed if that reading is the one returned.
 */
type Match =
  | { chain: Chain; normalized: string; key: string; legacyCash?: undefined }
  | { chain: 'bitcoin-cash'; legacyCash: { type: number; hash: Uint8Array } };

interface Failure {
  ok: false;
  code: 'address.invalid_checksum' | 'address.invalid_format';
  reason: string;
}

/** Every reading of one input: the chains it is valid for (most likely first) and the best failure. */
interface Detection {
  matches: Match[];
  failure: Failure | undefined;
}

function formatError(reason: string): Failure {
  return { ok: false, code: 'address.invalid_format', reason };
}

/** Records a failure; a checksum failure outranks a format failure, else the first one stays. */
function fail(d: Detection, code: Failure['code'], reason: string): void {
  if (
    d.failure === undefined ||
    (d.failure.code === 'address.invalid_format' && code === 'address.invalid_checksum')
  ) {
    d.failure = { ok: false, code, reason };
  }
}

function push(d: Detection, chain: Chain, normalized: string): void {
  d.matches.push({ chain, normalized, key: `${chain}:${normalized}` });
}

/** Case of the letters of a string. */
function letterCase(s: string): 'lower' | 'upper' | 'mixed' | 'none' {
  let lower = false;
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
  }
  if (lower && upper) return 'mixed';
  return lower ? 'lower' : upper ? 'upper' : 'none';
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isWhitespace(c: number): boolean {
  return (
    c <= 32 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Trims and checks the length and character set; returns the trimmed string or a failure. */
function precheck(address: string): string | Failure {
  // Callers may hand over unchecked JSON / CSV values.
  if (typeof address !== 'string') return formatError('not a string');
  if (address.length === 0) return formatError('empty address');
  if (address.length > 2 * MAX_ADDRESS_LENGTH) {
    return formatError(`too long: ${address.length} characters (no address exceeds ${MAX_ADDRESS_LENGTH})`);
  }
  const s = address.trim();
  if (s.length === 0) return formatError('empty address (only whitespace)');
  if (s.length > MAX_ADDRESS_LENGTH) {
    return formatError(`too long: ${s.length} characters (no address exceeds ${MAX_ADDRESS_LENGTH})`);
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isAlnum(c) || c === 58 /* ':' */) continue;
    const what = isWhitespace(c) ? 'whitespace' : 'a character that no address uses';
    return formatError(
      `contains ${what} (U+${c.toString(16).toUpperCase().padStart(4, '0')}) at position ${i}`,
    );
  }
  return s;
}

// ---- EVM and TRON hex -------------------------------------------------------------------------

function detectHexPrefixed(s: string, d: Detection): void {
  if (s.charCodeAt(1) === 88 /* 'X' */) {
    fail(d, 'address.invalid_format', "hex address prefix must be '0x'");
  } else if (s.length === 42 && isHex(s, 2)) {
    const body = s.slice(2);
    if (letterCase(body) === 'mixed' && !hasEip55Checksum(body)) {
      fail(d, 'address.invalid_checksum', 'mixed-case EVM address fails its EIP-55 checksum');
      return;
    }
    const lower = `0x${body.toLowerCase()}`;
    d.matches.push({ chain: 'ethereum', normalized: lower, key: `evm:${lower}` });
  } else if (s.length === 44 && s.startsWith('41', 2) && isHex(s, 2)) {
    pushTronHex(s, 2, d);
  } else {
    fail(
      d,
      'address.invalid_format',
      '0x address must be 0x + 40 hex digits (EVM) or 0x41 + 40 hex digits (TRON)',
    );
  }
}

function pushTronHex(s: string, from: number, d: Detection): void {
  push(d, 'tron', encodeBase58check(hexToBytes(s, from)));
}

// ---- bech32 -----------------------------------------------------------------------------------

/** Mainnet bech32 human-readable parts. */
const BECH32_HRPS: ReadonlyMap<string, Chain> = new Map<string, Chain>([
  ['bc', 'bitcoin'],
  ['ltc', 'litecoin'],
  ['btg', 'bitcoin-gold'],
  ['bnb', 'bnb-beacon'],
]);

/** Testnet / regtest human-readable parts, recognised only to say so. */
const TESTNET_HRPS: ReadonlySet<string> = new Set(['tb', 'bcrt', 'tltc', 'rltc', 'tbtg', 'tbnb']);

/**
 * Decodes `s` as bech32 when its human-readable part is a known one; returns whether `s` was taken
 * as bech32 (a mixed-case string is not: it may still be base58).
 */
function detectBech32(s: string, d: Detection): boolean {
  const sep = s.lastIndexOf('1');
  if (sep < 1 || sep > 4) return false;
  const hrp = s.slice(0, sep).toLowerCase();
  const chain = BECH32_HRPS.get(hrp);
  const testnet = TESTNET_HRPS.has(hrp);
  if (chain === undefined && !testnet) return false;
  if (letterCase(s) === 'mixed') {
    fail(d, 'address.invalid_format', 'bech32 address mixes upper and lower case');
    return false;
  }
  if (chain === undefined) {
    fail(d, 'address.invalid_format', `'${hrp}1…' is a testnet address`);
    return true;
  }
  const lower = s.toLowerCase();
  const r = decodeBech32(lower);
  if (!r.ok) {
    fail(d, r.checksum ? 'address.invalid_checksum' : 'address.invalid_format', r.reason);
    return true;
  }
  if (chain === 'bnb-beacon') {
    const bytes = r.variant === 'bech32' ? convertBits(r.words, 5, 8, false) : undefined;
    if (r.variant !== 'bech32')
      fail(d, 'address.invalid_checksum', 'bnb1 address must use a bech32 checksum');
    else if (bytes?.length !== 20) fail(d, 'address.invalid_format', 'bnb1 address must hold 20 bytes');
    else push(d, 'bnb-beacon', lower);
    return true;
  }
  const version = r.words[0];
  if (version === undefined || version > 16) {
    fail(d, 'address.invalid_format', 'segwit address has no valid witness version');
    return true;
  }
  const program = convertBits(r.words.slice(1), 5, 8, false);
  if (program === undefined) {
    fail(d, 'address.invalid_format', 'segwit program has invalid padding');
  } else if (program.length < 2 || program.length > 40) {
    fail(d, 'address.invalid_format', `segwit program of ${program.length} bytes (must be 2 to 40)`);
  } else if (version === 0 && program.length !== 20 && program.length !== 32) {
    fail(d, 'address.invalid_format', `segwit v0 program of ${program.length} bytes (must be 20 or 32)`);
  } else if (version === 0 && r.variant !== 'bech32') {
    fail(
      d,
      'address.invalid_checksum',
      'segwit v0 address must use a bech32 checksum (BIP-173), not bech32m',
    );
  } else if (version !== 0 && r.variant !== 'bech32m') {
    fail(d, 'address.invalid_checksum', `segwit v${version} address must use a bech32m checksum (BIP-350)`);
  } else {
    push(d, chain, lower);
  }
  return true;
}

// ---- cashaddr ---------------------------------------------------------------------------------

/** Lengths of a cashaddr payload for each hash size (20, 24, 28, 32, 40, 48, 56, 64 bytes). */
const CASHADDR_LENGTHS: ReadonlySet<number> = new Set([42, 48, 55, 61, 74, 87, 100, 112]);

function detectPrefixedCashaddr(s: string, d: Detection): void {
  const colon = s.indexOf(':');
  const prefix = s.slice(0, colon).toLowerCase();
  const payload = s.slice(colon + 1);
  if (payload.includes(':')) {
    fail(d, 'address.invalid_format', "address contains more than one ':'");
  } else if (letterCase(s) === 'mixed') {
    fail(d, 'address.invalid_format', 'cashaddr mixes upper and lower case');
  } else if (prefix === 'bchtest' || prefix === 'bchreg') {
    fail(d, 'address.invalid_format', `'${prefix}:' is a Bitcoin Cash testnet address`);
  } else if (prefix !== CASHADDR_PREFIX) {
    fail(d, 'address.invalid_format', `unknown address prefix '${prefix.slice(0, 16)}:'`);
  } else {
    decodeCashaddrInto(payload.toLowerCase(), d);
  }
}

function detectBareCashaddr(s: string, d: Detection): void {
  const first = s.charCodeAt(0) | 0x20; // lower-cased
  if (first !== 113 && first !== 112 && first !== 122 && first !== 114) return; // q p z r
  if (!CASHADDR_LENGTHS.has(s.length) || letterCase(s) === 'mixed') return;
  decodeCashaddrInto(s.toLowerCase(), d);
}

function decodeCashaddrInto(payload: string, d: Detection): void {
  const r = decodeCashaddr(payload);
  if (!r.ok) {
    fail(d, r.checksum ? 'address.invalid_checksum' : 'address.invalid_format', r.reason);
    return;
  }
  // Token-aware types (2, 3) lock the same script as 0, 1: one key for both spellings.
  const canonical = r.type >= 2 ? encodeCashaddr(r.type - 2, r.hash) : payload;
  d.matches.push({
    chain: 'bitcoin-cash',
    normalized: `${CASHADDR_PREFIX}:${payload}`,
    key: `bitcoin-cash:${canonical}`,
  });
}

// ---- Monero -----------------------------------------------------------------------------------

/** Mainnet network bytes: standard 18 (`4…`), subaddress 42 (`8…`), integrated 19 (`4…`, 106 chars). */
function detectMonero(s: string, d: Detection): void {
  if (!isBase58(s)) {
    fail(d, 'address.invalid_format', 'Monero address is not base58');
    return;
  }
  let bytes: Uint8Array;
  try {
    bytes = base58xmr.decode(s);
  } catch {
    fail(d, 'address.invalid_format', 'Monero address has an invalid base58 block');
    return;
  }
  const net = bytes[0] ?? -1;
  const expected = s.length === 95 ? [18, 42] : [19];
  if (!expected.includes(net)) {
    fail(
      d,
      'address.invalid_format',
      `Monero network byte ${net} is not a mainnet ${s.length === 95 ? 'standard or subaddress' : 'integrated'} address`,
    );
    return;
  }
  const body = bytes.subarray(0, bytes.length - 4);
  const check = keccak_256(body);
  for (let i = 0; i < 4; i++) {
    if (check[i] !== bytes[body.length + i]) {
      fail(d, 'address.invalid_checksum', 'Monero address checksum does not match');
      return;
    }
  }
  push(d, 'monero', s);
}

// ---- XRP and base58check ----------------------------------------------------------------------

function detectXrp(s: string, d: Detection): void {
  if (!isXrpBase58(s)) return;
  const bytes = decodeXrpBase58(s);
  if (bytes === undefined) return;
  if (bytes.length !== 25) {
    fail(d, 'address.invalid_format', `XRP address decodes to ${bytes.length} bytes (expected 25)`);
  } else if (!hasDoubleSha256Checksum(bytes)) {
    fail(d, 'address.invalid_checksum', 'XRP address checksum does not match');
  } else if (bytes[0] !== 0) {
    fail(
      d,
      'address.invalid_format',
      `XRP account address has version 0x${hex2(bytes[0] ?? 0)} (expected 0x00)`,
    );
  } else {
    push(d, 'xrp', s);
  }
}

/** One-byte base58check versions, with the chains each is valid for, most likely first. */
const VERSIONS: ReadonlyMap<number, readonly Chain[]> = new Map<number, readonly Chain[]>([
  [0x00, ['bitcoin', 'bitcoin-cash', 'bitcoin-sv']],
  [0x05, ['bitcoin', 'bitcoin-cash', 'bitcoin-sv', 'litecoin']],
  [0x30, ['litecoin']],
  [0x32, ['litecoin']],
  [0x26, ['bitcoin-gold']],
  [0x17, ['bitcoin-gold']],
  [0x4c, ['dash']],
  [0x10, ['dash']],
  [0x1e, ['dogecoin', 'verge']],
  [0x16, ['dogecoin']],
  [0x21, ['verge']],
  [0x41, ['tron']],
]);

/** Testnet versions worth naming in the reason. */
const TESTNET_VERSIONS: ReadonlyMap<number, string> = new Map([
  [0x6f, 'Bitcoin testnet P2PKH'],
  [0xc4, 'Bitcoin testnet P2SH'],
  [0xa0, 'TRON testnet'],
]);

function detectBase58check(s: string, d: Detection): void {
  if (!isBase58(s)) {
    if (d.failure === undefined && d.matches.length === 0) {
      fail(d, 'address.invalid_format', 'contains characters outside the base58 alphabet (0, O, I or l)');
    }
    return;
  }
  const bytes = decodeBase58(s);
  if (bytes === undefined) return;
  if (bytes.length === 25) {
    if (!hasDoubleSha256Checksum(bytes)) {
      fail(d, 'address.invalid_checksum', 'base58check checksum does not match');
      return;
    }
    const version = bytes[0] ?? 0;
    const chains = VERSIONS.get(version);
    if (chains === undefined) {
      const testnet = TESTNET_VERSIONS.get(version);
      fail(
        d,
        'address.invalid_format',
        testnet === undefined
          ? `base58check version 0x${hex2(version)} is not a mainnet address of any supported chain`
          : `base58check version 0x${hex2(version)} is a ${testnet} address (testnet is not accepted)`,
      );
      return;
    }
    for (const chain of chains) {
      if (chain === 'bitcoin-cash') {
        d.matches.push({ chain, legacyCash: { type: version === 0 ? 0 : 1, hash: bytes.subarray(1, 21) } });
      } else {
        push(d, chain, s);
      }
    }
  } else if (bytes.length === 26) {
    if (!hasDoubleSha256Checksum(bytes)) {
      fail(d, 'address.invalid_checksum', 'base58check checksum does not match');
    } else if (bytes[0] === 0x1c && (bytes[1] === 0xb8 || bytes[1] === 0xbd)) {
      push(d, 'zcash', s);
    } else {
      fail(
        d,
        'address.invalid_format',
        `base58check version 0x${hex2(bytes[0] ?? 0)}${hex2(bytes[1] ?? 0)} is not a Zcash mainnet transparent address`,
      );
    }
  } else if (bytes.length === 32) {
    if (d.matches.length === 0) push(d, 'solana', s);
  } else {
    fail(
      d,
      'address.invalid_format',
      `base58 string decodes to ${bytes.length} bytes; no supported address has that size`,
    );
  }
}

// ---- dispatch ---------------------------------------------------------------------------------

/** Reads a prechecked string every way it could be an address. */
function detect(s: string): Detection {
  const d: Detection = { matches: [], failure: undefined };
  if (s.charCodeAt(0) === 48 /* '0' */ && (s.charCodeAt(1) | 0x20) === 120 /* 'x' */) {
    detectHexPrefixed(s, d);
    return d;
  }
  if (s.length === 42 && s.startsWith('41') && isHex(s)) {
    pushTronHex(s, 0, d);
    return d;
  }
  if (s.includes(':')) {
    detectPrefixedCashaddr(s, d);
    return d;
  }
  if (s.length === 64 && isHex(s)) {
    fail(d, 'address.invalid_format', '64 hex digits: a transaction hash or key, not an address');
    return d;
  }
  if (detectBech32(s, d)) return d;
  const first = s.charCodeAt(0);
  if (s.length === 95 || s.length === 106) {
    if (first === 52 /* '4' */ || first === 56 /* '8' */) detectMonero(s, d);
  } else {
    detectBareCashaddr(s, d);
    if (first === 114 /* 'r' */ && s.length >= 25 && s.length <= 35) detectXrp(s, d);
    // An XRP address cannot also be a bitcoin-alphabet base58check (short of a 2^-32 checksum fluke).
    if (s.length >= 25 && s.length <= 44 && d.matches.length === 0) detectBase58check(s, d);
  }
  if (d.matches.length === 0 && d.failure === undefined) {
    fail(d, 'address.invalid_format', 'not an address of any supported chain');
  }
  return d;
}

function valid(m: Match, chain: Chain): ValidAddress {
  if (m.legacyCash !== undefined) {
    const payload = encodeCashaddr(m.legacyCash.type, m.legacyCash.hash);
    const normalized = `${CASHADDR_PREFIX}:${payload}`;
    return { ok: true, chain, family: chainFamily(chain), normalized, key: `bitcoin-cash:${payload}` };
  }
  return { ok: true, chain, family: chainFamily(chain), normalized: m.normalized, key: m.key };
}

/** Codes for BNB the coin, which lives on BNB Smart Chain and on the retired BNB Beacon Chain. */
function isBnbCoin(hint: string): boolean {
  return hint.trim().toLowerCase() === 'bnb';
}

/**
 * Validates and normalises an address. Without a hint, the most likely chain is chosen (see
 * `inferChains`). With a hint (a chain id or a code such as XBT, TRX, BEP-20 or USDT, see
 * `resolveChainCode`), the address must be valid on that chain: EVM hints accept any EVM address,
 * token hints accept whatever chain the address format names (USDT on TRON, Ethereum or Omni), and
 * BNB also accepts a BNB Beacon Chain address. An address valid only elsewhere is
 * `address.chain_mismatch`; an unknown hint (including the empty string) is `address.unknown_chain`.
 */
export function normalizeAddress(address: string, chainHint?: string): AddressResult {
  let target: Chain | 'token' | undefined;
  if (chainHint !== undefined) {
    target = resolveChainCode(chainHint);
    if (target === undefined) {
      return {
        ok: false,
        code: 'address.unknown_chain',
        reason: `unknown chain or currency code '${chainHint.slice(0, 32)}'`,
      };
    }
  }
  const s = precheck(address);
  if (typeof s !== 'string') return s;
  const d = detect(s);
  const first = d.matches[0];
  if (first === undefined) {
    const failure = d.failure ?? formatError('not an address of any supported chain');
    if (target === undefined || target === 'token') return failure;
    return { ...failure, reason: `not a valid ${target} address: ${failure.reason}` };
  }
  if (target === undefined || target === 'token') return valid(first, first.chain);
  for (const m of d.matches) if (m.chain === target) return valid(m, target);
  if (isEvmChain(target)) {
    for (const m of d.matches) if (isEvmChain(m.chain)) return valid(m, target);
  }
  if (target === 'bsc' && chainHint !== undefined && isBnbCoin(chainHint)) {
    for (const m of d.matches) if (m.chain === 'bnb-beacon') return valid(m, m.chain);
  }
  const others = d.matches.map((m) => m.chain).join(', ');
  return {
    ok: false,
    code: 'address.chain_mismatch',
    reason: `address is valid for ${others}, not for ${target} (hint '${chainHint?.slice(0, 32)}')`,
  };
}

/**
 * The chains an address is valid for, most likely first (an EVM address lists every EVM chain,
 * Ethereum first; a Bitcoin `1…` lists bitcoin, bitcoin-cash, bitcoin-sv); empty when invalid.
 */
export function inferChains(address: string): Chain[] {
  const s = precheck(address);
  if (typeof s !== 'string') return [];
  const out: Chain[] = [];
  for (const m of detect(s).matches) {
    if (m.chain === 'ethereum') out.push(...EVM_CHAINS);
    else out.push(m.chain);
  }
  return out;
}

/** The match key of an address (see `normalizeAddress`), or undefined when it is not valid. */
export function addressKey(address: string, chainHint?: string): string | undefined {
  const r = normalizeAddress(address, chainHint);
  return r.ok ? r.key : undefined;
}
