/**
 * The transfer graph in memory: a compressed-sparse-row adjacency in both directions whose columns
 * are stored in in-edge order (a node's incoming transfers sit side by side with their sender,
 * amount, time and asset), plus an append buffer so a transfer added now is visible to the next
 * query at once. `compact()` folds the buffer into the CSR.
 *
 * Per transfer, compacted: in in-edge order a 16-byte row (amount as a float of base units, 8 —
 * exact amounts live in the persisted segments; time, 4; asset, 2; the low half of the sender, 2),
 * the high half of the sender (2) and the transfer's seq (4); the out-adjacency as positions into
 * those rows (4); and, by seq, the receiver (4), which also finds a transfer's position — 30 bytes,
 * plus 10 bytes per address for the two offset arrays and two time-order flags, plus 4 bytes per 64
 * transfers saying who receives each block of rows.
 * Addresses are interned to integer node ids; assets to small integers.
 */

/** One asset as the graph knows it: chain, symbol, decimals. */
export interface GraphAsset {
  readonly chain: string;
  readonly symbol: string;
  readonly decimals: number;
}

/** The in-memory transfer graph. Node ids and transfer indexes (`seq`) are dense integers. */
export interface TransferGraph {
  /** Number of distinct addresses. */
  readonly nodeCount: number;
  /** Number of transfers (compacted and buffered). */
  readonly transferCount: number;
  /** Transfers covered by the CSR; the rest are in the append buffer. */
  readonly compactedCount: number;
  /** Node id of a match key, or -1. */
  nodeOf(key: string): number;
  /** Node id of a match key, interning it when new. */
  internNode(key: string): number;
  /** Match key of a node. */
  keyOf(node: number): string;
  /** Asset id of (chain, symbol), interning it when new. */
  internAsset(asset: GraphAsset): number;
  assetOf(id: number): GraphAsset;
  /** Asset id if known, else -1. */
  assetIdOf(chain: string, symbol: string): number;
  /** Appends one transfer; returns its seq. `amount` is base units as a float. */
  append(from: number, to: number, asset: number, amount: number, timestamp: number): number;
  /**
   * Appends many transfers at once (a loaded or imported segment): columns are copied, and the
   * adjacency is rebuilt by the next read or `compact()` instead of one buffer entry per transfer.
   * `nodeMap` / `assetMap` translate the batch's local ids to graph ids.
   */
  appendBulk(batch: {
    src: Uint32Array;
    dst: Uint32Array;
    asset: Uint16Array;
    amount: Float64Array;
    ts: Uint32Array;
    nodeMap: Uint32Array;
    assetMap: Uint16Array;
  }): void;
  /** Sets a transfer's amount to 0: it stays in place but carries nothing (a reorged-out transfer). */
  voidTransfer(seq: number): void;
  /** Drops every transfer with seq ≥ `count` (a reorg or a failed write): the graph as it was. */
  truncate(count: number): void;
  /** Calls `visit(seq)` for each transfer leaving `node` (in arrival order). */
  forEachOut(node: number, visit: (seq: number) => void): void;
  /** Calls `visit(seq)` for each transfer entering `node`. */
  forEachIn(node: number, visit: (seq: number) => void): void;
  /** Out-degree and in-degree (compacted + buffered). */
  outDegree(node: number): number;
  inDegree(node: number): number;
  /**
   * Column access by seq. A compacted transfer is found among its receiver's in-edges by a binary
   * search: meant for evidence and repairs, not for hot loops (use `view`).
   */
  readonly src: (seq: number) => number;
  readonly dst: (seq: number) => number;
  readonly amount: (seq: number) => number;
  readonly timestamp: (seq: number) => number;
  readonly asset: (seq: number) => number;
  /**
   * The raw CSR columns for hot loops (exposure), valid until the next append or compaction;
   * transfers in the append buffer are reached with `forEachBuffered` and the accessors by seq.
   */
  view?(): GraphView;
  /** Calls `visit(seq)` for each buffered (not yet compacted) transfer of `node` on one side. */
  forEachBuffered?(node: number, side: 'in' | 'out', visit: (seq: number) => void): void;
  /** Folds the append buffer into the CSR (O(transfers + nodes)); trims the columns. */
  compact(): void;
  /** Bytes held by the typed arrays (columns and CSR) and the number of buffered transfers. */
  memory(): { columnBytes: number; csrBytes: number; bufferedTransfers: number };
}

