/**
 * Which compacted transfers touch a flagged address: per address, its receipts *from* flagged
 * addresses and its payments *to* flagged addresses. The last hop of a haircut trace only credits
 * flagged counterparties, so with this index it reads those few transfers instead of every
 * transfer of the address (docs/graph.md, "Flag index").
 *
 * Flagged addresses are few, so the index is built by walking their own transfers: their out-edges
 * are the receipts from flagged senders, their in-edges the payments to flagged receivers. It covers
 * the compacted transfers of one layout (the `GraphView` it was built from); a compaction moves
 * transfers, so the owner rebuilds it then, and whenever the flags change. Transfers still in the
 * append buffer are not in it: a trace reads them as before.
 *
 * Layout, per side: the references of those transfers in ascending order (in-edge positions for
 * receipts, out-adjacency indexes for payments), which groups them by address because both orders
 * group by address; and per block of 64 addresses the first entry of the block, so an address's
 * entries are found by a short binary search inside its block.
 */

import { senderAt, type TransferGraph } from './graph.js';

/** Addresses per block of the block index. */
const BLOCK_SHIFT = 6;

/** The flag index of one compacted layout and one set of flagged addresses. */
export interface FlagIndex {
  /** The layout it describes: the `inOff` array of the view it was built from. */
  readonly layout: Uint32Array;
  /** Positions (in-edge order, ascending) of compacted transfers whose sender is flagged. */
  readonly inRef: Uint32Array;
  /** Per block of 64 addresses, the first index into `inRef` of the block (one more at the end). */
  readonly inBlock: Uint32Array;
  /** Out-adjacency indexes (ascending) of compacted transfers whose receiver is flagged. */
  readonly outRef: Uint32Array;
  readonly outBlock: Uint32Array;
  /** How many flagged addresses it was built from. */
  readonly flagged: number;
  /** Bytes of its typed arrays. */
  readonly bytes: number;
}

/**
 * Builds the flag index of `graph`'s compacted transfers for the flagged addresses `flagged`
 * (node ids; duplicates and ids beyond the compacted nodes are ignored). Undefined for a graph
 * without a `view` (another implementation of the interface).
 */
export function buildFlagIndex(graph: TransferGraph, flagged: Iterable<number>): FlagIndex | undefined {
  const V = graph.view?.();
  if (V === undefined) return undefined;
  const nodes = V.csrNodes;
  const seen = new Uint8Array(nodes);
  const list: number[] = [];
  for (const n of flagged) {
    if (n < 0 || n >= nodes || seen[n] === 1) continue;
    seen[n] = 1;
    list.push(n);
  }
  let nIn = 0;
  let nOut = 0;
  for (const n of list) {
    nIn += (V.outOff[n + 1] as number) - (V.outOff[n] as number);
    nOut += (V.inOff[n + 1] as number) - (V.inOff[n] as number);
  }
  // Receipts from flagged senders: the flagged addresses' out-edges, as positions.
  const inRef = new Uint32Array(nIn);
  let i = 0;
  for (const n of list) {
    const end = V.outOff[n + 1] as number;
    for (let j = V.outOff[n] as number; j < end; j++) inRef[i++] = V.outPos[j] as number;
  }
  inRef.sort();
  // Payments to flagged receivers: the flagged addresses' in-edges, as their senders' out-adjacency
  // indexes: mark those positions, then read each such sender's out-adjacency once.
  const marked = new Uint8Array((V.compacted >>> 3) + 1);
  for (const n of list) {
    const end = V.inOff[n + 1] as number;
    for (let k = V.inOff[n] as number; k < end; k++)
      marked[k >>> 3] = (marked[k >>> 3] as number) | (1 << (k & 7));
  }
  const outRef = new Uint32Array(nOut);
  const senderDone = new Uint8Array(nodes);
  i = 0;
  for (const n of list) {
    const end = V.inOff[n + 1] as number;
    for (let k = V.inOff[n] as number; k < end; k++) {
      const s = senderAt(V, k);
      if (senderDone[s] === 1) continue;
      senderDone[s] = 1;
      const stop = V.outOff[s + 1] as number;
      for (let j = V.outOff[s] as number; j < stop; j++) {
        const p = V.outPos[j] as number;
        if (((marked[p >>> 3] as number) & (1 << (p & 7))) !== 0) outRef[i++] = j;
      }
    }
  }
  outRef.sort();
  const inBlock = blockIndex(V.inOff, nodes, inRef);
  const outBlock = blockIndex(V.outOff, nodes, outRef);
  return {
    layout: V.inOff,
    inRef,
    inBlock,
    outRef,
    outBlock,
    flagged: list.length,
    bytes: inRef.byteLength + outRef.byteLength + inBlock.byteLength + outBlock.byteLength,
  };
}

/** Per block of addresses, the first entry of `refs` at or after the block's first reference. */
function blockIndex(off: Uint32Array, nodes: number, refs: Uint32Array): Uint32Array {
  const blocks = (nodes >>> BLOCK_SHIFT) + 1;
  const out = new Uint32Array(blocks + 1);
  let e = 0;
  for (let b = 0; b < blocks; b++) {
    const first = off[Math.min(nodes, b << BLOCK_SHIFT)] as number;
    while (e < refs.length && (refs[e] as number) < first) e++;
    out[b] = e;
  }
  out[blocks] = refs.length;
  return out;
}

/**
 * The entries of address `v` (compacted references `from .. to − 1` of its side): sets `range[0]`
 * and `range[1]` to the first and one past the last index into `refs`.
 */
export function flagEntries(
  refs: Uint32Array,
  blocks: Uint32Array,
  v: number,
  from: number,
  to: number,
  range: Int32Array,
): void {
  const b = v >>> BLOCK_SHIFT;
  let lo = blocks[b] as number;
  let hi = blocks[b + 1] as number;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((refs[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < (blocks[b + 1] as number) && (refs[end] as number) < to) end++;
  range[0] = lo;
  range[1] = end;
}
