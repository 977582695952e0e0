/**
 * Fan-in: many distinct senders pay one address within a window. Fan-out: one address pays many
 * distinct receivers within a window.
 *
 * A window qualifies when it holds at least `minCounterparties` distinct counterparties of one
 * asset; overlapping qualifying windows are one episode. An episode is only a pattern when it is a
 * burst for that address (see `burstOf`): an exchange's deposit wallet collects from hundreds of
 * senders every day, so its busiest window is what the rest of its month predicts, while a
 * collector account that is quiet apart from the pattern is not.
 */
import type { FanConfig } from './config.js';
import type { Candidate, DetectorContext } from './detector.js';
import { type FlowSide, forEachAssetRun, sideOf } from './flow-index.js';
import {
  type Burst,
  burstOf,
  countDistinct,
  DistinctCounter,
  formatDuration,
  formatUnits,
  round3,
  saturate,
  similarity,
} from './stats.js';

/** Fan-in candidates: subject = the receiver. */
export function detectFanIn(ctx: DetectorContext): Candidate[] {
  return detectFan(ctx, 'in', ctx.config.fanIn);
}

/** Fan-out candidates: subject = the sender. */
export function detectFanOut(ctx: DetectorContext): Candidate[] {
  return detectFan(ctx, 'out', ctx.config.fanOut);
}

function detectFan(ctx: DetectorContext, side: FlowSide, config: FanConfig): Candidate[] {
  const { ix } = ctx;
  const { list } = sideOf(ix, side);
  const other = side === 'in' ? ix.src : ix.dst;
  const window = config.windowSeconds;
  const min = config.minCounterparties;
  const counter = new DistinctCounter(ix.nodeCount);
  const out: Candidate[] = [];

  for (let v = 0; v < ix.nodeCount; v++) {
    forEachAssetRun(ix, side, v, (from, to, asset) => {
      if (to - from < min) return;
      counter.clear();
      const episodes: Episode[] = [];
      let left = from;
      for (let r = from; r < to; r++) {
        const t = list[r] as number;
        counter.add(other[t] as number);
        const now = ix.ts[t] as number;
        while ((ix.ts[list[left] as number] as number) < now - window) {
          counter.remove(other[list[left] as number] as number);
          left++;
        }
        if (counter.distinct < min) continue;
        const start = ix.ts[list[left] as number] as number;
        const burst = burstOf(ix, to - from, r - left + 1, start, now, window, ctx.config.burst);
        if (!burst.ok) continue;
        const last = episodes[episodes.length - 1];
        if (last !== undefined && left <= last.to) {
          last.to = r;
          if (burst.pValue < last.burst.pValue) last.burst = burst;
        } else episodes.push({ from: left, to: r, burst });
      }
      for (const e of episodes) out.push(describe(ctx, side, config, v, asset, e));
    });
  }
  return out;
}

/** Positions `[from, to]` of a run that form one burst, and its most unusual window. */
interface Episode {
  from: number;
  to: number;
  burst: Burst;
}

function describe(
  ctx: DetectorContext,
  side: FlowSide,
  config: FanConfig,
  v: number,
  asset: number,
  { from: a, to: b, burst }: Episode,
): Candidate {
  const { ix } = ctx;
  const { list } = sideOf(ix, side);
  const other = side === 'in' ? ix.src : ix.dst;
  const transfers: number[] = [];
  const values: number[] = [];
  let total = 0;
  for (let p = a; p <= b; p++) {
    const t = list[p] as number;
    transfers.push(t);
    values.push(ix.value[t] as number);
    total += ix.value[t] as number;
  }
  const start = ix.ts[transfers[0] as number] as number;
  const end = ix.ts[transfers[transfers.length - 1] as number] as number;
  const distinct = countDistinct(transfers.map((t) => other[t] as number));
  const sim = similarity(values);
  const compact = Math.max(0, 1 - (end - start) / Math.max(config.windowSeconds, end - start));
  const strength =
    0.3 * saturate(distinct - config.minCounterparties + 1, 4) +
    0.3 * (1 - Math.min(1, burst.expected / transfers.length)) +
    0.2 * sim +
    0.2 * compact;
  const symbol = ix.assets[asset]?.symbol ?? '';
  const who = side === 'in' ? 'senders paid' : 'receivers were paid';
  const explanation =
    side === 'in'
      ? `${distinct} distinct ${who} ${formatUnits(total, symbol)} into ${ctx.name(v)} within ${formatDuration(end - start)} (${transfers.length} transfers; its other activity predicts ${burst.expected.toFixed(1)} in such a window)`
      : `${ctx.name(v)} paid ${formatUnits(total, symbol)} to ${distinct} distinct receivers within ${formatDuration(end - start)} (${transfers.length} transfers; its other activity predicts ${burst.expected.toFixed(1)} in such a window)`;
  return {
    typology: side === 'in' ? 'fan-in' : 'fan-out',
    subject: v,
    asset,
    transfers,
    strength,
    explanation,
    metrics: {
      counterparties: distinct,
      transferCount: transfers.length,
      total: round3(total),
      durationSeconds: end - start,
      expected: round3(burst.expected),
      pValue: Number(burst.pValue.toPrecision(3)),
      amountSimilarity: round3(sim),
    },
  };
}
