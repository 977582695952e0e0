/**
 * Rapid pass-through: money arrives at an address and leaves it within `maxDelaySeconds` at a
 * similar amount (`minRatio` to `maxRatio` of what arrived), in at most `maxLegs` transfers each
 * way, to someone other than who sent it.
 *
 * A pass starts with an arrival and takes the payments that follow until the next arrival after
 * them or until the delay runs out, so a busy address whose arrivals and payments interleave at
 * random rarely forms one. Passes within `mergeSeconds` of each other are one alert, raised only
 * if they carry at least `minShare` of everything the address received from `contextSeconds`
 * before to `contextSeconds` after: a good part of what reaches the address goes straight on. Services, and money coming
 * from or going to a service, are left out: an exchange deposit address sweeping to its hot
 * wallet, or a user paying on what they just withdrew, is how exchanges work. So are passes into a
 * collector, a destination that `maxFeeders` or more different addresses pass money on to: that is
 * the same sweeping, into an exchange too small in this data to count as a service.
 */
import type { Candidate, DetectorContext } from './detector.js';
import { assetRun, forEachAssetRun, lowerBoundTime, upperBoundTime } from './flow-index.js';
import { formatDuration, formatUnits, round3, saturate } from './stats.js';

interface Pass {
  readonly ins: number[];
  readonly outs: number[];
  readonly inSum: number;
  readonly outSum: number;
}

/** Rapid pass-through candidates: subject = the address money passed through. */
export function detectPassThrough(ctx: DetectorContext): Candidate[] {
  const { ix, config } = ctx;
  const c = config.passThrough;
  const found: { v: number; asset: number; i0: number; i1: number; passes: Pass[] }[] = [];

  for (let v = 0; v < ix.nodeCount; v++) {
    if (ix.service[v] === 1) continue;
    forEachAssetRun(ix, 'in', v, (i0, i1, asset) => {
      const [o0, o1] = assetRun(ix, 'out', v, asset);
      if (o0 === o1) return;
      const passes: Pass[] = [];
      let ins: number[] = [];
      let outs: number[] = [];
      let start = 0;
      const close = () => {
        if (ins.length > 0 && outs.length > 0) {
          const pass = check(ctx, ins, outs);
          if (pass) passes.push(pass);
        }
        ins = [];
        outs = [];
      };
      let p = i0;
      let q = o0;
      while (p < i1 || q < o1) {
        const a = p < i1 ? (ix.inList[p] as number) : -1;
        const b = q < o1 ? (ix.outList[q] as number) : -1;
        if (b < 0 || (a >= 0 && (ix.ts[a] as number) <= (ix.ts[b] as number))) {
          p++;
          const t = ix.ts[a] as number;
          if (outs.length > 0 || (ins.length > 0 && t - start > c.maxDelaySeconds)) close();
          if (ins.length === 0) start = t;
          ins.push(a);
        } else {
          q++;
          if (ins.length === 0) continue;
          if ((ix.ts[b] as number) - start > c.maxDelaySeconds) {
            close();
            continue;
          }
          outs.push(b);
        }
      }
      close();
      if (passes.length > 0) found.push({ v, asset, i0, i1, passes });
    });
  }

  // A destination that many addresses pass money on to is a collector: deposit addresses sweeping
  // to their exchange, however small the exchange looks in this data.
  const feeders = new Map<number, Set<number>>();
  for (const { v, passes } of found)
    for (const pass of passes)
      for (const t of pass.outs) {
        const d = ix.dst[t] as number;
        const set = feeders.get(d) ?? new Set<number>();
        set.add(v);
        feeders.set(d, set);
      }
  const collector = (t: number) => (feeders.get(ix.dst[t] as number)?.size ?? 0) >= c.maxFeeders;

  const out: Candidate[] = [];
  for (const { v, asset, i0, i1, passes } of found) {
    const kept = passes.filter((pass) => !pass.outs.some(collector));
    if (kept.length === 0) continue;
    for (const group of mergePasses(ctx, kept)) {
      const cand = evaluate(ctx, v, asset, i0, i1, group);
      if (cand) out.push(cand);
    }
  }
  return out;
}

