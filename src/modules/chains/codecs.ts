/**
 * Low-level address encodings: base58check (double SHA-256), bech32 / bech32m (BIP-173 / BIP-350),
 * Bitcoin Cash cashaddr (40-bit BCH-code checksum), EIP-55 mixed-case checksums, hex.
 * Every function here is total: invalid input yields a failure value, never an exception.
 */
import crypto from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58 } from '@scure/base';

/** The bitcoin base58 alphabet (also Solana's and TRON's). */
export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** The XRP Ledger base58 alphabet. */
export const XRP_ALPHABET = 'rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz';

/** The bech32 / cashaddr data alphabet. */
export const BECH32_ALPHABET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Reverse lookup table (ASCII code → digit, or -1) for an alphabet. */
function reverseTable(alphabet: string): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

const BASE58_REV = reverseTable(BASE58_ALPHABET);
const XRP_REV = reverseTable(XRP_ALPHABET);
const BECH32_REV = reverseTable(BECH32_ALPHABET);

/** Whether every character of `s` is in the alphabet behind `table`. */
function allIn(s: string, table: Int8Array): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (table[c] ?? -1) < 0) return false;
  }
  return true;
}

/** Whether `s` uses only the bitcoin base58 alphabet. */
export function isBase58(s: string): boolean {
  return allIn(s, BASE58_REV);
}

/** Whether `s` uses only the XRP base58 alphabet. */
export function isXrpBase58(s: string): boolean {
  return allIn(s, XRP_REV);
}

/**
 * Decodes base58 over an alphabet given by its reverse table and the character code of its zero
 * digit (leading zero digits become zero bytes); undefined on a character outside the alphabet.
 */
function decodeBase58With(s: string, table: Int8Array, zeroChar: number): Uint8Array | undefined {
  let zeros = 0;
  while (zeros < s.length && s.charCodeAt(zeros) === zeroChar) zeros++;
  // log(58) / log(256) ≈ 0.7322, rounded up.
  const size = Math.floor(((s.length - zeros) * 733) / 1000) + 1;
  const buf = new Uint8Array(size);
  let used = 0;
  for (let i = zeros; i < s.length; i++) {
    const code = s.charCodeAt(i);
    let carry = code < 128 ? (table[code] ?? -1) : -1;
    if (carry < 0) return undefined;
    let j = 0;
    for (let k = size - 1; (carry !== 0 || j < used) && k >= 0; k--, j++) {
      carry += 58 * (buf[k] ?? 0);
      buf[k] = carry & 0xff;
      carry >>>= 8;
    }
    used = j;
  }
  let start = size - used;
  while (start < size && buf[start] === 0) start++;
  const out = new Uint8Array(zeros + size - start);
  out.set(buf.subarray(start), zeros);
  return out;
}

/** Decodes bitcoin-alphabet base58; undefined on a character outside the alphabet. */
export function decodeBase58(s: string): Uint8Array | undefined {
  return decodeBase58With(s, BASE58_REV, 49 /* '1' */);
}

/** Decodes XRP-alphabet base58; undefined on a character outside the alphabet. */
export function decodeXrpBase58(s: string): Uint8Array | undefined {
  return decodeBase58With(s, XRP_REV, 114 /* 'r' */);
}

/**
 * SHA-256(SHA-256(bytes)), natively (every base58check address a request names is checked; the
 * JavaScript hash cost more than the rest of its validation).
 */
const doubleSha256: (bytes: Uint8Array) => Uint8Array =
  typeof crypto.hash === 'function'
    ? (bytes) => crypto.hash('sha256', crypto.hash('sha256', bytes, 'buffer'), 'buffer')
    : (bytes) =>
        crypto.createHash('sha256').update(crypto.createHash('sha256').update(bytes).digest()).digest();

/** Whether the last 4 bytes of `bytes` are the first 4 bytes of SHA-256(SHA-256(the rest)). */
export function hasDoubleSha256Checksum(bytes: Uint8Array): boolean {
  if (bytes.length < 5) return false;
  const body = bytes.subarray(0, bytes.length - 4);
  const check = doubleSha256(body);
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[body.length + i]) return false;
  return true;
}

/** Base58check encoding (bitcoin alphabet) of a versioned payload. */
export function encodeBase58check(payload: Uint8Array): string {
  const check = sha256(sha256(payload));
  const full = new Uint8Array(payload.length + 4);
  full.set(payload);
  full.set(check.subarray(0, 4), payload.length);
  return base58.encode(full);
}

/** Value of one hex digit, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Whether `s.slice(from)` is non-empty and all hex digits (either case). */
export function isHex(s: string, from = 0): boolean {
  if (from >= s.length) return false;
  for (let i = from; i < s.length; i++) if (hexDigit(s.charCodeAt(i)) < 0) return false;
  return true;
}

