/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32) with the draws the
 * data generator needs. Pure code never reads ambient randomness: whoever wants variety passes a
 * seed, and the same seed gives the same data on every machine.
 */

/** A source of reproducible randomness. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** A seeded generator; `createRng(7)` always yields the same sequence. */
export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return { next };
}

/** Uniform integer in [lo, hi]. */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * (hi - lo + 1));
}

/** Uniform real in [lo, hi). */
export function randomBetween(rng: Rng, lo: number, hi: number): number {
  return lo + rng.next() * (hi - lo);
}

/** One element, uniformly. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)] as T;
}

/** Standard normal (Box–Muller). */
export function normal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal with the given median and log-space standard deviation. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** Pareto-distributed weight ≥ 1 with tail index `alpha` (smaller: heavier tail), capped. */
export function pareto(rng: Rng, alpha: number, cap: number): number {
  return Math.min(cap, (1 - rng.next()) ** (-1 / alpha));
}

/** Log-uniform in [lo, hi). */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(randomBetween(rng, Math.log(lo), Math.log(hi)));
}
