// A chain-like transfer graph for benchmarks, generated from a seed: power-law activity (a few
// addresses send and receive a great deal, most only a few times), exchange hot wallets with huge
// degree, flagged entities spread through it, USDT-like amounts and increasing timestamps.

/** The generated graph as columns over integer addresses (0..addresses-1). */
export interface ChainLikeGraph {
  addresses: number;
  src: Uint32Array;
  dst: Uint32Array;
  amount: Float64Array;
  ts: Uint32Array;
  /** Flagged addresses and their category. */
  flagged: Map<number, string>;
  /** Exchange hot wallets (flagged `exchange`, where tracing stops). */
  exchanges: number[];
}

/** Mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = [
  'sanctioned',
  'special-measures',
  'scam',
  'guarantee-marketplace',
  'mixer',
  'stolen-funds',
  'ransomware',
  'darknet-market',
];

/**
 * Generates `transfers` transfers over `addresses` addresses, shaped like a stablecoin chain:
 * 1 % of addresses are services whose activity follows a power law (address rank r weighs
 * 1/(r+10)^0.9; the ten busiest are exchange hot wallets, flagged `exchange`), the rest are users
 * with mildly skewed activity. 40 % of transfers are deposits (user → service), 40 % withdrawals
 * (service → user), 20 % user to user. 0.1 % of addresses are flagged with risk categories.
 */
export function generateChainLike(addresses: number, transfers: number, seed = 7): ChainLikeGraph {
  const rand = prng(seed);
  const nServices = Math.max(10, Math.floor(addresses / 100));
  const nUsers = addresses - nServices;
  // Services: power law by rank through a sampled inverse CDF.
  const buckets = 4096;
  const cdf = new Float64Array(nServices);
  let total = 0;
  for (let r = 0; r < nServices; r++) {
    total += 1 / (r + 10) ** 0.9;
    cdf[r] = total;
  }
  const table = new Uint32Array(buckets + 1);
  let r = 0;
  for (let b = 0; b <= buckets; b++) {
    const target = (b / buckets) * total;
    while (r < nServices - 1 && (cdf[r] as number) < target) r++;
    table[b] = r;
  }
  // A random permutation so that ids carry no meaning: services are perm[0..nServices).
  const perm = new Uint32Array(addresses);
  for (let i = 0; i < addresses; i++) perm[i] = i;
  for (let i = addresses - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = t;
  }
  const service = (): number => {
    const x = rand() * buckets;
    const b = Math.floor(x);
    const lo = table[b] as number;
    const hi = table[b + 1] as number;
    return perm[Math.min(hi, lo + Math.floor((x - b) * (hi - lo + 1)))] as number;
  };
  // Users: skewed but bounded activity (u^2 favours low ids of the user range).
  const user = (): number => perm[nServices + Math.floor(rand() ** 2 * nUsers)] as number;
  const exchanges: number[] = [];
  for (let i = 0; i < 10; i++) exchanges.push(perm[i] as number);
  const flagged = new Map<number, string>();
  for (const e of exchanges) flagged.set(e, 'exchange');
  const nFlagged = Math.max(1, Math.floor(addresses / 1000));
  for (let i = 0; i < nFlagged; i++) {
    flagged.set(
      perm[nServices + Math.floor(rand() * nUsers)] as number,
      CATEGORIES[i % CATEGORIES.length] as string,
    );
  }

  const src = new Uint32Array(transfers);
  const dst = new Uint32Array(transfers);
  const amount = new Float64Array(transfers);
  const ts = new Uint32Array(transfers);
  let t = 1_700_000_000;
  const step = Math.max(1, Math.floor((365 * 86_400) / Math.max(1, transfers / 10)));
  for (let i = 0; i < transfers; i++) {
    const u = rand();
    let a: number;
    let b: number;
    if (u < 0.4) {
      a = user();
      b = service();
    } else if (u < 0.8) {
      a = service();
      b = user();
    } else {
      a = user();
      b = user();
    }
    if (a === b) b = perm[nServices + ((perm.indexOf(b) + 1 - nServices) % nUsers)] as number;
    src[i] = a;
    dst[i] = b;
    // USDT-like: log-uniform between 1 and 100,000, 6 decimals.
    amount[i] = Math.round(10 ** (rand() * 5) * 100) * 10_000;
    if (i % 10 === 0) t += Math.floor(rand() * step);
    ts[i] = t;
  }
  return { addresses, src, dst, amount, ts, flagged, exchanges };
}