/**
 * Direct access to a graph's arrays (see `TransferGraph.view`). Compacted transfers are addressed by
 * their *position* in in-edge order: node n's incoming transfers are positions
 * `inOff[n] .. inOff[n + 1] − 1`, oldest first. Position k's amount, time and asset share one
 * 16-byte row (`rowAmount[2k]`; the time at `rowWords[4k + 2]`; at `rowWords[4k + 3]` the asset in
 * the low half and the low half of the sender in the high half; the sender's high half is
 * `srcHigh[k]`), so a scan of a node's in-edges reads sequentially and a payment read at a random
 * position touches one cache line. Its outgoing transfers are `outPos[j]` for `j` in
 * `outOff[n] .. outOff[n + 1] − 1`, oldest first; their receiver is found without the seq by
 * `receiverAt`.
 */
export interface GraphView {
  /** Transfers covered by the CSR (positions 0 .. compacted − 1; seqs 0 .. compacted − 1). */
  readonly compacted: number;
  /** Nodes covered by the CSR offsets. */
  readonly csrNodes: number;
  readonly inOff: Uint32Array;
  /**
   * Per node, 1 when its in-edges are also in time order (as on a chain followed block by block):
   * a trace bounded in time can then stop at the first later transfer.
   */
  readonly inSorted: Uint8Array;
  /** The rows, as floats: amount of position k at `2k`. */
  readonly rowAmount: Float64Array;
  /**
   * The rows, as 32-bit words: time of position k at `4k + 2`; at `4k + 3` its asset (low 16 bits)
   * and the low half of its sender (high 16 bits).
   */
  readonly rowWords: Uint32Array;
  /** High half of the sender, by position. */
  readonly srcHigh: Uint16Array;
  /**
   * Per block of 64 positions (`k >>> 6`), the receiver of its first position, plus one entry past
   * the last block: with `inOff` it finds the receiver of a position in a few reads (`receiverAt`).
   */
  readonly recvBlock: Uint32Array;
  /** Position → seq. */
  readonly seq: Uint32Array;
  readonly outOff: Uint32Array;
  /** Per node, 1 when its out-edges (arrival order) are also in time order. */
  readonly outSorted: Uint8Array;
  /** Out-adjacency: positions. */
  readonly outPos: Uint32Array;
  /** Receiver by seq (every transfer, compacted or buffered). */
  readonly dst: Uint32Array;
}

/** Initial column capacity. */
const INITIAL_CAPACITY = 1024;

/** Positions per entry of `GraphView.recvBlock`. */
const RECV_BLOCK_SHIFT = 6;

/** The sender of compacted position `k`. */
export function senderAt(V: GraphView, k: number): number {
  return (((V.rowWords[4 * k + 3] as number) >>> 16) | ((V.srcHigh[k] as number) << 16)) >>> 0;
}

/**
 * The receiver of compacted position `k`: the node whose in-edge range holds it, found from the
 * receiver of its block of 64 positions by a short search in `inOff` (the last node whose range
 * starts at or before `k`). Costs about one read of `inOff` where `dst[seq[k]]` costs two misses.
 */
