/**
 * Cycles (round-tripping): value leaves an address and comes back to it through `minHops` to
 * `maxHops` hops, in time order, within a window, each hop carrying about what the previous one
 * did (so the money can be followed: `minHopRatio` to `maxHopRatio`), and at least
 * `minReturnRatio` of it arriving back.
 *
 * Each intermediate must pass the value on among its next `maxInterleaved + 1` payments of the
 * asset after receiving it: an address that paid many others in between cannot be said to have
 * sent the same money back, and busy addresses with reciprocal contacts would otherwise close
 * cycles by coincidence. Services are never part of a cycle: depositing at an exchange and withdrawing later is what
 * exchanges are for, and with thousands of users some withdrawal always matches a deposit. Cycles
 * that share a transfer are one alert, about the origin of the earliest.
 */
import type { Candidate, DetectorContext } from './detector.js';
import { assetRun, lowerBoundTime } from './flow-index.js';
import { formatDuration, formatUnits, round3, saturate } from './stats.js';

/** Cycle candidates: subject = the address the value left and came back to. */
export function detectCycles(ctx: DetectorContext): Candidate[] {
  const { ix, config } = ctx;
  const c = config.cycle;
  const n = ix.src.length;
  const found: number[][] = [];
  const path: number[] = [];
  const edges: number[] = [];
  let steps = 0;

  const dfs = (u: number, last: number, origin: number, first: number, limit: number): void => {
    const [p0, p1] = assetRun(ix, 'out', u, ix.asset[first] as number);
    const lastValue = ix.value[last] as number;
    const lastTs = ix.ts[last] as number;
    const q0 = lowerBoundTime(ix, ix.outList, p0, p1, lastTs);
    for (let q = q0; q < p1 && q - q0 <= c.maxInterleaved; q++) {
      const e = ix.outList[q] as number;
      if ((ix.ts[e] as number) > limit) break;
      if (e === last) continue;
      if (++steps > c.maxSteps) return;
      const ratio = (ix.value[e] as number) / lastValue;
      if (ratio < c.minHopRatio || ratio > c.maxHopRatio) continue;
      const w = ix.dst[e] as number;
      const hops = edges.length + 1;
      if (w === origin) {
        if (hops >= c.minHops && (ix.value[e] as number) / (ix.value[first] as number) >= c.minReturnRatio) {
          found.push([...edges, e]);
        }
        continue;
      }
      if (hops >= c.maxHops || ix.service[w] === 1 || path.includes(w)) continue;
      path.push(w);
      edges.push(e);
      dfs(w, e, origin, first, limit);
      path.pop();
      edges.pop();
    }
  };

  for (let e0 = 0; e0 < n; e0++) {
    const v0 = ix.src[e0] as number;
    const v1 = ix.dst[e0] as number;
    if (v0 === v1 || ix.service[v0] === 1 || ix.service[v1] === 1) continue;
    path.length = 0;
    edges.length = 0;
    path.push(v0, v1);
    edges.push(e0);
    steps = 0;
    dfs(v1, e0, v0, e0, (ix.ts[e0] as number) + c.windowSeconds);
  }
  return group(ctx, found);
}

/** Cycles sharing a transfer become one candidate (union-find over cycles). */
function group(ctx: DetectorContext, cycles: number[][]): Candidate[] {
  const { ix } = ctx;
  const parent = cycles.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      const p = parent[parent[i] as number] as number;
      parent[i] = p;
      i = p;
    }
    return i;
  };
  const owner = new Map<number, number>();
  cycles.forEach((cycle, i) => {
    for (const e of cycle) {
      const j = owner.get(e);
      if (j === undefined) owner.set(e, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, number[][]>();
  cycles.forEach((cycle, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(cycle);
    else groups.set(root, [cycle]);
  });

  const out: Candidate[] = [];
  for (const members of groups.values()) {
    members.sort((a, b) => (ix.ts[a[0] as number] as number) - (ix.ts[b[0] as number] as number));
    const best = members.reduce((x, y) => (quality(ctx, y) > quality(ctx, x) ? y : x));
    const earliest = members[0] as number[];
    const origin = ix.src[earliest[0] as number] as number;
    const transfers = [...new Set(members.flat())];
    const first = best[0] as number;
    const closing = best[best.length - 1] as number;
    const sent = ix.value[first] as number;
    const back = ix.value[closing] as number;
    const duration = (ix.ts[closing] as number) - (ix.ts[first] as number);
    const hops = best.map((e) => ix.src[e] as number);
    const symbol = ix.assets[ix.asset[first] as number]?.symbol ?? '';
    const route = [...hops, ix.dst[closing] as number].map(ctx.name).join(' → ');
    out.push({
      typology: 'cycle',
      subject: origin,
      asset: ix.asset[first] as number,
      transfers,
      strength: quality(ctx, best) * (0.8 + 0.2 * saturate(members.length, 1)),
      explanation: `${formatUnits(sent, symbol)} left ${ctx.name(ix.src[first] as number)} and ${formatUnits(back, symbol)} came back in ${best.length} hops within ${formatDuration(duration)}: ${route}${members.length > 1 ? ` (${members.length} cycles)` : ''}`,
      counterparties: hops.slice(1),
      metrics: {
        hops: best.length,
        cycles: members.length,
        sent: round3(sent),
        returned: round3(back),
        returnRatio: round3(back / sent),
        durationSeconds: duration,
      },
    });
  }
  return out;
}

/** How clearly one cycle round-trips: value kept, speed, length. */
function quality(ctx: DetectorContext, cycle: readonly number[]): number {
  const { ix } = ctx;
  const first = cycle[0] as number;
  const closing = cycle[cycle.length - 1] as number;
  const kept = Math.min(1, (ix.value[closing] as number) / (ix.value[first] as number));
  const duration = (ix.ts[closing] as number) - (ix.ts[first] as number);
  const speed = 1 - Math.min(1, duration / ctx.config.cycle.windowSeconds);
  const length = saturate(cycle.length - 1, 2);
  return 0.5 * kept + 0.3 * speed + 0.2 * length;
}
