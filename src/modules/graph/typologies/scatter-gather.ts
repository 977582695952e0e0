/**
 * Scatter-gather: one source pays several intermediaries, and each passes about what it received
 * (`minRatio` to `maxRatio`) on to one common sink within `hopDelaySeconds`. At least
 * `minIntermediaries` distinct intermediaries within `windowSeconds` make a pattern.
 *
 * Intermediaries are conduits: never services, and nearly idle around the money they pass on (at
 * most `maxOtherTransfers` other transfers of the asset from `windowSeconds` before receiving to
 * `windowSeconds` after passing on). A merchant or an exchange deposit address also forwards what
 * it was paid to one place (its exchange), so without this a customer paying three shops that
 * sweep to the same exchange would be a scatter-gather. Two exchanges share users, so some users always withdraw
 * from one and deposit the same amount at the other: the pattern must also be at least `minShare`
 * of the source's receivers (or of the sink's senders) over the same period, and at least
 * `burst.minRatio` times what that end's own history predicts for such a window (see `burstOf`):
 * a single launderer's split is both, a service's or a busy trader's traffic is not.
 */
import type { Candidate, DetectorContext } from './detector.js';
import { assetRun, forEachAssetRun, lowerBoundTime, upperBoundTime } from './flow-index.js';
import {
  burstOf,
  countDistinct,
  formatDuration,
  formatUnits,
  round3,
  saturate,
  similarity,
} from './stats.js';

interface Path {
  readonly via: number;
  readonly inT: number;
  readonly outT: number;
}

/** Scatter-gather candidates: subject = the source; the sink is the first counterparty. */
export function detectScatterGather(ctx: DetectorContext): Candidate[] {
  const { ix, config } = ctx;
  const c = config.scatterGather;
  const groups = new Map<string, Path[]>();

  for (let m = 0; m < ix.nodeCount; m++) {
    if (ix.service[m] === 1) continue;
    forEachAssetRun(ix, 'in', m, (i0, i1, asset) => {
      const [o0, o1] = assetRun(ix, 'out', m, asset);
      if (o0 === o1) return;
      // Transfers of m around a path, both sides, beyond the path's own two.
      const others = (from: number, to: number) =>
        upperBoundTime(ix, ix.inList, i0, i1, to) -
        lowerBoundTime(ix, ix.inList, i0, i1, from) +
        upperBoundTime(ix, ix.outList, o0, o1, to) -
        lowerBoundTime(ix, ix.outList, o0, o1, from) -
        2;
      for (let p = i0; p < i1; p++) {
        const inT = ix.inList[p] as number;
        const s = ix.src[inT] as number;
        const t0 = ix.ts[inT] as number;
        const v = ix.value[inT] as number;
        for (let q = lowerBoundTime(ix, ix.outList, o0, o1, t0); q < o1; q++) {
          const outT = ix.outList[q] as number;
          if ((ix.ts[outT] as number) > t0 + c.hopDelaySeconds) break;
          const t = ix.dst[outT] as number;
          if (t === s) continue;
          const ratio = (ix.value[outT] as number) / v;
          if (ratio < c.minRatio || ratio > c.maxRatio) continue;
          if (others(t0 - c.windowSeconds, (ix.ts[outT] as number) + c.windowSeconds) > c.maxOtherTransfers)
            continue;
          const key = `${s}:${t}:${asset}`;
          const g = groups.get(key);
          const path = { via: m, inT, outT };
          if (g) g.push(path);
          else groups.set(key, [path]);
        }
      }
    });
  }

  const out: Candidate[] = [];
  for (const [key, paths] of groups) {
    if (countDistinct(paths.map((p) => p.via)) < c.minIntermediaries) continue;
    const [s, t, asset] = key.split(':').map(Number) as [number, number, number];
    paths.sort((a, b) => (ix.ts[a.inT] as number) - (ix.ts[b.inT] as number) || a.inT - b.inT);
    for (const episode of episodes(ctx, paths)) {
      const cand = evaluate(ctx, s, t, asset, episode);
      if (cand) out.push(cand);
    }
  }
  return out;
}

/** Maximal runs of paths whose scatter legs fit in windows holding enough intermediaries. */
function episodes(ctx: DetectorContext, paths: Path[]): Path[][] {
  const { ix, config } = ctx;
  const c = config.scatterGather;
  const count = new Map<number, number>();
  const result: [number, number][] = [];
  let left = 0;
  for (let r = 0; r < paths.length; r++) {
    const pr = paths[r] as Path;
    count.set(pr.via, (count.get(pr.via) ?? 0) + 1);
    while ((ix.ts[(paths[left] as Path).inT] as number) < (ix.ts[pr.inT] as number) - c.windowSeconds) {
      const via = (paths[left] as Path).via;
      const k = (count.get(via) ?? 1) - 1;
      if (k === 0) count.delete(via);
      else count.set(via, k);
      left++;
    }
    if (count.size < c.minIntermediaries) continue;
    const last = result[result.length - 1];
    if (last !== undefined && left <= last[1]) last[1] = r;
    else result.push([left, r]);
  }
  return result.map(([a, b]) => paths.slice(a, b + 1));
}

