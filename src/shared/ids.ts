import { randomBytes, randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/**
 * Time-ordered unique ids (`<prefix>_<10 chars time><16 chars random>`): sortable in the store,
 * readable in logs, unique across processes.
 *
 * @example newId('key', clock.nowMs()) // 'key_01jd3k8v2m9x4e7q0a1b2c3d4e'
 */
export function newId(prefix: string, nowMs: number): string {
  let time = '';
  let t = Math.floor(nowMs);
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `${prefix}_${time}${randomBase32(16)}`;
}

/** Random Crockford base32 string of `length` characters (5 bits of entropy each). */
export function randomBase32(length: number): string {
  if (length > POOL_SIZE) return encode(randomBytes(length), 0, length);
  if (poolUsed + length > POOL_SIZE) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  const out = encode(pool, poolUsed, length);
  // Each random byte is used once: the pool is refilled, never reread.
  poolUsed += length;
  return out;
}

/** Random bytes fetched 4 KiB at a time: one system call per ~250 ids instead of one per id. */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolUsed = POOL_SIZE;

function encode(bytes: Uint8Array, from: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[from + i] ?? 0) & 31];
  return out;
}
