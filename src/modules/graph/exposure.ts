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
import type { TransferGraph } from './graph.js';

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
}

type Side = 'incoming' | 'outgoing';

interface DirectionResult extends DirectionalExposure {
  readonly truncated: boolean;
  readonly hubsSkipped: number;
}

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
  const sides: Side[] = query.direction === 'both' ? ['incoming', 'outgoing'] : [query.direction];
  const selfFlag = node >= 0 ? ctx.flagsOf(node)?.[0] : undefined;
  const directions: DirectionResult[] = sides.map((side) =>
    node < 0 ? emptyDirection(side) : traceDirection(ctx, node, side, hops, query),
  );
  const report: ExposureResult = {
    address: query.address,
    method: query.method,
    hops,
    directions: directions.map(({ truncated: _t, hubsSkipped: _h, ...d }) => d),
    basis: ctx.basis,
    graphTransfers: graph.transferCount,
    truncated: directions.some((d) => d.truncated),
    hubsSkipped: directions.reduce((n, d) => n + d.hubsSkipped, 0),
  };
  if (selfFlag === undefined) return report;
  return {
    ...report,
    self: { entityId: selfFlag.entityId, entityName: selfFlag.entityName, category: selfFlag.category },
  };
}

function emptyDirection(direction: Side): DirectionResult {
  return { direction, volume: {}, entities: [], categories: [], paths: [], truncated: false, hubsSkipped: 0 };
}

/** Exposure of one asset: per entity and category, the exposed share of the subject's volume. */
interface AssetTrace {
  readonly asset: number;
  readonly total: number;
  /** Exposed share (of `total`) per label: `e<entityId>` and `c<category>`. */
  readonly exposed: Map<string, number>;
  /** Per entity label, the transfers of its strongest path, subject side first. */
  readonly paths: Map<string, number[]>;
  /** Fewest hops per label. */
  readonly minHops: Map<string, number>;
}

/** Reusable per-graph scratch space: node → local index, valid for one query stamp. */
interface Scratch {
  stamp: Uint32Array;
  local: Int32Array;
  query: number;
}
const scratchOf = new WeakMap<TransferGraph, Scratch>();
function scratchFor(graph: TransferGraph): Scratch {
  let s = scratchOf.get(graph);
  if (s === undefined || s.stamp.length < graph.nodeCount) {
    const size = Math.max(1024, Math.ceil(graph.nodeCount * 1.25));
    s = { stamp: new Uint32Array(size), local: new Int32Array(size), query: 0 };
    scratchOf.set(graph, s);
  }
  s.query++;
  if (s.query === 0xffffffff) {
    s.stamp.fill(0);
    s.query = 1;
  }
  return s;
}

/** Node kinds in a trace. */
const CLEAN = 0;
const FLAGGED = 1;
const HUB = 2;

