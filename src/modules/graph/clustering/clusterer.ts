/**
 * The clusterer: address clusters built incrementally from heuristics, every merge kept with its
 * evidence and undoable, and the attributions a cluster inherits. Pure: no I/O, no clock; the
 * graph store feeds it (`addUtxo`, `addTransfer`) and persists its merge log (`exportLog`,
 * `restoreClusterer`). Semantics, parameters and risks: docs/clustering.md.
 *
 * Undo: union-find cannot split a set, so undoing a merge dissolves the cluster that holds it and
 * replays the cluster's remaining active merges. Cost O(m + k · α) for a cluster of m members whose
 * merges hold k address occurrences, independent of the rest of the graph: tens of microseconds for
 * a wallet, about 0.1 s for a 32 000-address cluster (`npm run bench -- clustering`).
 */

import { CordonError, invalid } from '../../../shared/errors.js';
import type { Transfer, UtxoTransaction } from '../transfer.js';
import { analyzeCommonInput } from './common-input.js';
import {
  createDepositReuseDetector,
  type DepositReuseDetector,
  type DepositReuseFinding,
} from './deposit-reuse.js';
import { inheritAttributions, SearchScratch } from './inheritance.js';
import { MergeLog, type NewMerge } from './merge-log.js';
import {
  type AttributionLookup,
  type ClustererConfig,
  type ClusterStats,
  type ClusterView,
  type CoinJoinConfig,
  type CommonInputDetail,
  DEFAULT_COINJOIN,
  DEFAULT_DEPOSIT_REUSE,
  DEFAULT_FACTORS,
  type Exclusion,
  type HeuristicFactors,
  MERGE_HEURISTICS,
  type MergeEvidence,
  type MergeFilter,
  type SkipReason,
  type UndoInfo,
  type UtxoOutcome,
} from './model.js';
import { mergeToLine, parseMergeLine } from './serialize.js';
import { DisjointSets, KeyInterner } from './union-find.js';

/** What undoing one merge did. */
export interface UndoResult {
  /** The merge, now with status `undone`. */
  readonly merge: MergeEvidence;
  /** Members of the dissolved cluster (the rebuild's size). */
  readonly affected: number;
  /** Active merges replayed to rebuild it. */
  readonly replayed: number;
  /** Clusters (including singletons) the former cluster now forms. */
  readonly parts: number;
}

/** What feeding one account-chain transfer did. */
export interface TransferOutcome {
  readonly merged: readonly MergeEvidence[];
  /** Merges undone because their deposit address turned out busy. */
  readonly revoked: readonly UndoResult[];
}

/** A merge an analyst asserts. */
export interface ManualMergeInput {
  /** Address keys (`bitcoin:1…`, `tron:T…`), at least two distinct. */
  readonly addresses: readonly string[];
  readonly reason: string;
  /** A case or ticket id, kept as the merge's `tx`. */
  readonly reference: string;
  readonly actor?: string;
  /** Unix seconds. */
  readonly timestamp: number;
}

/** Incremental address clustering with evidence, undo and attribution inheritance. */
export interface Clusterer {
  /** Feeds a UTXO transaction to common-input ownership. */
  addUtxo(tx: UtxoTransaction): UtxoOutcome;
  /** Feeds an account-chain transfer to deposit-address reuse (other chains are ignored). */
  addTransfer(t: Transfer): TransferOutcome;
  /** Records an analyst's merge (heuristic `manual`). */
  mergeManually(input: ManualMergeInput): MergeEvidence;
  /**
   * Undoes one merge by id; the merge stays in the log as `undone` and is not re-created when its
   * evidence is seen again. Throws `not_found` for an unknown id, `conflict` when already undone.
   */
  undoMerge(id: number, info?: UndoInfo): UndoResult;
  /** The cluster of an address key with its inherited attributions and their evidence paths. */
  clusterOf(address: string): ClusterView;
  /** Whether two address keys are in one cluster. */
  sameCluster(a: string, b: string): boolean;
  /**
   * A cheap cluster key (the union-find root, as a number) and the cluster's size, for callers that
   * cache per cluster (exposure flags); -1 for an address no merge touched.
   */
  rootOf(address: string): { root: number; size: number };
  /** One merge by id. */
  merge(id: number): MergeEvidence | undefined;
  /** Merges matching a filter, newest first. */
  merges(filter?: MergeFilter): MergeEvidence[];
  /** Recent UTXO transactions excluded as CoinJoins or already undone, newest first. */
  exclusions(limit?: number): Exclusion[];
  stats(): ClusterStats;
  /** The merge log as JSON lines, oldest first: everything `restoreClusterer` needs. */
  exportLog(): Generator<string>;
}