function check(ctx: DetectorContext, ins: number[], outs: number[]): Pass | undefined {
  const { ix, config } = ctx;
  const c = config.passThrough;
  if (ins.length > c.maxLegs || outs.length > c.maxLegs) return undefined;
  let inSum = 0;
  let outSum = 0;
  const sources = new Set<number>();
  for (const t of ins) {
    if (ix.service[ix.src[t] as number] === 1) return undefined;
    inSum += ix.value[t] as number;
    sources.add(ix.src[t] as number);
  }
  let elsewhere = false;
  for (const t of outs) {
    if (ix.service[ix.dst[t] as number] === 1) return undefined;
    outSum += ix.value[t] as number;
    if (!sources.has(ix.dst[t] as number)) elsewhere = true;
  }
  const ratio = outSum / inSum;
  if (!elsewhere || ratio < c.minRatio || ratio > c.maxRatio) return undefined;
  return { ins: [...ins], outs: [...outs], inSum, outSum };
}

function mergePasses(ctx: DetectorContext, passes: Pass[]): Pass[][] {
  const { ix, config } = ctx;
  const groups: Pass[][] = [];
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const pass of passes) {
    const start = ix.ts[pass.ins[0] as number] as number;
    const current = groups[groups.length - 1];
    if (current !== undefined && start - lastEnd <= config.passThrough.mergeSeconds) current.push(pass);
    else groups.push([pass]);
    lastEnd = ix.ts[pass.outs[pass.outs.length - 1] as number] as number;
  }
  return groups;
}

function evaluate(
  ctx: DetectorContext,
  v: number,
  asset: number,
  i0: number,
  i1: number,
  passes: Pass[],
): Candidate | undefined {
  const { ix, config } = ctx;
  const c = config.passThrough;
  const first = passes[0] as Pass;
  const last = passes[passes.length - 1] as Pass;
  const start = ix.ts[first.ins[0] as number] as number;
  const end = ix.ts[last.outs[last.outs.length - 1] as number] as number;
  const a = lowerBoundTime(ix, ix.inList, i0, i1, start - c.contextSeconds);
  const b = upperBoundTime(ix, ix.inList, a, i1, end + c.contextSeconds);
  let received = 0;
  for (let p = a; p < b; p++) received += ix.value[ix.inList[p] as number] as number;
  const passed = passes.reduce((s, x) => s + x.inSum, 0);
  const share = passed / received;
  if (share < c.minShare) return undefined;
  const forwarded = passes.reduce((s, x) => s + x.outSum, 0);
  const delays = passes.map(
    (x) => (ix.ts[x.outs[x.outs.length - 1] as number] as number) - (ix.ts[x.ins[0] as number] as number),
  );
  const meanDelay = delays.reduce((s, d) => s + d, 0) / delays.length;
  const ratio = forwarded / passed;
  const strength =
    0.3 * saturate(passes.length, 1) +
    0.3 * (1 - Math.min(1, meanDelay / c.maxDelaySeconds)) +
    0.2 * Math.max(0, 1 - Math.abs(1 - ratio) * 10) +
    0.2 * Math.min(1, share);
  const symbol = ix.assets[asset]?.symbol ?? '';
  const transfers = passes.flatMap((x) => [...x.ins, ...x.outs]);
  return {
    typology: 'rapid-pass-through',
    subject: v,
    asset,
    transfers,
    strength,
    explanation: `${ctx.name(v)} passed on ${formatUnits(forwarded, symbol)} of ${formatUnits(passed, symbol)} it received, ${passes.length === 1 ? 'once' : `in ${passes.length} passes`}, holding it ${formatDuration(meanDelay)} on average (${Math.round(share * 100)} % of what it received then)`,
    counterparties: [
      ...new Set(
        passes.flatMap((x) => [
          ...x.ins.map((t) => ix.src[t] as number),
          ...x.outs.map((t) => ix.dst[t] as number),
        ]),
      ),
    ],
    metrics: {
      passes: passes.length,
      received: round3(passed),
      forwarded: round3(forwarded),
      ratio: round3(ratio),
      meanDelaySeconds: Math.round(meanDelay),
      share: round3(share),
    },
  };
}