function traceDirection(
  ctx: ExposureContext,
  subject: number,
  side: Side,
  hops: number,
  query: ExposureQuery,
): DirectionResult {
  const { graph } = ctx;
  const incoming = side === 'incoming';
  const forEach = incoming
    ? (n: number, f: (s: number) => void) => graph.forEachIn(n, f)
    : (n: number, f: (s: number) => void) => graph.forEachOut(n, f);
  const other = incoming ? graph.src : graph.dst;
  const degree = incoming ? (n: number) => graph.inDegree(n) : (n: number) => graph.outDegree(n);
  const budget = ctx.edgeBudget ?? DEFAULT_EDGE_BUDGET;
  const hubDegree = ctx.hubDegree ?? DEFAULT_HUB_DEGREE;
  let visited = 0;
  let truncated = false;
  const hubs = new Set<number>();

  // Which assets: those on the subject's edges in this direction (or the one asked for).
  const assetTotals = new Map<number, number>();
  forEach(subject, (seq) => {
    if (other(seq) === subject) return;
    const a = graph.asset(seq);
    assetTotals.set(a, (assetTotals.get(a) ?? 0) + graph.amount(seq));
  });
  if (query.asset !== undefined) {
    const wanted = query.asset.toUpperCase();
    for (const a of [...assetTotals.keys()]) if (graph.assetOf(a).symbol !== wanted) assetTotals.delete(a);
  }

  const entityInfo = new Map<string, NodeFlag & { sources: Set<string> }>();
  const traces: AssetTrace[] = [];

  const minShare = ctx.minShare ?? DEFAULT_MIN_SHARE;
  const flagLabels = (n: number): { entities: string[]; categories: string[] } | undefined => {
    const f = ctx.flagsOf(n);
    if (f === undefined || f.length === 0) return undefined;
    const entities = new Set<string>();
    const categories = new Set<string>();
    for (const flag of f) {
      entities.add(`e${flag.entityId}`);
      categories.add(`c${flag.category}`);
      const info = entityInfo.get(flag.entityId);
      if (info === undefined) entityInfo.set(flag.entityId, { ...flag, sources: new Set([flag.source]) });
      else info.sources.add(flag.source);
    }
    return { entities: [...entities], categories: [...categories] };
  };

  /**
   * Haircut: push each unit of the subject's volume back (or forward) along the transfers in
   * proportion to value, level by level; what reaches a flagged address is its share. A node
   * holding less than `minShare` of the subject's volume is not expanded (its share is too small
   * to matter), which bounds the work by hops / minShare expansions whatever the graph's density.
   */
  const traceHaircut = (asset: number, total: number): AssetTrace => {
    const exposed = new Map<string, number>();
    const minHops = new Map<string, number>();
    const best = new Map<string, { value: number; via: number; from: number }>();
    // Per node: weight at this level, time bound, best incoming push (for paths).
    let weights = new Map<number, number>([[subject, 1]]);
    const bound = new Map<number, number>([
      [subject, incoming ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY],
    ]);
    const via = new Map<number, { seq: number; value: number }>();
    const labelCache = new Map<number, { entities: string[]; categories: string[] } | null>();
    for (let level = 1; level <= hops && weights.size > 0 && !truncated; level++) {
      const nextWeights = new Map<number, number>();
      for (const [v, w] of weights) {
        if (w < minShare && v !== subject) continue;
        const bv = bound.get(v) as number;
        // The value v passed on within its time bound, and to whom: straight over the CSR arrays
        // when the graph offers them (this loop is the whole cost of a query), then the buffer.
        let sum = 0;
        const seqs: number[] = [];
        const V = graph.view?.();
        if (V !== undefined) {
          const off = incoming ? V.inOff : V.outOff;
          const idx = incoming ? V.inIdx : V.outIdx;
          const far = incoming ? V.src : V.dst;
          if (v < V.csrNodes) {
            const end = off[v + 1] as number;
            for (let k = off[v] as number; k < end; k++) {
              const seq = idx[k] as number;
              if (V.asset[seq] !== asset) continue;
              const ts = V.ts[seq] as number;
              if (incoming ? ts > bv : ts < bv) continue;
              if (far[seq] === subject) continue;
              seqs.push(seq);
              sum += V.amount[seq] as number;
            }
          }
          graph.forEachBuffered?.(v, incoming ? 'in' : 'out', (seq) => {
            if (graph.asset(seq) !== asset) return;
            const ts = graph.timestamp(seq);
            if (incoming ? ts > bv : ts < bv) return;
            if (other(seq) === subject) return;
            seqs.push(seq);
            sum += graph.amount(seq);
          });
        } else {
          forEach(v, (seq) => {
            if (graph.asset(seq) !== asset) return;
            const ts = graph.timestamp(seq);
            if (incoming ? ts > bv : ts < bv) return;
            if (other(seq) === subject) return;
            seqs.push(seq);
            sum += graph.amount(seq);
          });
        }
        visited += seqs.length;
        if (visited > budget) truncated = true;
        if (sum <= 0) continue;
        for (const seq of seqs) {
          const c = (w * graph.amount(seq)) / sum;
          if (c <= 0) continue;
          const u = other(seq);
          let labels = labelCache.get(u);
          if (labels === undefined) {
            labels = flagLabels(u) ?? null;
            labelCache.set(u, labels);
          }
          if (labels !== null) {
            for (const label of labels.entities) {
              exposed.set(label, (exposed.get(label) ?? 0) + c);
              if (level < (minHops.get(label) ?? Number.POSITIVE_INFINITY)) minHops.set(label, level);
              const b = best.get(label);
              if (b === undefined || c > b.value) best.set(label, { value: c, via: seq, from: v });
            }
            for (const label of labels.categories) {
              exposed.set(label, (exposed.get(label) ?? 0) + c);
              if (level < (minHops.get(label) ?? Number.POSITIVE_INFINITY)) minHops.set(label, level);
            }
            continue;
          }
          // Pushes far below the floor cannot add up to an expansion: skip their bookkeeping.
          if (level >= hops || c < minShare / 16) continue;
          if (degree(u) > hubDegree) {
            hubs.add(u);
            continue;
          }
          nextWeights.set(u, (nextWeights.get(u) ?? 0) + c);
          const ts = graph.timestamp(seq);
          const bu = bound.get(u);
          if (bu === undefined || (incoming ? ts > bu : ts < bu)) bound.set(u, ts);
          const prev = via.get(u);
          if (prev === undefined || c > prev.value) via.set(u, { seq, value: c });
        }
        if (truncated) break;
      }
      weights = nextWeights;
    }
    const paths = new Map<string, number[]>();
    for (const [label, b] of best) {
      const seqs = [b.via];
      const seen = new Set<number>();
      for (let v = b.from; v !== subject && !seen.has(v); ) {
        seen.add(v);
        const step = via.get(v);
        if (step === undefined) break;
        seqs.push(step.seq);
        v = incoming ? graph.dst(step.seq) : graph.src(step.seq);
      }
      paths.set(label, seqs.reverse());
    }
    return { asset, total, exposed, paths, minHops };
  };

  for (const [asset, total] of assetTotals) {
    if (total <= 0) continue;
    if (query.method === 'haircut') {
      traces.push(traceHaircut(asset, total));
      continue;
    }
    // Poison. Phase 1: the ball of addresses within `hops`, level by level, with each address's time
    // bound (latest departure toward the subject for incoming, earliest arrival for outgoing).
    const scratch = scratchFor(graph);
    const nodes: number[] = [];
    const bound: number[] = [];
    const dist: number[] = [];
    const kind: number[] = [];
    const parent: number[] = []; // discovery transfer (toward the subject)
    const localOf = (n: number): number =>
      scratch.stamp[n] === scratch.query ? (scratch.local[n] as number) : -1;
    const add = (n: number, b: number, d: number, via: number): number => {
      const i = nodes.length;
      scratch.stamp[n] = scratch.query;
      scratch.local[n] = i;
      nodes.push(n);
      bound.push(b);
      dist.push(d);
      parent.push(via);
      const f = ctx.flagsOf(n);
      if (f !== undefined && f.length > 0 && n !== subject) kind.push(FLAGGED);
      else if (n !== subject && degree(n) > hubDegree) {
        kind.push(HUB);
        hubs.add(n);
      } else kind.push(CLEAN);
      return i;
    };
    add(subject, incoming ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY, 0, -1);
    let frontier = [0];
    for (let level = 1; level <= hops && frontier.length > 0 && !truncated; level++) {
      const next: number[] = [];
      const queued = new Set<number>();
      for (const vi of frontier) {
        const bv = bound[vi] as number;
        forEach(nodes[vi] as number, (seq) => {
          if (truncated || graph.asset(seq) !== asset || graph.amount(seq) <= 0) return;
          if (++visited > budget) {
            truncated = true;
            return;
          }
          const ts = graph.timestamp(seq);
          if (incoming ? ts > bv : ts < bv) return;
          const u = other(seq);
          if (u === subject) return;
          let ui = localOf(u);
          if (ui < 0) {
            ui = add(u, ts, level, seq);
            if (kind[ui] === CLEAN && level < hops && !queued.has(ui)) {
              queued.add(ui);
              next.push(ui);
            }
          } else if (incoming ? ts > (bound[ui] as number) : ts < (bound[ui] as number)) {
            bound[ui] = ts;
            if (kind[ui] === CLEAN && level < hops && !queued.has(ui)) {
              queued.add(ui);
              next.push(ui);
            }
          }
        });
      }
      frontier = next;
    }

    // The edges each address passes value through: its in-edges (incoming) within its time bound
    // from addresses of the ball, with their sum (the haircut denominator).
    const inflowCache = new Map<number, { seqs: number[]; sum: number }>();
    const inflow = (vi: number): { seqs: number[]; sum: number } => {
      let c = inflowCache.get(vi);
      if (c !== undefined) return c;
      const bv = bound[vi] as number;
      const seqs: number[] = [];
      let sum = 0;
      forEach(nodes[vi] as number, (seq) => {
        if (graph.asset(seq) !== asset || graph.amount(seq) <= 0) return;
        const ts = graph.timestamp(seq);
        if (incoming ? ts > bv : ts < bv) return;
        const u = other(seq);
        if (u === subject || localOf(u) < 0) return;
        seqs.push(seq);
        sum += graph.amount(seq);
      });
      c = { seqs, sum };
      inflowCache.set(vi, c);
      return c;
    };

    // Labels of the flagged addresses in the ball.
    const labelsOf = new Map<number, { entities: string[]; categories: string[] }>();
    const labelIndex = new Map<string, number>();
    const labels: string[] = [];
    for (let i = 0; i < nodes.length; i++) {
      if (kind[i] !== FLAGGED) continue;
      const f = ctx.flagsOf(nodes[i] as number) ?? [];
      const entities = new Set<string>();
      const categories = new Set<string>();
      for (const flag of f) {
        entities.add(`e${flag.entityId}`);
        categories.add(`c${flag.category}`);
        const info = entityInfo.get(flag.entityId);
        if (info === undefined) entityInfo.set(flag.entityId, { ...flag, sources: new Set([flag.source]) });
        else info.sources.add(flag.source);
      }
      const l = { entities: [...entities], categories: [...categories] };
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
        seqs.push(via);
        i = localOf(incoming ? graph.dst(via) : graph.src(via));
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
          for (const seq of inflow(vi).seqs) {
            const ui = localOf(other(seq));
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
      for (const seq of subjectInflow.seqs) {
        const ui = localOf(other(seq));
        const share = graph.amount(seq) / total;
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
          const p = pathTo(fi);
          if (exposed.has(label) && (current === undefined || p.length < current.length)) paths.set(label, p);
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
      const info = entityInfo.get(label.slice(1));
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
    truncated,
    hubsSkipped: hubs.size,
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** A float amount of base units as a decimal string (rounded to whole base units). */
function formatFloatBase(value: number, decimals: number): string {
  return formatAmount(BigInt(Math.round(value)), decimals);
}