const NO_ATTRIBUTIONS: AttributionLookup = () => undefined;

function resolveFactors(partial: Partial<HeuristicFactors> | undefined): HeuristicFactors {
  const factors = { ...DEFAULT_FACTORS, ...partial };
  for (const h of MERGE_HEURISTICS) {
    const f = factors[h];
    if (!(f > 0 && f <= 1)) {
      throw invalid('clustering.invalid_config', `factor for ${h} must be in (0, 1], got ${f}`, {
        field: `factors.${h}`,
      });
    }
  }
  return factors;
}

/**
 * Creates an empty clusterer.
 *
 * @example
 * const c = createClusterer({ attributions: (key) => addressIndex.lookupKey(key) });
 * c.addUtxo(tx);
 * c.clusterOf('bitcoin:1Fresh…').attributions[0]?.via[0]?.tx;
 */
export function createClusterer(config: ClustererConfig = {}): Clusterer {
  return build(config, []);
}

/**
 * Rebuilds a clusterer from an exported merge log (JSON lines; blank lines skipped). Deposit
 * candidates awaiting a sweep are not in the log: re-feed the last `maxForwardDelaySec` of
 * transfers to pick them up. Throws `clustering.bad_log_line` naming the line.
 */
export function restoreClusterer(lines: Iterable<string>, config: ClustererConfig = {}): Clusterer {
  return build(config, lines);
}

