/**
 * The graph service: loads the persisted segments into the in-memory graph at start, ingests new
 * transfers (de-duplicated by chain and id, written durably as a segment before they become
 * visible), answers exposure queries with the flags of the moment, and keeps the segment folder
 * tidy by merging small segments.
 */

import { formatAmount } from '../../shared/amount.js';
import { CordonError } from '../../shared/errors.js';
import type { Clusterer, UndoInfo, UndoResult } from './clustering/index.js';
import { computeExposure, type ExposureResult, type NodeFlag } from './exposure.js';
import type { ExposureQuery, PathTransfer } from './exposure-model.js';
import { buildFlagIndex, type FlagIndex } from './flag-index.js';
import { createTransferGraph, type GraphAsset, type TransferGraph } from './graph.js';
import { createFingerprintSet, type SegmentData, transferFingerprint } from './segment.js';
import { displayAddress, type Transfer, type UtxoTransaction } from './transfer.js';

/** The flags of addresses, from the active lists and attribution sets (and clusters). */
export interface FlagSource {
  /** Flags of a match key, undefined when none. */
  flagsOf(key: string): readonly NodeFlag[] | undefined;
  /** Labels of what the flags come from (list versions, attribution sets). */
  basis(): readonly string[];
}

/** A stored segment as the service needs it (see graph-segments.repository.ts). */
export interface GraphSegment extends Omit<SegmentData, 'meta'> {
  readonly count: number;
}

/** The segment store port. */
export interface GraphSegmentStore<S extends GraphSegment = GraphSegment> {
  load(): Promise<S[]>;
  write(data: SegmentData): Promise<S>;
  readMeta(segment: S, index: number): readonly [string, string | null, string];
  readAllMeta(segment: S): Array<readonly [string, string | null, string]>;
  merge(segments: readonly S[], merged: SegmentData): Promise<S>;
  /** The saved clustering merge log (JSON lines), if any. */
  readClusterLog(): Promise<string[] | undefined>;
  /** Transfers taken back: `[seq, fingerprint]` per line of the removal log. */
  readRemovals(): Promise<Array<[number, number]>>;
  /** Appends to the removal log, durably. */
  appendRemovals(removals: ReadonlyArray<[number, number]>): Promise<void>;
  /** Replaces the saved clustering merge log, atomically. */
  writeClusterLog(lines: Iterable<string>): Promise<void>;
  close(): void;
}

/** What an ingest did. */
export interface IngestResult {
  readonly added: number;
  readonly duplicates: number;
  /** The seq each given transfer got, -1 for a duplicate (for `remove`). */
  readonly seqs: readonly number[];
}

/** Figures about the graph, for `cordon graph stats` and /v1/graph. */
export interface GraphStats {
  readonly addresses: number;
  readonly transfers: number;
  readonly bufferedTransfers: number;
  readonly segments: number;
  readonly graphBytes: number;
  readonly bytesPerTransfer: number;
  readonly dedupeBytes: number;
}

/** The graph service. */
export interface GraphService {
  /** Loads every segment; call once before anything else. */
  load(): Promise<{ segments: number; transfers: number }>;
  /**
   * Adds transfers (duplicates by chain + id are skipped), durably, in one segment; UTXO
   * transactions (whose per-pair transfers are among `transfers`) also feed common-input
   * clustering, and account-chain transfers deposit-address reuse.
   */
  ingest(transfers: readonly Transfer[], utxos?: readonly UtxoTransaction[]): Promise<IngestResult>;
  /** The clusterer, when clustering is on. */
  readonly clusterer: Clusterer | undefined;
  /** Grows whenever clusters change (merges, undos): a cache key for cluster-derived flags. */
  readonly clusterVersion: number;
  /** Undoes a merge (an analyst's decision) and saves the merge log. */
  undoMerge(id: number, info: UndoInfo): Promise<UndoResult>;
  /** Saves the merge log if clusters changed since the last save. */
  saveClusters(): Promise<boolean>;
  /**
   * Takes transfers back (their blocks were orphaned by a reorg), durably: they stay in place with
   * a zero amount, so they carry no value and no path, and the same ids may be ingested again.
   */
  remove(seqs: readonly number[]): Promise<number>;
  /**
   * The seqs of the transfers held under these ids (-1 for an id the graph does not hold or has
   * taken back), found by a scan from the newest segment back: for reverting recent blocks.
   */
  seqsOf(ids: readonly { chain: string; id: string }[]): number[];
  exposure(query: ExposureQuery): ExposureResult;
  /** A transfer in the contract's JSON form (exact amount from its segment). */
  transfer(seq: number): PathTransfer;
  stats(): GraphStats;
  /** Folds buffered transfers into the CSR now (and rebuilds the flag index). */
  compact(): void;
  /**
   * Brings the flag index (flag-index.ts) up to date with the current flags and the compacted
   * layout, if either changed since it was built; returns whether it rebuilt it. Until then,
   * exposure queries read every transfer at their last hop (same answers, slower).
   */
  refreshFlagIndex(): boolean;
  /** Merges small segments into one file when there are many of them. */
  mergeSmallSegments(): Promise<number>;
  readonly graph: TransferGraph;
  close(): void;
}

