/**
 * Exposure: how much of an address's money came from (or went to) flagged entities, directly or
 * through unflagged intermediaries, by the poison or the haircut method, with the transfers on the
 * strongest paths as evidence. The semantics, with a worked example, are in docs/exposure.md; this
 * file is their implementation and nothing else (no I/O).
 */

import { formatAmount } from '../../shared/amount.js';
import type {
  CategoryExposure,
  DirectionalExposure,
  ExposureItem,
  ExposureQuery,
  ExposureReport,
  PathTransfer,
} from './exposure-model.js';
import { type FlagIndex, flagEntries } from './flag-index.js';
import { type GraphView, receiverAt, senderAt, type TransferGraph } from './graph.js';

/** A flag on an address: an entity and category from a list or an attribution set. */
export interface NodeFlag {
  readonly entityId: string;
  readonly entityName: string;
  readonly category: string;
  readonly source: string;
}

/** Categories of services: exposure to them is reported, but tracing stops there. */
export const SERVICE_CATEGORIES: ReadonlySet<string> = new Set(['exchange', 'bridge']);

/** Most hops a query may ask for. */
export const MAX_HOPS = 6;

/**
 * An unflagged address with more transfers than this on the traced side is treated as an
 * unattributed service: the trace stops there (as at an exchange) and the answer counts it in
 * `hubsSkipped`, so an analyst sees where attribution is missing.
 */
export const DEFAULT_HUB_DEGREE = 2_000;

/**
 * Haircut tracing does not follow an intermediary holding less than this share of the subject's
 * volume: shares below it cannot change a decision, and the bound keeps every query fast.
 */
export const DEFAULT_MIN_SHARE = 0.001;

/** Edges a single query may visit before it stops and says so (`truncated`). */
export const DEFAULT_EDGE_BUDGET = 250_000;

/** What exposure needs besides the graph. */
export interface ExposureContext {
  readonly graph: TransferGraph;
  /** Flags of a node (list addresses, attributions, cluster inheritance); undefined when none. */
  flagsOf(node: number): readonly NodeFlag[] | undefined;
  /** The contract JSON of one transfer (exact amount, id, tx), for evidence paths. */
  transferJson(seq: number): PathTransfer;
  /** Labels of the list versions and attribution sets behind the flags. */
  readonly basis: readonly string[];
  readonly edgeBudget?: number;
  readonly hubDegree?: number;
  readonly minShare?: number;
  /**
   * The flag index of the graph's compacted transfers under exactly the flags `flagsOf` gives
   * (flag-index.ts), when the caller keeps one: the last hop of a haircut trace then reads only the
   * transfers from (or to) flagged addresses. Ignored when built for another layout (the graph was
   * compacted since); answers are the same with or without it.
   */
  readonly flagIndex?: FlagIndex;
}

type Side = 'incoming' | 'outgoing';

/** What a direction's trace adds to the answer besides the direction itself (one per process: queries do not nest). */
const traceTotals = { truncated: false, hubsSkipped: 0 };

/** The answer, plus whether any direction ran out of its edge budget. */
export type ExposureResult = ExposureReport & { readonly truncated: boolean; readonly hubsSkipped: number };

/**
 * Computes the exposure report of `query.address` (a match key). An address not in the graph gets
 * an empty report (no volume), not an error.
 */
export function computeExposure(ctx: ExposureContext, query: ExposureQuery): ExposureResult {
  const { graph } = ctx;
  const hops = Math.max(1, Math.min(MAX_HOPS, Math.floor(query.hops)));
  const node = graph.nodeOf(query.address);
  const selfFlag = node >= 0 ? ctx.flagsOf(node)?.[0] : undefined;
  traceTotals.truncated = false;
  traceTotals.hubsSkipped = 0;
  const trace = (side: Side): DirectionalExposure =>
    node < 0 ? emptyDirection(side) : traceDirection(ctx, node, side, hops, query);
  const directions =
    query.direction === 'both' ? [trace('incoming'), trace('outgoing')] : [trace(query.direction)];
  const report: ExposureResult = {
    address: query.address,
    method: query.method,
    hops,
    directions,
    basis: ctx.basis,
    graphTransfers: graph.transferCount,
    truncated: traceTotals.truncated,
    hubsSkipped: traceTotals.hubsSkipped,
  };
  if (selfFlag === undefined) return report;
  return {
    ...report,
    self: { entityId: selfFlag.entityId, entityName: selfFlag.entityName, category: selfFlag.category },
  };
}

function emptyDirection(direction: Side): DirectionalExposure {
  return { direction, volume: {}, entities: [], categories: [], paths: [] };
}

/** Exposure of one asset: per entity and category, the exposed share of the subject's volume. */
interface AssetTrace {
  readonly asset: number;
  readonly total: number;
  /** Exposed share (of `total`) per label: `e<entityId>` and `c<category>`. */
  readonly exposed: ReadonlyMap<string, number>;
  /** Per entity label, the transfers of its strongest path, subject side first. */
  readonly paths: ReadonlyMap<string, number[]>;
  /** Fewest hops per label. */
  readonly minHops: ReadonlyMap<string, number>;
}

/** The maps of a trace that reached no flagged address (shared: never written). */
const NO_LABELS: ReadonlyMap<string, number> = new Map();
const NO_PATHS: ReadonlyMap<string, number[]> = new Map();

/**
 * Reusable per-graph scratch space, so a query allocates almost nothing: node → local index, valid
 * for one query stamp; per local index the trace's state; and the edges of the node being expanded.
 */
interface Scratch {
  /**
   * Per node n, its stamp at `2n` and its local index at `2n + 1`: side by side, so a look-up and
   * an insertion touch one cache line.
   */
  slots: Uint32Array;
  query: number;
  /** Stamp of the current level (haircut frontier membership). */
  level: number;
  locals: Locals;
  edges: EdgeBuffer;
  /** The subject's own edges on the traced side, as first read (`traceDirection`). */
  own: EdgeBuffer;
  /** Stamps read ahead of their use (`traceHaircut`), kept so the reads are not dropped. */
  touched: number;
  /** The last scanner of each side, incoming then outgoing (`scannerFor`). */
  scanners: [KeptScanner | undefined, KeptScanner | undefined];
}

/** Per local index: node, time bound, strongest push (ref, value, from), weights, level mark. */
class Locals {
  size = 0;
  node = new Int32Array(1024);
  bound = new Float64Array(1024);
  viaRef = new Float64Array(1024);
  viaValue = new Float64Array(1024);
  viaFrom = new Int32Array(1024);
  weight = new Float64Array(1024);
  nextWeight = new Float64Array(1024);
  mark = new Uint32Array(1024);
  frontier = new Int32Array(1024);
  next = new Int32Array(1024);
  /** Last-hop addresses whose edge count is deferred (see `traceHaircut`). */
  pending = new Int32Array(1024);

  growPending(): void {
    const p = new Int32Array(this.pending.length * 2);
    p.set(this.pending);
    this.pending = p;
  }

