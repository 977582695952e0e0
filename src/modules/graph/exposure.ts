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
}

type Side = 'incoming' | 'outgoing';

interface DirectionResult extends DirectionalExposure {
  readonly truncated: boolean;
}

/** The answer, plus whether any direction ran out of its edge budget. */
export type ExposureResult = ExposureReport & { readonly truncated: boolean };

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
    directions: directions.map(({ truncated: _t, ...d }) => d),
    basis: ctx.basis,
    graphTransfers: graph.transferCount,
    truncated: directions.some((d) => d.truncated),
  };
  if (selfFlag === undefined) return report;
  return {
    ...report,
    self: { entityId: selfFlag.entityId, entityName: selfFlag.entityName, category: selfFlag.category },
  };
}

function emptyDirection(direction: Side): DirectionResult {
  return { direction, volume: {}, entities: [], categories: [], paths: [], truncated: false };
}

/** Per-label taint of a node: entity labels `e<id>` and category labels `c<category>`. */
type Taint = Map<string, number>;

interface AssetTrace {
  readonly asset: number;
  readonly total: number;
  /** Exposed amount per label (float base units). */
  readonly exposed: Map<string, number>;
  /** Best first-hop transfer per entity label, and per (node, k, label) the best next transfer. */
  readonly firstHop: Map<string, { seq: number; value: number }>;
}

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
  const budget = ctx.edgeBudget ?? DEFAULT_EDGE_BUDGET;
  let visited = 0;
  let truncated = false;

  // Which assets: those on the subject's edges in this direction (or the one asked for).
  const assetTotals = new Map<number, number>();
  forEach(subject, (seq) => {
    const a = graph.asset(seq);
    assetTotals.set(a, (assetTotals.get(a) ?? 0) + graph.amount(seq));
  });
  if (query.asset !== undefined) {
    const wanted = query.asset.toUpperCase();
    for (const a of [...assetTotals.keys()]) if (graph.assetOf(a).symbol !== wanted) assetTotals.delete(a);
  }

  const flagCache = new Map<number, readonly NodeFlag[] | null>();
  const flags = (n: number): readonly NodeFlag[] | null => {
    let f = flagCache.get(n);
    if (f === undefined) {
      f = ctx.flagsOf(n) ?? null;
      if (f !== null && f.length === 0) f = null;
      flagCache.set(n, f);
    }
    return f;
  };
  const entityInfo = new Map<string, NodeFlag & { sources: Set<string> }>();
  const terminal = (n: number): Taint | null => {
    const f = flags(n);
    if (f === null) return null;
    const t: Taint = new Map();
    for (const flag of f) {
      t.set(`e${flag.entityId}`, 1);
      t.set(`c${flag.category}`, 1);
      const info = entityInfo.get(flag.entityId);
      if (info === undefined) entityInfo.set(flag.entityId, { ...flag, sources: new Set([flag.source]) });
      else info.sources.add(flag.source);
    }
    return t;
  };

  const minHops = new Map<string, number>();
  const traces: AssetTrace[] = [];
  // Per (node, k, label) best contributing edge, for evidence paths: key `${node}:${k}` → label → seq.
  const bestNext = new Map<string, Map<string, { seq: number; value: number }>>();

  for (const [asset, total] of assetTotals) {
    // Phase 1: time bounds and hop distances, level by level.
    const bound = new Map<number, number>();
    const dist = new Map<number, number>();
    bound.set(subject, incoming ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
    dist.set(subject, 0);
    let frontier = [subject];
    for (let level = 1; level <= hops && frontier.length > 0 && !truncated; level++) {
      const next = new Set<number>();
      for (const v of frontier) {
        const bv = bound.get(v) as number;
        forEach(v, (seq) => {
          if (truncated || graph.asset(seq) !== asset) return;
          if (++visited > budget) {
            truncated = true;
            return;
          }
          const ts = graph.timestamp(seq);
          if (incoming ? ts > bv : ts < bv) return;
          const u = other(seq);
          if (u === subject) return;
          const bu = bound.get(u);
          if (bu === undefined) {
            bound.set(u, ts);
            dist.set(u, level);
            if (flags(u) === null) next.add(u);
          } else if (incoming ? ts > bu : ts < bu) {
            bound.set(u, ts);
            if (flags(u) === null) next.add(u);
          }
        });
      }
      frontier = [...next];
    }

    // Phase 2: taint of each node with k hops left, memoised.
    const memo = new Map<string, Taint>();
    const taintOf = (n: number, k: number): Taint => {
      const t = terminal(n);
      if (t !== null) return t;
      if (k <= 0) return EMPTY;
      const key = `${n}:${k}`;
      const cached = memo.get(key);
      if (cached !== undefined) return cached;
      memo.set(key, EMPTY); // cycle guard: a node does not taint itself
      const bn = bound.get(n);
      const acc: Taint = new Map();
      const best = new Map<string, { seq: number; value: number }>();
      let sum = 0;
      forEach(n, (seq) => {
        if (graph.asset(seq) !== asset) return;
        const ts = graph.timestamp(seq);
        if (bn !== undefined && (incoming ? ts > bn : ts < bn)) return;
        const u = other(seq);
        if (u === subject || !bound.has(u)) return;
        const amt = graph.amount(seq);
        sum += amt;
        const tu = taintOf(u, k - 1);
        for (const [label, f] of tu) {
          const value = amt * f;
          if (value <= 0) continue;
          acc.set(label, (acc.get(label) ?? 0) + value);
          const b = best.get(label);
          if (label.startsWith('e') && (b === undefined || value > b.value)) best.set(label, { seq, value });
        }
      });
      let result: Taint;
      if (sum <= 0 || acc.size === 0) result = EMPTY;
      else if (query.method === 'poison') {
        result = new Map([...acc.keys()].map((label) => [label, 1]));
      } else {
        result = new Map([...acc].map(([label, v]) => [label, Math.min(1, v / sum)]));
      }
      memo.set(key, result);
      if (best.size > 0) bestNext.set(`${asset}:${n}:${k}`, best);
      return result;
    };

    const exposed = new Map<string, number>();
    const firstHop = new Map<string, { seq: number; value: number }>();
    forEach(subject, (seq) => {
      if (graph.asset(seq) !== asset) return;
      const u = other(seq);
      if (u === subject) return;
      const amt = graph.amount(seq);
      const tu = taintOf(u, hops - 1);
      for (const [label, f] of tu) {
        const value = query.method === 'poison' ? (f > 0 ? amt : 0) : amt * f;
        if (value <= 0) continue;
        exposed.set(label, (exposed.get(label) ?? 0) + value);
        const b = firstHop.get(label);
        if (label.startsWith('e') && (b === undefined || value > b.value))
          firstHop.set(label, { seq, value });
      }
    });
    // Fewest hops per label, from the phase-1 distances of flagged nodes.
    for (const [n, d] of dist) {
      if (d === 0) continue;
      const f = flags(n);
      if (f === null) continue;
      for (const flag of f) {
        for (const label of [`e${flag.entityId}`, `c${flag.category}`]) {
          if (exposed.has(label) && d < (minHops.get(label) ?? Number.POSITIVE_INFINITY))
            minHops.set(label, d);
        }
      }
    }
    traces.push({ asset, total, exposed, firstHop });
  }

  // Assemble: per label, amounts per asset symbol and the share (max over assets).
  const volume: Record<string, string> = {};
  for (const t of traces) {
    const a = graph.assetOf(t.asset);
    volume[a.symbol] = formatFloatBase(t.total, a.decimals);
  }
  const labels = new Set<string>();
  for (const t of traces) for (const label of t.exposed.keys()) labels.add(label);
  const amountsOf = (label: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const t of traces) {
      const v = t.exposed.get(label);
      if (v !== undefined) {
        const a = graph.assetOf(t.asset);
        out[a.symbol] = formatFloatBase(v, a.decimals);
      }
    }
    return out;
  };
  const shareOf = (label: string): number => {
    let s = 0;
    for (const t of traces) {
      const v = t.exposed.get(label);
      if (v !== undefined && t.total > 0) s = Math.max(s, Math.min(1, v / t.total));
    }
    return round6(s);
  };

  const entities: ExposureItem[] = [];
  const categories: CategoryExposure[] = [];
  for (const label of labels) {
    const hopsMin = minHops.get(label) ?? 1;
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

  // Evidence: for the top entities, follow the strongest contributing transfer hop by hop.
  const maxPaths = Math.max(0, Math.min(50, query.maxPaths ?? 5));
  const paths: DirectionalExposure['paths'][number][] = [];
  for (const item of entities.slice(0, maxPaths)) {
    const label = `e${item.entityId}`;
    let bestTrace: AssetTrace | undefined;
    for (const t of traces) {
      const f = t.firstHop.get(label);
      if (
        f !== undefined &&
        (bestTrace === undefined || f.value > (bestTrace.firstHop.get(label)?.value ?? 0))
      )
        bestTrace = t;
    }
    const first = bestTrace?.firstHop.get(label);
    if (bestTrace === undefined || first === undefined) continue;
    const seqs = [first.seq];
    let n = other(first.seq);
    let k = hops - 1;
    while (k > 0 && flags(n) === null) {
      const step = bestNext.get(`${bestTrace.asset}:${n}:${k}`)?.get(label);
      if (step === undefined) break;
      seqs.push(step.seq);
      n = other(step.seq);
      k--;
    }
    const transfers = seqs.map((s) => ctx.transferJson(s));
    if (incoming) transfers.reverse();
    paths.push({
      entityId: item.entityId,
      category: item.category,
      hops: seqs.length,
      share: item.share,
      transfers,
    });
  }

  return { direction: side, volume, entities, categories, paths, truncated };
}

const EMPTY: Taint = new Map();

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** A float amount of base units as a decimal string (rounded to whole base units). */
function formatFloatBase(value: number, decimals: number): string {
  return formatAmount(BigInt(Math.round(value)), decimals);
}