export function receiverAt(V: GraphView, k: number): number {
  const b = k >>> RECV_BLOCK_SHIFT;
  const inOff = V.inOff;
  let lo = V.recvBlock[b] as number;
  let hi = V.recvBlock[b + 1] as number;
  // The whole block is one node's receipts (a busy receiver): no read of the offsets.
  if (hi === lo) return lo;
  if (hi - lo <= 32) {
    while ((inOff[lo + 1] as number) <= k) lo++;
    return lo;
  }
  // Many nodes (empty ranges) in the block: the last d in [lo, hi] with inOff[d] ≤ k.
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((inOff[mid] as number) <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The rows of `n` positions: one buffer seen as floats and as 32-bit words. */
function createRows(n: number): { f64: Float64Array; u32: Uint32Array } {
  const buffer = new ArrayBuffer(n * 16);
  return { f64: new Float64Array(buffer), u32: new Uint32Array(buffer) };
}

/** Per block of 64 positions the receiver of its first position, and one entry past the last. */
function receiverBlocks(inOff: Uint32Array, nodes: number, positions: number): Uint32Array {
  const blocks = (positions + (1 << RECV_BLOCK_SHIFT) - 1) >>> RECV_BLOCK_SHIFT;
  const out = new Uint32Array(blocks + 1);
  let d = 0;
  for (let b = 0; b < blocks; b++) {
    const k = b << RECV_BLOCK_SHIFT;
    while ((inOff[d + 1] as number) <= k) d++;
    out[b] = d;
  }
  out[blocks] = Math.max(0, nodes - 1);
  return out;
}

/**
 * Creates an empty graph.
 *
 * @example
 * const g = createTransferGraph();
 * const usdt = g.internAsset({ chain: 'tron', symbol: 'USDT', decimals: 6 });
 * g.append(g.internNode('tron:TA…'), g.internNode('tron:TB…'), usdt, 1e6, 1709294400);
 */
export function createTransferGraph(): TransferGraph {
  const nodeIds = new Map<string, number>();
  const keys: string[] = [];
  const assets: GraphAsset[] = [];
  const assetIds = new Map<string, number>();

  let count = 0;
  // The receiver of every transfer, by seq.
  let dstCol = new Uint32Array(INITIAL_CAPACITY);

  // CSR over seq < compacted, columns in in-edge order (see GraphView).
  let compacted = 0;
  let csrNodes = 0;
  let inOff: Uint32Array = new Uint32Array(1);
  let inSorted = new Uint8Array(0);
  let outSorted = new Uint8Array(0);
  let outOff: Uint32Array = new Uint32Array(1);
  // The rows (amount, time, asset and low half of the sender) seen two ways, and the sender's high half.
  let rF64: Float64Array = new Float64Array(0);
  let rU32: Uint32Array = new Uint32Array(0);
  let cSrcHi = new Uint16Array(0);
  let recvBlock: Uint32Array = new Uint32Array(1);
  let cSeq = new Uint32Array(0);
  let outPos = new Uint32Array(0);

  // Append buffer: columns by seq − compacted, and per-node linked lists in typed arrays (per node
  // the newest buffered slot or -1, per slot the next older one of the same node); no allocation
  // per transfer.
  let bufCapacity = INITIAL_CAPACITY;
  let bSrc = new Uint32Array(bufCapacity);
  let bAmount = new Float64Array(bufCapacity);
  let bTs = new Uint32Array(bufCapacity);
  let bAsset = new Uint16Array(bufCapacity);
  let bufOut = createBuffer();
  let bufIn = createBuffer();

  const grow = (needed: number): void => {
    if (needed > dstCol.length) {
      let next = Math.max(dstCol.length, INITIAL_CAPACITY);
      while (next < needed) next = Math.ceil(next * 1.5);
      const d = new Uint32Array(next);
      d.set(dstCol.subarray(0, count));
      dstCol = d;
    }
    const slots = needed - compacted;
    if (slots > bufCapacity) {
      let next = Math.max(bufCapacity, INITIAL_CAPACITY);
      while (next < slots) next = Math.ceil(next * 1.5);
      const used = count - compacted;
      const copy = <T extends Uint32Array | Float64Array | Uint16Array>(a: T, make: (n: number) => T): T => {
        const b = make(next);
        b.set(a.subarray(0, used));
        return b;
      };
      bSrc = copy(bSrc, (n) => new Uint32Array(n));
      bAmount = copy(bAmount, (n) => new Float64Array(n));
      bTs = copy(bTs, (n) => new Uint32Array(n));
      bAsset = copy(bAsset, (n) => new Uint16Array(n));
      bufCapacity = next;
    }
  };

  // Set by appendBulk: transfers past the buffer's reach until the next compaction.
  let unindexed = false;
  let lastView: GraphView | undefined;
  const ensureIndexed = (): void => {
    if (unindexed) graph.compact();
  };

  /** Sender of compacted position `p`. */
  const srcAt = (p: number): number =>
    (((rU32[4 * p + 3] as number) >>> 16) | ((cSrcHi[p] as number) << 16)) >>> 0;

  /** Position of a compacted transfer: a binary search among its receiver's in-edges (seq order). */
  const posOf = (seq: number): number => {
    const d = dstCol[seq] as number;
    let lo = inOff[d] as number;
    let hi = (inOff[d + 1] as number) - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cSeq[mid] as number) < seq) lo = mid + 1;
      else hi = mid;
    }
    if (cSeq[lo] !== seq) throw new RangeError(`no transfer ${seq}`);
    return lo;
  };

  /** Rebuilds the buffer's linked lists from its columns (after a truncation). */
  const relinkBuffer = (): void => {
    bufOut = createBuffer();
    bufIn = createBuffer();
    for (let s = compacted; s < count; s++) {
      bufOut.push(bSrc[s - compacted] as number, s - compacted, keys.length);
      bufIn.push(dstCol[s] as number, s - compacted, keys.length);
    }
  };

  /**
   * Folds the buffered transfers into the CSR: each node's compacted in-edges keep their order and
   * its buffered ones follow (seq order), so every in-range stays sorted by seq; the out-adjacency
   * is remapped to the new positions. O(transfers + nodes).
   */
  const fold = (): void => {
    const nodes = keys.length;
    const nb = count - compacted;
    const nIn = new Uint32Array(nodes + 1);
    const nOutOff = new Uint32Array(nodes + 1);
    for (let n = 0; n < csrNodes; n++) {
      nIn[n + 1] = (inOff[n + 1] as number) - (inOff[n] as number);
      nOutOff[n + 1] = (outOff[n + 1] as number) - (outOff[n] as number);
    }
    for (let i = 0; i < nb; i++) {
      const d = (dstCol[compacted + i] as number) + 1;
      nIn[d] = (nIn[d] as number) + 1;
      const s = (bSrc[i] as number) + 1;
      nOutOff[s] = (nOutOff[s] as number) + 1;
    }
    for (let n = 0; n < nodes; n++) {
      nIn[n + 1] = (nIn[n + 1] as number) + (nIn[n] as number);
      nOutOff[n + 1] = (nOutOff[n + 1] as number) + (nOutOff[n] as number);
    }
    const rows = createRows(count);
    const nF64 = rows.f64;
    const nU32 = rows.u32;
    const nSrcHi = new Uint16Array(count);
    const nSeq = new Uint32Array(count);
    const cursor = new Uint32Array(nodes);
    // Compacted in-edges: shifted by their node's growth; `moved` maps old positions to new ones.
    const moved = new Uint32Array(compacted);
    for (let n = 0; n < nodes; n++) {
      let p = nIn[n] as number;
      if (n < csrNodes) {
        const end = inOff[n + 1] as number;
        for (let k = inOff[n] as number; k < end; k++, p++) {
          nF64[2 * p] = rF64[2 * k] as number;
          nU32[4 * p + 2] = rU32[4 * k + 2] as number;
          nU32[4 * p + 3] = rU32[4 * k + 3] as number; // asset and the sender's low half
          nSrcHi[p] = cSrcHi[k] as number;
          nSeq[p] = cSeq[k] as number;
          moved[k] = p;
        }
      }
      cursor[n] = p;
    }
    // Buffered transfers after them, in seq order.
    const placed = new Uint32Array(nb);
    for (let i = 0; i < nb; i++) {
      const d = dstCol[compacted + i] as number;
      const p = cursor[d] as number;
      cursor[d] = p + 1;
      const s = bSrc[i] as number;
      nF64[2 * p] = bAmount[i] as number;
      nU32[4 * p + 2] = bTs[i] as number;
      nU32[4 * p + 3] = ((bAsset[i] as number) | ((s & 0xffff) << 16)) >>> 0;
      nSrcHi[p] = s >>> 16;
      nSeq[p] = compacted + i;
      placed[i] = p;
    }
    // Out-adjacency: the compacted out-edges (remapped), then the buffered ones.
    const nOutPos = new Uint32Array(count);
    for (let n = 0; n < nodes; n++) {
      let q = nOutOff[n] as number;
      if (n < csrNodes) {
        const end = outOff[n + 1] as number;
        for (let k = outOff[n] as number; k < end; k++, q++)
          nOutPos[q] = moved[outPos[k] as number] as number;
      }
      cursor[n] = q;
    }
    for (let i = 0; i < nb; i++) {
      const s = bSrc[i] as number;
      const q = cursor[s] as number;
      cursor[s] = q + 1;
      nOutPos[q] = placed[i] as number;
    }
    // Which nodes' receipts are in time order as well.
    const sorted = new Uint8Array(nodes);
    for (let n = 0; n < nodes; n++) {
      const end = nIn[n + 1] as number;
      let ok = 1;
      for (let k = (nIn[n] as number) + 1; k < end; k++) {
        if ((nU32[4 * k + 2] as number) < (nU32[4 * k - 2] as number)) {
          ok = 0;
          break;
        }
      }
      sorted[n] = ok;
    }
    // And which nodes' payments: their compacted ones as before, then the buffered ones in seq order.
    const sortedOut = new Uint8Array(nodes);
    sortedOut.set(outSorted.subarray(0, Math.min(outSorted.length, nodes)));
    for (let n = outSorted.length; n < nodes; n++) sortedOut[n] = 1;
    const lastOut = new Uint32Array(nodes);
    const seenOut = new Uint8Array(nodes);
    for (let i = 0; i < nb; i++) {
      const s = bSrc[i] as number;
      if (seenOut[s] === 0) {
        seenOut[s] = 1;
        const oldEnd = s < csrNodes ? (outOff[s + 1] as number) : 0;
        lastOut[s] =
          s < csrNodes && oldEnd > (outOff[s] as number)
            ? (rU32[4 * (outPos[oldEnd - 1] as number) + 2] as number)
            : 0;
      }
      const t = bTs[i] as number;
      if (t < (lastOut[s] as number)) sortedOut[s] = 0;
      lastOut[s] = t;
    }
    inOff = nIn;
    inSorted = sorted;
    outSorted = sortedOut;
    outOff = nOutOff;
    rF64 = nF64;
    rU32 = nU32;
    cSrcHi = nSrcHi;
    recvBlock = receiverBlocks(nIn, nodes, count);
    cSeq = nSeq;
    outPos = nOutPos;
    csrNodes = nodes;
    compacted = count;
  };

  const graph: TransferGraph = {
    get nodeCount() {
      return keys.length;
    },
    get transferCount() {
      return count;
    },
    get compactedCount() {
      return compacted;
    },
    nodeOf: (key) => nodeIds.get(key) ?? -1,
    internNode(key) {
      let id = nodeIds.get(key);
      if (id === undefined) {
        id = keys.length;
        nodeIds.set(key, id);
        keys.push(key);
      }
      return id;
    },
    keyOf(node) {
      const key = keys[node];
      if (key === undefined) throw new RangeError(`no node ${node}`);
      return key;
    },
    internAsset(asset) {
      const k = `${asset.chain}\u0000${asset.symbol}`;
      let id = assetIds.get(k);
      if (id === undefined) {
        if (assets.length >= 0xffff) throw new RangeError('too many assets');
        id = assets.length;
        assetIds.set(k, id);
        assets.push({ chain: asset.chain, symbol: asset.symbol, decimals: asset.decimals });
      }
      return id;
    },
    assetOf(id) {
      const a = assets[id];
      if (a === undefined) throw new RangeError(`no asset ${id}`);
      return a;
    },
    assetIdOf: (chain, symbol) => assetIds.get(`${chain}\u0000${symbol}`) ?? -1,
    append(from, to, asset, amount, timestamp) {
      grow(count + 1);
      const seq = count;
      const slot = seq - compacted;
      dstCol[seq] = to;
      bSrc[slot] = from;
      bAmount[slot] = amount;
      bTs[slot] = timestamp;
      bAsset[slot] = asset;
      count++;
      if (!unindexed) {
        bufOut.push(from, slot, keys.length);
        bufIn.push(to, slot, keys.length);
      }
      return seq;
    },
    appendBulk(b) {
      const n = b.src.length;
      grow(count + n);
      const { nodeMap, assetMap } = b;
      const slot = count - compacted;
      for (let i = 0; i < n; i++) {
        dstCol[count + i] = nodeMap[b.dst[i] as number] as number;
        bSrc[slot + i] = nodeMap[b.src[i] as number] as number;
        bAsset[slot + i] = assetMap[b.asset[i] as number] as number;
      }
      bAmount.set(b.amount, slot);
      bTs.set(b.ts, slot);
      count += n;
      unindexed = true;
    },
    voidTransfer(seq) {
      if (seq < 0 || seq >= count) throw new RangeError(`no transfer ${seq}`);
      if (seq >= compacted) bAmount[seq - compacted] = 0;
      else rF64[2 * posOf(seq)] = 0;
    },
    truncate(newCount) {
      ensureIndexed();
      if (newCount >= count) return;
      const keep = Math.max(0, newCount);
      if (keep < compacted) {
        // Back to arrival order for the transfers kept, then one compaction.
        bufCapacity = Math.max(keep, INITIAL_CAPACITY);
        bSrc = new Uint32Array(bufCapacity);
        bAmount = new Float64Array(bufCapacity);
        bTs = new Uint32Array(bufCapacity);
        bAsset = new Uint16Array(bufCapacity);
        for (let p = 0; p < compacted; p++) {
          const s = cSeq[p] as number;
          if (s >= keep) continue;
          bSrc[s] = srcAt(p);
          bAmount[s] = rF64[2 * p] as number;
          bTs[s] = rU32[4 * p + 2] as number;
          bAsset[s] = (rU32[4 * p + 3] as number) & 0xffff;
        }
        count = keep;
        compacted = 0;
        csrNodes = 0;
        inOff = new Uint32Array(1);
        inSorted = new Uint8Array(0);
        outSorted = new Uint8Array(0);
        outOff = new Uint32Array(1);
        rF64 = new Float64Array(0);
        rU32 = new Uint32Array(0);
        cSrcHi = new Uint16Array(0);
        recvBlock = new Uint32Array(1);
        cSeq = new Uint32Array(0);
        outPos = new Uint32Array(0);
        graph.compact();
        return;
      }
      count = keep;
      relinkBuffer();
    },
    forEachOut(node, visit) {
      ensureIndexed();
      if (node < csrNodes) {
        const end = outOff[node + 1] as number;
        for (let k = outOff[node] as number; k < end; k++) visit(cSeq[outPos[k] as number] as number);
      }
      bufOut.forEach(node, compacted, visit);
    },
    forEachIn(node, visit) {
      ensureIndexed();
      if (node < csrNodes) {
        const end = inOff[node + 1] as number;
        for (let k = inOff[node] as number; k < end; k++) visit(cSeq[k] as number);
      }
      bufIn.forEach(node, compacted, visit);
    },
    outDegree(node) {
      ensureIndexed();
      const csr = node < csrNodes ? (outOff[node + 1] as number) - (outOff[node] as number) : 0;
      return csr + bufOut.degree(node);
    },
    inDegree(node) {
      ensureIndexed();
      const csr = node < csrNodes ? (inOff[node + 1] as number) - (inOff[node] as number) : 0;
      return csr + bufIn.degree(node);
    },
    src: (seq) => (seq >= compacted ? (bSrc[seq - compacted] as number) : srcAt(posOf(seq))),
    dst: (seq) => dstCol[seq] as number,
    amount: (seq) =>
      seq >= compacted ? (bAmount[seq - compacted] as number) : (rF64[2 * posOf(seq)] as number),
    timestamp: (seq) =>
      seq >= compacted ? (bTs[seq - compacted] as number) : (rU32[4 * posOf(seq) + 2] as number),
    asset: (seq) =>
      seq >= compacted ? (bAsset[seq - compacted] as number) : (rU32[4 * posOf(seq) + 3] as number) & 0xffff,
    compact() {
      unindexed = false;
      if (count > compacted || csrNodes < keys.length) fold();
      bufOut = createBuffer();
      bufIn = createBuffer();
      // The buffer is empty: give its columns back; trim the receiver column to the transfers.
      bufCapacity = 0;
      bSrc = new Uint32Array(0);
      bAmount = new Float64Array(0);
      bTs = new Uint32Array(0);
      bAsset = new Uint16Array(0);
      if (dstCol.length > count) dstCol = dstCol.slice(0, Math.max(count, 1));
    },
    view() {
      ensureIndexed();
      // The same object while nothing in it changed: an exposure query asks for it several times.
      const v = lastView;
      if (
        v !== undefined &&
        v.compacted === compacted &&
        v.csrNodes === csrNodes &&
        v.inOff === inOff &&
        v.inSorted === inSorted &&
        v.rowAmount === rF64 &&
        v.rowWords === rU32 &&
        v.srcHigh === cSrcHi &&
        v.recvBlock === recvBlock &&
        v.seq === cSeq &&
        v.outOff === outOff &&
        v.outSorted === outSorted &&
        v.outPos === outPos &&
        v.dst === dstCol
      )
        return v;
      lastView = {
        compacted,
        csrNodes,
        inOff,
        inSorted,
        rowAmount: rF64,
        rowWords: rU32,
        srcHigh: cSrcHi,
        recvBlock,
        seq: cSeq,
        outOff,
        outSorted,
        outPos,
        dst: dstCol,
      };
      return lastView;
    },
    forEachBuffered(node, side, visit) {
      ensureIndexed();
      (side === 'in' ? bufIn : bufOut).forEach(node, compacted, visit);
    },
    memory() {
      const columnBytes =
        rF64.byteLength +
        cSrcHi.byteLength +
        cSeq.byteLength +
        dstCol.byteLength +
        bSrc.byteLength +
        bAmount.byteLength +
        bTs.byteLength +
        bAsset.byteLength;
      const csrBytes =
        inOff.byteLength +
        inSorted.byteLength +
        outOff.byteLength +
        outSorted.byteLength +
        outPos.byteLength +
        recvBlock.byteLength;
      return { columnBytes, csrBytes, bufferedTransfers: unindexed ? 0 : count - compacted };
    },
  };
  return graph;
}