  grow(): void {
    const n = this.node.length * 2;
    const g = <T extends Int32Array | Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.node = g(this.node, (k) => new Int32Array(k));
    this.bound = g(this.bound, (k) => new Float64Array(k));
    this.viaRef = g(this.viaRef, (k) => new Float64Array(k));
    this.viaValue = g(this.viaValue, (k) => new Float64Array(k));
    this.viaFrom = g(this.viaFrom, (k) => new Int32Array(k));
    this.weight = g(this.weight, (k) => new Float64Array(k));
    this.nextWeight = g(this.nextWeight, (k) => new Float64Array(k));
    this.mark = g(this.mark, (k) => new Uint32Array(k));
    this.frontier = g(this.frontier, (k) => new Int32Array(k));
    this.next = g(this.next, (k) => new Int32Array(k));
  }
}

/**
 * The edges of one scan: reference, far node, amount, time, asset; `kept` of them are stored, `sum`
 * is the amount of all the edges that passed the scan's filters.
 */
class EdgeBuffer {
  kept = 0;
  sum = 0;
  ref = new Float64Array(1024);
  far = new Uint32Array(1024);
  amount = new Float64Array(1024);
  ts = new Float64Array(1024);
  asset = new Uint16Array(1024);
  /** Per edge, 1 when its far node is a hub, for the edges a haircut trace follows (`traceHaircut`). */
  hub = new Uint8Array(1024);

  ensure(n: number): void {
    if (n <= this.ref.length) return;
    let size = this.ref.length;
    while (size < n) size *= 2;
    const g = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.ref = g(this.ref, (k) => new Float64Array(k));
    this.far = g(this.far, (k) => new Uint32Array(k));
    this.amount = g(this.amount, (k) => new Float64Array(k));
    this.ts = g(this.ts, (k) => new Float64Array(k));
    this.asset = g(this.asset, (k) => new Uint16Array(k));
    this.hub = g(this.hub, (k) => new Uint8Array(k));
  }
}

/** Exchanges the contents of two edge buffers. */
function swapEdges(a: EdgeBuffer, b: EdgeBuffer): void {
  const { kept, sum, ref, far, amount, ts, asset, hub } = a;
  a.kept = b.kept;
  a.sum = b.sum;
  a.ref = b.ref;
  a.far = b.far;
  a.amount = b.amount;
  a.ts = b.ts;
  a.asset = b.asset;
  a.hub = b.hub;
  b.kept = kept;
  b.sum = sum;
  b.ref = ref;
  b.far = far;
  b.amount = amount;
  b.ts = ts;
  b.asset = asset;
  b.hub = hub;
}

const scratchOf = new WeakMap<TransferGraph, Scratch>();
function scratchFor(graph: TransferGraph): Scratch {
  let s = scratchOf.get(graph);
  if (s === undefined || s.slots.length < 2 * graph.nodeCount) {
    const size = Math.max(1024, Math.ceil(graph.nodeCount * 1.25));
    s = {
      slots: new Uint32Array(2 * size),
      query: 0,
      level: 0,
      locals: s?.locals ?? new Locals(),
      edges: s?.edges ?? new EdgeBuffer(),
      own: s?.own ?? new EdgeBuffer(),
      touched: 0,
      scanners: s?.scanners ?? [undefined, undefined],
    };
    scratchOf.set(graph, s);
  }
  s.query++;
  if (s.query === 0xffffffff) {
    s.slots.fill(0);
    s.query = 1;
  }
  return s;
}

/** Node kinds in a trace. */
const CLEAN = 0;
const FLAGGED = 1;
const HUB = 2;

/** Scan filters: time bound, positive amounts only, leave out edges from/to the subject. */
const TIMED = 1;
const POSITIVE = 2;
const NOT_SUBJECT = 4;
/**
 * A scan that may leave the receiver of a compacted payment unresolved (`UNRESOLVED` in `far`,
 * found later with `farOf`) when the flag index says it is not flagged: a trace that will not
 * follow that payment (its share is under the floor) never looks it up.
 */
const LAZY_FAR = 8;
/** `far` of an edge whose (unflagged) far node was not looked up: see `LAZY_FAR`. */
const UNRESOLVED = 0xffffffff;
/** Any asset (the subject's volume). */
const ANY_ASSET = -1;
/** Payments whose rows a scan gathers at a time (`gatherRows` in `edgeScanner`). */
const GATHER = 1024;
/** Rows of a run of payments, gathered before they are filtered (shared: scans do not nest). */
const gAmount = new Float64Array(GATHER);
const gTime = new Uint32Array(GATHER);
const gWord = new Uint32Array(GATHER);

/**
 * Reads one side of a node's transfers into an `EdgeBuffer`. With a `GraphView`, compacted edges
 * are referenced by their position (their columns are read in place, in order) and buffered ones by
 * seq (≥ `compacted`); through the plain interface (another graph implementation) every reference is
 * a seq. `seqOf` turns a reference back into a seq for evidence.
 */
interface EdgeScanner {
  /**
   * Returns how many edges passed the filters; they are all stored, or with `keep` only those
   * whose far node it accepts (`edges.kept` either way); `edges.sum` is the amount of all of them.
   */
  scan(v: number, asset: number, bound: number, filters: number, keep?: (node: number) => boolean): number;
  /** Sets the subject (its edges are the ones `NOT_SUBJECT` leaves out); before any scan. */
  setSubject(subject: number): void;
  seqOf(ref: number): number;
  /** The far node of an edge left `UNRESOLVED` by a scan with `LAZY_FAR`. */
  farOf(ref: number): number;
  /** Whether node `n` has more transfers on the scanned side than the hub degree (compacted and buffered). */
  isHub(n: number): boolean;
  /**
   * With a flag index for the current layout: stores the edges that pass the filters and whose far
   * node is flagged (`edges.kept`, in the order `scan` would keep them), reading the index for the
   * compacted ones; returns an upper bound of how many edges pass the filters (what `scan` would
   * return). `edges.sum` is not computed. `isFlagged` is asked only about buffered edges.
   */
  flagged?(
    v: number,
    asset: number,
    bound: number,
    filters: number,
    isFlagged: (node: number) => boolean,
  ): number;
  /**
   * How many edges pass the filters (what `scan` returns), and their amount in `total.sum` (the
   * same sum, added in the same order), without storing any edge: `edges` is left as it is.
   */
  total(v: number, asset: number, bound: number, filters: number): number;
  /** The sum of the last `total`. */
  readonly sum: number;
}

/** Per offsets array (one side of one compacted layout): the hub test of `hubBits`, by hub degree. */
const hubTests = new WeakMap<Uint32Array, Map<number, (n: number) => boolean>>();

