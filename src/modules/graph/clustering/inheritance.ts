/**
 * Attribution inheritance: a cluster carries the attributions of its members, each discounted by
 * the merges between the queried address and the attributed member. Over the merge graph (addresses
 * joined by active merges) a best-first search finds, for every attributed member, the path whose
 * product of heuristic factors is highest; with equal factors that is the shortest path (a BFS).
 * A merge is expanded once, from its best-reached address, so a 500-input merge costs 500 steps.
 */

import type { MergeLog } from './merge-log.js';
import type {
  AttributionLookup,
  AttributionRef,
  ClusterAttribution,
  HeuristicFactors,
  MergeEvidence,
} from './model.js';

/**
 * Reusable search state in typed arrays indexed by address id and merge index, with generation
 * stamps so a query never clears them: 24 bytes per address and 4 per merge, allocated on the
 * first query and grown as the clusterer grows.
 */
export class SearchScratch {
  best = new Float64Array(0);
  prevNode = new Int32Array(0);
  prevMerge = new Int32Array(0);
  reached = new Int32Array(0);
  settled = new Int32Array(0);
  expanded = new Int32Array(0);
  generation = 0;

  /** Sizes the arrays and starts a new generation. */
  prepare(addresses: number, merges: number): number {
    const grow = <T extends Int32Array | Float64Array>(a: T, n: number): T => {
      if (a.length >= n) return a;
      const b = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2, 1024));
      b.set(a);
      return b;
    };
    this.best = grow(this.best, addresses);
    this.prevNode = grow(this.prevNode, addresses);
    this.prevMerge = grow(this.prevMerge, addresses);
    this.reached = grow(this.reached, addresses);
    this.settled = grow(this.settled, addresses);
    this.expanded = grow(this.expanded, merges);
    if (this.generation === 0x7fffffff) {
      this.reached.fill(0);
      this.settled.fill(0);
      this.expanded.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }
}

/** What the search needs from the clusterer. */
export interface InheritanceInput {
  /** Interned id of the queried address. */
  readonly start: number;
  /** Every member of its cluster (ids). */
  readonly members: readonly number[];
  readonly keyOf: (id: number) => string;
  readonly lookup: AttributionLookup;
  readonly log: MergeLog;
  readonly factors: HeuristicFactors;
  /** Number of interned addresses (sizes the scratch arrays). */
  readonly addressCount: number;
  readonly scratch: SearchScratch;
}

/** A max-heap of (score, node) pairs. */
class MaxHeap {
  private readonly scores: number[] = [];
  private readonly nodes: number[] = [];

  get size(): number {
    return this.nodes.length;
  }

  push(score: number, node: number): void {
    const s = this.scores;
    const n = this.nodes;
    let i = n.length;
    s.push(score);
    n.push(node);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((s[p] as number) >= score) break;
      s[i] = s[p] as number;
      n[i] = n[p] as number;
      i = p;
    }
    s[i] = score;
    n[i] = node;
  }

  /** Removes the top; read `topScore`/`topNode` first. */
  pop(): void {
    const s = this.scores;
    const n = this.nodes;
    const lastS = s.pop() as number;
    const lastN = n.pop() as number;
    const len = n.length;
    if (len === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= len) break;
      const r = l + 1;
      const c = r < len && (s[r] as number) > (s[l] as number) ? r : l;
      if ((s[c] as number) <= lastS) break;
      s[i] = s[c] as number;
      n[i] = n[c] as number;
      i = c;
    }
    s[i] = lastS;
    n[i] = lastN;
  }

  get topScore(): number {
    return this.scores[0] as number;
  }

  get topNode(): number {
    return this.nodes[0] as number;
  }
}

/**
 * The attributions a cluster inherits, one per entity and category (the best-supported member),
 * best first. Each carries the listed confidence times the factor of every merge on its path.
 */
export function inheritAttributions(input: InheritanceInput): ClusterAttribution[] {
  const { start, members, keyOf, lookup, log, factors, scratch } = input;
  const targets = new Map<number, readonly AttributionRef[]>();
  for (const m of members) {
    const hits = lookup(keyOf(m));
    if (hits !== undefined && hits.length > 0) targets.set(m, hits);
  }
  if (targets.size === 0) return [];

  const gen = scratch.prepare(input.addressCount, log.count);
  const { best, prevNode, prevMerge, reached, settled, expanded } = scratch;
  best[start] = 1;
  reached[start] = gen;
  prevMerge[start] = -1;
  const heap = new MaxHeap();
  heap.push(1, start);
  let remaining = targets.size;
  while (heap.size > 0 && remaining > 0) {
    const score = heap.topScore;
    const node = heap.topNode;
    heap.pop();
    if (settled[node] === gen) continue;
    settled[node] = gen;
    if (targets.has(node)) remaining--;
    for (let inc = log.firstIncidence(node); inc !== -1; inc = log.nextIncidence(inc)) {
      const merge = log.incidenceMerge(inc);
      if (expanded[merge] === gen || !log.isActive(merge)) continue;
      expanded[merge] = gen;
      const next = score * factors[log.heuristicAt(merge)];
      for (let slot = log.firstSlot(merge), end = log.endSlot(merge); slot < end; slot++) {
        const a = log.addressAt(slot);
        if (settled[a] === gen || (reached[a] === gen && next <= (best[a] as number))) continue;
        reached[a] = gen;
        best[a] = next;
        prevNode[a] = node;
        prevMerge[a] = merge;
        heap.push(next, a);
      }
    }
  }

  const evidenceCache = new Map<number, MergeEvidence>();
  const pathTo = (node: number): MergeEvidence[] => {
    const path: MergeEvidence[] = [];
    for (let n = node; n !== start; n = prevNode[n] as number) {
      const merge = prevMerge[n] as number;
      let e = evidenceCache.get(merge);
      if (e === undefined) {
        e = log.evidenceAt(merge, keyOf);
        evidenceCache.set(merge, e);
      }
      path.push(e);
    }
    return path.reverse();
  };

  const byEntity = new Map<string, { best: ClusterAttribution; members: Set<number> }>();
  for (const [member, hits] of targets) {
    if (settled[member] !== gen) continue;
    const reach = best[member] as number;
    let via: MergeEvidence[] | undefined;
    for (const hit of hits) {
      const key = `${hit.entityId}\u0000${hit.category}`;
      const confidence = hit.confidence * reach;
      const entry = byEntity.get(key);
      if (entry !== undefined) entry.members.add(member);
      const incumbent = entry?.best;
      if (
        incumbent !== undefined &&
        (incumbent.confidence > confidence ||
          (incumbent.confidence === confidence && incumbent.member <= keyOf(member)))
      ) {
        continue;
      }
      via ??= pathTo(member);
      const attribution: ClusterAttribution = {
        entityId: hit.entityId,
        entityName: hit.entityName,
        category: hit.category,
        source: hit.source,
        confidence,
        listedConfidence: hit.confidence,
        member: keyOf(member),
        members: 0,
        via,
      };
      if (entry === undefined) byEntity.set(key, { best: attribution, members: new Set([member]) });
      else entry.best = attribution;
    }
  }
  return [...byEntity.values()]
    .map(({ best, members }) => ({ ...best, members: members.size }))
    .sort(
      (a, b) =>
        b.confidence - a.confidence ||
        a.entityId.localeCompare(b.entityId) ||
        a.category.localeCompare(b.category),
    );
}