/** Bytes of the hex digits `s.slice(from)` (even count, already checked with `isHex`). */
export function hexToBytes(s: string, from = 0): Uint8Array {
  const out = new Uint8Array((s.length - from) >> 1);
  for (let i = 0; i < out.length; i++) {
    out[i] = (hexDigit(s.charCodeAt(from + 2 * i)) << 4) | hexDigit(s.charCodeAt(from + 2 * i + 1));
  }
  return out;
}

/**
 * Regroups bit groups of width `from` into groups of width `to` (5 ↔ 8 for bech32 and cashaddr).
 * With `pad`, a short last group is zero-padded; without it, leftover bits must be fewer than `from`
 * and zero (BIP-173), else undefined.
 */
export function convertBits(
  data: ArrayLike<number>,
  from: number,
  to: number,
  pad: boolean,
): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    const value = data[i] ?? 0;
    if (value >>> from !== 0) return undefined;
    acc = ((acc << from) | value) & 0xffffff;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >>> bits) & maxv);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || ((acc << (to - bits)) & maxv) !== 0) {
    return undefined;
  }
  return out;
}

/** Outcome of decoding a bech32-family string. */
export type Bech32Decoded =
  | { ok: true; hrp: string; variant: 'bech32' | 'bech32m'; words: number[] }
  | { ok: false; checksum: boolean; reason: string };

const BECH32_GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] as const;
const BECH32M_CONST = 0x2bc830a3;

/** One step of the bech32 checksum polynomial. */
function bech32Step(chk: number, value: number): number {
  const top = chk >>> 25;
  let next = ((chk & 0x1ffffff) << 5) ^ value;
  for (let i = 0; i < 5; i++) if ((top >>> i) & 1) next ^= BECH32_GENERATORS[i] ?? 0;
  return next;
}

/**
 * Decodes a bech32 / bech32m string (BIP-173 / BIP-350): the caller passes it in lower case; at most
 * 90 characters; the separator is the last '1'. Reports which checksum constant matched.
 */
export function decodeBech32(s: string): Bech32Decoded {
  if (s.length > 90) return { ok: false, checksum: false, reason: 'bech32 string longer than 90 characters' };
  const sep = s.lastIndexOf('1');
  if (sep < 1) return { ok: false, checksum: false, reason: 'bech32 string has no human-readable part' };
  if (s.length - sep - 1 < 6) return { ok: false, checksum: false, reason: 'bech32 data part is too short' };
  let chk = 1;
  for (let i = 0; i < sep; i++) chk = bech32Step(chk, s.charCodeAt(i) >>> 5);
  chk = bech32Step(chk, 0);
  for (let i = 0; i < sep; i++) chk = bech32Step(chk, s.charCodeAt(i) & 31);
  const words: number[] = [];
  for (let i = sep + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? (BECH32_REV[c] ?? -1) : -1;
    if (v < 0) {
      return {
        ok: false,
        checksum: false,
        reason: `character '${s[i]}' at position ${i} is not in the bech32 alphabet`,
      };
    }
    chk = bech32Step(chk, v);
    words.push(v);
  }
  let variant: 'bech32' | 'bech32m';
  if (chk === 1) variant = 'bech32';
  else if (chk === BECH32M_CONST) variant = 'bech32m';
  else return { ok: false, checksum: true, reason: 'bech32 checksum does not match' };
  words.length -= 6;
  return { ok: true, hrp: s.slice(0, sep), variant, words };
}

/** Cashaddr generator polynomial, split into the high 8 and low 32 bits of each 40-bit constant. */
const CASHADDR_GEN_HI = [0x98, 0x79, 0xf3, 0xae, 0x1e] as const;
const CASHADDR_GEN_LO = [0xf2bc8e61, 0xb76d99e2, 0x3e5fb3c4, 0x2eabe2a8, 0x4f43e470] as const;

/** The cashaddr prefix of Bitcoin Cash mainnet. */
export const CASHADDR_PREFIX = 'bitcoincash';

/**
 * The cashaddr checksum polynomial (40 bits, as hi/lo 32-bit halves to stay in integer arithmetic)
 * over prefix (low 5 bits of each character), a zero separator, then `words`; 0 when the checksum
 * (the last 8 words) is valid.
 */
function cashaddrPolymod(prefix: string, words: ArrayLike<number>, trailingZeros: number): number {
  let hi = 0;
  let lo = 1;
  const step = (value: number): void => {
    const top = hi >>> 3;
    hi = ((hi & 0x07) << 5) | (lo >>> 27);
    lo = ((lo << 5) | value) >>> 0;
    for (let i = 0; i < 5; i++) {
      if ((top >>> i) & 1) {
        hi ^= CASHADDR_GEN_HI[i] ?? 0;
        lo = (lo ^ (CASHADDR_GEN_LO[i] ?? 0)) >>> 0;
      }
    }
  };
  for (let i = 0; i < prefix.length; i++) step(prefix.charCodeAt(i) & 31);
  step(0);
  for (let i = 0; i < words.length; i++) step(words[i] ?? 0);
  for (let i = 0; i < trailingZeros; i++) step(0);
  return hi * 0x1_0000_0000 + ((lo ^ 1) >>> 0);
}

