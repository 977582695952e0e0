/**
 * The graph's on-disk unit: a segment holds a batch of transfers as columns (what the in-memory
 * graph loads at start, without parsing anything) and, apart, each transfer's id, tx and exact
 * amount (read only for evidence). Also the fingerprints that keep an import from counting a
 * transfer twice. Encoding and decoding only; the files are the repository's business.
 *
 * Layout (little-endian): a 48-byte header (`CGS1`, version, counts and section sizes), the key
 * table (u32 offsets + UTF-8), the asset table (JSON), the columns src u32, dst u32, ts u32,
 * asset u16 (padded to 8), amount f64, fingerprint f64, then u32 meta offsets and the meta blob
 * (one JSON array `[id, tx, amountBase]` per transfer).
 */

import type { GraphAsset } from './graph.js';

/** One batch of transfers in segment form (keys and assets local to the segment). */
export interface SegmentData {
  readonly keys: readonly string[];
  readonly assets: readonly GraphAsset[];
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  readonly ts: Uint32Array;
  readonly asset: Uint16Array;
  readonly amount: Float64Array;
  readonly fingerprint: Float64Array;
  /** `[id, tx, amountBase]` per transfer. */
  readonly meta: ReadonlyArray<readonly [id: string, tx: string | null, amountBase: string]>;
}

/** A segment as loaded: columns without the meta blob, plus where the meta lives in the file. */
export interface LoadedSegment extends Omit<SegmentData, 'meta'> {
  readonly count: number;
  /** Byte offset of the u32 meta offsets table, and of the blob after it. */
  readonly metaTableAt: number;
  readonly metaBlobAt: number;
}

/** Size of the fixed header. */
export const HEADER_BYTES = 48;
const MAGIC = 0x31534743; // 'CGS1'
const VERSION = 1;

const pad8 = (n: number): number => (n + 7) & ~7;

