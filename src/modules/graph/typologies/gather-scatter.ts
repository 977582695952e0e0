/**
 * Gather-scatter: at least `minSenders` distinct senders pay one hub and the hub pays at least
 * `minReceivers` distinct receivers, within one window, the money leaving after it arrived
 * (median outgoing time not before the median incoming time) and in similar total
 * (`minFlowRatio` to `maxFlowRatio` of what came in). The hub gathers before it scatters: at some
 * moment, with at least `minSenders` senders paid in before it and `minReceivers` receivers paid
 * after it, the hub holds at least `minHeldShare` of what it collected. Money merely passing
 * through in rounds (each arrival paid on before the next) has no such moment.
 *
 * An exchange's hot wallet does exactly this all day; as for fan-in, the window must be a burst for
 * the hub (`burstOf`, counting both sides), which a steady service never is: at least
 * `burst.minRatio` times what its history predicts, with a Poisson p-value of at most
 * `gatherScatter.maxPValue`, looser than a plain fan's because two coordinated sides are evidence
 * already.
 */
import type { Candidate, DetectorContext } from './detector.js';
import { assetRun, forEachAssetRun } from './flow-index.js';
import {
  type Burst,
  burstOf,
  countDistinct,
  DistinctCounter,
  formatDuration,
  formatUnits,
  median,
  round3,
  saturate,
} from './stats.js';

/** Gather-scatter candidates: subject = the hub. */
export function detectGatherScatter(ctx: DetectorContext): Candidate[] {
  const { ix, config } = ctx;
  const c = config.gatherScatter;
  const senders = new DistinctCounter(ix.nodeCount);
  const receivers = new DistinctCounter(ix.nodeCount);
  const out: Candidate[] = [];

  for (let h = 0; h < ix.nodeCount; h++) {
    forEachAssetRun(ix, 'in', h, (i0, i1, asset) => {
      if (i1 - i0 < c.minSenders) return;
      const [o0, o1] = assetRun(ix, 'out', h, asset);
      if (o1 - o0 < c.minReceivers) return;
      // Merge both runs into one time-ordered event list: transfer index, + for in, − for out.
      const events: number[] = [];
      let p = i0;
      let q = o0;
      while (p < i1 || q < o1) {
        const a = p < i1 ? (ix.inList[p] as number) : -1;
        const b = q < o1 ? (ix.outList[q] as number) : -1;
        if (b < 0 || (a >= 0 && (ix.ts[a] as number) <= (ix.ts[b] as number))) {
          events.push(a + 1);
          p++;
        } else {
          events.push(-(b + 1));
          q++;
        }
      }
      senders.clear();
      receivers.clear();
      const tsOf = (e: number) => ix.ts[Math.abs(e) - 1] as number;
      const add = (e: number, sign: 1 | -1) => {
        const t = Math.abs(e) - 1;
        if (e > 0) sign > 0 ? senders.add(ix.src[t] as number) : senders.remove(ix.src[t] as number);
        else sign > 0 ? receivers.add(ix.dst[t] as number) : receivers.remove(ix.dst[t] as number);
      };
      const total = i1 - i0 + (o1 - o0);
      const episodes: { from: number; to: number; burst: Burst }[] = [];
      let left = 0;
      for (let r = 0; r < events.length; r++) {
        add(events[r] as number, 1);
        const now = tsOf(events[r] as number);
        while (tsOf(events[left] as number) < now - c.windowSeconds) add(events[left++] as number, -1);
        if (senders.distinct < c.minSenders || receivers.distinct < c.minReceivers) continue;
        const burst = burstOf(
          ix,
          total,
          r - left + 1,
          tsOf(events[left] as number),
          now,
          c.windowSeconds,
          config.burst,
        );
        // A looser significance than a plain fan's: two coordinated sides are evidence already.
        if (burst.ratio < config.burst.minRatio || burst.pValue > c.maxPValue) continue;
        const last = episodes[episodes.length - 1];
        if (last !== undefined && left <= last.to) {
          last.to = r;
          if (burst.pValue < last.burst.pValue) last.burst = burst;
        } else episodes.push({ from: left, to: r, burst });
      }
      for (const e of episodes) {
        const cand = evaluate(ctx, h, asset, e.burst, events.slice(e.from, e.to + 1));
        if (cand) out.push(cand);
      }
    });
  }
  return out;
}