/** Hash sizes in bytes by the 3 size bits of a cashaddr version byte. */
const CASHADDR_SIZES = [20, 24, 28, 32, 40, 48, 56, 64] as const;

/** Outcome of decoding a cashaddr payload. */
export type CashaddrDecoded =
  | { ok: true; type: number; hash: Uint8Array }
  | { ok: false; checksum: boolean; reason: string };

/**
 * Decodes the payload (the part after `bitcoincash:`, lower case) of a Bitcoin Cash cashaddr. Types
 * 0 (P2PKH, `q`), 1 (P2SH, `p`) and their token-aware forms 2 (`z`) and 3 (`r`) are accepted.
 */
export function decodeCashaddr(payload: string): CashaddrDecoded {
  if (payload.length < 9 || payload.length > 112) {
    return { ok: false, checksum: false, reason: 'cashaddr payload has an impossible length' };
  }
  const words = new Array<number>(payload.length);
  for (let i = 0; i < payload.length; i++) {
    const c = payload.charCodeAt(i);
    const v = c < 128 ? (BECH32_REV[c] ?? -1) : -1;
    if (v < 0) {
      return {
        ok: false,
        checksum: false,
        reason: `character '${payload[i]}' is not in the cashaddr alphabet`,
      };
    }
    words[i] = v;
  }
  if (cashaddrPolymod(CASHADDR_PREFIX, words, 0) !== 0) {
    return { ok: false, checksum: true, reason: 'cashaddr checksum does not match' };
  }
  const bytes = convertBits(words.slice(0, -8), 5, 8, false);
  if (bytes === undefined || bytes.length < 1) {
    return { ok: false, checksum: false, reason: 'cashaddr payload has invalid padding' };
  }
  const version = bytes[0] ?? 0;
  const type = version >>> 3;
  const size = CASHADDR_SIZES[version & 7] ?? 0;
  if (version & 0x80 || type > 3) {
    return {
      ok: false,
      checksum: false,
      reason: `cashaddr version byte 0x${hex2(version)} is not supported`,
    };
  }
  if (bytes.length - 1 !== size) {
    return { ok: false, checksum: false, reason: 'cashaddr hash length does not match its version byte' };
  }
  return { ok: true, type, hash: Uint8Array.from(bytes.slice(1)) };
}

/** Encodes a cashaddr payload (without the `bitcoincash:` prefix) for a type and hash. */
export function encodeCashaddr(type: number, hash: Uint8Array): string {
  const sizeCode = CASHADDR_SIZES.indexOf(hash.length as (typeof CASHADDR_SIZES)[number]);
  const versioned = new Uint8Array(hash.length + 1);
  versioned[0] = (type << 3) | (sizeCode < 0 ? 0 : sizeCode);
  versioned.set(hash, 1);
  const words = convertBits(versioned, 8, 5, true) ?? [];
  const mod = cashaddrPolymod(CASHADDR_PREFIX, words, 8);
  let out = '';
  for (const w of words) out += BECH32_ALPHABET[w];
  for (let i = 7; i >= 0; i--) out += BECH32_ALPHABET[Math.floor(mod / 2 ** (5 * i)) % 32];
  return out;
}

/** Two lower-case hex digits of a byte. */
export function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** ASCII bytes of a string known to be ASCII. */
function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Whether the 40 mixed-case hex digits `body` carry a valid EIP-55 checksum: each letter is upper
 * case exactly when the matching nibble of keccak256(lower-case hex) is 8 or more.
 */
export function hasEip55Checksum(body: string): boolean {
  const hash = keccak_256(asciiBytes(body.toLowerCase()));
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const upper = c >= 65 && c <= 70;
    const lower = c >= 97 && c <= 102;
    if (!upper && !lower) continue;
    const byte = hash[i >> 1] ?? 0;
    const nibble = i % 2 === 0 ? byte >>> 4 : byte & 15;
    if (upper !== nibble >= 8) return false;
  }
  return true;
}

/** The EIP-55 checksummed form (`0x` + mixed case) of 40 hex digits. */
export function toEip55(body: string): string {
  const lower = body.toLowerCase();
  const hash = keccak_256(asciiBytes(lower));
  let out = '0x';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i] ?? '';
    const byte = hash[i >> 1] ?? 0;
    const nibble = i % 2 === 0 ? byte >>> 4 : byte & 15;
    out += ch >= 'a' && nibble >= 8 ? ch.toUpperCase() : ch;
  }
  return out;
}