function build(config: ClustererConfig, restore: Iterable<string>): Clusterer {
  const lookup = config.attributions ?? NO_ATTRIBUTIONS;
  const factors = resolveFactors(config.factors);
  const coinjoin: CoinJoinConfig = { ...DEFAULT_COINJOIN, ...config.coinjoin };
  const memberLimit = config.memberLimit ?? 100;
  const keepExclusions = config.keepExclusions ?? 1000;
  const detector: DepositReuseDetector | undefined =
    config.depositReuse === false
      ? undefined
      : createDepositReuseDetector({ ...DEFAULT_DEPOSIT_REUSE, ...config.depositReuse }, lookup);

  const keys = new KeyInterner();
  const sets = new DisjointSets();
  const log = new MergeLog();
  const scratch = new SearchScratch();
  /** Per root: the member that entered the merge log first (the smallest id): the cluster id. */
  let rep = new Int32Array(1024);
  let clusters = 0;
  /** common-input: chain → tx → merge index (forks share transaction hashes). */
  const txMerges = new Map<string, Map<string, number>>();
  const txMergesOf = (chain: string) => {
    let m = txMerges.get(chain);
    if (m === undefined) {
      m = new Map();
      txMerges.set(chain, m);
    }
    return m;
  };
  /** deposit-reuse: deposit address + sender → merge index; and deposit address → merge indexes. */
  const depositPairs = new Map<string, number>();
  const depositMerges = new Map<string, number[]>();
  const skipped: Record<SkipReason, number> = {
    'single-input': 0,
    'single-owner': 0,
    coinjoin: 0,
    duplicate: 0,
    undone: 0,
  };
  const excluded: Exclusion[] = [];
  let excludedNext = 0;

  function intern(key: string): number {
    const before = keys.count;
    const id = keys.intern(key);
    if (keys.count > before) {
      sets.add();
      if (id >= rep.length) {
        const grown = new Int32Array(rep.length * 2);
        grown.set(rep);
        rep = grown;
      }
      rep[id] = id;
    }
    return id;
  }

  function join(a: number, b: number): void {
    const ra = sets.find(a);
    const rb = sets.find(b);
    if (ra === rb) return;
    const sa = sets.rootSize(ra);
    const sb = sets.rootSize(rb);
    const root = sets.union(ra, rb);
    if (sa === 1 && sb === 1) clusters++;
    else if (sa > 1 && sb > 1) clusters--;
    const other = rep[root === ra ? rb : ra] as number;
    if (other < (rep[root] as number)) rep[root] = other;
  }

  function apply(index: number): void {
    const first = log.firstSlot(index);
    const end = log.endSlot(index);
    const a = log.addressAt(first);
    for (let slot = first + 1; slot < end; slot++) join(a, log.addressAt(slot));
  }

  function record(m: NewMerge, id?: number): number {
    const index = log.append(m, id);
    if (m.heuristic === 'common-input') txMergesOf((m.detail as CommonInputDetail).chain).set(m.tx, index);
    if (m.heuristic === 'deposit-reuse') {
      const d = m.detail as { depositAddress: string };
      const sender = m.addressIds[1];
      if (sender !== undefined) depositPairs.set(`${d.depositAddress}\u0000${keys.keyOf(sender)}`, index);
      const list = depositMerges.get(d.depositAddress);
      if (list) list.push(index);
      else depositMerges.set(d.depositAddress, [index]);
    }
    return index;
  }

  const keyOf = (id: number) => keys.keyOf(id);

  function evidence(index: number): MergeEvidence {
    return log.evidenceAt(index, keyOf);
  }

  function exclude(e: Exclusion): UtxoOutcome {
    skipped[e.reason]++;
    if (keepExclusions > 0 && (e.reason === 'coinjoin' || e.reason === 'undone')) {
      excluded[excludedNext] = e;
      excludedNext = (excludedNext + 1) % keepExclusions;
    }
    return { action: 'skipped', exclusion: e };
  }

  function undoIndex(index: number, info: UndoInfo): UndoResult {
    const root = sets.find(log.addressAt(log.firstSlot(index)));
    const members = sets.members(root);
    log.markUndone(index, info);
    if (members.length > 1) clusters--;
    sets.reset(members);
    for (const m of members) rep[m] = m;
    const replayedSet = new Set<number>();
    for (const m of members) {
      log.forEachIncident(m, (i) => {
        if (!log.isActive(i) || replayedSet.has(i)) return;
        replayedSet.add(i);
        apply(i);
      });
    }
    let parts = 0;
    for (const m of members) if (sets.isRoot(m)) parts++;
    return { merge: evidence(index), affected: members.length, replayed: replayedSet.size, parts };
  }

  function onFinding(f: DepositReuseFinding, merged: MergeEvidence[], revoked: UndoResult[]): void {
    if (f.kind === 'revoke') {
      for (const index of depositMerges.get(f.depositAddress) ?? []) {
        if (log.isActive(index)) {
          revoked.push(
            undoIndex(index, { reason: `deposit address ${f.depositAddress} revoked: ${f.reason}` }),
          );
        }
      }
      return;
    }
    const pair = `${f.depositAddress}\u0000${f.sender}`;
    if (depositPairs.has(pair)) return;
    const index = record({
      heuristic: 'deposit-reuse',
      tx: f.tx,
      addressIds: [intern(f.anchor), intern(f.sender)],
      timestamp: f.timestamp,
      detail: {
        depositAddress: f.depositAddress,
        exchange: f.exchange,
        deposits: f.deposits,
        forwards: f.forwards,
        forwardRatio: f.forwardRatio,
        senders: f.senders,
      },
    });
    apply(index);
    merged.push(evidence(index));
  }

  let line = 0;
  for (const text of restore) {
    line++;
    if (text.trim() === '') continue;
    const m = parseMergeLine(text, line);
    if (m.id < log.nextId()) {
      throw invalid('clustering.bad_log_line', `merge log line ${line}: id: ${m.id} is not increasing`, {
        line,
        field: 'id',
      });
    }
    const index = record(
      {
        heuristic: m.heuristic,
        tx: m.tx,
        addressIds: m.addresses.map(intern),
        timestamp: m.timestamp,
        detail: m.detail,
      },
      m.id,
    );
    if (m.status === 'undone') log.markUndone(index, m.undone ?? { reason: 'undone' });
    else apply(index);
  }

  return {
    addUtxo(tx) {
      const known = txMerges.get(tx.chain)?.get(tx.tx);
      if (known !== undefined) {
        const active = log.isActive(known);
        return exclude({
          tx: tx.tx,
          timestamp: tx.timestamp,
          reason: active ? 'duplicate' : 'undone',
          explanation: active
            ? `already merged (merge ${evidence(known).id})`
            : `merge ${evidence(known).id} from this transaction was undone; not re-created`,
        });
      }
      const decision = analyzeCommonInput(tx, coinjoin);
      if (decision.kind !== 'merge') {
        return exclude({
          tx: tx.tx,
          timestamp: tx.timestamp,
          reason: decision.kind,
          explanation: decision.explanation,
        });
      }
      const index = record({
        heuristic: 'common-input',
        tx: tx.tx,
        addressIds: decision.addresses.map(intern),
        timestamp: tx.timestamp,
        detail: {
          chain: tx.chain,
          inputs: tx.inputs.length,
          distinctInputs: decision.addresses.length,
          outputs: tx.outputs.length,
        },
      });
      apply(index);
      // The evidence object is built on first access: bulk ingestion rarely reads it.
      let built: MergeEvidence | undefined;
      return {
        action: 'merged',
        get merge() {
          built ??= evidence(index);
          return built;
        },
      };
    },

    addTransfer(t) {
      const merged: MergeEvidence[] = [];
      const revoked: UndoResult[] = [];
      if (detector === undefined) return { merged, revoked };
      for (const f of detector.observe(t)) onFinding(f, merged, revoked);
      return { merged, revoked };
    },

    mergeManually(input) {
      const addresses = [...new Set(input.addresses)];
      if (addresses.length < 2 || addresses.some((a) => a === '')) {
        throw invalid('clustering.invalid_merge', 'a manual merge needs at least two distinct addresses', {
          field: 'addresses',
        });
      }
      if (input.reason.trim() === '') {
        throw invalid('clustering.invalid_merge', 'a manual merge needs a reason', { field: 'reason' });
      }
      const detail =
        input.actor === undefined ? { reason: input.reason } : { reason: input.reason, actor: input.actor };
      const index = record({
        heuristic: 'manual',
        tx: input.reference,
        addressIds: addresses.map(intern),
        timestamp: input.timestamp,
        detail,
      });
      apply(index);
      return evidence(index);
    },

    undoMerge(id, info = { reason: 'undone' }) {
      const index = log.indexOf(id);
      if (index < 0)
        throw new CordonError('not_found', 'clustering.merge_not_found', `no merge ${id}`, { id });
      if (!log.isActive(index)) {
        throw new CordonError(
          'conflict',
          'clustering.merge_already_undone',
          `merge ${id} is already undone`,
          { id },
        );
      }
      return undoIndex(index, info);
    },

    clusterOf(address) {
      const id = keys.idOf(address);
      if (id < 0) {
        const hits = lookup(address) ?? [];
        return {
          address,
          known: false,
          clusterId: address,
          size: 1,
          members: [address],
          membersTruncated: false,
          attributions: hits.map((h) => ({
            entityId: h.entityId,
            entityName: h.entityName,
            category: h.category,
            source: h.source,
            confidence: h.confidence,
            listedConfidence: h.confidence,
            member: address,
            members: 1,
            via: [],
          })),
        };
      }
      const root = sets.find(id);
      const all = sets.members(id);
      return {
        address,
        known: true,
        clusterId: keys.keyOf(rep[root] as number),
        size: all.length,
        members: all.slice(0, memberLimit).map(keyOf),
        membersTruncated: all.length > memberLimit,
        attributions: inheritAttributions({
          start: id,
          members: all,
          keyOf,
          lookup,
          log,
          factors,
          addressCount: keys.count,
          scratch,
        }),
      };
    },

    rootOf(address) {
      const id = keys.idOf(address);
      if (id < 0) return { root: -1, size: 1 };
      const root = sets.find(id);
      return { root, size: sets.sizeOf(root) };
    },

    sameCluster(a, b) {
      const ia = keys.idOf(a);
      const ib = keys.idOf(b);
      if (ia < 0 || ib < 0) return a === b;
      return sets.find(ia) === sets.find(ib);
    },

    merge(id) {
      const index = log.indexOf(id);
      return index < 0 ? undefined : evidence(index);
    },

    merges(filter = {}) {
      const limit = filter.limit ?? 100;
      const status = filter.status ?? 'all';
      const out: MergeEvidence[] = [];
      const consider = (index: number): boolean => {
        const e = evidence(index);
        if (filter.beforeId !== undefined && e.id >= filter.beforeId) return true;
        if (filter.heuristic !== undefined && e.heuristic !== filter.heuristic) return true;
        if (filter.tx !== undefined && e.tx !== filter.tx) return true;
        if (status !== 'all' && e.status !== status) return true;
        if (filter.address !== undefined && !e.addresses.includes(filter.address)) return true;
        if (
          filter.depositAddress !== undefined &&
          (e.heuristic !== 'deposit-reuse' || e.detail.depositAddress !== filter.depositAddress)
        ) {
          return true;
        }
        out.push(e);
        return out.length < limit;
      };
      if (filter.address !== undefined) {
        const id = keys.idOf(filter.address);
        if (id < 0) return out;
        const incident: number[] = [];
        log.forEachIncident(id, (i) => incident.push(i));
        for (const i of incident) if (!consider(i)) break;
      } else if (filter.depositAddress !== undefined) {
        const list = depositMerges.get(filter.depositAddress) ?? [];
        for (let i = list.length - 1; i >= 0; i--) if (!consider(list[i] as number)) break;
      } else {
        for (let i = log.count - 1; i >= 0; i--) if (!consider(i)) break;
      }
      return out;
    },

    exclusions(limit = 100) {
      const out: Exclusion[] = [];
      const n = excluded.length;
      for (let k = 1; k <= n && out.length < limit; k++) {
        const e = excluded[(excludedNext - k + n) % n];
        if (e !== undefined) out.push(e);
      }
      return out;
    },

    stats() {
      let largest = keys.count > 0 ? 1 : 0;
      let clustered = 0;
      for (let i = 0; i < sets.count; i++) {
        if (!sets.isRoot(i)) continue;
        const size = sets.rootSize(i);
        if (size > largest) largest = size;
        if (size > 1) clustered += size;
      }
      return {
        addresses: keys.count,
        clusters,
        clusteredAddresses: clustered,
        largestCluster: largest,
        merges: { active: log.active, undone: log.count - log.active, byHeuristic: log.activeByHeuristic() },
        skipped: { ...skipped },
        depositCandidates: detector?.candidates ?? 0,
        busyDepositAddresses: detector?.busy ?? 0,
      };
    },

    *exportLog() {
      for (let i = 0; i < log.count; i++) yield mergeToLine(evidence(i));
    },
  };
}