/** Encodes a segment into the buffers to write, in order. */
export function encodeSegment(s: SegmentData): Buffer[] {
  const count = s.src.length;
  const keyBlobs = s.keys.map((k) => Buffer.from(k, 'utf8'));
  const keyOffsets = new Uint32Array(s.keys.length + 1);
  keyBlobs.forEach((b, i) => {
    keyOffsets[i + 1] = (keyOffsets[i] as number) + b.length;
  });
  const keyBytes = pad8(keyOffsets.byteLength + (keyOffsets[s.keys.length] as number));
  const keySection = Buffer.alloc(keyBytes);
  Buffer.from(keyOffsets.buffer).copy(keySection, 0);
  let at = keyOffsets.byteLength;
  for (const b of keyBlobs) {
    b.copy(keySection, at);
    at += b.length;
  }
  const assetJson = Buffer.from(JSON.stringify(s.assets), 'utf8');
  const assetSection = Buffer.alloc(pad8(assetJson.length));
  assetJson.copy(assetSection);
  const assetCol = Buffer.alloc(pad8(count * 2));
  Buffer.from(s.asset.buffer, s.asset.byteOffset, count * 2).copy(assetCol);
  // Meta in chunks: one string join and one Buffer per 64k transfers, not one object per transfer.
  const metaOffsets = new Uint32Array(count + 1);
  const metaChunks: Buffer[] = [];
  for (let from = 0; from < count; from += 65_536) {
    const texts: string[] = [];
    const to = Math.min(count, from + 65_536);
    for (let i = from; i < to; i++) {
      const text = JSON.stringify(s.meta[i]);
      texts.push(text);
      metaOffsets[i + 1] = (metaOffsets[i] as number) + Buffer.byteLength(text, 'utf8');
    }
    metaChunks.push(Buffer.from(texts.join(''), 'utf8'));
  }
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(VERSION, 4);
  header.writeUInt32LE(count, 8);
  header.writeUInt32LE(s.keys.length, 12);
  header.writeUInt32LE(keyBytes, 16);
  header.writeUInt32LE(assetSection.length, 20);
  header.writeUInt32LE(metaOffsets[count] as number, 24);
  const view = (a: Uint32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return [
    header,
    keySection,
    assetSection,
    view(s.src),
    view(s.dst),
    view(s.ts),
    assetCol,
    view(s.amount),
    view(s.fingerprint),
    view(metaOffsets),
    ...metaChunks,
  ];
}

/** Sizes read from a header, to know how many bytes of columns to read. */
export interface SegmentHeader {
  readonly count: number;
  readonly keyCount: number;
  readonly keyBytes: number;
  readonly assetBytes: number;
  readonly metaBytes: number;
  /** Bytes from the start of the file to the end of the fingerprint column. */
  readonly columnsEnd: number;
}

/** Reads and checks a header; throws a clear error on a foreign or damaged file. */
export function decodeHeader(header: Buffer, name: string): SegmentHeader {
  if (header.length < HEADER_BYTES || header.readUInt32LE(0) !== MAGIC) {
    throw new Error(`${name}: not a cordon graph segment`);
  }
  const version = header.readUInt32LE(4);
  if (version !== VERSION) throw new Error(`${name}: segment version ${version} is not supported`);
  const count = header.readUInt32LE(8);
  const keyCount = header.readUInt32LE(12);
  const keyBytes = header.readUInt32LE(16);
  const assetBytes = header.readUInt32LE(20);
  const metaBytes = header.readUInt32LE(24);
  const columnsEnd = HEADER_BYTES + keyBytes + assetBytes + count * 12 + pad8(count * 2) + count * 16;
  return { count, keyCount, keyBytes, assetBytes, metaBytes, columnsEnd };
}

/** Decodes the columns part of a segment (`bytes` = the file from 0 to `columnsEnd`). */
export function decodeColumns(bytes: Buffer, h: SegmentHeader): LoadedSegment {
  let at = HEADER_BYTES;
  const u32 = (n: number): Uint32Array => {
    const a = new Uint32Array(n);
    Buffer.from(a.buffer).set(bytes.subarray(at, at + n * 4));
    at += n * 4;
    return a;
  };
  const keyOffsets = u32(h.keyCount + 1);
  const keys: string[] = new Array(h.keyCount);
  const blobAt = at;
  for (let i = 0; i < h.keyCount; i++) {
    keys[i] = bytes.toString(
      'utf8',
      blobAt + (keyOffsets[i] as number),
      blobAt + (keyOffsets[i + 1] as number),
    );
  }
  at = HEADER_BYTES + h.keyBytes;
  const assetText = bytes.toString('utf8', at, at + h.assetBytes).replace(/\0+$/, '');
  const assets = JSON.parse(assetText) as GraphAsset[];
  at += h.assetBytes;
  const src = u32(h.count);
  const dst = u32(h.count);
  const ts = u32(h.count);
  const asset = new Uint16Array(h.count);
  Buffer.from(asset.buffer).set(bytes.subarray(at, at + h.count * 2));
  at += pad8(h.count * 2);
  const f64 = (): Float64Array => {
    const a = new Float64Array(h.count);
    Buffer.from(a.buffer).set(bytes.subarray(at, at + h.count * 8));
    at += h.count * 8;
    return a;
  };
  const amount = f64();
  const fingerprint = f64();
  return {
    count: h.count,
    keys,
    assets,
    src,
    dst,
    ts,
    asset,
    amount,
    fingerprint,
    metaTableAt: at,
    metaBlobAt: at + (h.count + 1) * 4,
  };
}

/**
 * A 52-bit fingerprint of a transfer's identity (chain and id), never 0, exact in a float64:
 * two 32-bit FNV-1a variants over the UTF-16 code units.
 */
export function transferFingerprint(chain: string, id: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  const mix = (c: number) => {
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  };
  for (let i = 0; i < chain.length; i++) mix(chain.charCodeAt(i));
  mix(0);
  for (let i = 0; i < id.length; i++) mix(id.charCodeAt(i));
  const fp = (h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff);
  return fp === 0 ? 1 : fp;
}

/** An open-addressing set of fingerprints (float64 slots, 0 = empty, -1 = deleted), for de-duplication. */
export interface FingerprintSet {
  readonly size: number;
  /** Adds; returns false when it was already there. */
  add(fp: number): boolean;
  has(fp: number): boolean;
  /** Removes (a transfer taken back after a reorg may come again); returns whether it was there. */
  delete(fp: number): boolean;
  readonly bytes: number;
}

/** Creates an empty fingerprint set that grows at half load. */
export function createFingerprintSet(initialCapacity = 1 << 16): FingerprintSet {
  let cap = 1;
  while (cap < initialCapacity) cap <<= 1;
  let slots = new Float64Array(cap);
  let size = 0;
  let deleted = 0;
  const slotOf = (table: Float64Array, fp: number): number => {
    const mask = table.length - 1;
    let i = ((fp % 0x100000000) ^ Math.floor(fp / 0x1000)) & mask;
    for (;;) {
      const v = table[i] as number;
      if (v === 0 || v === fp) return i;
      i = (i + 1) & mask; // past other fingerprints and deleted slots
    }
  };
  const set: FingerprintSet = {
    get size() {
      return size;
    },
    get bytes() {
      return slots.byteLength;
    },
    add(fp) {
      if ((size + deleted + 1) * 2 > slots.length) {
        const next = new Float64Array((size + 1) * 4 > slots.length ? slots.length * 2 : slots.length);
        for (const v of slots) if (v > 0) next[slotOf(next, v)] = v;
        slots = next;
        deleted = 0;
      }
      const i = slotOf(slots, fp);
      if (slots[i] === fp) return false;
      slots[i] = fp;
      size++;
      return true;
    },
    has: (fp) => slots[slotOf(slots, fp)] === fp,
    delete(fp) {
      const i = slotOf(slots, fp);
      if (slots[i] !== fp) return false;
      slots[i] = -1;
      size--;
      deleted++;
      return true;
    },
  };
  return set;
}