function evaluate(
  ctx: DetectorContext,
  s: number,
  t: number,
  asset: number,
  paths: Path[],
): Candidate | undefined {
  const { ix, config } = ctx;
  const c = config.scatterGather;
  // One path per intermediary: the one passing on the closest amount.
  const byVia = new Map<number, Path>();
  for (const p of paths) {
    const prev = byVia.get(p.via);
    if (prev === undefined || closeness(ctx, p) > closeness(ctx, prev)) byVia.set(p.via, p);
  }
  const chosen = [...byVia.values()];
  if (chosen.some((p) => p.via === s || p.via === t)) return undefined;
  const intermediaries = chosen.length;
  const inTimes = chosen.map((p) => ix.ts[p.inT] as number);
  const outTimes = chosen.map((p) => ix.ts[p.outT] as number);
  const scatterStart = Math.min(...inTimes);
  const scatterEnd = Math.max(...inTimes);
  const gatherStart = Math.min(...outTimes);
  const gatherEnd = Math.max(...outTimes);

  const receivers = distinctCounterparties(ctx, 'out', s, asset, scatterStart, scatterEnd);
  const senders = distinctCounterparties(ctx, 'in', t, asset, gatherStart, gatherEnd);
  const share = Math.max(intermediaries / Math.max(receivers, 1), intermediaries / Math.max(senders, 1));
  if (share < c.minShare) return undefined;
  // The scatter (or the gather) must be unusual for its end: a busy trader paying three shops
  // that sweep to one exchange is doing what it does every week.
  const runLength = (side: 'in' | 'out', node: number) => {
    const [r0, r1] = assetRun(ix, side, node, asset);
    return r1 - r0;
  };
  const scatterBurst = burstOf(
    ix,
    runLength('out', s),
    intermediaries,
    scatterStart,
    scatterEnd,
    c.windowSeconds,
    config.burst,
  );
  const gatherBurst = burstOf(
    ix,
    runLength('in', t),
    intermediaries,
    gatherStart,
    gatherEnd,
    c.windowSeconds,
    config.burst,
  );
  const burstRatio = Math.max(scatterBurst.ratio, gatherBurst.ratio);
  if (burstRatio < config.burst.minRatio) return undefined;

  const sentValues = chosen.map((p) => ix.value[p.inT] as number);
  const sent = sentValues.reduce((x, y) => x + y, 0);
  const gathered = chosen.reduce((x, p) => x + (ix.value[p.outT] as number), 0);
  const kept = chosen.reduce((x, p) => x + closeness(ctx, p), 0) / intermediaries;
  const strength =
    0.35 * saturate(intermediaries - c.minIntermediaries + 1, 3) +
    0.25 * Math.min(1, share) +
    0.25 * kept +
    0.15 * similarity(sentValues);
  const symbol = ix.assets[asset]?.symbol ?? '';
  const duration = gatherEnd - scatterStart;
  return {
    typology: 'scatter-gather',
    subject: s,
    asset,
    transfers: chosen.flatMap((p) => [p.inT, p.outT]),
    strength,
    explanation: `${ctx.name(s)} split ${formatUnits(sent, symbol)} over ${intermediaries} intermediaries, which passed ${formatUnits(gathered, symbol)} on to ${ctx.name(t)} within ${formatDuration(duration)}`,
    counterparties: [t, ...chosen.map((p) => p.via)],
    metrics: {
      sink: ctx.name(t),
      intermediaries,
      sent: round3(sent),
      gathered: round3(gathered),
      share: round3(share),
      burstRatio: round3(Math.min(burstRatio, 1e6)),
      durationSeconds: duration,
    },
  };
}

/** 1 when an intermediary passes on exactly what it got. */
function closeness(ctx: DetectorContext, p: Path): number {
  const r = (ctx.ix.value[p.outT] as number) / (ctx.ix.value[p.inT] as number);
  return Math.max(0, 1 - Math.abs(1 - r) * 5);
}

/** Distinct counterparties of `node` on one side, for one asset, in `[start, end]`. */
export function distinctCounterparties(
  ctx: DetectorContext,
  side: 'in' | 'out',
  node: number,
  asset: number,
  start: number,
  end: number,
): number {
  const { ix } = ctx;
  const list = side === 'out' ? ix.outList : ix.inList;
  const other = side === 'out' ? ix.dst : ix.src;
  const [r0, r1] = assetRun(ix, side, node, asset);
  const a = lowerBoundTime(ix, list, r0, r1, start);
  const b = upperBoundTime(ix, list, r0, r1, end);
  const seen = new Set<number>();
  for (let p = a; p < b; p++) seen.add(other[list[p] as number] as number);
  return seen.size;
}
