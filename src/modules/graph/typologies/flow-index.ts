/**
 * The per-address view every detector reads, built once per run: addresses and assets interned to
 * dense integers, one column per transfer field in typed arrays, and each address's outgoing and
 * incoming transfers in compressed-sparse-row form, sorted by asset then time, so that one asset's
 * transfers of one address are one contiguous, time-ordered run.
 */
import type { Transfer } from '../transfer.js';
import type { ServiceConfig } from './config.js';

/** One asset: amounts are only ever compared within one. */
export interface FlowAsset {
  readonly chain: string;
  readonly symbol: string;
  readonly decimals: number;
}

/** Transfers by address, in both directions. Transfer indexes refer to `transfers`. */
export interface FlowIndex {
  readonly transfers: readonly Transfer[];
  readonly nodeCount: number;
  /** Match key of each node. */
  readonly keys: readonly string[];
  readonly assets: readonly FlowAsset[];
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly asset: Int32Array;
  /** Unix seconds. */
  readonly ts: Float64Array;
  /** Amount in units of the asset, as a float: for ratios only (exact amounts stay in `transfers`). */
  readonly value: Float64Array;
  /** `outList[outStart[v] .. outStart[v + 1])`: transfers leaving v, by asset then time. */
  readonly outStart: Int32Array;
  readonly outList: Int32Array;
  readonly inStart: Int32Array;
  readonly inList: Int32Array;
  /** Distinct counterparties of each node (both directions, every asset). */
  readonly degree: Int32Array;
  /** 1 for services (see `ServiceConfig`). */
  readonly service: Uint8Array;
  /** First and last timestamp in the data. */
  readonly startTs: number;
  readonly endTs: number;
}

/**
 * Builds the index in O(transfers · log transfers). Transfers from an address to itself carry no
 * flow and stay out of the adjacency.
 */
export function buildFlowIndex(transfers: readonly Transfer[], services: ServiceConfig): FlowIndex {
  const n = transfers.length;
  const nodeIds = new Map<string, number>();
  const keys: string[] = [];
  const assetIds = new Map<string, number>();
  const assets: FlowAsset[] = [];
  const src = new Int32Array(n);
  const dst = new Int32Array(n);
  const asset = new Int32Array(n);
  const ts = new Float64Array(n);
  const value = new Float64Array(n);
  const node = (key: string): number => {
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = keys.length;
      nodeIds.set(key, id);
      keys.push(key);
    }
    return id;
  };
  let startTs = Number.POSITIVE_INFINITY;
  let endTs = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = transfers[i] as Transfer;
    src[i] = node(t.from);
    dst[i] = node(t.to);
    const assetKey = `${t.chain}\u0000${t.asset}`;
    let a = assetIds.get(assetKey);
    if (a === undefined) {
      a = assets.length;
      assetIds.set(assetKey, a);
      assets.push({ chain: t.chain, symbol: t.asset, decimals: t.decimals });
    }
    asset[i] = a;
    ts[i] = t.timestamp;
    value[i] = Number(t.amountBase) / 10 ** t.decimals;
    if (t.timestamp < startTs) startTs = t.timestamp;
    if (t.timestamp > endTs) endTs = t.timestamp;
  }
  if (n === 0) startTs = endTs = 0;

  const order = Array.from({ length: n }, (_, i) => i).filter((i) => src[i] !== dst[i]);
  order.sort(
    (x, y) => (asset[x] as number) - (asset[y] as number) || (ts[x] as number) - (ts[y] as number) || x - y,
  );

  const nodeCount = keys.length;
  const csr = (side: Int32Array) => {
    const start = new Int32Array(nodeCount + 1);
    for (const i of order) {
      const v = (side[i] as number) + 1;
      start[v] = (start[v] as number) + 1;
    }
    for (let v = 0; v < nodeCount; v++) start[v + 1] = (start[v + 1] as number) + (start[v] as number);
    const fill = start.slice(0, nodeCount);
    const list = new Int32Array(order.length);
    for (const i of order) {
      const v = side[i] as number;
      list[fill[v] as number] = i;
      fill[v] = (fill[v] as number) + 1;
    }
    return { start, list };
  };
  const out = csr(src);
  const inn = csr(dst);

  const degree = new Int32Array(nodeCount);
  const service = new Uint8Array(nodeCount);
  const seen = new Int32Array(nodeCount).fill(-1);
  for (let v = 0; v < nodeCount; v++) {
    let d = 0;
    for (let p = out.start[v] as number; p < (out.start[v + 1] as number); p++) {
      const w = dst[out.list[p] as number] as number;
      if (seen[w] !== v) {
        seen[w] = v;
        d++;
      }
    }
    for (let p = inn.start[v] as number; p < (inn.start[v + 1] as number); p++) {
      const w = src[inn.list[p] as number] as number;
      if (seen[w] !== v) {
        seen[w] = v;
        d++;
      }
    }
    degree[v] = d;
  }
  const threshold = serviceThreshold(degree, services);
  for (let v = 0; v < nodeCount; v++) service[v] = (degree[v] as number) >= threshold ? 1 : 0;

  return {
    transfers,
    nodeCount,
    keys,
    assets,
    src,
    dst,
    asset,
    ts,
    value,
    outStart: out.start,
    outList: out.list,
    inStart: inn.start,
    inList: inn.list,
    degree,
    service,
    startTs,
    endTs,
  };
}