/** Settings with defaults. */
export interface GraphSettings {
  /** Compact when the buffer holds this many transfers or a tenth of the graph, whichever is more. */
  readonly compactAfter: number;
  /** Segments below this many transfers are "small" and merged once there are `mergeWhen` of them. */
  readonly smallSegment: number;
  readonly mergeWhen: number;
}

/** Defaults of `GraphSettings`. */
export const DEFAULT_GRAPH_SETTINGS: GraphSettings = {
  compactAfter: 50_000,
  smallSegment: 100_000,
  mergeWhen: 16,
};

/** Builds the graph service over a segment store and a flag source. */
export function createGraphService<S extends GraphSegment>(deps: {
  segments: GraphSegmentStore<S>;
  flags: FlagSource;
  settings?: Partial<GraphSettings>;
  /** Builds the clusterer (from a saved merge log when there is one); no clustering when absent. */
  clustering?: (savedLog: string[] | undefined) => Clusterer;
}): GraphService {
  const settings = { ...DEFAULT_GRAPH_SETTINGS, ...deps.settings };
  const graph = createTransferGraph();
  const fingerprints = createFingerprintSet();
  const segs: { segment: S; base: number }[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  let clusterer: Clusterer | undefined;
  let clusterVersion = 0;
  let clustersDirty = false;

  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const attach = (segment: S, fps: Float64Array): void => {
    const nodeMap = new Uint32Array(segment.keys.length);
    segment.keys.forEach((k, i) => {
      nodeMap[i] = graph.internNode(k);
    });
    const assetMap = new Uint16Array(segment.assets.length);
    segment.assets.forEach((a, i) => {
      assetMap[i] = graph.internAsset(a);
    });
    segs.push({ segment, base: graph.transferCount });
    for (const fp of fps) fingerprints.add(fp);
    graph.appendBulk({ ...segment, nodeMap, assetMap });
  };

  const maybeCompact = (): void => {
    const buffered = graph.transferCount - graph.compactedCount;
    if (buffered >= Math.max(settings.compactAfter, graph.compactedCount / 10)) {
      graph.compact();
      refreshFlagIndex(true);
    }
  };

  const segmentOf = (seq: number): { segment: S; index: number } => {
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segs[mid] as { base: number }).base <= seq) lo = mid;
      else hi = mid - 1;
    }
    const s = segs[lo];
    if (s === undefined || seq >= s.base + s.segment.count) throw new RangeError(`no transfer ${seq}`);
    return { segment: s.segment, index: seq - s.base };
  };

  // Flags per node, cached while the flag basis and the clusters stay the same: an exposure query
  // asks for thousands of nodes, most of them unflagged, and the cache answers those from a byte.
  let flagState = new Uint8Array(0); // 0 unknown, 1 none, 2 flagged
  const flagged = new Map<number, readonly NodeFlag[]>();
  let flagEpoch = '';
  // What the epoch was last made from: a query whose basis and clusters are the same (the usual
  // case) needs no new epoch string.
  let epochBasis: readonly string[] = [];
  let epochClusters = -1;
  /** Checks the cache against the current basis and clusters, once per query. */
  const prepareFlags = (basis: readonly string[]): void => {
    if (epochClusters === clusterVersion && sameStrings(basis, epochBasis)) {
      if (flagState.length < graph.nodeCount) {
        const grown = new Uint8Array(Math.ceil(graph.nodeCount * 1.25) + 1024);
        grown.set(flagState);
        flagState = grown;
      }
      return;
    }
    epochBasis = [...basis];
    epochClusters = clusterVersion;
    const epoch = `${clusterVersion}|${basis.join(',')}`;
    if (epoch !== flagEpoch || flagState.length < graph.nodeCount) {
      if (epoch !== flagEpoch) {
        flagState = new Uint8Array(Math.ceil(graph.nodeCount * 1.25) + 1024);
        flagged.clear();
        flagEpoch = epoch;
      } else {
        const grown = new Uint8Array(Math.ceil(graph.nodeCount * 1.25) + 1024);
        grown.set(flagState);
        flagState = grown;
      }
    }
  };
  /** Flags of a node under the basis given to the last `prepareFlags`. */
  const nodeFlags = (node: number): readonly NodeFlag[] | undefined => {
    const state = flagState[node];
    if (state === 1) return undefined;
    if (state === 2) return flagged.get(node);
    const f = deps.flags.flagsOf(graph.keyOf(node));
    if (f === undefined || f.length === 0) {
      flagState[node] = 1;
      return undefined;
    }
    flagState[node] = 2;
    flagged.set(node, f);
    return f;
  };

  // The flag index, for the flags of `flagIndexEpoch`; `flaggedNodes` lists the flagged nodes among
  // the first `enumerated` nodes under `enumeratedEpoch` (a new epoch asks every node again: the
  // flag source answers by key and cannot list what it flags, clusters included).
  let flagIndex: FlagIndex | undefined;
  let flagIndexEpoch = '';
  let flaggedNodes: number[] = [];
  let enumerated = 0;
  let enumeratedEpoch = '';
  // When flags change often (cluster merges at every ingest), the pass over all addresses is paced:
  // at most a tenth of the time goes to it.
  let lastPassAt = Number.NEGATIVE_INFINITY;
  let lastPassMs = 0;
  /**
   * Rebuilds the flag index when the flags or the layout changed. Only with `full` does it ask
   * every node for its flags (new flags: a pass over all addresses); otherwise, as before a query, it
   * only follows a compaction under the same flags (asking only the nodes added since).
   */
  const refreshFlagIndex = (full: boolean, basis: readonly string[] = deps.flags.basis()): boolean => {
    prepareFlags(basis);
    const layout = graph.view?.().inOff;
    if (flagIndex !== undefined && flagIndexEpoch === flagEpoch && flagIndex.layout === layout) return false;
    const started = performance.now();
    const pass = enumeratedEpoch !== flagEpoch;
    if (pass) {
      if (!full || started - lastPassAt < lastPassMs * 10) return false;
      flaggedNodes = [];
      enumerated = 0;
      enumeratedEpoch = flagEpoch;
    }
    const nodes = graph.nodeCount;
    for (let n = enumerated; n < nodes; n++) if (nodeFlags(n) !== undefined) flaggedNodes.push(n);
    enumerated = nodes;
    if (pass) {
      lastPassAt = started;
      lastPassMs = performance.now() - started;
    }
    flagIndex = buildFlagIndex(graph, flaggedNodes);
    flagIndexEpoch = flagEpoch;
    return true;
  };

  const transfer = (seq: number): PathTransfer => {
    const { segment, index } = segmentOf(seq);
    const [id, tx, amountBase] = deps.segments.readMeta(segment, index);
    const a = graph.assetOf(graph.asset(seq));
    const json: PathTransfer = {
      id,
      chain: a.chain,
      asset: a.symbol,
      from: displayAddress(graph.keyOf(graph.src(seq))),
      to: displayAddress(graph.keyOf(graph.dst(seq))),
      amount: formatAmount(BigInt(amountBase), a.decimals),
      timestamp: new Date(graph.timestamp(seq) * 1000).toISOString().replace('.000Z', 'Z'),
    };
    return tx === null ? json : { ...json, tx };
  };

  return {
    graph,
    get clusterer() {
      return clusterer;
    },
    get clusterVersion() {
      return clusterVersion;
    },
    async load() {
      if (deps.clustering !== undefined) clusterer = deps.clustering(await deps.segments.readClusterLog());
      const loaded = await deps.segments.load();
      for (const s of loaded) attach(s, s.fingerprint);
      graph.compact();
      refreshFlagIndex(true);
      for (const [seq, fp] of await deps.segments.readRemovals()) {
        if (seq < graph.transferCount) graph.voidTransfer(seq);
        fingerprints.delete(fp);
      }
      return { segments: loaded.length, transfers: graph.transferCount };
    },
    ingest(transfers, utxos = []) {
      return serial(async () => {
        const batch = new Set<number>();
        const keep: Transfer[] = [];
        const fps: number[] = [];
        let duplicates = 0;
        const seqs: number[] = [];
        const base = graph.transferCount;
        for (const t of transfers) {
          const fp = transferFingerprint(t.chain, t.id);
          if (fingerprints.has(fp) || batch.has(fp)) {
            duplicates++;
            seqs.push(-1);
            continue;
          }
          batch.add(fp);
          seqs.push(base + keep.length);
          keep.push(t);
          fps.push(fp);
        }
        if (keep.length === 0) return { added: 0, duplicates, seqs };
        const data = toSegment(keep, fps);
        const stored = await deps.segments.write(data);
        attach(stored, data.fingerprint);
        maybeCompact();
        if (clusterer !== undefined) {
          let changed = false;
          const fromUtxo = new Set<string>();
          const newTx = new Set(keep.map((t) => t.tx));
          for (const u of utxos) {
            fromUtxo.add(u.tx);
            if (newTx.has(u.tx) && clusterer.addUtxo(u).action === 'merged') changed = true;
          }
          for (const t of keep) {
            if (t.tx !== undefined && fromUtxo.has(t.tx)) continue;
            const r = clusterer.addTransfer(t);
            if (r.merged.length > 0 || r.revoked.length > 0) changed = true;
          }
          if (changed) {
            clusterVersion++;
            clustersDirty = true;
          }
        }
        return { added: keep.length, duplicates, seqs };
      });
    },
    exposure(query) {
      const basis = deps.flags.basis();
      refreshFlagIndex(false, basis);
      return computeExposure(
        flagIndex !== undefined && flagIndexEpoch === flagEpoch
          ? { graph, flagsOf: nodeFlags, transferJson: transfer, basis, flagIndex }
          : { graph, flagsOf: nodeFlags, transferJson: transfer, basis },
        query,
      );
    },
    transfer,
    undoMerge(id, info) {
      return serial(async () => {
        if (clusterer === undefined)
          throw new CordonError('not_found', 'clustering.off', 'clustering is not enabled');
        const r = clusterer.undoMerge(id, info);
        clusterVersion++;
        clustersDirty = true;
        await deps.segments.writeClusterLog(clusterer.exportLog());
        clustersDirty = false;
        return r;
      });
    },
    remove(seqs) {
      return serial(async () => {
        const removals: Array<[number, number]> = [];
        for (const seq of seqs) {
          if (seq < 0 || seq >= graph.transferCount || graph.amount(seq) === 0) continue;
          const { segment, index } = segmentOf(seq);
          removals.push([seq, segment.fingerprint[index] as number]);
        }
        if (removals.length === 0) return 0;
        await deps.segments.appendRemovals(removals);
        for (const [seq, fp] of removals) {
          graph.voidTransfer(seq);
          fingerprints.delete(fp);
        }
        return removals.length;
      });
    },
    seqsOf(ids) {
      const seqs = ids.map(() => -1);
      const wanted = new Map<number, number[]>();
      ids.forEach(({ chain, id }, k) => {
        const fp = transferFingerprint(chain, id);
        if (!fingerprints.has(fp)) return;
        const at = wanted.get(fp);
        if (at === undefined) wanted.set(fp, [k]);
        else at.push(k);
      });
      // A held id's newest copy is the live one (older copies were taken back and voided).
      for (let s = segs.length - 1; s >= 0 && wanted.size > 0; s--) {
        const { segment, base } = segs[s] as { segment: S; base: number };
        const fp = segment.fingerprint;
        for (let i = fp.length - 1; i >= 0 && wanted.size > 0; i--) {
          const at = wanted.get(fp[i] as number);
          if (at === undefined) continue;
          for (const k of at) seqs[k] = base + i;
          wanted.delete(fp[i] as number);
        }
      }
      return seqs;
    },
    saveClusters() {
      return serial(async () => {
        if (clusterer === undefined || !clustersDirty) return false;
        clustersDirty = false;
        await deps.segments.writeClusterLog(clusterer.exportLog());
        return true;
      });
    },
    stats() {
      const m = graph.memory();
      const graphBytes = m.columnBytes + m.csrBytes + (flagIndex?.bytes ?? 0);
      return {
        addresses: graph.nodeCount,
        transfers: graph.transferCount,
        bufferedTransfers: m.bufferedTransfers,
        segments: segs.length,
        graphBytes,
        bytesPerTransfer:
          graph.transferCount === 0 ? 0 : Math.round((graphBytes / graph.transferCount) * 10) / 10,
        dedupeBytes: fingerprints.bytes,
      };
    },
    compact() {
      graph.compact();
      refreshFlagIndex(true);
    },
    refreshFlagIndex: () => refreshFlagIndex(true),
    mergeSmallSegments() {
      return serial(async () => {
        // The trailing run of small segments, oldest first.
        let start = segs.length;
        while (start > 0 && (segs[start - 1] as { segment: S }).segment.count < settings.smallSegment)
          start--;
        const run = segs.slice(start);
        if (run.length < settings.mergeWhen) return 0;
        const parts = run.map((r) => r.segment);
        const merged = mergeSegments(parts, (s) => deps.segments.readAllMeta(s));
        const stored = await deps.segments.merge(parts, merged);
        const base = (run[0] as { base: number }).base;
        segs.splice(start, run.length, { segment: stored, base });
        return run.length;
      });
    },
    close: () => deps.segments.close(),
  };
}