/**
 * One side of the append buffer: per-node linked lists of buffered transfers. A push links the new
 * slot in front (two writes, as cheap as appending gets); a visit walks the list and calls back
 * oldest first, so a node's buffered transfers are seen in the order they will have once compacted.
 */
interface AppendBuffer {
  /** Links buffered transfer `slot` (seq − compacted) to `node`; `nodes` sizes the head table. */
  push(node: number, slot: number, nodes: number): void;
  forEach(node: number, base: number, visit: (seq: number) => void): void;
  degree(node: number): number;
}

function createBuffer(): AppendBuffer {
  let head = new Int32Array(0);
  let deg = new Uint32Array(0);
  let next = new Int32Array(1024);
  let order = new Int32Array(64);
  return {
    push(node, slot, nodes) {
      if (node >= head.length) {
        const size = Math.max(nodes, node + 1, Math.ceil(head.length * 1.5), 1024);
        const h = new Int32Array(size).fill(-1);
        h.set(head);
        head = h;
        const d = new Uint32Array(size);
        d.set(deg);
        deg = d;
      }
      if (slot >= next.length) {
        const n = new Int32Array(Math.max(slot + 1, next.length * 2));
        n.set(next);
        next = n;
      }
      next[slot] = head[node] as number;
      head[node] = slot;
      deg[node] = (deg[node] as number) + 1;
    },
    forEach(node, base, visit) {
      if (node >= head.length) return;
      const n = deg[node] as number;
      if (n === 0) return;
      // Newest first in the list: collect, then call back from the oldest. A copy of the scratch is
      // kept while calling back, as a visit may walk another list.
      if (n > order.length) order = new Int32Array(Math.max(n, order.length * 2));
      const slots = order;
      order = new Int32Array(0);
      let i = n;
      for (let slot = head[node] as number; slot >= 0; slot = next[slot] as number) slots[--i] = slot;
      try {
        for (let k = 0; k < n; k++) visit(base + (slots[k] as number));
      } finally {
        order = slots;
      }
    },
    degree: (node) => (node < deg.length ? (deg[node] as number) : 0),
  };
}