/**
 * Whether a compacted node has more than `hubDegree` transfers, from a bitset of such nodes (one bit
 * per node: 122 KiB for a million addresses, which stays in cache where the offsets it replaces do
 * not). One per side, layout and hub degree; filled lazily, 32 nodes at a time from their offsets
 * when one of them is first asked about, so a new layout costs no pass over every node.
 */
function hubBits(off: Uint32Array, nodes: number, hubDegree: number): (n: number) => boolean {
  let byDegree = hubTests.get(off);
  if (byDegree === undefined) {
    byDegree = new Map();
    hubTests.set(off, byDegree);
  }
  let test = byDegree.get(hubDegree);
  if (test === undefined) {
    const bits = new Uint32Array((nodes >>> 5) + 1);
    // One bit per word of `bits`: whether it is filled.
    const filled = new Uint32Array((nodes >>> 10) + 1);
    const beyond = hubDegree < 0; // a node past the offsets has no compacted transfers
    test = (n) => {
      if (n >= nodes) return beyond;
      const w = n >>> 5;
      if (((filled[w >>> 5] as number) & (1 << (w & 31))) === 0) {
        let word = 0;
        const last = Math.min(nodes, (w + 1) << 5);
        for (let m = w << 5; m < last; m++)
          if ((off[m + 1] as number) - (off[m] as number) > hubDegree) word |= 1 << (m & 31);
        bits[w] = word;
        filled[w >>> 5] = (filled[w >>> 5] as number) | (1 << (w & 31));
      }
      return ((bits[w] as number) & (1 << (n & 31))) !== 0;
    };
    byDegree.set(hubDegree, test);
  }
  return test;
}

/** A scanner kept for the next query with the same inputs (`scannerFor`). */
interface KeptScanner {
  readonly scanner: EdgeScanner;
  readonly view: GraphView | undefined;
  readonly flagIndex: FlagIndex | undefined;
  readonly hubDegree: number;
  readonly compacted: number;
  readonly transfers: number;
}

/**
 * The edge scanner of one side of the graph for `subject`: the one of the last query when it was
 * built for the same layout, flag index, hub degree and transfer counts (it holds nothing else
 * between scans), else a new one. Saves building a dozen closures per query.
 */
function scannerFor(
  s: Scratch,
  graph: TransferGraph,
  incoming: boolean,
  subject: number,
  flagIndex: FlagIndex | undefined,
  hubDegree: number,
): EdgeScanner {
  const view = graph.view?.();
  const at = incoming ? 0 : 1;
  let kept = s.scanners[at];
  if (
    kept === undefined ||
    kept.view !== view ||
    kept.flagIndex !== flagIndex ||
    kept.hubDegree !== hubDegree ||
    kept.compacted !== graph.compactedCount ||
    kept.transfers !== graph.transferCount
  ) {
    kept = {
      scanner: edgeScanner(graph, view, s.edges, incoming, flagIndex, hubDegree),
      view,
      flagIndex,
      hubDegree,
      compacted: graph.compactedCount,
      transfers: graph.transferCount,
    };
    s.scanners[at] = kept;
  }
  kept.scanner.setSubject(subject);
  return kept.scanner;
}

