/**
 * Small numeric helpers the detectors share: the burst test that tells a pattern from an address's
 * ordinary traffic, amount similarity, scores and the wording of explanations.
 */
import type { BurstConfig } from './config.js';
import type { FlowIndex } from './flow-index.js';

/** How unusual a burst of `count` transfers is for one address. */
export interface Burst {
  /** Transfers the rest of the address's history predicts for a window of that length. */
  readonly expected: number;
  readonly ratio: number;
  /**
   * Chance of at least `count` transfers in one window if the address kept its usual rate
   * (Poisson), times the number of such windows in the data: a corrected p-value.
   */
  readonly pValue: number;
  readonly ok: boolean;
}

/**
 * Compares `count` transfers in `[start, end]` with the rate of the same address's other
 * `total − count` transfers (same side, same asset) over the rest of the data. A steady service
 * (an exchange taking deposits all month) predicts its own busiest window; a collector that is
 * quiet except for the pattern does not. The history counts one transfer more than it has, so a
 * cluster of five in an otherwise near-empty month is not proof of anything. When the data is
 * hardly longer than the window, there is no history to compare with: short files cannot tell a
 * busy service from a pattern.
 */
export function burstOf(
  ix: FlowIndex,
  total: number,
  count: number,
  start: number,
  end: number,
  windowSeconds: number,
  config: BurstConfig,
): Burst {
  const episode = Math.max(windowSeconds, end - start);
  const dataSpan = ix.endTs - ix.startTs;
  const outsideSpan = dataSpan - (end - start);
  // One transfer more than seen outside the window: a prior that keeps an address with almost no
  // history from making any cluster of a few transfers look impossible.
  const expected = ((total - count + 1) * episode) / Math.max(outsideSpan, episode);
  const ratio = count / Math.max(expected, 1e-9);
  if (ratio < config.minRatio) return { expected, ratio, pValue: 1, ok: false };
  const windows = Math.max(1, dataSpan / episode);
  const pValue = Math.min(1, poissonTail(count, expected) * windows);
  return { expected, ratio, pValue, ok: pValue <= config.maxPValue };
}

/** P(X ≥ k) for X ~ Poisson(λ). */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // Sum the upper tail from k; terms fall geometrically once past λ.
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
  let sum = 0;
  for (let i = k; i < k + 1000; i++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (i > lambda && term < sum * 1e-12) break;
    logTerm += Math.log(lambda) - Math.log(i + 1);
  }
  return Math.min(1, sum);
}

function logFactorial(n: number): number {
  if (n < 2) return 0;
  if (n < 30) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  // Stirling's series.
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}

/** 1 when all values are equal, falling to 0 as their coefficient of variation reaches 1. */
export function similarity(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 1;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  if (mean <= 0) return 0;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += ((values[i] as number) - mean) ** 2;
  const cv = Math.sqrt(sq / n) / mean;
  return Math.max(0, 1 - cv);
}

/** Saturating map of a non-negative quantity to [0, 1): `half` maps to 0.5. */
export function saturate(x: number, half: number): number {
  return x <= 0 ? 0 : x / (x + half);
}

/** An alert's score from its strength in [0, 1]: raised alerts score between 0.5 and 1. */
export function scoreOf(strength: number): number {
  const s = Math.min(1, Math.max(0, strength));
  return Math.round((0.5 + 0.5 * s) * 1000) / 1000;
}

/** Counts distinct integers (node ids) added and removed, in O(1) per step, reusable across runs. */
export class DistinctCounter {
  private readonly counts: Int32Array;
  private readonly touched: number[] = [];
  distinct = 0;

  constructor(size: number) {
    this.counts = new Int32Array(size);
  }

  add(id: number): void {
    const c = this.counts[id] as number;
    if (c === 0) {
      this.distinct++;
      this.touched.push(id);
    }
    this.counts[id] = c + 1;
  }

  remove(id: number): void {
    const c = (this.counts[id] as number) - 1;
    this.counts[id] = c;
    if (c === 0) this.distinct--;
  }

  clear(): void {
    for (const id of this.touched) this.counts[id] = 0;
    this.touched.length = 0;
    this.distinct = 0;
  }
}

/** Distinct values of `ids` (a handful to a few thousand). */
export function countDistinct(ids: Iterable<number>): number {
  return new Set(ids).size;
}

/** An amount for explanations: `12,345 USDT`, `1,250.5 USDT`, `0.3012 ETH`. */
export function formatUnits(value: number, symbol: string): string {
  let text: string;
  if (value >= 1000) text = groupThousands(Math.round(value).toString());
  else if (value >= 1) text = String(Math.round(value * 100) / 100);
  else text = String(Number(value.toPrecision(4)));
  return `${text} ${symbol}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A duration for explanations: `40 min`, `5.5 h`, `3 days`. */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86400) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 8640) / 10} days`;
}

/** Median of a few numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Three decimals, for metrics. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