function evaluate(
  ctx: DetectorContext,
  h: number,
  asset: number,
  burst: Burst,
  events: number[],
): Candidate | undefined {
  const { ix, config } = ctx;
  const c = config.gatherScatter;
  let ins = events.filter((e) => e > 0).map((e) => e - 1);
  let outs = events.filter((e) => e < 0).map((e) => -e - 1);
  // Gather first, then scatter: drop payments out before the first arrival and arrivals after the last payment.
  const firstIn = ix.ts[ins[0] as number] as number;
  outs = outs.filter((t) => (ix.ts[t] as number) >= firstIn);
  const lastOut = outs.length ? (ix.ts[outs[outs.length - 1] as number] as number) : -Infinity;
  ins = ins.filter((t) => (ix.ts[t] as number) <= lastOut);
  const nSenders = countDistinct(ins.map((t) => ix.src[t] as number));
  const nReceivers = countDistinct(outs.map((t) => ix.dst[t] as number));
  if (nSenders < c.minSenders || nReceivers < c.minReceivers) return undefined;
  const inSum = ins.reduce((s, t) => s + (ix.value[t] as number), 0);
  const outSum = outs.reduce((s, t) => s + (ix.value[t] as number), 0);
  const flow = outSum / inSum;
  if (flow < c.minFlowRatio || flow > c.maxFlowRatio) return undefined;
  const inMedian = median(ins.map((t) => ix.ts[t] as number));
  const outMedian = median(outs.map((t) => ix.ts[t] as number));
  if (outMedian < inMedian) return undefined;
  const held = pivot(ctx, ins, outs) / inSum;
  if (held < c.minHeldShare) return undefined;
  const start = ix.ts[ins[0] as number] as number;
  const end = ix.ts[outs[outs.length - 1] as number] as number;
  const count = ins.length + outs.length;
  const strength =
    0.3 * saturate(Math.min(nSenders - c.minSenders, nReceivers - c.minReceivers) + 1, 3) +
    0.25 * Math.max(0, 1 - Math.abs(1 - flow) * 4) +
    0.25 * (1 - Math.min(1, burst.expected / count)) +
    0.2 * Math.min(1, held);
  const symbol = ix.assets[asset]?.symbol ?? '';
  return {
    typology: 'gather-scatter',
    subject: h,
    asset,
    transfers: [...ins, ...outs],
    strength,
    explanation: `${ctx.name(h)} collected ${formatUnits(inSum, symbol)} from ${nSenders} senders and paid ${formatUnits(outSum, symbol)} out to ${nReceivers} receivers within ${formatDuration(end - start)} (its other activity predicts ${burst.expected.toFixed(1)} transfers in such a window)`,
    metrics: {
      senders: nSenders,
      receivers: nReceivers,
      in: round3(inSum),
      out: round3(outSum),
      flowRatio: round3(flow),
      heldShare: round3(held),
      durationSeconds: end - start,
      expected: round3(burst.expected),
    },
  };
}

/**
 * The most the hub held at a moment with at least `minSenders` distinct senders paid in before it
 * and `minReceivers` distinct receivers paid after it (0 when there is no such moment).
 */
function pivot(ctx: DetectorContext, ins: number[], outs: number[]): number {
  const { ix, config } = ctx;
  const c = config.gatherScatter;
  const events = [...ins, ...outs.map((t) => -t - 1)];
  const tsOf = (e: number) => ix.ts[e >= 0 ? e : -e - 1] as number;
  events.sort((a, b) => tsOf(a) - tsOf(b) || b - a);
  const after = new Array<number>(events.length + 1).fill(0);
  const seenOut = new Set<number>();
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as number;
    if (e < 0) seenOut.add(ix.dst[-e - 1] as number);
    after[i] = seenOut.size;
  }
  const seenIn = new Set<number>();
  let balance = 0;
  let best = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as number;
    if (e >= 0) {
      seenIn.add(ix.src[e] as number);
      balance += ix.value[e] as number;
    } else balance -= ix.value[-e - 1] as number;
    if (seenIn.size >= c.minSenders && (after[i + 1] as number) >= c.minReceivers)
      best = Math.max(best, balance);
  }
  return best;
}
