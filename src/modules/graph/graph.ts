/**
 * The transfer graph in memory: columns of typed arrays (one slot per transfer, in arrival order)
 * and a compressed-sparse-row adjacency in both directions, plus an append buffer so a transfer
 * added now is visible to the next query at once. `compact()` folds the buffer into the CSR.
 *
 * Per transfer, compacted: sender and receiver node (4 + 4 bytes), amount as a float of base units
 * (8; exact amounts live in the persisted segments), time (4), asset (2), and its position in the
 * out- and in-adjacency (4 + 4) — 30 bytes, plus 8 bytes per address for the two offset arrays.
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
  /** Column access by seq. */
  readonly src: (seq: number) => number;
  readonly dst: (seq: number) => number;
  readonly amount: (seq: number) => number;
  readonly timestamp: (seq: number) => number;
  readonly asset: (seq: number) => number;
  /**
   * The raw columns and CSR for hot loops (exposure), valid until the next append or compaction;
   * transfers in the append buffer are reached with `forEachBuffered`.
   */
  view?(): GraphView;
  /** Calls `visit(seq)` for each buffered (not yet compacted) transfer of `node` on one side. */
  forEachBuffered?(node: number, side: 'in' | 'out', visit: (seq: number) => void): void;
  /** Folds the append buffer into the CSR (O(transfers + nodes)); trims the columns. */
  compact(): void;
  /** Bytes held by the typed arrays (columns and CSR) and the number of buffered transfers. */
  memory(): { columnBytes: number; csrBytes: number; bufferedTransfers: number };
}

/** Direct access to a graph's arrays (see `TransferGraph.view`). */
export interface GraphView {
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  readonly amount: Float64Array;
  readonly ts: Uint32Array;
  readonly asset: Uint16Array;
  readonly outOff: Uint32Array;
  readonly outIdx: Uint32Array;
  readonly inOff: Uint32Array;
  readonly inIdx: Uint32Array;
  /** Nodes covered by the CSR offsets. */
  readonly csrNodes: number;
}

