// Clustering: union-find throughput, common-input merges per second on a wallet-shaped workload,
// the cost of undoing a merge (small cluster and the largest one), cluster queries, and the merge
// log's export and restore.
import { createClusterer, restoreClusterer } from '../src/modules/graph/clustering/index.js';
import { DisjointSets } from '../src/modules/graph/clustering/union-find.js';
import type { Transfer, UtxoTransaction } from '../src/modules/graph/index.js';

const MERGES = 1_000_000;
const ADDRESSES = 1_000_000;

/** A small deterministic PRNG (mulberry32), so every run sees the same workload. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

/** Wall and CPU (user + system, this process) milliseconds of `f`: on a shared host the CPU time is the steadier figure. */
function timed<T>(f: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = () => process.memoryUsage().heapUsed / 2 ** 20;

/**
 * Wallets with heavy-tailed sizes (Pareto, α ≈ 1.2): most own a few addresses, a few (exchanges)
 * own tens of thousands. Each transaction spends 2–3 addresses of one wallet.
 */
function walletWorkload(rand: () => number) {
  const walletOf = new Int32Array(ADDRESSES);
  const wallets: { start: number; size: number }[] = [];
  let next = 0;
  while (next < ADDRESSES) {
    const size = Math.min(ADDRESSES - next, Math.max(2, Math.floor(2 / (1 - rand()) ** (1 / 1.2))), 60_000);
    wallets.push({ start: next, size });
    for (let i = 0; i < size; i++) walletOf[next + i] = wallets.length - 1;
    next += size;
  }
  const keys = Array.from({ length: ADDRESSES }, (_, i) => `bitcoin:1${i.toString(36).padStart(8, '0')}`);
  return { wallets, walletOf, keys };
}

/** Union-find throughput, common-input merges, undo, queries, export/restore. */
export async function run(): Promise<void> {
  // 1. The bare union-find: random unions over 1M elements.
  {
    const rand = prng(1);
    const pairs = new Int32Array(2 * MERGES);
    for (let i = 0; i < pairs.length; i++) pairs[i] = Math.floor(rand() * ADDRESSES);
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const ds = new DisjointSets(ADDRESSES);
      for (let i = 0; i < ADDRESSES; i++) ds.add();
      const t0 = performance.now();
      for (let i = 0; i < MERGES; i++) ds.union(pairs[2 * i] as number, pairs[2 * i + 1] as number);
      runs.push(performance.now() - t0);
    }
    const ms = quantile(runs, 0.5);
    console.log(
      `union-find: ${fmt(MERGES)} random unions over ${fmt(ADDRESSES)} ids: ${ms.toFixed(0)} ms (${fmt(MERGES / (ms / 1000))} unions/s, median of 3)`,
    );
  }

  // For scale on this machine: random look-ups in a Map of 1M address keys (what interning costs).
  {
    const keys = Array.from({ length: ADDRESSES }, (_, i) => `bitcoin:1${i.toString(36).padStart(8, '0')}`);
    const map = new Map<string, number>();
    keys.forEach((k, i) => {
      map.set(k, i);
    });
    const rand = prng(9);
    const t = timed(() => {
      let sum = 0;
      for (let i = 0; i < MERGES; i++) sum += map.get(keys[Math.floor(rand() * ADDRESSES)] as string) ?? 0;
      return sum;
    });
    console.log(
      `baseline: ${fmt(MERGES)} random Map.get over ${fmt(ADDRESSES)} address keys: ${t.wallMs.toFixed(0)} ms wall, ${t.cpuMs.toFixed(0)} ms CPU`,
    );
  }

  // 2. The clusterer: 1M common-input transactions on wallet-shaped data, with evidence kept.
  const rand = prng(2);
  const { wallets, walletOf, keys } = walletWorkload(rand);
  const cumulative = new Float64Array(wallets.length);
  let total = 0;
  wallets.forEach((w, i) => {
    total += w.size;
    cumulative[i] = total;
  });
  const pickWallet = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = wallets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return wallets[lo] as { start: number; size: number };
  };
  const flagged = new Set<string>();
  for (let i = 0; i < ADDRESSES; i += 997) flagged.add(keys[i] as string);
  const hit = [
    { entityId: 'e1', entityName: 'Flagged', category: 'ransomware', source: 'bench', confidence: 1 },
  ];
  const clusterer = createClusterer({ attributions: (k) => (flagged.has(k) ? hit : undefined) });
  const heapBefore = mb();
  const BATCH = 100_000;
  let addMs = 0;
  let addCpuMs = 0;
  let merged = 0;
  let made = 0;
  for (let b = 0; b < MERGES / BATCH; b++) {
    const batch: UtxoTransaction[] = [];
    for (let i = 0; i < BATCH; i++) {
      const w = pickWallet();
      const n = 2 + (rand() < 0.3 ? 1 : 0);
      const inputs = [];
      for (let k = 0; k < n; k++) {
        inputs.push({ address: keys[w.start + Math.floor(rand() * w.size)] as string, amountBase: 10_000n });
      }
      batch.push({
        tx: `tx${made++}`,
        chain: 'bitcoin',
        asset: 'BTC',
        decimals: 8,
        timestamp: 1_700_000_000 + made,
        inputs,
        outputs: [{ address: keys[Math.floor(rand() * ADDRESSES)] as string, amountBase: 9_000n }],
      });
    }
    const t = timed(() => {
      for (const tx of batch) if (clusterer.addUtxo(tx).action === 'merged') merged++;
    });
    addMs += t.wallMs;
    addCpuMs += t.cpuMs;
  }
  const stats = clusterer.stats();
  console.log(
    `addUtxo: ${fmt(MERGES)} transactions (2–3 inputs, ${fmt(merged)} merges) in ${addMs.toFixed(0)} ms wall, ${addCpuMs.toFixed(0)} ms CPU: ${fmt(merged / (addMs / 1000))} merges/s wall, ${fmt(merged / (addCpuMs / 1000))} per CPU-second`,
  );
  console.log(
    `  ${fmt(stats.addresses)} addresses, ${fmt(stats.clusters)} clusters, largest ${fmt(stats.largestCluster)}; heap +${(mb() - heapBefore).toFixed(0)} MiB (log, keys, sets)`,
  );

  const largest = wallets.reduce((a, w) => (w.size > a.size ? w : a));
  // 3. Queries: clusterOf with attribution inheritance (one address in 997 is attributed).
  // Clusters never span wallets, so an address of a small wallet is in a small cluster.
  const smallKeys = wallets
    .filter((w) => w.size <= 10)
    .slice(0, 2000)
    .map((w) => keys[w.start] as string)
    .filter((k) => clusterer.clusterOf(k).size >= 2);
  const big = clusterer.clusterOf(keys[largest.start] as string).members.slice(0, 20);
  for (const [label, sample] of [
    ['cluster of 2–10 addresses', smallKeys.slice(0, 200)],
    ['the largest cluster', big],
  ] as const) {
    const times: number[] = [];
    let size = 0;
    let attributions = 0;
    for (const k of sample) {
      const t = timed(() => clusterer.clusterOf(k));
      times.push(t.wallMs);
      size = t.value.size;
      attributions = Math.max(attributions, t.value.attributions.length);
    }
    console.log(
      `clusterOf, ${label} (e.g. ${fmt(size)} addresses, up to ${attributions} attributions): p50 ${quantile(times, 0.5).toFixed(3)} ms, p99 ${quantile(times, 0.99).toFixed(3)} ms (${times.length} queries)`,
    );
  }

  // 4. Undo: a merge in a small cluster, and one in the largest cluster (dissolve + replay).
  const walletSize = (key: string) =>
    wallets[walletOf[Number.parseInt(key.slice(9), 36)] as number]?.size ?? 0;
  const smallMerges = clusterer
    .merges({ limit: MERGES, status: 'active' })
    .filter((m) => walletSize(m.addresses[0] as string) <= 10)
    .slice(0, 200);
  const smallMs: number[] = [];
  for (const m of smallMerges) {
    const t0 = performance.now();
    clusterer.undoMerge(m.id, { reason: 'bench' });
    smallMs.push(performance.now() - t0);
  }
  console.log(
    `undoMerge, cluster ≤ 10 members: p50 ${(quantile(smallMs, 0.5) * 1000).toFixed(1)} µs, p99 ${(quantile(smallMs, 0.99) * 1000).toFixed(1)} µs (${smallMerges.length} undos)`,
  );
  const inLargest = clusterer.merges({ address: keys[largest.start] as string, status: 'active', limit: 3 });
  for (const m of inLargest) {
    const t0 = performance.now();
    const r = clusterer.undoMerge(m.id, { reason: 'bench' });
    console.log(
      `undoMerge, largest cluster: ${(performance.now() - t0).toFixed(0)} ms (${fmt(r.affected)} members rebuilt, ${fmt(r.replayed)} merges replayed, ${r.parts} parts)`,
    );
  }

  // 5. Persistence: export the merge log and restore it.
  const exported = timed(() => [...clusterer.exportLog()]);
  const lines = exported.value;
  const exportMs = exported.wallMs;
  const bytes = lines.reduce((s, l) => s + l.length + 1, 0);
  const restoring = timed(() => restoreClusterer(lines));
  const restored = restoring.value;
  const restoreMs = restoring.wallMs;
  console.log(
    `exportLog: ${fmt(lines.length)} lines, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${exportMs.toFixed(0)} ms (${exported.cpuMs.toFixed(0)} ms CPU); restore in ${restoreMs.toFixed(0)} ms (${restoring.cpuMs.toFixed(0)} ms CPU, ${restored.stats().clusters === clusterer.stats().clusters ? 'same clusters' : 'MISMATCH'})`,
  );

  // 6. Deposit reuse: account-chain transfers through the detector.
  {
    const r = prng(3);
    const hot = 'tron:THot';
    const depositCluster = createClusterer({
      attributions: (k) =>
        k === hot
          ? [{ entityId: 'ex', entityName: 'Exchange', category: 'exchange', source: 'bench', confidence: 1 }]
          : undefined,
    });
    const transfers: Transfer[] = [];
    for (let i = 0; transfers.length < 500_000; i++) {
      const d = `tron:TDep${i}`;
      const ts = 1_700_000_000 + i * 10;
      const senders = 1 + Math.floor(r() * 3);
      for (let s = 0; s < senders; s++) {
        transfers.push({
          id: `d${i}.${s}`,
          chain: 'tron',
          asset: 'USDT',
          decimals: 6,
          from: `tron:TUser${i}.${s}`,
          to: d,
          amountBase: 1_000_000n,
          timestamp: ts + s,
          tx: `d${i}.${s}`,
        });
        transfers.push({
          id: `f${i}.${s}`,
          chain: 'tron',
          asset: 'USDT',
          decimals: 6,
          from: d,
          to: hot,
          amountBase: 1_000_000n,
          timestamp: ts + s + 5,
          tx: `f${i}.${s}`,
        });
      }
      transfers.push({
        id: `o${i}`,
        chain: 'tron',
        asset: 'USDT',
        decimals: 6,
        from: `tron:TUser${i}.0`,
        to: `tron:TShop${i % 1000}`,
        amountBase: 5_000_000n,
        timestamp: ts + 7,
        tx: `o${i}`,
      });
    }
    let depositMerges = 0;
    const heap0 = mb();
    const fed = timed(() => {
      for (const t of transfers) depositMerges += depositCluster.addTransfer(t).merged.length;
    });
    const ms = fed.wallMs;
    console.log(
      `addTransfer (deposit reuse): ${fmt(transfers.length)} TRON transfers in ${ms.toFixed(0)} ms (${fed.cpuMs.toFixed(0)} ms CPU): ${fmt(transfers.length / (ms / 1000))} transfers/s, ${fmt(depositMerges)} merges, ${fmt(depositCluster.stats().depositCandidates)} candidates held, heap +${(mb() - heap0).toFixed(0)} MiB`,
    );
  }
}
