import type { ListEntity } from '../lists/index.js';
import { createSignatureBuffer, mayReach, type SignatureBuffer, writeSignature } from './names/bound.js';
import {
  compareNames,
  evidenceMargin,
  type Feature,
  matchScore,
  type NameComparison,
  type NameKind,
  nameScore,
  type PreparedName,
  prepareName,
  type QueryEvidence,
  retrievalKeys,
  scoreMatch,
  warmUp,
} from './names/index.js';

/** A name screening query: the name plus whatever evidence the caller has. */
export interface NameQuery {
  name: string;
  kind?: NameKind;
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` */
  dob?: string;
  /** ISO 3166-1 alpha-2 */
  country?: string;
  identifiers?: { type?: string; value: string }[];
}

type ListNameKind = 'primary' | 'strong_alias' | 'weak_alias' | 'original_script' | 'former_name';

/** An entity related to a hit (parent group, rebrand, owner), with the measures on it. */
export interface RelatedEntity {
  id: string;
  name: string;
  relation: string;
  programs: string[];
}

/** One listed entity matching a query, with everything needed to explain the score. */
export interface EntityMatch {
  entityId: string;
  source: string;
  versionId: string;
  kind: string;
  /** The entity's primary name. */
  name: string;
  /** The listed name that matched best, and what kind of name it is. */
  matchedName: string;
  matchedNameKind: ListNameKind;
  score: number;
  nameScore: number;
  comparison: NameComparison;
  features: Feature[];
  programs: string[];
  related: RelatedEntity[];
}

/** What the index needs of each active entity. */
export interface IndexedEntity {
  entity: ListEntity;
  versionId: string;
}

/** Search limits: how many candidates to score and how many matches to return. */
export interface SearchOptions {
  limit?: number;
  /** Only matches at or above this score are returned. */
  minScore?: number;
  /** Upper bound on names scored per query (the best ranked by shared keys first). */
  maxCandidates?: number;
}

/** An immutable in-memory index over every name of every active entity. */
export interface NameIndex {
  readonly entityCount: number;
  readonly nameCount: number;
  readonly keyCount: number;
  /**
   * Retrieval for a query: its keys, how many names retrieval read (those sharing a key, less
   * those it could rule out unread), and the names it would score, best first.
   */
  explainRetrieval(query: NameQuery): {
    keys: string[];
    touched: number;
    scored: number;
    candidates: { entityId: string; name: string }[];
  };
  search(query: NameQuery, options?: SearchOptions): EntityMatch[];
  /** The same scoring over every name, without the index: the baseline the index is measured against. */
  searchNaive(query: NameQuery, options?: SearchOptions): EntityMatch[];
  entity(id: string): IndexedEntity | undefined;
}

interface NameSlot {
  entity: number;
  kind: ListNameKind;
  value: string;
  prepared: PreparedName;
}

const PERSONLIKE: Record<string, NameKind> = {
  person: 'person',
  organization: 'organization',
  vessel: 'organization',
  aircraft: 'organization',
  wallet: 'unknown',
};

/**
 * Builds the name index: each name is prepared once, and its retrieval keys (tokens, phonetic and
 * variant forms) go into an inverted index, so a query scores only the names that share a key with
 * it — the cost of a query does not grow with the size of the lists. Identifiers are indexed too:
 * an exact identifier finds its entity whatever the name.
 */
export function buildNameIndex(entries: Iterable<IndexedEntity>): NameIndex {
  const builder = createNameIndexBuilder();
  for (const e of entries) builder.add(e);
  return builder.finish();
}

/**
 * The same build, fed one entity at a time, so a server can build in slices between requests
 * (yielding to its event loop) instead of stalling them for the whole build.
 */
export function createNameIndexBuilder(): { add(e: IndexedEntity): void; finish(): NameIndex } {
  const entities: IndexedEntity[] = [];
  const byId = new Map<string, number>();
  const names: NameSlot[] = [];
  const postingsBuild = new Map<string, number[]>();
  const identifiers = new Map<string, number[]>();
  // Each name's signature (see names/bound.ts), where it starts in one flat array.
  const signatures = createSignatureBuffer();
  const signatureAt: number[] = [];

  function add(e: IndexedEntity): void {
    const idx = entities.length;
    entities.push(e);
    byId.set(e.entity.id, idx);
    const kind = PERSONLIKE[e.entity.kind] ?? 'unknown';
    const seen = new Set<string>();
    for (const n of e.entity.names) {
      const dedupe = `${n.kind}\u0000${n.value}`;
      if (seen.has(dedupe) || n.value.trim() === '') continue;
      seen.add(dedupe);
      const slot = names.length;
      const prepared = prepareName(n.value, kind);
      names.push({ entity: idx, kind: n.kind, value: n.value, prepared });
      signatureAt.push(writeSignature(signatures, prepared));
      for (const key of retrievalKeys(prepared)) {
        const list = postingsBuild.get(key);
        if (list) {
          if (list[list.length - 1] !== slot) list.push(slot);
        } else postingsBuild.set(key, [slot]);
      }
    }
    for (const id of e.entity.identifiers) {
      const key = identifierKey(id.value);
      if (key.length < 4) continue;
      const list = identifiers.get(key);
      if (list) list.push(idx);
      else identifiers.set(key, [idx]);
    }
  }

  function finish(): NameIndex {
    warmUp();
    // Each key weighs its inverse document frequency: a rare surname says far more than "mohammad".
    // Keys are numbered; their postings sit in one flat array, and so do the keys of each name.
    const keyIds = new Map<string, number>();
    const keyCount = postingsBuild.size;
    const idf = new Float64Array(keyCount);
    const postingStart = new Int32Array(keyCount + 1);
    const total = Math.max(1, names.length);
    let postingTotal = 0;
    for (const [k, v] of postingsBuild) {
      const id = keyIds.size;
      keyIds.set(k, id);
      idf[id] = Math.log(1 + total / v.length);
      postingTotal += v.length;
      postingStart[id + 1] = postingTotal;
    }
    const postingData = new Int32Array(postingTotal);
    // Per name, side by side (one cache line per name touched): the IDF weight of the keys it
    // shares with the current query, and its key mass (the IDFs of all its keys).
    const shared = new Float32Array(2 * names.length);
    const nameKeyStart = new Int32Array(names.length + 1);
    for (const [k, v] of postingsBuild) {
      const id = keyIds.get(k) as number;
      postingData.set(v, postingStart[id] as number);
      for (const slot of v) {
        const at = 2 * slot + 1;
        shared[at] = (shared[at] as number) + (idf[id] as number);
        nameKeyStart[slot + 1] = (nameKeyStart[slot + 1] as number) + 1;
      }
    }
    for (let i = 0; i < names.length; i++)
      nameKeyStart[i + 1] = (nameKeyStart[i + 1] as number) + (nameKeyStart[i] as number);
    const nameKeyData = new Int32Array(postingTotal);
    const nameKeyFill = nameKeyStart.slice(0, names.length);
    for (let id = 0; id < keyCount; id++)
      for (let p = postingStart[id] as number; p < (postingStart[id + 1] as number); p++) {
        const slot = postingData[p] as number;
        const at = nameKeyFill[slot] as number;
        nameKeyData[at] = id;
        nameKeyFill[slot] = at + 1;
      }
    const signatureData = signatures.ints.slice(0, signatures.length);
    const signatureStart = new Int32Array(signatureAt);
    const querySignature = createSignatureBuffer();
    const touched = new Int32Array(names.length);
    const rank = new Float64Array(names.length);
    const bestSlots = new Int32Array(DEFAULT_MAX_CANDIDATES);
    const bestRanks = new Float64Array(DEFAULT_MAX_CANDIDATES);
    // the query's keys (rarest first), their IDFs, and the IDF of those still to be read
    const queryKeys = new Int32Array(MAX_QUERY_KEYS);
    const queryIdf = new Float64Array(MAX_QUERY_KEYS);
    const d: IndexData = {
      entities,
      byId,
      names,
      identifiers,
      keyIds,
      idf,
      postingStart,
      postingData,
      shared,
      nameKeyStart,
      nameKeyData,
      signatureData,
      signatureStart,
      querySignature,
      touched,
      rank,
      bestSlots,
      bestRanks,
      queryKeys,
      queryIdf,
      lastTouched: 0,
      entityStamp: new Int32Array(entities.length),
      entityScore: new Float64Array(entities.length),
      entitySlot: new Int32Array(entities.length),
      entitiesMet: new Int32Array(entities.length),
      searchStamp: 0,
    };
    const index: NameIndex = {
      entityCount: entities.length,
      nameCount: names.length,
      keyCount,
      entity: (id) => {
        const idx = byId.get(id);
        return idx === undefined ? undefined : entities[idx];
      },
      search(query, options = {}) {
        const prepared = prepareName(query.name, query.kind);
        const found = retrieve(d, prepared, options.maxCandidates ?? DEFAULT_MAX_CANDIDATES);
        return score(d, query, prepared, found, identifierHits(d, query), options);
      },
      explainRetrieval(query) {
        const prepared = prepareName(query.name, query.kind);
        const keys = distinctKeys(prepared);
        const found = retrieve(d, prepared, DEFAULT_MAX_CANDIDATES);
        const candidates = found.map((slot) => {
          const n = names[slot] as NameSlot;
          return { entityId: entityAt(d, n.entity).id, name: n.value };
        });
        return { keys, touched: d.lastTouched, scored: found.length, candidates };
      },
      searchNaive(query, options = {}) {
        const prepared = prepareName(query.name, query.kind);
        return score(d, query, prepared, names.keys(), identifierHits(d, query), options);
      },
    };
    if (!queryPathWarm && names.length >= WARM_UP_MIN_NAMES) {
      queryPathWarm = true;
      for (const q of warmUpQueries(entities)) index.search(q, { minScore: 0.5 });
    }
    return index;
  }

  return { add, finish };
}

/**
 * Everything a built index holds, in one object: the search functions below live at module level
 * and take it as their first argument, so every index of the process shares their compiled code
 * (closures made per index would each be compiled, and deoptimised, anew after every rebuild).
 */
interface IndexData {
  entities: IndexedEntity[];
  byId: Map<string, number>;
  names: NameSlot[];
  identifiers: Map<string, number[]>;
  keyIds: Map<string, number>;
  idf: Float64Array;
  postingStart: Int32Array;
  postingData: Int32Array;
  /** Per name, side by side: the IDF of the keys it shares with the current query, and its key mass. */
  shared: Float32Array;
  nameKeyStart: Int32Array;
  nameKeyData: Int32Array;
  signatureData: Int32Array;
  signatureStart: Int32Array;
  querySignature: SignatureBuffer;
  /** Scratch of a query: the names met, their ranks, the best ones. */
  touched: Int32Array;
  rank: Float64Array;
  bestSlots: Int32Array;
  bestRanks: Float64Array;
  /** The query's keys (rarest first) and their IDFs. */
  queryKeys: Int32Array;
  queryIdf: Float64Array;
  /** How many names the last retrieval met. */
  lastTouched: number;
  /**
   * Scratch of scoring, per entity: the number of the search that last scored it, its best score
   * and the slot of that name then (-1: found by identifier); and the entities met, in order.
   */
  entityStamp: Int32Array;
  entityScore: Float64Array;
  entitySlot: Int32Array;
  entitiesMet: Int32Array;
  /** Numbers the searches, for `entityStamp`. */
  searchStamp: number;
}

/**
 * A rank no name met later can reach and still be kept: a third of the best rank so far, or
 * the `max`-th best rank so far (`max` names already rank above it). Ranks so far only grow.
 */
function floorSoFar(d: IndexData, n: number, queryMass: number, max: number): number {
  const { shared, touched, bestRanks } = d;
  if (n === 0 || max < 1) return 0;
  let top = 0;
  let kept = 0;
  let kth = 0;
  const ranks = max <= bestRanks.length ? bestRanks : new Float64Array(max);
  for (let i = 0; i < n; i++) {
    const at = 2 * (touched[i] as number);
    const r = (2 * (shared[at] as number)) / (queryMass + (shared[at + 1] as number));
    if (r > top) top = r;
    if (kept === max && r <= kth) continue;
    // the `max` best so far, sorted, highest first
    let k = kept < max ? kept++ : max - 1;
    for (; k > 0 && (ranks[k - 1] as number) < r; k--) ranks[k] = ranks[k - 1] as number;
    ranks[k] = r;
    kth = ranks[kept - 1] as number;
  }
  return Math.max(top / 3, kept === max ? kth : 0);
}

/**
 * The names worth scoring for a query, best first: every name sharing a key with it, ranked by
 * the IDF-weighted Dice coefficient of their key sets (what they share over what both carry, as
 * the comparison weighs aligned tokens over all tokens), those within a third of the best, at
 * most `max`.
 *
 * Keys are read rarest first. A name first met at a key shares at most that key and the rarer
 * ones after it, so its rank is at most 2r / (q + r) for r their IDF (q the query's mass: the
 * name's own mass holds at least what it shares). Once that bound falls below a third of the
 * best rank so far (which only grows), no name not met yet can be kept, and the common keys
 * left ("mohammad") are read from the names already met instead of their long postings.
 */
function retrieve(d: IndexData, prepared: PreparedName, max: number): number[] {
  const {
    keyIds,
    idf,
    postingStart,
    postingData,
    shared,
    nameKeyStart,
    nameKeyData,
    touched,
    rank,
    bestSlots,
    bestRanks,
    queryKeys,
    queryIdf,
  } = d;
  let nk = 0;
  let queryMass = 0;
  for (const key of retrievalKeys(prepared)) {
    const id = keyIds.get(key);
    if (id === undefined) continue;
    let dup = false;
    for (let k = 0; k < nk; k++) if (queryKeys[k] === id) dup = true;
    if (dup || nk === MAX_QUERY_KEYS) continue;
    // insertion by IDF, highest first; equal IDFs in the query's order
    const w = idf[id] as number;
    let k = nk++;
    for (; k > 0 && (queryIdf[k - 1] as number) < w; k--) {
      queryKeys[k] = queryKeys[k - 1] as number;
      queryIdf[k] = queryIdf[k - 1] as number;
    }
    queryKeys[k] = id;
    queryIdf[k] = w;
    queryMass += w;
  }
  let rest = queryMass;
  let n = 0;
  let j = 0;
  for (; j < nk; j++) {
    const id = queryKeys[j] as number;
    const start = postingStart[id] as number;
    const end = postingStart[id + 1] as number;
    // Reading the ranks so far costs a pass over the names met: worth it before a longer
    // posting, when the bound is low enough for them to matter (a rank is at most 1). With a
    // margin for the single-precision sums.
    const bound = (2 * rest * BOUND_SLACK) / (queryMass + rest);
    if (end - start > n && (bound < 1 / 3 || n >= max) && bound < floorSoFar(d, n, queryMass, max)) break;
    const w = queryIdf[j] as number;
    rest -= w;
    for (let p = start; p < end; p++) {
      const slot = postingData[p] as number;
      const at = 2 * slot;
      const before = shared[at] as number;
      if (before === 0) touched[n++] = slot;
      shared[at] = before + w;
    }
  }
  // The keys left can only add to the names met. A short posting is read as is (skipping the
  // names not met); the long ones are looked for among each met name's own few keys instead.
  let longKeys = 0;
  for (let k = j; k < nk; k++) {
    const id = queryKeys[k] as number;
    const end = postingStart[id + 1] as number;
    const start = postingStart[id] as number;
    if (end - start > LONG_POSTING * n) {
      queryKeys[j + longKeys] = id;
      queryIdf[j + longKeys] = queryIdf[k] as number;
      longKeys++;
      continue;
    }
    const w = queryIdf[k] as number;
    for (let p = start; p < end; p++) {
      const at = 2 * (postingData[p] as number);
      const before = shared[at] as number;
      if (before !== 0) shared[at] = before + w;
    }
  }
  if (longKeys > 0) {
    const last = j + longKeys;
    for (let i = 0; i < n; i++) {
      const slot = touched[i] as number;
      let add = 0;
      const end = nameKeyStart[slot + 1] as number;
      for (let p = nameKeyStart[slot] as number; p < end; p++) {
        const id = nameKeyData[p] as number;
        for (let k = j; k < last; k++) if (queryKeys[k] === id) add += queryIdf[k] as number;
      }
      if (add !== 0) shared[2 * slot] = (shared[2 * slot] as number) + add;
    }
  }
  d.lastTouched = n;
  let top = 0;
  for (let i = 0; i < n; i++) {
    const at = 2 * (touched[i] as number);
    const r = (2 * (shared[at] as number)) / (queryMass + (shared[at + 1] as number));
    rank[i] = r;
    if (r > top) top = r;
    shared[at] = 0;
  }
  // the best `max` of those within a third of the best, kept sorted; ties to the earlier listed name
  let slotsOut = bestSlots;
  let ranksOut = bestRanks;
  if (max > slotsOut.length) {
    slotsOut = new Int32Array(max);
    ranksOut = new Float64Array(max);
  }
  let kept = 0;
  const cut = top / 3;
  for (let i = 0; i < n; i++) {
    const r = rank[i] as number;
    if (r < cut) continue;
    const slot = touched[i] as number;
    if (kept === max) {
      const last = ranksOut[max - 1] as number;
      if (r < last || (r === last && slot > (slotsOut[max - 1] as number))) continue;
      kept--;
    }
    let k = kept;
    for (; k > 0; k--) {
      const rk = ranksOut[k - 1] as number;
      if (rk > r || (rk === r && (slotsOut[k - 1] as number) < slot)) break;
      ranksOut[k] = rk;
      slotsOut[k] = slotsOut[k - 1] as number;
    }
    ranksOut[k] = r;
    slotsOut[k] = slot;
    kept++;
  }
  const out = new Array<number>(kept);
  for (let i = 0; i < kept; i++) out[i] = slotsOut[i] as number;
  return out;
}

function relatedOf(d: IndexData, e: ListEntity): RelatedEntity[] {
  const { entities, byId } = d;
  const out: RelatedEntity[] = [];
  for (const r of e.relations) {
    const target = byId.get(r.target);
    if (target === undefined) continue;
    const t = (entities[target] as IndexedEntity).entity;
    out.push({ id: t.id, name: primaryName(t), relation: r.type, programs: t.programs });
  }
  return out;
}

function score(
  d: IndexData,
  query: NameQuery,
  prepared: PreparedName,
  slots: Iterable<number>,
  extraEntities: Iterable<number>,
  options: SearchOptions,
): EntityMatch[] {
  const { names, signatureData, signatureStart, querySignature } = d;
  const evidence: QueryEvidence = {
    dob: query.dob,
    country: query.country,
    identifiers: query.identifiers,
    kind: query.kind,
  };
  // Ranking needs scores only: names are scored without explanations, and only the matches
  // returned are explained (the same comparison again, with its words). Each entity's best so
  // far sits in the index's scratch, stamped with this search's number (nothing to clear), and
  // the entities met are listed in the order first met.
  const { entityStamp, entityScore, entitySlot, entitiesMet } = d;
  let stamp = (d.searchStamp + 1) | 0;
  if (stamp === 0) {
    // wrapped around (after 2^32 searches): no stamp in the scratch may match a later one
    entityStamp.fill(0);
    stamp = 1;
  }
  d.searchStamp = stamp;
  let met = 0;
  // Evidence beyond the name adds at most what the query's date of birth and country can add
  // (identifier hits are scored anyway, and with identifiers the margin stays wide), so a name
  // that cannot reach minScore even with it is not worth the evidence scoring. The scores are
  // rounded to four decimals: the floor keeps a unit below.
  const margin = (query.identifiers?.length ?? 0) > 0 ? IDENTIFIER_MARGIN : evidenceMargin(evidence);
  const floor = (options.minScore ?? 0) - margin - 0.0001;
  // and a name whose tokens cannot align well enough to reach the floor is not worth comparing
  const bounded = floor > 0;
  if (bounded) {
    querySignature.length = 0;
    writeSignature(querySignature, prepared);
  }
  for (const slot of slots) {
    if (bounded && !mayReach(querySignature.ints, 0, signatureData, signatureStart[slot] as number, floor))
      continue;
    const n = names[slot] as NameSlot;
    const ns = nameScore(prepared, n.prepared);
    if (ns < floor) continue;
    const e = n.entity;
    const s = matchScore(ns, n.kind, evidence, entityAt(d, e));
    // an entity scores as its best name; between equal names, the one listed first
    if (entityStamp[e] === stamp) {
      const current = entityScore[e] as number;
      if (current > s || (current === s && (entitySlot[e] as number) < slot)) continue;
    } else {
      entityStamp[e] = stamp;
      entitiesMet[met++] = e;
    }
    entityScore[e] = s;
    entitySlot[e] = slot;
  }
  for (const idx of extraEntities) {
    if (entityStamp[idx] === stamp) continue;
    const ns = nameScore(prepared, prepareName(primaryName(entityAt(d, idx))));
    entityStamp[idx] = stamp;
    entitiesMet[met++] = idx;
    entityScore[idx] = matchScore(ns, 'primary', evidence, entityAt(d, idx));
    entitySlot[idx] = -1;
  }
  const minScore = options.minScore ?? 0;
  const ranked: Ranked[] = [];
  for (let i = 0; i < met; i++) {
    const e = entitiesMet[i] as number;
    const score = entityScore[e] as number;
    if (score >= minScore) ranked.push({ entity: e, slot: entitySlot[e] as number, score });
  }
  ranked.sort(
    (a, b) => b.score - a.score || ID_ORDER.compare(entityAt(d, a.entity).id, entityAt(d, b.entity).id),
  );
  const out: EntityMatch[] = [];
  for (const r of ranked.slice(0, options.limit ?? 10)) out.push(explainMatch(d, r, prepared, evidence));
  return out;
}

function entityAt(d: IndexData, idx: number): ListEntity {
  const { entities } = d;
  return (entities[idx] as IndexedEntity).entity;
}

/** The returned match, explained: aligned tokens, unmatched ones, every feature. */
function explainMatch(d: IndexData, r: Ranked, prepared: PreparedName, evidence: QueryEvidence): EntityMatch {
  const { entities, names } = d;
  const ie = entities[r.entity] as IndexedEntity;
  const e = ie.entity;
  const slot = r.slot >= 0 ? (names[r.slot] as NameSlot) : undefined;
  const comparison = compareNames(prepared, slot ? slot.prepared : prepareName(primaryName(e)));
  const kind = slot?.kind ?? 'primary';
  const { score, features } = scoreMatch(comparison, kind, evidence, e);
  return {
    entityId: e.id,
    source: e.source,
    versionId: ie.versionId,
    kind: e.kind,
    name: primaryName(e),
    matchedName: slot?.value ?? primaryName(e),
    matchedNameKind: kind,
    score,
    nameScore: comparison.score,
    comparison,
    features,
    programs: e.programs,
    related: relatedOf(d, e),
  };
}

function identifierHits(d: IndexData, query: NameQuery): number[] {
  const { identifiers } = d;
  const out: number[] = [];
  for (const id of query.identifiers ?? []) {
    for (const idx of identifiers.get(identifierKey(id.value)) ?? []) out.push(idx);
  }
  return out;
}

/** Whether this process has run a search yet (see `warmUpQueries`). */
let queryPathWarm = false;

/** The first index at least this large warms the query path; smaller ones would not exercise it. */
const WARM_UP_MIN_NAMES = 2_000;

/** Names in the scripts that take their own paths (original script, Han readings, unvowelled). */
const SCRIPT_QUERIES = [
  'Иван Петрович Сидоров',
  'كريم عبد الله العليان',
  'שלום כהן',
  '金正恩',
  '김정은',
  '山田太郎',
  'Γιώργος Παπαδόπουλος',
  'M. D. S. IMPORT EXPORT CO., LTD.',
];

/**
 * Queries made from the index's own names, the way screening traffic varies them: as listed, with a
 * typo, reordered, family name first after a comma; with a full, year-only or day/month-swapped date
 * of birth, a country, an identifier. The first large index of a process runs them once, so the
 * compiler has seen every path of a search (scripts, Han readings, typos, each date outcome) before
 * the first request instead of recompiling on live traffic.
 */
function warmUpQueries(entities: readonly IndexedEntity[]): NameQuery[] {
  const out: NameQuery[] = SCRIPT_QUERIES.map((name) => ({ name }));
  const step = Math.max(1, Math.floor(entities.length / 40));
  for (let i = 0; i < entities.length; i += step) {
    const e = (entities[i] as IndexedEntity).entity;
    const n = out.length;
    const name = e.names[n % e.names.length]?.value;
    if (!name) continue;
    const birth = e.dates.find((d) => d.kind === 'birth')?.value ?? '';
    const full = /^\d{4}-\d{2}-\d{2}$/.test(birth) ? birth : undefined;
    const country = e.countries[0]?.country;
    const words = name.split(/\s+/).filter(Boolean);
    const kind: NameKind | undefined = n % 3 === 0 ? undefined : PERSONLIKE[e.kind];
    out.push({ name, dob: full, country, kind });
    out.push({
      name: words.map((w, k) => (k === n % words.length ? typo(w) : w)).join(' '),
      dob: full ? `${Number(full.slice(0, 4)) + (n % 2)}` : undefined,
      country: n % 2 ? country : 'US',
    });
    if (words.length > 1)
      out.push({
        name: `${words[words.length - 1]}, ${words.slice(0, -1).reverse().join(' ')}`,
        dob: full ? `${full.slice(0, 5)}${full.slice(8, 10)}-${full.slice(5, 7)}` : undefined,
        identifiers: e.identifiers[0] ? [{ value: e.identifiers[0].value }] : undefined,
      });
  }
  return out;
}

/** A word with two letters swapped and one doubled (`ABDULLAH` → `ABDLULLAH`). */
function typo(word: string): string {
  if (word.length < 4) return word;
  const mid = word.length >> 1;
  return `${word.slice(0, mid - 1)}${word[mid]}${word[mid - 1]}${word.slice(mid, mid + 1)}${word.slice(mid + 1)}`;
}

/** At most this many distinct keys of a query are read (retrievalKeys gives fewer). */
const MAX_QUERY_KEYS = 64;

/**
 * A key left once no new name can be kept is looked for among the met names' own keys when its
 * posting is this many times longer than the names met (each has up to a dozen keys to compare).
 */
const LONG_POSTING = 4;

/** Relative margin on the rank bound of names not met yet, above single-precision rounding. */
const BOUND_SLACK = 1 + 1e-5;

/** A scored name during ranking: its entity, the slot of the name (-1: matched by identifier), the score. */
interface Ranked {
  entity: number;
  slot: number;
  score: number;
}

/** Equal scores are ordered by entity id, as `localeCompare` orders them (one collator, made once). */
const ID_ORDER = new Intl.Collator();

/** How far below minScore names are still scored when the query carries identifiers. */
const IDENTIFIER_MARGIN = 0.15;

/** How many names a query scores at most, by default (the rest share less of the query's keys). */
export const DEFAULT_MAX_CANDIDATES = 24;

/** A name's retrieval keys without repeats, in order. */
function distinctKeys(prepared: PreparedName): string[] {
  const keys = retrievalKeys(prepared);
  const out: string[] = [];
  for (const k of keys) if (!out.includes(k)) out.push(k);
  return out;
}

/** Identifiers compare without spaces, dashes, dots or slashes, case-insensitively. */
export function identifierKey(value: string): string {
  let out = '';
  for (const ch of value.toUpperCase()) if (/[\p{L}\p{N}]/u.test(ch)) out += ch;
  return out;
}

function primaryName(e: ListEntity): string {
  return (e.names.find((n) => n.kind === 'primary') ?? e.names[0])?.value ?? e.id;
}
