/**
 * Structuring: repeated amounts just under a reporting threshold. For an asset with thresholds
 * (by symbol, in units of the asset), an amount is "just under" threshold T when it lies in
 * `[T·(1 − band), T)`, compared exactly in base units at the top. At least `minCount` such
 * transfers from one sender within `windowSeconds`, adding up to at least T, make a pattern if
 * they are most of what the sender sent in that asset then (at least `minShare`; amounts one band
 * further below, `[T·(1 − 2·band), T·(1 − band))`, count neither way) and the amounts
 * bunch under the line: amounts just above it (`[T, T·(1 + band)]`) are rare beside them (at most
 * `maxAboveRatio` per one under). A service, a big trader, or a batch of payments that merely
 * happen to be near the line has other amounts too, on both sides of it.
 *
 * Smurfing, where several senders each send just-under amounts to one receiver, is the same test
 * on the receiver's side, over transfers no sender-side pattern took, from at least two senders.
 */
import { parseAmount } from '../../../shared/amount.js';
import type { Candidate, DetectorContext } from './detector.js';
import { type FlowSide, forEachAssetRun, lowerBoundTime, sideOf, upperBoundTime } from './flow-index.js';
import { countDistinct, formatDuration, formatUnits, round3, saturate } from './stats.js';

interface Threshold {
  readonly units: number;
  readonly base: bigint;
  /** Just under: [low, units). */
  readonly low: number;
  /** Just above: [units, high]. */
  readonly high: number;
}

/** Structuring candidates: subject = the sender (or the receiver, for smurfing). */
export function detectStructuring(ctx: DetectorContext): Candidate[] {
  const { ix, config } = ctx;
  const c = config.structuring;
  const thresholdsByAsset = ix.assets.map((a) =>
    (c.thresholds[a.symbol] ?? []).flatMap((units): Threshold[] => {
      const r = parseAmount(units, a.decimals);
      return r.ok ? [{ units, base: r.base, low: units * (1 - c.band), high: units * (1 + c.band) }] : [];
    }),
  );
  if (thresholdsByAsset.every((t) => t.length === 0)) return [];
  const taken = new Uint8Array(ix.src.length);
  const out: Candidate[] = [];
  for (const side of ['out', 'in'] as const) {
    for (let v = 0; v < ix.nodeCount; v++) {
      forEachAssetRun(ix, side, v, (from, to, asset) => {
        for (const threshold of thresholdsByAsset[asset] ?? []) {
          for (const cand of scan(ctx, side, v, asset, from, to, threshold, taken)) {
            if (side === 'out') for (const t of cand.transfers) taken[t] = 1;
            out.push(cand);
          }
        }
      });
    }
  }
  return out;
}

function scan(
  ctx: DetectorContext,
  side: FlowSide,
  v: number,
  asset: number,
  from: number,
  to: number,
  threshold: Threshold,
  taken: Uint8Array,
): Candidate[] {
  const { ix, config } = ctx;
  const c = config.structuring;
  const { list } = sideOf(ix, side);
  const under: number[] = [];
  for (let p = from; p < to; p++) {
    const t = list[p] as number;
    if (side === 'in' && taken[t] === 1) continue;
    if ((ix.value[t] as number) >= threshold.low && (ix.transfers[t]?.amountBase ?? 0n) < threshold.base)
      under.push(t);
  }
  if (under.length < c.minCount) return [];
  const episodes: [number, number][] = [];
  let left = 0;
  for (let r = 0; r < under.length; r++) {
    const now = ix.ts[under[r] as number] as number;
    while ((ix.ts[under[left] as number] as number) < now - c.windowSeconds) left++;
    if (r - left + 1 < c.minCount) continue;
    const last = episodes[episodes.length - 1];
    if (last !== undefined && left <= last[1]) last[1] = r;
    else episodes.push([left, r]);
  }
  const out: Candidate[] = [];
  for (const [a, b] of episodes) {
    const cand = evaluate(ctx, side, v, asset, from, to, threshold, under.slice(a, b + 1));
    if (cand) out.push(cand);
  }
  return out;
}

function evaluate(
  ctx: DetectorContext,
  side: FlowSide,
  v: number,
  asset: number,
  from: number,
  to: number,
  threshold: Threshold,
  under: number[],
): Candidate | undefined {
  const { ix, config } = ctx;
  const c = config.structuring;
  const { list } = sideOf(ix, side);
  const other = side === 'out' ? ix.dst : ix.src;
  const start = ix.ts[under[0] as number] as number;
  const end = ix.ts[under[under.length - 1] as number] as number;
  const a = lowerBoundTime(ix, list, from, to, start);
  const b = upperBoundTime(ix, list, a, to, end);
  let above = 0;
  let nearly = 0;
  for (let p = a; p < b; p++) {
    const value = ix.value[list[p] as number] as number;
    if (value >= threshold.units && value <= threshold.high) above++;
    else if (value < threshold.low && value >= threshold.low - (threshold.units - threshold.low)) nearly++;
  }
  // Amounts a band further below count neither way: structurers use them too.
  const share = under.length / (b - a - nearly);
  if (share < c.minShare || above > c.maxAboveRatio * under.length) return undefined;
  const total = under.reduce((s, t) => s + (ix.value[t] as number), 0);
  if (total < threshold.units) return undefined;
  const counterparties = countDistinct(under.map((t) => other[t] as number));
  if (side === 'in' && counterparties < 2) return undefined;
  const closeness =
    under.reduce(
      (s, t) => s + ((ix.value[t] as number) - threshold.low) / (threshold.units - threshold.low),
      0,
    ) / under.length;
  const strength =
    0.35 * saturate(under.length - c.minCount + 1, 3) +
    0.25 * Math.min(1, share) +
    0.2 * closeness +
    0.2 * (1 - Math.min(1, above / under.length));
  const symbol = ix.assets[asset]?.symbol ?? '';
  const limit = formatUnits(threshold.units, symbol);
  const explanation =
    side === 'out'
      ? `${ctx.name(v)} sent ${under.length} amounts just under ${limit} (${formatUnits(total, symbol)} in all, to ${counterparties} receiver${counterparties === 1 ? '' : 's'}) within ${formatDuration(end - start)}; ${above} just above`
      : `${ctx.name(v)} received ${under.length} amounts just under ${limit} from ${counterparties} senders (${formatUnits(total, symbol)} in all) within ${formatDuration(end - start)}; ${above} just above`;
  return {
    typology: 'structuring',
    subject: v,
    asset,
    transfers: under,
    strength,
    explanation,
    metrics: {
      side: side === 'out' ? 'sender' : 'receiver',
      threshold: threshold.units,
      count: under.length,
      total: round3(total),
      above,
      share: round3(share),
      counterparties,
      durationSeconds: end - start,
    },
  };
}
