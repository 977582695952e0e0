import type { ListEntity } from '../lists/index.js';
import {
  compareNames,
  type EntityEvidence,
  type Feature,
  type NameComparison,
  type NameKind,
  type PreparedName,
  prepareName,
  type QueryEvidence,
  retrievalKeys,
  scoreMatch,
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
  /** Upper bound on names scored per query (the most key-sharing first). */
  maxCandidates?: number;
}

/** An immutable in-memory index over every name of every active entity. */
export interface NameIndex {
  readonly entityCount: number;
  readonly nameCount: number;
  readonly keyCount: number;
  /** Retrieval statistics for a query (how many names share a key, how many are scored). */
  explainRetrieval(query: NameQuery): { keys: string[]; touched: number; scored: number };
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
    // Each key weighs its inverse document frequency: a rare surname says far more than "mohammad".
    const postings = new Map<string, { slots: Int32Array; idf: number }>();
    const total = Math.max(1, names.length);
    for (const [k, v] of postingsBuild)
      postings.set(k, { slots: Int32Array.from(v), idf: Math.log(1 + total / v.length) });
    const weight = new Float32Array(names.length);

    function evidenceOf(e: ListEntity): EntityEvidence {
      return { kind: e.kind, dates: e.dates, countries: e.countries, identifiers: e.identifiers };
    }

    function relatedOf(e: ListEntity): RelatedEntity[] {
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
      query: NameQuery,
      prepared: PreparedName,
      slots: Iterable<number>,
      extraEntities: Iterable<number>,
      options: SearchOptions,
    ): EntityMatch[] {
      const evidence: QueryEvidence = {
        dob: query.dob,
        country: query.country,
        identifiers: query.identifiers,
        kind: query.kind,
      };
      const best = new Map<number, EntityMatch>();
      // Evidence beyond the name adds at most EVIDENCE_MARGIN (identifier hits are scored anyway), so
      // a name that cannot reach minScore even with it is not worth the full evidence scoring.
      const floor = (options.minScore ?? 0) - EVIDENCE_MARGIN;
      const consider = (entityIdx: number, slot: NameSlot | undefined) => {
        const ie = entities[entityIdx] as IndexedEntity;
        const e = ie.entity;
        const comparison = slot
          ? compareNames(prepared, slot.prepared)
          : compareNames(prepared, prepareName(primaryName(e)));
        if (slot && comparison.score < floor) return;
        const kind = slot?.kind ?? 'primary';
        const { score: s, features } = scoreMatch(comparison, kind, evidence, evidenceOf(e));
        const current = best.get(entityIdx);
        if (current && current.score >= s) return;
        best.set(entityIdx, {
          entityId: e.id,
          source: e.source,
          versionId: ie.versionId,
          kind: e.kind,
          name: primaryName(e),
          matchedName: slot?.value ?? primaryName(e),
          matchedNameKind: kind,
          score: s,
          nameScore: comparison.score,
          comparison,
          features,
          programs: e.programs,
          related: [],
        });
      };
      for (const slot of slots) {
        const n = names[slot] as NameSlot;
        consider(n.entity, n);
      }
      for (const idx of extraEntities) if (!best.has(idx)) consider(idx, undefined);
      const minScore = options.minScore ?? 0;
      const out = [...best.values()].filter((m) => m.score >= minScore);
      out.sort((a, b) => b.score - a.score || a.entityId.localeCompare(b.entityId));
      const limited = out.slice(0, options.limit ?? 10);
      for (const m of limited)
        m.related = relatedOf((entities[byId.get(m.entityId) as number] as IndexedEntity).entity);
      return limited;
    }

    function identifierHits(query: NameQuery): number[] {
      const out: number[] = [];
      for (const id of query.identifiers ?? []) {
        for (const idx of identifiers.get(identifierKey(id.value)) ?? []) out.push(idx);
      }
      return out;
    }

    return {
      entityCount: entities.length,
      nameCount: names.length,
      keyCount: postings.size,
      entity: (id) => {
        const idx = byId.get(id);
        return idx === undefined ? undefined : entities[idx];
      },
      search(query, options = {}) {
        const prepared = prepareName(query.name, query.kind);
        const touched: number[] = [];
        for (const key of new Set(retrievalKeys(prepared))) {
          const posting = postings.get(key);
          if (!posting) continue;
          const { slots, idf } = posting;
          for (let i = 0; i < slots.length; i++) {
            const slot = slots[i] as number;
            if (weight[slot] === 0) touched.push(slot);
            weight[slot] = (weight[slot] as number) + idf;
          }
        }
        // Score only the names sharing the most (and rarest) keys with the query.
        const max = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
        let candidates = touched;
        if (touched.length > max) {
          let top = 0;
          for (const slot of touched) if ((weight[slot] as number) > top) top = weight[slot] as number;
          const strong = touched.filter((slot) => (weight[slot] as number) >= top / 3);
          candidates = strong.length > max ? topByWeight(strong, weight, max) : strong;
        }
        for (const slot of touched) weight[slot] = 0;
        return score(query, prepared, candidates, identifierHits(query), options);
      },
      explainRetrieval(query) {
        const prepared = prepareName(query.name, query.kind);
        const keys = retrievalKeys(prepared);
        const touched = new Set<number>();
        for (const key of keys) for (const slot of postings.get(key)?.slots ?? []) touched.add(slot);
        return { keys, touched: touched.size, scored: Math.min(touched.size, DEFAULT_MAX_CANDIDATES) };
      },
      searchNaive(query, options = {}) {
        const prepared = prepareName(query.name, query.kind);
        return score(query, prepared, names.keys(), identifierHits(query), options);
      },
    };
  }

  return { add, finish };
}

/** The most that evidence other than an identifier (date of birth, country) can add to a name score. */
const EVIDENCE_MARGIN = 0.15;

/** How many names a query scores at most, by default (the rest share fewer, commoner keys). */
export const DEFAULT_MAX_CANDIDATES = 32;

/** The `k` slots of highest weight (ties by slot order), without sorting everything. */
function topByWeight(slots: number[], weight: Float32Array, k: number): number[] {
  // Find the k-th largest weight with a small histogram-free selection: sort a copy of the weights.
  const ws = new Float32Array(slots.length);
  for (let i = 0; i < slots.length; i++) ws[i] = weight[slots[i] as number] as number;
  ws.sort();
  const cut = ws[ws.length - k] as number;
  const out: number[] = [];
  for (const s of slots) if ((weight[s] as number) > cut) out.push(s);
  for (const s of slots) {
    if (out.length >= k) break;
    if (weight[s] === cut) out.push(s);
  }
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
