/**
 * Peel chains: a run of hops where each hop, within `maxHopDelaySeconds` of receiving an amount,
 * passes most of it on (the largest payment, at least `minKeepShare` of it) and peels one to
 * `maxPeelsPerHop` small payments off (each at most `maxPeelShare`), the two together conserving
 * the amount (`minConservation` to `maxConservation`). At least `minPeels` peeling hops make a
 * chain.
 *
 * A hop is clean only if, in that delay, it makes no other payment of the asset; services never
 * count as hops. The subject is the first address seen to peel: the chain's origin, whether or not
 * the transfer that funded it is in the data.
 */
import type { PeelChainConfig } from './config.js';
import type { Candidate, DetectorContext } from './detector.js';
import { assetRun, type FlowIndex, lowerBoundTime, upperBoundTime } from './flow-index.js';
import { formatDuration, formatUnits, round3, saturate } from './stats.js';

interface Split {
  readonly keep: number;
  readonly peels: readonly number[];
}

/** Peel-chain candidates: subject = the origin (first peeling address). */
export function detectPeelChains(ctx: DetectorContext): Candidate[] {
  const { ix, config } = ctx;
  const c = config.peelChain;
  const n = ix.src.length;
  const next = new Int32Array(n).fill(-1);
  const hasPrev = new Uint8Array(n);
  const peelsOf = new Map<number, readonly number[]>();

  for (let f = 0; f < n; f++) {
    const u = ix.dst[f] as number;
    if (ix.service[u] === 1 || u === ix.src[f]) continue;
    const split = splitAfter(ix, c, u, f, ix.value[f] as number);
    if (split === undefined) continue;
    if (ix.dst[split.keep] === ix.src[f]) continue;
    next[f] = split.keep;
    hasPrev[split.keep] = 1;
    peelsOf.set(f, split.peels);
  }

  const out: Candidate[] = [];
  const done = new Uint8Array(n);
  for (let head = 0; head < n; head++) {
    if (next[head] === -1 || hasPrev[head] === 1 || done[head] === 1) continue;
    const chain: number[] = [];
    const peels: number[] = [];
    for (let f = head; f !== -1 && done[f] === 0; f = next[f] as number) {
      done[f] = 1;
      chain.push(f);
      const ps = peelsOf.get(f);
      if (ps) peels.push(...ps);
    }
    // The head's sender is the origin if it split the head transfer the same way.
    const origin = ix.src[head] as number;
    const originSplit = ix.service[origin] === 1 ? undefined : splitAround(ix, c, origin, head);
    const peelSteps = chain.length - 1 + (originSplit ? 1 : 0);
    if (peelSteps < c.minPeels) continue;
    if (originSplit) peels.push(...originSplit);
    const start =
      (ix.value[head] as number) + (originSplit ?? []).reduce((s, t) => s + (ix.value[t] as number), 0);
    out.push(describe(ctx, originSplit ? origin : (ix.dst[head] as number), chain, peels, peelSteps, start));
  }
  return out;
}

/**
 * How `u` split amount `received` (arrived with transfer `f`): its payments of the same asset
 * within the delay after `f`, if they are one keep and a few small peels that conserve the amount.
 */
function splitAfter(
  ix: FlowIndex,
  c: PeelChainConfig,
  u: number,
  f: number,
  received: number,
): Split | undefined {
  const [p0, p1] = assetRun(ix, 'out', u, ix.asset[f] as number);
  const t0 = ix.ts[f] as number;
  const a = lowerBoundTime(ix, ix.outList, p0, p1, t0);
  const b = upperBoundTime(ix, ix.outList, a, p1, t0 + c.maxHopDelaySeconds);
  return classify(ix, c, ix.outList.subarray(a, b), received);
}