/** Whether two lists hold the same strings in the same order. */
function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Turns transfers into a segment with keys and assets local to it. */
export function toSegment(transfers: readonly Transfer[], fingerprints: readonly number[]): SegmentData {
  const keyIds = new Map<string, number>();
  const keys: string[] = [];
  const assetIds = new Map<string, number>();
  const assets: GraphAsset[] = [];
  const n = transfers.length;
  const src = new Uint32Array(n);
  const dst = new Uint32Array(n);
  const ts = new Uint32Array(n);
  const asset = new Uint16Array(n);
  const amount = new Float64Array(n);
  const meta: [string, string | null, string][] = new Array(n);
  const keyOf = (k: string): number => {
    let id = keyIds.get(k);
    if (id === undefined) {
      id = keys.length;
      keyIds.set(k, id);
      keys.push(k);
    }
    return id;
  };
  for (let i = 0; i < n; i++) {
    const t = transfers[i] as Transfer;
    src[i] = keyOf(t.from);
    dst[i] = keyOf(t.to);
    ts[i] = t.timestamp;
    const ak = `${t.chain}\u0000${t.asset}`;
    let a = assetIds.get(ak);
    if (a === undefined) {
      a = assets.length;
      assetIds.set(ak, a);
      assets.push({ chain: t.chain, symbol: t.asset, decimals: t.decimals });
    }
    asset[i] = a;
    amount[i] = Number(t.amountBase);
    meta[i] = [t.id, t.tx ?? null, t.amountBase.toString()];
  }
  return { keys, assets, src, dst, ts, asset, amount, fingerprint: Float64Array.from(fingerprints), meta };
}