/** Initial column capacity. */
const INITIAL_CAPACITY = 1024;

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

  let capacity = INITIAL_CAPACITY;
  let srcCol = new Uint32Array(capacity);
  let dstCol = new Uint32Array(capacity);
  let amountCol = new Float64Array(capacity);
  let tsCol = new Uint32Array(capacity);
  let assetCol = new Uint16Array(capacity);
  let count = 0;

  // CSR over seq < compacted.
  let compacted = 0;
  let csrNodes = 0;
  let outOff: Uint32Array = new Uint32Array(1);
  let outIdx: Uint32Array = new Uint32Array(0);
  let inOff: Uint32Array = new Uint32Array(1);
  let inIdx: Uint32Array = new Uint32Array(0);
  // Append buffer: per node, the seqs ≥ compacted.
  // Append buffer as linked lists in typed arrays: per node the newest buffered seq (or -1), per
  // buffered transfer the next older one of the same node; no allocation per transfer.
  let bufOut = createBuffer();
  let bufIn = createBuffer();

  const grow = (needed: number): void => {
    if (needed <= capacity) return;
    let next = capacity;
    while (next < needed) next = Math.ceil(next * 1.5);
    const copy = <T extends Uint32Array | Float64Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      const b = make(next);
      b.set(a.subarray(0, count));
      return b;
    };
    srcCol = copy(srcCol, (n) => new Uint32Array(n));
    dstCol = copy(dstCol, (n) => new Uint32Array(n));
    amountCol = copy(amountCol, (n) => new Float64Array(n));
    tsCol = copy(tsCol, (n) => new Uint32Array(n));
    assetCol = copy(assetCol, (n) => new Uint16Array(n));
    capacity = next;
  };

  // Set by appendBulk: transfers past the buffer's reach until the next compaction.
  let unindexed = false;
  const ensureIndexed = (): void => {
    if (unindexed) graph.compact();
  };

  const buildCsr = (nodes: number, side: Uint32Array): { off: Uint32Array; idx: Uint32Array } => {
    const off = new Uint32Array(nodes + 1);
    for (let i = 0; i < count; i++) {
      const n = (side[i] as number) + 1;
      off[n] = (off[n] as number) + 1;
    }
    for (let n = 0; n < nodes; n++) off[n + 1] = (off[n + 1] as number) + (off[n] as number);
    const cursor = off.slice(0, nodes);
    const idx = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      const n = side[i] as number;
      idx[cursor[n] as number] = i;
      cursor[n] = (cursor[n] as number) + 1;
    }
    return { off, idx };
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
      if (count >= capacity) grow(count + 1);
      const seq = count;
      srcCol[seq] = from;
      dstCol[seq] = to;
      amountCol[seq] = amount;
      tsCol[seq] = timestamp;
      assetCol[seq] = asset;
      count++;
      bufOut.push(from, seq - compacted, keys.length);
      bufIn.push(to, seq - compacted, keys.length);
      return seq;
    },
    appendBulk(b) {
      const n = b.src.length;
      grow(count + n);
      const { nodeMap, assetMap } = b;
      for (let i = 0; i < n; i++) {
        const j = count + i;
        srcCol[j] = nodeMap[b.src[i] as number] as number;
        dstCol[j] = nodeMap[b.dst[i] as number] as number;
        assetCol[j] = assetMap[b.asset[i] as number] as number;
      }
      amountCol.set(b.amount, count);
      tsCol.set(b.ts, count);
      count += n;
      unindexed = true;
    },
    voidTransfer(seq) {
      if (seq < 0 || seq >= count) throw new RangeError(`no transfer ${seq}`);
      amountCol[seq] = 0;
    },
    truncate(newCount) {
      ensureIndexed();
      if (newCount >= count) return;
      const keep = Math.max(0, newCount);
      if (keep < compacted) {
        count = keep;
        compacted = 0;
        csrNodes = 0;
        outOff = new Uint32Array(1);
        inOff = new Uint32Array(1);
        outIdx = new Uint32Array(0);
        inIdx = new Uint32Array(0);
        graph.compact();
        return;
      }
      count = keep;
      bufOut = createBuffer();
      bufIn = createBuffer();
      for (let s = compacted; s < count; s++) {
        bufOut.push(srcCol[s] as number, s - compacted, keys.length);
        bufIn.push(dstCol[s] as number, s - compacted, keys.length);
      }
    },
    forEachOut(node, visit) {
      ensureIndexed();
      if (node < csrNodes) {
        const end = outOff[node + 1] as number;
        for (let k = outOff[node] as number; k < end; k++) visit(outIdx[k] as number);
      }
      bufOut.forEach(node, compacted, visit);
    },
    forEachIn(node, visit) {
      ensureIndexed();
      if (node < csrNodes) {
        const end = inOff[node + 1] as number;
        for (let k = inOff[node] as number; k < end; k++) visit(inIdx[k] as number);
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
    src: (seq) => srcCol[seq] as number,
    dst: (seq) => dstCol[seq] as number,
    amount: (seq) => amountCol[seq] as number,
    timestamp: (seq) => tsCol[seq] as number,
    asset: (seq) => assetCol[seq] as number,
    compact() {
      unindexed = false;
      const nodes = keys.length;
      const out = buildCsr(nodes, srcCol);
      const inn = buildCsr(nodes, dstCol);
      outOff = out.off;
      outIdx = out.idx;
      inOff = inn.off;
      inIdx = inn.idx;
      csrNodes = nodes;
      compacted = count;
      bufOut = createBuffer();
      bufIn = createBuffer();
      if (capacity > count) {
        capacity = Math.max(count, 1);
        srcCol = srcCol.slice(0, capacity);
        dstCol = dstCol.slice(0, capacity);
        amountCol = amountCol.slice(0, capacity);
        tsCol = tsCol.slice(0, capacity);
        assetCol = assetCol.slice(0, capacity);
      }
    },
    view() {
      ensureIndexed();
      return {
        src: srcCol,
        dst: dstCol,
        amount: amountCol,
        ts: tsCol,
        asset: assetCol,
        outOff,
        outIdx,
        inOff,
        inIdx,
        csrNodes,
      };
    },
    forEachBuffered(node, side, visit) {
      ensureIndexed();
      (side === 'in' ? bufIn : bufOut).forEach(node, compacted, visit);
    },
    memory() {
      const columnBytes =
        srcCol.byteLength + dstCol.byteLength + amountCol.byteLength + tsCol.byteLength + assetCol.byteLength;
      const csrBytes = outOff.byteLength + outIdx.byteLength + inOff.byteLength + inIdx.byteLength;
      return { columnBytes, csrBytes, bufferedTransfers: unindexed ? 0 : count - compacted };
    },
  };
  return graph;
}

/** One side of the append buffer: per-node linked lists of buffered transfers. */
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
      for (let slot = head[node] as number; slot >= 0; slot = next[slot] as number) visit(base + slot);
    },
    degree: (node) => (node < deg.length ? (deg[node] as number) : 0),
  };
}