function edgeScanner(
  graph: TransferGraph,
  V: GraphView | undefined,
  edges: EdgeBuffer,
  incoming: boolean,
  flagIndex: FlagIndex | undefined,
  hubDegree: number,
): EdgeScanner {
  let subject = -1;
  const side = incoming ? 'in' : 'out';
  const other = incoming ? graph.src : graph.dst;
  const degree = incoming ? (u: number) => graph.inDegree(u) : (u: number) => graph.outDegree(u);
  const isHub = (u: number): boolean => degree(u) > hubDegree;
  // One buffered or interface edge, by seq, through the accessors.
  let n = 0;
  let m = 0;
  let sum = 0;
  let scanAsset = 0;
  let scanBound = 0;
  let scanFilters = 0;
  let scanKeep: ((node: number) => boolean) | undefined;
  let store = true;
  const visitSeq = (seq: number): void => {
    const a = graph.asset(seq);
    if (scanAsset !== ANY_ASSET && a !== scanAsset) return;
    const t = graph.timestamp(seq);
    if ((scanFilters & TIMED) !== 0 && (incoming ? t > scanBound : t < scanBound)) return;
    const amt = graph.amount(seq);
    if ((scanFilters & POSITIVE) !== 0 && amt <= 0) return;
    const f = other(seq);
    if ((scanFilters & NOT_SUBJECT) !== 0 && f === subject) return;
    n++;
    sum += amt;
    if (!store || (scanKeep !== undefined && !scanKeep(f))) return;
    edges.ensure(m + 1);
    edges.ref[m] = seq;
    edges.far[m] = f;
    edges.amount[m] = amt;
    edges.ts[m] = t;
    edges.asset[m] = a;
    m++;
  };
  /** The buffered (or, without a view, all) edges of `v` through `visitSeq`. */
  const visitRest = (
    v: number,
    asset: number,
    bound: number,
    filters: number,
    keep: ((node: number) => boolean) | undefined,
    storing: boolean,
  ): void => {
    scanAsset = asset;
    scanBound = bound;
    scanFilters = filters;
    scanKeep = keep;
    store = storing;
    if (V === undefined) {
      if (incoming) graph.forEachIn(v, visitSeq);
      else graph.forEachOut(v, visitSeq);
    } else if (graph.compactedCount < graph.transferCount) graph.forEachBuffered?.(v, side, visitSeq);
  };
  if (V === undefined) {
    const scanner: EdgeScanner = {
      scan(v, asset, bound, filters, keep) {
        n = 0;
        m = 0;
        sum = 0;
        visitRest(v, asset, bound, filters, keep, true);
        edges.kept = m;
        edges.sum = sum;
        return n;
      },
      setSubject(s) {
        subject = s;
      },
      seqOf: (ref) => ref,
      farOf: (ref) => other(ref),
      isHub,
      total(v, asset, bound, filters) {
        n = 0;
        m = 0;
        sum = 0;
        visitRest(v, asset, bound, filters, undefined, false);
        return n;
      },
      get sum() {
        return sum;
      },
    };
    return scanner;
  }
  // Position k's row: amount rF64[2k], time rU32[4k + 2], asset and the sender's low half in
  // rU32[4k + 3] (low and high 16 bits; graph.ts, GraphView).
  const { rowAmount: rF64, rowWords: rU32, srcHigh, seq: cSeq, inOff } = V;
  const off = incoming ? V.inOff : V.outOff;
  const outPos = V.outPos;
  const senderOf = (k: number): number => senderAt(V, k);
  // A payment goes to the subject when its position is among the subject's receipts: no need to
  // find its receiver to leave it out.
  let subjectLo = 0;
  let subjectHi = 0;
  let subjectLow = 0;
  let subjectHigh = 0;
  const receiverOf = (k: number): number => receiverAt(V, k);
  /**
   * End of a node's compacted in-edges for a time bound: the first transfer after it when the
   * node's receipts are in time order (a binary search), else the end of its range.
   */
  const stopOf = (v: number, start: number, end: number, timed: boolean, bound: number): number => {
    if (!timed || V.inSorted[v] !== 1 || end <= start || (rU32[4 * end - 2] as number) <= bound) return end;
    let lo = start;
    let hi = end - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((rU32[4 * mid + 2] as number) > bound) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  /**
   * Start of a node's compacted out-edges for a time bound: the first payment at or after it when
   * the node's payments are in time order (a binary search), else the start of its range.
   */
  const outStartOf = (v: number, start: number, end: number, timed: boolean, bound: number): number => {
    if (
      !timed ||
      V.outSorted[v] !== 1 ||
      end <= start ||
      (rU32[4 * (outPos[start] as number) + 2] as number) >= bound
    )
      return start;
    let lo = start;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((rU32[4 * (outPos[mid] as number) + 2] as number) < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const index = flagIndex !== undefined && flagIndex.layout === V.inOff ? flagIndex : undefined;
  const outRefs = index?.outRef;
  const outBlocks = index?.outBlock;
  const range = new Int32Array(2);
  /**
   * Copies the rows of payments `from .. to − 1` (at most `GATHER`) into `gAmount`, `gTime` and
   * `gWord`. The payments of a node lie at random positions, one cache miss each; in a loop that
   * only loads and stores, the processor has many of them in flight at once, where the filtering
   * loop's branches and stores let it overlap only a few (about 3× faster on the bench graph).
   */
  const gatherRows = (from: number, to: number): void => {
    for (let j = from, i = 0; j < to; j++, i++) {
      const k = outPos[j] as number;
      gAmount[i] = rF64[2 * k] as number;
      gTime[i] = rU32[4 * k + 2] as number;
      gWord[i] = rU32[4 * k + 3] as number;
    }
  };
  const scanner: EdgeScanner = {
    scan(v, asset, bound, filters, keep) {
      // Counts and sum in locals while reading compacted edges: a double kept in a closure's
      // variable is boxed afresh at every addition (an allocation per edge).
      let cn = 0;
      let cm = 0;
      let csum = 0;
      const timed = (filters & TIMED) !== 0;
      const positive = (filters & POSITIVE) !== 0;
      const notSubject = (filters & NOT_SUBJECT) !== 0;
      const anyAsset = asset === ANY_ASSET;
      if (v < V.csrNodes) {
        const start = off[v] as number;
        const end = off[v + 1] as number;
        edges.ensure(end - start);
        const { ref, far, amount, ts, asset: eAsset } = edges;
        if (incoming) {
          // The node's in-edges and their columns are contiguous: one sequential pass, which ends
          // at the first transfer after the time bound when the node's receipts are in time order.
          const stop = stopOf(v, start, end, timed, bound);
          for (let k = start; k < stop; k++) {
            const word = rU32[4 * k + 3] as number;
            const a = word & 0xffff;
            if (!anyAsset && a !== asset) continue;
            const t = rU32[4 * k + 2] as number;
            if (timed && t > bound) continue;
            const amt = rF64[2 * k] as number;
            if (positive && amt <= 0) continue;
            const f = ((word >>> 16) | ((srcHigh[k] as number) << 16)) >>> 0;
            if (notSubject && f === subject) continue;
            cn++;
            csum += amt;
            if (keep !== undefined && !keep(f)) continue;
            ref[cm] = k;
            far[cm] = f;
            amount[cm] = amt;
            ts[cm] = t;
            eAsset[cm] = a;
            cm++;
          }
        } else {
          // Payments in time order: those before the time bound are skipped by a binary search. Each
          // payment's amount, time and asset are one row; its receiver comes from the offsets, or
          // with LAZY_FAR only for the payments the flag index lists (to flagged receivers).
          const lazy = (filters & LAZY_FAR) !== 0 && keep === undefined && outRefs !== undefined;
          let p = 0;
          let pEnd = 0;
          if (lazy) {
            flagEntries(outRefs, outBlocks as Uint32Array, v, start, end, range);
            p = range[0] as number;
            pEnd = range[1] as number;
          }
          for (let j0 = outStartOf(v, start, end, timed, bound); j0 < end; j0 += GATHER) {
            const j1 = Math.min(end, j0 + GATHER);
            gatherRows(j0, j1);
            for (let j = j0, i = 0; j < j1; j++, i++) {
              const k = outPos[j] as number;
              const a = (gWord[i] as number) & 0xffff;
              if (!anyAsset && a !== asset) continue;
              const t = gTime[i] as number;
              if (timed && t < bound) continue;
              const amt = gAmount[i] as number;
              if (positive && amt <= 0) continue;
              if (notSubject && k >= subjectLo && k < subjectHi) continue;
              cn++;
              csum += amt;
              let f: number;
              if (lazy) {
                while (p < pEnd && (outRefs[p] as number) < j) p++;
                f = p < pEnd && outRefs[p] === j ? receiverOf(k) : UNRESOLVED;
              } else f = receiverOf(k);
              if (keep !== undefined && !keep(f)) continue;
              ref[cm] = k;
              far[cm] = f;
              amount[cm] = amt;
              ts[cm] = t;
              eAsset[cm] = a;
              cm++;
            }
          }
        }
      }
      n = cn;
      m = cm;
      sum = csum;
      visitRest(v, asset, bound, filters, keep, true);
      edges.kept = m;
      edges.sum = sum;
      return n;
    },
    setSubject(s) {
      subject = s;
      subjectLo = s < V.csrNodes ? (inOff[s] as number) : 0;
      subjectHi = s < V.csrNodes ? (inOff[s + 1] as number) : 0;
      subjectLow = s & 0xffff;
      subjectHigh = s >>> 16;
    },
    seqOf: (ref) => (ref < V.compacted ? (cSeq[ref] as number) : ref),
    farOf: (ref) => (ref >= V.compacted ? other(ref) : incoming ? senderOf(ref) : receiverOf(ref)),
    isHub: graph.compactedCount === graph.transferCount ? hubBits(off, V.csrNodes, hubDegree) : isHub,
    total(v, asset, bound, filters) {
      let cn = 0;
      let csum = 0;
      const timed = (filters & TIMED) !== 0;
      const positive = (filters & POSITIVE) !== 0;
      const notSubject = (filters & NOT_SUBJECT) !== 0;
      const anyAsset = asset === ANY_ASSET;
      if (v < V.csrNodes) {
        const start = off[v] as number;
        const end = off[v + 1] as number;
        if (incoming) {
          const stop = stopOf(v, start, end, timed, bound);
          for (let k = start; k < stop; k++) {
            const word = rU32[4 * k + 3] as number;
            if (!anyAsset && (word & 0xffff) !== asset) continue;
            if (timed && (rU32[4 * k + 2] as number) > bound) continue;
            const amt = rF64[2 * k] as number;
            if (positive && amt <= 0) continue;
            // The sender's high half is read only when its low half is the subject's.
            if (notSubject && word >>> 16 === subjectLow && srcHigh[k] === subjectHigh) continue;
            cn++;
            csum += amt;
          }
        } else {
          for (let j0 = outStartOf(v, start, end, timed, bound); j0 < end; j0 += GATHER) {
            const j1 = Math.min(end, j0 + GATHER);
            gatherRows(j0, j1);
            for (let j = j0, i = 0; j < j1; j++, i++) {
              if (!anyAsset && ((gWord[i] as number) & 0xffff) !== asset) continue;
              if (timed && (gTime[i] as number) < bound) continue;
              const amt = gAmount[i] as number;
              if (positive && amt <= 0) continue;
              if (notSubject) {
                const k = outPos[j] as number;
                if (k >= subjectLo && k < subjectHi) continue;
              }
              cn++;
              csum += amt;
            }
          }
        }
      }
      n = cn;
      m = 0;
      sum = csum;
      visitRest(v, asset, bound, filters, undefined, false);
      return n;
    },
    get sum() {
      return sum;
    },
  };
  if (index === undefined) return scanner;
  const refs = incoming ? index.inRef : index.outRef;
  const blocks = incoming ? index.inBlock : index.outBlock;
  scanner.flagged = (v, asset, bound, filters, isFlagged) => {
    n = 0;
    m = 0;
    sum = 0;
    const timed = (filters & TIMED) !== 0;
    const positive = (filters & POSITIVE) !== 0;
    const notSubject = (filters & NOT_SUBJECT) !== 0;
    const anyAsset = asset === ANY_ASSET;
    let upper = 0;
    if (v < V.csrNodes) {
      // All the node's entries (those outside the time bound fail the filter below), and its
      // whole range as the upper bound: no binary search by time for the many nodes without entries.
      const start = off[v] as number;
      const end = off[v + 1] as number;
      upper = end - start;
      flagEntries(refs, blocks, v, start, end, range);
      const last = range[1] as number;
      edges.ensure(last - (range[0] as number));
      const { ref, far, amount, ts, asset: eAsset } = edges;
      for (let i = range[0] as number; i < last; i++) {
        const k = incoming ? (refs[i] as number) : (outPos[refs[i] as number] as number);
        const a = (rU32[4 * k + 3] as number) & 0xffff;
        if (!anyAsset && a !== asset) continue;
        const t = rU32[4 * k + 2] as number;
        if (timed && (incoming ? t > bound : t < bound)) continue;
        const amt = rF64[2 * k] as number;
        if (positive && amt <= 0) continue;
        const f = incoming ? senderOf(k) : receiverOf(k);
        if (notSubject && f === subject) continue;
        ref[m] = k;
        far[m] = f;
        amount[m] = amt;
        ts[m] = t;
        eAsset[m] = a;
        m++;
      }
    }
    n = 0;
    visitRest(v, asset, bound, filters, isFlagged, true);
    edges.kept = m;
    return upper + n;
  };
  return scanner;
}

function traceDirection(
  ctx: ExposureContext,
  subject: number,
  side: Side,
  hops: number,
  query: ExposureQuery,
): DirectionalExposure {
  const { graph } = ctx;
  const incoming = side === 'incoming';
  const degree = incoming ? (n: number) => graph.inDegree(n) : (n: number) => graph.outDegree(n);
  const budget = ctx.edgeBudget ?? DEFAULT_EDGE_BUDGET;
  const hubDegree = ctx.hubDegree ?? DEFAULT_HUB_DEGREE;
  let visited = 0;
  let truncated = false;
  const hubs = new Set<number>();
  const scratch0 = scratchFor(graph);
  const { edges, own } = scratch0;
  const scanner = scannerFor(scratch0, graph, incoming, subject, ctx.flagIndex, hubDegree);
  const seqOf = scanner.seqOf;

  // Which assets: those on the subject's edges in this direction (or the one asked for). The edges
  // are kept: the first hop of a haircut trace filters them instead of reading them again.
  const assetTotals = new Map<number, number>();
  {
    const n = scanner.scan(subject, ANY_ASSET, 0, NOT_SUBJECT | LAZY_FAR);
    // Per asset, in order of first appearance, the sum of its amounts in edge order; the map is
    // asked only when the asset changes from one edge to the next.
    const sums: number[] = [];
    let lastAsset = -1;
    let at = -1;
    for (let e = 0; e < n; e++) {
      const a = edges.asset[e] as number;
      if (a !== lastAsset) {
        lastAsset = a;
        at = assetTotals.get(a) ?? -1;
        if (at < 0) {
          at = sums.length;
          sums.push(0);
          assetTotals.set(a, at);
        }
      }
      sums[at] = (sums[at] as number) + (edges.amount[e] as number);
    }
    for (const [a, i] of assetTotals) assetTotals.set(a, sums[i] as number);
    // The scanned edges become the subject's own (no copy); `edges` takes the other arrays.
    swapEdges(edges, own);
  }
  // With one asset, the first hop takes the subject's edges back whole (again no copy).
  const oneAsset = assetTotals.size === 1;
  /**
   * The subject's edges of one asset into `edges`, with `keep` as in `scan`: what a scan of the
   * subject with the filters TIMED | NOT_SUBJECT and its unbounded time would give (the same edges
   * in the same order, the same sum), without reading the graph again.
   */
  const ownEdges = (asset: number, keep: ((node: number) => boolean) | undefined): number => {
    if (oneAsset && keep === undefined) {
      // Every edge is of this asset and kept, and the scan summed them all in this order: the
      // same edges and sum. Asked once (the subject is not pushed again: no scan keeps edges to it).
      swapEdges(own, edges);
      return edges.kept;
    }
    const total = own.kept;
    edges.ensure(total);
    let n = 0;
    let m = 0;
    let sum = 0;
    for (let e = 0; e < total; e++) {
      const a = own.asset[e] as number;
      if (asset !== ANY_ASSET && a !== asset) continue;
      const amt = own.amount[e] as number;
      n++;
      sum += amt;
      let f = own.far[e] as number;
      if (keep !== undefined) {
        if (f === UNRESOLVED) f = scanner.farOf(own.ref[e] as number);
        if (!keep(f)) continue;
      }
      edges.ref[m] = own.ref[e] as number;
      edges.far[m] = f;
      edges.amount[m] = amt;
      edges.ts[m] = own.ts[e] as number;
      edges.asset[m] = a;
      m++;
    }
    edges.kept = m;
    edges.sum = sum;
    return n;
  };
  if (query.asset !== undefined) {
    const wanted = query.asset.toUpperCase();
    for (const a of [...assetTotals.keys()]) if (graph.assetOf(a).symbol !== wanted) assetTotals.delete(a);
  }

  // Made with the first flagged address met (`flagLabels`): most traces meet none.
  let entityInfo: Map<string, NodeFlag & { sources: Set<string> }> | undefined;
  const traces: AssetTrace[] = [];

  const minShare = ctx.minShare ?? DEFAULT_MIN_SHARE;
  const isFlagged = (n: number): boolean => {
    const f = ctx.flagsOf(n);
    return f !== undefined && f.length > 0;
  };
  /** Labels of flagged nodes, computed once per query (flagged nodes are few). */
  let flaggedLabels: Map<number, { entities: string[]; categories: string[] }> | undefined;
  const flagLabels = (n: number): { entities: string[]; categories: string[] } | undefined => {
    const f = ctx.flagsOf(n);
    if (f === undefined || f.length === 0) return undefined;
    if (flaggedLabels === undefined || entityInfo === undefined) {
      flaggedLabels = new Map();
      entityInfo = new Map();
    }
    let l = flaggedLabels.get(n);
    if (l !== undefined) return l;
    const entities = new Set<string>();
    const categories = new Set<string>();
    for (const flag of f) {
      entities.add(`e${flag.entityId}`);
      categories.add(`c${flag.category}`);
      const info = entityInfo.get(flag.entityId);
      if (info === undefined) entityInfo.set(flag.entityId, { ...flag, sources: new Set([flag.source]) });
      else info.sources.add(flag.source);
    }
    l = { entities: [...entities], categories: [...categories] };
    flaggedLabels.set(n, l);
    return l;
  };

  /**
   * Haircut: push each unit of the subject's volume back (or forward) along the transfers in
   * proportion to value, level by level; what reaches a flagged address is its share. A node
   * holding less than `minShare` of the subject's volume is not expanded (its share is too small
   * to matter), which bounds the work by hops / minShare expansions whatever the graph's density.
   * State lives in the scratch's typed arrays (no maps or objects per node).
   */
  const traceHaircut = (asset: number, total: number, more: boolean): AssetTrace => {
    // Made when the first flagged address is reached: most traces reach none.
    let exposed: Map<string, number> | undefined;
    let minHops: Map<string, number> | undefined;
    let best: Map<string, { value: number; via: number; from: number }> | undefined;
    const s = scratchFor(graph); // a fresh stamp per asset
    const L = s.locals;
    L.size = 0;
    const slots = s.slots;
    const localOf = (n: number): number => (slots[2 * n] === s.query ? (slots[2 * n + 1] as number) : -1);
    const addLocal = (n: number): number => {
      if (L.size === L.node.length) L.grow();
      const i = L.size++;
      slots[2 * n] = s.query;
      slots[2 * n + 1] = i;
      L.node[i] = n;
      L.bound[i] = incoming ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      L.viaValue[i] = 0;
      L.viaRef[i] = -1;
      L.viaFrom[i] = -1;
      L.mark[i] = 0;
      return i;
    };
    const root = addLocal(subject);
    L.bound[root] = incoming ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    L.weight[root] = 1;
    L.frontier[0] = root;
    let frontierSize = 1;
    const floor = minShare / 16;
    // Last hop with a flag index: an address none of whose transfers in range touches a flagged
    // address adds nothing but its edge count to the budget. Its count is deferred (an upper bound
    // is kept) while even the upper bounds stay within the budget, and counted exactly as soon as
    // they might not, so `truncated` comes out exactly as with every edge read.
    const flaggedScan = scanner.flagged;
    let pendingSize = 0;
    let pendingUpper = 0;
    const resolvePending = (): void => {
      for (let p = 0; p < pendingSize; p++) {
        const pl = L.pending[p] as number;
        visited += scanner.total(L.node[pl] as number, asset, L.bound[pl] as number, TIMED | NOT_SUBJECT);
      }
      pendingSize = 0;
      pendingUpper = 0;
    };
    for (let level = 1; level <= hops && frontierSize > 0 && !truncated; level++) {
      s.level++;
      if (s.level === 0xffffffff) {
        L.mark.fill(0);
        s.level = 1;
      }
      const levelMark = s.level;
      let nextSize = 0;
      const last = level >= hops;
      for (let fi = 0; fi < frontierSize; fi++) {
        const vl = L.frontier[fi] as number;
        const v = L.node[vl] as number;
        const w = L.weight[vl] as number;
        if (w < minShare && v !== subject) continue;
        // The value v passed on within its time bound, and to whom (this scan is most of the
        // cost of a query).
        // At the last level only flagged senders matter: the scan keeps just those (and the sum).
        const bound = L.bound[vl] as number;
        let n: number;
        let sum: number;
        if (last && flaggedScan !== undefined) {
          const upper = flaggedScan(v, asset, bound, TIMED | NOT_SUBJECT, isFlagged);
          if (edges.kept === 0 && visited + pendingUpper + upper <= budget) {
            if (pendingSize === L.pending.length) L.growPending();
            L.pending[pendingSize++] = vl;
            pendingUpper += upper;
            continue;
          }
          n = scanner.total(v, asset, bound, TIMED | NOT_SUBJECT);
          sum = scanner.sum;
          // The deferred counts are made exact only when, with this address's, they might reach
          // the budget: otherwise neither can `truncated` change, and they are never read.
          if (visited + pendingUpper + n > budget) resolvePending();
        } else {
          n =
            vl === root
              ? ownEdges(asset, last ? isFlagged : undefined)
              : scanner.scan(v, asset, bound, TIMED | NOT_SUBJECT | LAZY_FAR, last ? isFlagged : undefined);
          sum = edges.sum;
        }
        const { ref, far, amount, ts, kept, hub } = edges;
        visited += n;
        if (visited > budget) truncated = true;
        if (sum <= 0) continue;
        if (!last) {
          // The pushes the loop below follows (at or above the floor): their far nodes, degrees and
          // stamps are read first, in a loop of their own whose cache misses overlap, where the
          // loop below (maps, branches) would wait for them one at a time. Nothing else changes.
          let touched = 0;
          for (let e = 0; e < kept; e++) {
            const c = (w * (amount[e] as number)) / sum;
            if (c <= 0 || c < floor) continue;
            let u = far[e] as number;
            if (u === UNRESOLVED) {
              u = scanner.farOf(ref[e] as number);
              far[e] = u;
            }
            hub[e] = scanner.isHub(u) ? 1 : 0;
            touched |= slots[2 * u] as number;
          }
          s.touched = touched;
        }
        for (let e = 0; e < kept; e++) {
          const c = (w * (amount[e] as number)) / sum;
          if (c <= 0) continue;
          let u = far[e] as number;
          if (u === UNRESOLVED) {
            // Not flagged (the flag index lists every payment to a flagged address): looked up only
            // when the trace follows it.
            if (last || c < floor) continue;
            u = scanner.farOf(ref[e] as number);
          }
          const labels = flagLabels(u);
          if (labels !== undefined) {
            if (exposed === undefined || minHops === undefined || best === undefined) {
              exposed = new Map();
              minHops = new Map();
              best = new Map();
            }
            for (const label of labels.entities) {
              exposed.set(label, (exposed.get(label) ?? 0) + c);
              if (level < (minHops.get(label) ?? Number.POSITIVE_INFINITY)) minHops.set(label, level);
              const b = best.get(label);
              if (b === undefined || c > b.value)
                best.set(label, { value: c, via: ref[e] as number, from: vl });
            }
            for (const label of labels.categories) {
              exposed.set(label, (exposed.get(label) ?? 0) + c);
              if (level < (minHops.get(label) ?? Number.POSITIVE_INFINITY)) minHops.set(label, level);
            }
            continue;
          }
          // Pushes far below the floor cannot add up to an expansion: skip their bookkeeping.
          if (last || c < floor) continue;
          if (hub[e] === 1) {
            hubs.add(u);
            continue;
          }
          let ul = localOf(u);
          if (ul < 0) ul = addLocal(u);
          if (L.mark[ul] !== levelMark) {
            L.mark[ul] = levelMark;
            L.nextWeight[ul] = 0;
            L.next[nextSize++] = ul;
          }
          L.nextWeight[ul] = (L.nextWeight[ul] as number) + c;
          const t = ts[e] as number;
          if (incoming ? t > (L.bound[ul] as number) : t < (L.bound[ul] as number)) L.bound[ul] = t;
          if (c > (L.viaValue[ul] as number)) {
            L.viaValue[ul] = c;
            L.viaRef[ul] = ref[e] as number;
            L.viaFrom[ul] = vl;
          }
        }
        if (truncated) break;
      }
      // The next level's weights and frontier become the current ones.
      const w = L.weight;
      L.weight = L.nextWeight;
      L.nextWeight = w;
      const f = L.frontier;
      L.frontier = L.next;
      L.next = f;
      frontierSize = nextSize;
    }
    // The edge count is shared by the assets of a query: exact before the next asset's trace.
    if (more) resolvePending();
    // Evidence: only for the entities found, by following each step's strongest push back.
    if (exposed === undefined || minHops === undefined || best === undefined)
      return { asset, total, exposed: NO_LABELS, paths: NO_PATHS, minHops: NO_LABELS };
    const paths = new Map<string, number[]>();
    for (const [label, b] of best) {
      const seqs = [seqOf(b.via)];
      const seen = new Set<number>();
      for (let vl = b.from; vl !== root && vl >= 0 && !seen.has(vl); ) {
        seen.add(vl);
        const r = L.viaRef[vl] as number;
        if (r < 0) break;
        seqs.push(seqOf(r));
        vl = L.viaFrom[vl] as number;
      }
      paths.set(label, seqs.reverse());
    }
    return { asset, total, exposed, paths, minHops };
  };

  const traced = [...assetTotals].filter(([, total]) => total > 0);
  for (let ai = 0; ai < traced.length; ai++) {
    const [asset, total] = traced[ai] as [number, number];
    if (query.method === 'haircut') {
      traces.push(traceHaircut(asset, total, ai < traced.length - 1));
      continue;
    }
    // Poison. Phase 1: the ball of addresses within `hops`, level by level, with each address's time
    // bound (latest departure toward the subject for incoming, earliest arrival for outgoing).
    const scratch = scratchFor(graph);
    const nodes: number[] = [];
    const bound: number[] = [];
    const dist: number[] = [];
    const kind: number[] = [];
    const parent: number[] = []; // discovery edge (toward the subject)
    const parentLocal: number[] = []; // the address on the subject's side of it
    const queuedAt: number[] = []; // the level at which an address was last queued
    const localOf = (n: number): number =>
      scratch.slots[2 * n] === scratch.query ? (scratch.slots[2 * n + 1] as number) : -1;
    const add = (n: number, b: number, d: number, via: number, from: number): number => {
      const i = nodes.length;
      scratch.slots[2 * n] = scratch.query;
      scratch.slots[2 * n + 1] = i;
      nodes.push(n);
      bound.push(b);
      dist.push(d);
      parent.push(via);
      parentLocal.push(from);
      queuedAt.push(0);
      const f = ctx.flagsOf(n);
      if (f !== undefined && f.length > 0 && n !== subject) kind.push(FLAGGED);
      else if (n !== subject && degree(n) > hubDegree) {
        kind.push(HUB);
        hubs.add(n);
      } else kind.push(CLEAN);
      return i;
    };
    add(subject, incoming ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY, 0, -1, -1);
    let frontier = [0];
    for (let level = 1; level <= hops && frontier.length > 0 && !truncated; level++) {
      const next: number[] = [];
      for (const vi of frontier) {
        const bv = bound[vi] as number;
        const n = scanner.scan(nodes[vi] as number, asset, 0, POSITIVE);
        const { ref, far, ts } = edges;
        for (let e = 0; e < n; e++) {
          if (++visited > budget) {
            truncated = true;
            break;
          }
          const t = ts[e] as number;
          if (incoming ? t > bv : t < bv) continue;
          const u = far[e] as number;
          if (u === subject) continue;
          let ui = localOf(u);
          if (ui < 0) {
            ui = add(u, t, level, ref[e] as number, vi);
            if (kind[ui] === CLEAN && level < hops && queuedAt[ui] !== level) {
              queuedAt[ui] = level;
              next.push(ui);
            }
          } else if (incoming ? t > (bound[ui] as number) : t < (bound[ui] as number)) {
            bound[ui] = t;
            if (kind[ui] === CLEAN && level < hops && queuedAt[ui] !== level) {
              queuedAt[ui] = level;
              next.push(ui);
            }
          }
        }
        if (truncated) break;
      }
      frontier = next;
    }

    // The edges each address passes value through: its in-edges (incoming) within its time bound
    // from addresses of the ball (as local indexes), with their amounts.
    const inflowCache = new Map<number, { from: Int32Array; amount: Float64Array }>();
    const inflow = (vi: number): { from: Int32Array; amount: Float64Array } => {
      let c = inflowCache.get(vi);
      if (c !== undefined) return c;
      const n = scanner.scan(nodes[vi] as number, asset, bound[vi] as number, TIMED | POSITIVE | NOT_SUBJECT);
      const from = new Int32Array(n);
      const amount = new Float64Array(n);
      let m = 0;
      for (let e = 0; e < n; e++) {
        const ui = localOf(edges.far[e] as number);
        if (ui < 0) continue;
        from[m] = ui;
        amount[m] = edges.amount[e] as number;
        m++;
      }
      c = { from: from.subarray(0, m), amount: amount.subarray(0, m) };
      inflowCache.set(vi, c);
      return c;
    };

    // Labels of the flagged addresses in the ball.
    const labelsOf = new Map<number, { entities: string[]; categories: string[] }>();
    const labelIndex = new Map<string, number>();
    const labels: string[] = [];
    for (let i = 0; i < nodes.length; i++) {
      if (kind[i] !== FLAGGED) continue;
      const l = flagLabels(nodes[i] as number);
      if (l === undefined) continue;
      labelsOf.set(i, l);
      for (const label of [...l.entities, ...l.categories]) {
        if (!labelIndex.has(label)) {
          labelIndex.set(label, labels.length);
          labels.push(label);
        }
      }
    }

    const exposed = new Map<string, number>();
    const paths = new Map<string, number[]>();
    const minHops = new Map<string, number>();
    const pathTo = (fi: number): number[] => {
      const seqs: number[] = [];
      for (let i = fi; i > 0; ) {
        const via = parent[i] as number;
        if (via < 0) break;
        seqs.push(seqOf(via));
        i = parentLocal[i] as number;
        if (i < 0) break;
      }
      return seqs.reverse();
    };
    for (const [fi, l] of labelsOf) {
      for (const label of [...l.entities, ...l.categories]) {
        const d = dist[fi] as number;
        if (d < (minHops.get(label) ?? Number.POSITIVE_INFINITY)) minHops.set(label, d);
      }
    }

    if (labels.length > 0) {
      // Poison: which labels each address reaches within the hops left, as bitsets, level by level.
      const words = Math.ceil(labels.length / 32);
      const n = nodes.length;
      const own = new Uint32Array(n * words);
      for (const [fi, l] of labelsOf) {
        for (const label of [...l.entities, ...l.categories]) {
          const b = labelIndex.get(label) as number;
          own[fi * words + (b >>> 5)] = (own[fi * words + (b >>> 5)] as number) | (1 << (b & 31));
        }
      }
      // reach_k(u): labels reachable from u (excluded) within k hops.
      let reach = new Uint32Array(n * words);
      for (let k = 1; k < hops; k++) {
        const nextReach = new Uint32Array(n * words);
        for (let vi = 1; vi < n; vi++) {
          if (kind[vi] !== CLEAN || (dist[vi] as number) > hops - k) continue;
          const from = inflow(vi).from;
          for (let j = 0; j < from.length; j++) {
            const ui = from[j] as number;
            for (let w = 0; w < words; w++) {
              const bits =
                (own[ui * words + w] as number) |
                (kind[ui] === CLEAN ? (reach[ui * words + w] as number) : 0);
              nextReach[vi * words + w] = (nextReach[vi * words + w] as number) | bits;
            }
          }
        }
        reach = nextReach;
      }
      const subjectInflow = inflow(0);
      for (let j = 0; j < subjectInflow.from.length; j++) {
        const ui = subjectInflow.from[j] as number;
        const share = (subjectInflow.amount[j] as number) / total;
        for (let w = 0; w < words; w++) {
          let bits =
            (own[ui * words + w] as number) | (kind[ui] === CLEAN ? (reach[ui * words + w] as number) : 0);
          while (bits !== 0) {
            const low = bits & -bits;
            const b = w * 32 + (31 - Math.clz32(low));
            bits ^= low;
            const label = labels[b] as string;
            exposed.set(label, (exposed.get(label) ?? 0) + share);
          }
        }
      }
      // Evidence: the discovery path of the nearest flagged address of each entity.
      for (const [fi, l] of labelsOf) {
        for (const label of l.entities) {
          const current = paths.get(label);
          if (!exposed.has(label)) continue;
          const p = pathTo(fi);
          if (current === undefined || p.length < current.length) paths.set(label, p);
        }
      }
    }
    traces.push({ asset, total, exposed, paths, minHops });
  }

  // Assemble: per label, amounts per asset symbol and the share (max over assets).
  const volume: Record<string, string> = {};
  for (const t of traces) {
    const a = graph.assetOf(t.asset);
    volume[a.symbol] = formatFloatBase(t.total, a.decimals);
  }
  traceTotals.truncated ||= truncated;
  traceTotals.hubsSkipped += hubs.size;
  let anyExposed = false;
  for (let i = 0; i < traces.length; i++) if ((traces[i] as AssetTrace).exposed.size > 0) anyExposed = true;
  // Nothing flagged reached: no entities, categories or paths (what the steps below give then).
  if (!anyExposed) return { direction: side, volume, entities: [], categories: [], paths: [] };
  const allLabels = new Set<string>();
  for (const t of traces) for (const label of t.exposed.keys()) allLabels.add(label);
  const amountsOf = (label: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const t of traces) {
      const v = t.exposed.get(label);
      if (v !== undefined) {
        const a = graph.assetOf(t.asset);
        out[a.symbol] = formatFloatBase(Math.min(1, v) * t.total, a.decimals);
      }
    }
    return out;
  };
  const shareOf = (label: string): number => {
    let s = 0;
    for (const t of traces) s = Math.max(s, Math.min(1, t.exposed.get(label) ?? 0));
    return round6(s);
  };
  const hopsOf = (label: string): number => {
    let h = Number.POSITIVE_INFINITY;
    for (const t of traces) if (t.exposed.has(label)) h = Math.min(h, t.minHops.get(label) ?? h);
    return Number.isFinite(h) ? h : 1;
  };

  const entities: ExposureItem[] = [];
  const categories: CategoryExposure[] = [];
  for (const label of allLabels) {
    const hopsMin = hopsOf(label);
    if (label.startsWith('e')) {
      const info = entityInfo?.get(label.slice(1));
      if (info === undefined) continue;
      entities.push({
        entityId: info.entityId,
        entityName: info.entityName,
        category: info.category,
        sources: [...info.sources].sort(),
        direct: hopsMin === 1,
        minHops: hopsMin,
        amounts: amountsOf(label),
        share: shareOf(label),
      });
    } else {
      categories.push({
        category: label.slice(1),
        direct: hopsMin === 1,
        minHops: hopsMin,
        amounts: amountsOf(label),
        share: shareOf(label),
      });
    }
  }
  entities.sort((a, b) => b.share - a.share || a.minHops - b.minHops || a.entityId.localeCompare(b.entityId));
  categories.sort((a, b) => b.share - a.share || a.category.localeCompare(b.category));

  const maxPaths = Math.max(0, Math.min(50, query.maxPaths ?? 5));
  const outPaths: DirectionalExposure['paths'][number][] = [];
  for (const item of entities.slice(0, maxPaths)) {
    const label = `e${item.entityId}`;
    let seqs: number[] | undefined;
    let bestShare = -1;
    for (const t of traces) {
      const p = t.paths.get(label);
      const sh = t.exposed.get(label) ?? 0;
      if (p !== undefined && p.length > 0 && sh > bestShare) {
        seqs = p;
        bestShare = sh;
      }
    }
    if (seqs === undefined) continue;
    const transfers = seqs.map((s) => ctx.transferJson(s));
    if (incoming) transfers.reverse();
    outPaths.push({
      entityId: item.entityId,
      category: item.category,
      hops: seqs.length,
      share: item.share,
      transfers,
    });
  }

  return {
    direction: side,
    volume,
    entities,
    categories,
    paths: outPaths,
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** A float amount of base units as a decimal string (rounded to whole base units). */
function formatFloatBase(value: number, decimals: number): string {
  return formatAmount(BigInt(Math.round(value)), decimals);
}