/** The number of counterparties that makes a service in this data (see `ServiceConfig`). */
export function serviceThreshold(degree: Int32Array, services: ServiceConfig): number {
  if (degree.length === 0) return services.minCounterparties;
  const sorted = Int32Array.from(degree).sort();
  const rank = Math.min(sorted.length - 1, Math.floor((1 - services.topShare) * sorted.length));
  const top = sorted[rank] as number;
  return Math.min(services.minCounterparties, Math.max(services.floorCounterparties, top));
}

/** A direction of flow at an address. */
export type FlowSide = 'out' | 'in';

/** The adjacency of one side. */
export function sideOf(ix: FlowIndex, side: FlowSide): { start: Int32Array; list: Int32Array } {
  return side === 'out' ? { start: ix.outStart, list: ix.outList } : { start: ix.inStart, list: ix.inList };
}

/**
 * Calls `visit(from, to, asset)` for each asset's run of `node`'s transfers on one side:
 * positions `[from, to)` of the side's list, in time order.
 */
export function forEachAssetRun(
  ix: FlowIndex,
  side: FlowSide,
  node: number,
  visit: (from: number, to: number, asset: number) => void,
): void {
  const { start, list } = sideOf(ix, side);
  const end = start[node + 1] as number;
  let p = start[node] as number;
  while (p < end) {
    const a = ix.asset[list[p] as number] as number;
    let q = p + 1;
    while (q < end && ix.asset[list[q] as number] === a) q++;
    visit(p, q, a);
    p = q;
  }
}

/** Positions `[from, to)` of `node`'s run for `asset` on one side (empty when it has none). */
export function assetRun(ix: FlowIndex, side: FlowSide, node: number, asset: number): [number, number] {
  const { start, list } = sideOf(ix, side);
  let lo = start[node] as number;
  let hi = start[node + 1] as number;
  // lower bound of asset
  let a = lo;
  let b = hi;
  while (a < b) {
    const m = (a + b) >>> 1;
    if ((ix.asset[list[m] as number] as number) < asset) a = m + 1;
    else b = m;
  }
  lo = a;
  b = hi;
  while (a < b) {
    const m = (a + b) >>> 1;
    if ((ix.asset[list[m] as number] as number) <= asset) a = m + 1;
    else b = m;
  }
  hi = a;
  return [lo, hi];
}

/** First position in `list[from, to)` whose transfer is at or after `t` (`to` when none is). */
export function lowerBoundTime(ix: FlowIndex, list: Int32Array, from: number, to: number, t: number): number {
  let a = from;
  let b = to;
  while (a < b) {
    const m = (a + b) >>> 1;
    if ((ix.ts[list[m] as number] as number) < t) a = m + 1;
    else b = m;
  }
  return a;
}

/** First position in `list[from, to)` whose transfer is after `t` (`to` when none is). */
export function upperBoundTime(ix: FlowIndex, list: Int32Array, from: number, to: number, t: number): number {
  let a = from;
  let b = to;
  while (a < b) {
    const m = (a + b) >>> 1;
    if ((ix.ts[list[m] as number] as number) <= t) a = m + 1;
    else b = m;
  }
  return a;
}