/** Concatenates consecutive segments into one (keys and assets re-interned). */
function mergeSegments<S extends GraphSegment>(
  parts: readonly S[],
  metaOf: (s: S) => Array<readonly [string, string | null, string]>,
): SegmentData {
  const keyIds = new Map<string, number>();
  const keys: string[] = [];
  const assetIds = new Map<string, number>();
  const assets: GraphAsset[] = [];
  const total = parts.reduce((s, p) => s + p.count, 0);
  const src = new Uint32Array(total);
  const dst = new Uint32Array(total);
  const ts = new Uint32Array(total);
  const asset = new Uint16Array(total);
  const amount = new Float64Array(total);
  const fingerprint = new Float64Array(total);
  const meta: Array<readonly [string, string | null, string]> = [];
  let at = 0;
  for (const p of parts) {
    const km = p.keys.map((k) => {
      let id = keyIds.get(k);
      if (id === undefined) {
        id = keys.length;
        keyIds.set(k, id);
        keys.push(k);
      }
      return id;
    });
    const am = p.assets.map((a) => {
      const k = `${a.chain}\u0000${a.symbol}`;
      let id = assetIds.get(k);
      if (id === undefined) {
        id = assets.length;
        assetIds.set(k, id);
        assets.push(a);
      }
      return id;
    });
    for (let i = 0; i < p.count; i++) {
      src[at + i] = km[p.src[i] as number] as number;
      dst[at + i] = km[p.dst[i] as number] as number;
      asset[at + i] = am[p.asset[i] as number] as number;
    }
    ts.set(p.ts, at);
    amount.set(p.amount, at);
    fingerprint.set(p.fingerprint, at);
    meta.push(...metaOf(p));
    at += p.count;
  }
  return { keys, assets, src, dst, ts, asset, amount, fingerprint, meta };
}