/** The same test at the head's sender, whose funding is unknown: the payments around the head. */
function splitAround(
  ix: FlowIndex,
  c: PeelChainConfig,
  u: number,
  head: number,
): readonly number[] | undefined {
  const [p0, p1] = assetRun(ix, 'out', u, ix.asset[head] as number);
  const t0 = ix.ts[head] as number;
  const a = lowerBoundTime(ix, ix.outList, p0, p1, t0 - c.maxHopDelaySeconds);
  const b = upperBoundTime(ix, ix.outList, a, p1, t0 + c.maxHopDelaySeconds);
  const outs = ix.outList.subarray(a, b);
  let total = 0;
  for (const t of outs) total += ix.value[t] as number;
  const split = classify(ix, c, outs, total);
  return split !== undefined && split.keep === head ? split.peels : undefined;
}

function classify(ix: FlowIndex, c: PeelChainConfig, outs: Int32Array, received: number): Split | undefined {
  if (outs.length < 2 || outs.length > c.maxPeelsPerHop + 1) return undefined;
  let keep = outs[0] as number;
  let sum = 0;
  for (const t of outs) {
    sum += ix.value[t] as number;
    if ((ix.value[t] as number) > (ix.value[keep] as number)) keep = t;
  }
  if ((ix.value[keep] as number) < c.minKeepShare * received) return undefined;
  const conservation = sum / received;
  if (conservation < c.minConservation || conservation > c.maxConservation) return undefined;
  const peels: number[] = [];
  for (const t of outs) {
    if (t === keep) continue;
    if ((ix.value[t] as number) > c.maxPeelShare * received) return undefined;
    if (ix.dst[t] === ix.dst[keep]) return undefined;
    peels.push(t);
  }
  return { keep, peels };
}

function describe(
  ctx: DetectorContext,
  subject: number,
  chain: number[],
  peels: number[],
  peelSteps: number,
  startValue: number,
): Candidate {
  const { ix, config } = ctx;
  const head = chain[0] as number;
  const tail = chain[chain.length - 1] as number;
  const asset = ix.asset[head] as number;
  const symbol = ix.assets[asset]?.symbol ?? '';
  const start = Math.min(ix.ts[head] as number, ...peels.map((t) => ix.ts[t] as number));
  const end = Math.max(ix.ts[tail] as number, ...peels.map((t) => ix.ts[t] as number));
  const peeled = peels.reduce((s, t) => s + (ix.value[t] as number), 0);
  // Share kept at each hop, for the score: steady shares are the signature of automation.
  const keeps: number[] = [];
  for (let i = 1; i < chain.length; i++)
    keeps.push((ix.value[chain[i] as number] as number) / (ix.value[chain[i - 1] as number] as number));
  const meanKeep = keeps.length ? keeps.reduce((s, k) => s + k, 0) / keeps.length : 1;
  const strength =
    0.5 * saturate(peelSteps - config.peelChain.minPeels + 1, 3) +
    0.3 *
      Math.min(
        1,
        Math.max(0, (meanKeep - config.peelChain.minKeepShare) / (1 - config.peelChain.minKeepShare)),
      ) +
    0.2 * (1 - Math.min(1, (end - start) / (peelSteps * config.peelChain.maxHopDelaySeconds)));
  return {
    typology: 'peel-chain',
    subject,
    asset,
    transfers: [...chain, ...peels],
    strength,
    explanation: `${formatUnits(startValue, symbol)} went down a chain of ${peelSteps} peeling hops from ${ctx.name(subject)} within ${formatDuration(end - start)}: ${peels.length} small payments (${formatUnits(peeled, symbol)}) peeled off, ${formatUnits(ix.value[tail] as number, symbol)} reached ${ctx.name(ix.dst[tail] as number)}`,
    counterparties: chain.map((t) => ix.dst[t] as number),
    metrics: {
      peelingHops: peelSteps,
      peels: peels.length,
      peeled: round3(peeled),
      start: round3(startValue),
      end: round3(ix.value[tail] as number),
      meanKeepShare: round3(meanKeep),
      durationSeconds: end - start,
    },
  };
}
