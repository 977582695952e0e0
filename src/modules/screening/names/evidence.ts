/**
 * The full score of a query against a listed entity: the name comparison adjusted by the kind of
 * listed name and by the evidence beyond the name (birth date, country, identifiers, entity kind).
 */
import type { NameComparison } from './compare.js';
import type { NameKind } from './prepare.js';

/** A score at or above this is a match. */
export const DEFAULT_THRESHOLD = 0.85;
/** Lower bound of the review band: below it a candidate is dismissed. */
export const REVIEW_THRESHOLD = 0.7;

/** Evidence beyond the name for a person/organization query against a list entity. */
export interface QueryEvidence {
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` */
  dob?: string;
  /** ISO 3166-1 alpha-2 */
  country?: string;
  identifiers?: { type?: string; value: string }[];
  kind?: NameKind;
}

/** What scoring needs of a listed entity (a `ListEntity` fits). */
export interface EntityEvidence {
  kind: string;
  dates: { kind: string; value: string }[];
  countries: { country: string; role: string }[];
  identifiers: { type: string; value: string }[];
}

/** One contribution to a score, explained. */
export interface Feature {
  name: string;
  /** Contribution, may be negative. */
  value: number;
  detail: string;
}

/** Kinds of listed names. */
export type ListedNameKind = 'primary' | 'strong_alias' | 'weak_alias' | 'original_script' | 'former_name';

/**
 * What each kind of listed name is worth. A weak alias is too vague to screen on alone: its
 * factor keeps even a perfect name match below DEFAULT_THRESHOLD, so only other evidence lifts it.
 */
const NAME_KIND_FACTOR: Record<ListedNameKind, number> = {
  primary: 1,
  strong_alias: 1,
  original_script: 1,
  former_name: 0.97,
  weak_alias: 0.82,
};

const DOB_EXACT = 0.08;
const DOB_MONTH = 0.05;
const DOB_YEAR = 0.03;
const DOB_SWAPPED = 0.03;
const DOB_NEAR = -0.02;
const DOB_CONFLICT = -0.2;
const COUNTRY_MATCH = 0.02;
const COUNTRY_MISMATCH = -0.04;
const IDENTIFIER_DECISIVE = 0.99;
const IDENTIFIER_MISMATCH = -0.05;
const KIND_MISMATCH = -0.25;
const KIND_LOOSE = -0.05;

interface PartialDate {
  y: number;
  m?: number;
  d?: number;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Two digits at `at`, or -1. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at);
  const b = s.charCodeAt(at + 1);
  return isDigit(a) && isDigit(b) ? (a - 48) * 10 + (b - 48) : -1;
}

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` at the start of the value (after spaces); `00` means unknown. */
function parseDate(value: string): PartialDate | undefined {
  const s = value.trim();
  for (let i = 0; i < 4; i++) if (!isDigit(s.charCodeAt(i))) return undefined;
  // one shape for every date (unknown parts undefined), so the comparisons stay monomorphic
  const out: PartialDate = { y: Number(s.slice(0, 4)), m: undefined, d: undefined };
  if (s.charCodeAt(4) !== 45) return out; // '-'
  const m = twoDigits(s, 5);
  if (m < 0) return out;
  if (m !== 0) out.m = m;
  if (s.charCodeAt(7) !== 45) return out;
  const d = twoDigits(s, 8);
  if (d > 0 && out.m !== undefined) out.d = d;
  return out;
}

/** The last query date parsed: a query is scored against many entities. */
let lastDob: string | undefined;
let lastDobParsed: PartialDate | undefined;

function parseQueryDate(dob: string): PartialDate | undefined {
  if (dob !== lastDob) {
    lastDob = dob;
    lastDobParsed = parseDate(dob);
  }
  return lastDobParsed;
}

type DobOutcome = 'exact' | 'month' | 'year' | 'swapped' | 'near' | 'conflict';
const DOB_RANK: Record<DobOutcome, number> = {
  exact: 5,
  month: 4,
  year: 3,
  swapped: 2,
  near: 1,
  conflict: 0,
};

function compareDates(q: PartialDate, e: PartialDate): DobOutcome {
  if (q.y === e.y) {
    if (q.m === undefined || e.m === undefined) return 'year';
    if (q.m === e.m) {
      if (q.d === undefined || e.d === undefined) return 'month';
      return q.d === e.d ? 'exact' : 'near';
    }
    if (q.d !== undefined && e.d !== undefined && q.m === e.d && q.d === e.m) return 'swapped';
    return 'near';
  }
  return Math.abs(q.y - e.y) <= 1 ? 'near' : 'conflict';
}

const DOB_VALUE: Record<DobOutcome, number> = {
  exact: DOB_EXACT,
  month: DOB_MONTH,
  year: DOB_YEAR,
  swapped: DOB_SWAPPED,
  near: DOB_NEAR,
  conflict: DOB_CONFLICT,
};

const DOB_FEATURE: Record<DobOutcome, string> = {
  exact: 'dob_exact',
  month: 'dob_month',
  year: 'dob_year',
  swapped: 'dob_day_month_swapped',
  near: 'dob_near',
  conflict: 'dob_conflict',
};

/**
 * The listed date of birth (or incorporation) the query's date agrees with best, and how, or
 * undefined when either side has none.
 */
function bestDob(
  dob: string | undefined,
  entity: EntityEvidence,
): { outcome: DobOutcome; value: string } | undefined {
  if (dob === undefined || dob === '') return undefined;
  const q = parseQueryDate(dob);
  if (!q) return undefined;
  let best: { outcome: DobOutcome; value: string } | undefined;
  for (const date of entity.dates) {
    if (date.kind !== 'birth' && date.kind !== 'incorporation') continue;
    const e = parseDate(date.value);
    if (!e) continue;
    const outcome = compareDates(q, e);
    if (!best || DOB_RANK[outcome] > DOB_RANK[best.outcome]) best = { outcome, value: date.value };
  }
  return best;
}

function dobFeature(dob: string | undefined, entity: EntityEvidence): Feature | undefined {
  const best = bestDob(dob, entity);
  if (!best) return undefined;
  return {
    name: DOB_FEATURE[best.outcome],
    value: DOB_VALUE[best.outcome],
    detail: `${dob} vs listed ${best.value}`,
  };
}

/** Whether the query's country is listed for the entity: 1 listed, -1 not listed, 0 no country on either side. */
function countryOutcome(country: string | undefined, entity: EntityEvidence): number {
  if (country === undefined || entity.countries.length === 0) return 0;
  const q = country.trim().toUpperCase();
  if (q === '') return 0;
  for (const c of entity.countries) if (c.country.trim().toUpperCase() === q) return 1;
  return -1;
}

function countryFeature(country: string | undefined, entity: EntityEvidence): Feature | undefined {
  const outcome = countryOutcome(country, entity);
  if (outcome === 0) return undefined;
  const q = (country as string).trim().toUpperCase();
  if (outcome > 0) return { name: 'country_match', value: COUNTRY_MATCH, detail: `${q} listed` };
  const listed = [...new Set(entity.countries.map((c) => c.country.trim().toUpperCase()))];
  return { name: 'country_mismatch', value: COUNTRY_MISMATCH, detail: `${q} vs listed ${listed.join(', ')}` };
}

/** Identifiers compare on letters and digits only, case-insensitively. */
function identifierKey(value: string): string {
  return value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

function identifierFeature(query: QueryEvidence, entity: EntityEvidence): Feature | undefined {
  const ids = query.identifiers ?? [];
  if (ids.length === 0 || entity.identifiers.length === 0) return undefined;
  const listed = entity.identifiers.map((i) => ({
    type: i.type.toLowerCase(),
    key: identifierKey(i.value),
    value: i.value,
  }));
  let sameTypeSeen = false;
  for (const id of ids) {
    const key = identifierKey(id.value);
    if (key.length < 4) continue;
    const type = id.type?.toLowerCase();
    for (const l of listed) {
      if (l.key === key) {
        const typeNote =
          type !== undefined && type !== l.type ? ` (given as ${type}, listed as ${l.type})` : '';
        return { name: 'identifier_match', value: 1, detail: `${l.type} ${l.value}${typeNote}` };
      }
      if (type !== undefined && type === l.type) sameTypeSeen = true;
    }
  }
  if (sameTypeSeen)
    return {
      name: 'identifier_mismatch',
      value: IDENTIFIER_MISMATCH,
      detail: 'listed identifiers of that type differ',
    };
  return undefined;
}

function kindFeature(kind: NameKind | undefined, entity: EntityEvidence): Feature | undefined {
  if (kind === undefined || kind === 'unknown') return undefined;
  const e = entity.kind;
  if (kind === 'person') {
    if (e === 'person') return undefined;
    return { name: 'kind_mismatch', value: KIND_MISMATCH, detail: `person query, listed ${e}` };
  }
  if (e === 'person')
    return { name: 'kind_mismatch', value: KIND_MISMATCH, detail: `organization query, listed person` };
  if (e === 'vessel' || e === 'aircraft')
    return { name: 'kind_loose', value: KIND_LOOSE, detail: `organization query, listed ${e}` };
  return undefined;
}

/**
 * The most that evidence other than an identifier can add to a name score for this query (an exact
 * date of birth and a listed country), so a search can skip names that cannot reach its threshold.
 */
export function evidenceMargin(query: QueryEvidence): number {
  let margin = 0;
  if (query.dob !== undefined && query.dob !== '') margin += DOB_EXACT;
  if (query.country !== undefined && query.country.trim() !== '') margin += COUNTRY_MATCH;
  return margin;
}

/**
 * The full score of a query against an entity whose best-matching name is given: the name score
 * scaled by what the listed name is worth (weak aliases less), plus birth date, country and
 * identifier evidence and an entity-kind check. An exact identifier match is decisive (≥ 0.99).
 */
export function scoreMatch(
  name: NameComparison,
  nameKind: ListedNameKind,
  query: QueryEvidence,
  entity: EntityEvidence,
): { score: number; features: Feature[] } {
  const features: Feature[] = [{ name: 'name', value: name.score, detail: describe(name) }];
  const factor = NAME_KIND_FACTOR[nameKind] ?? 1;
  if (factor !== 1) {
    features.push({
      name: 'name_kind',
      value: round(name.score * factor - name.score),
      detail: `matched a ${nameKind.replace('_', ' ')}`,
    });
  }
  const dob = dobFeature(query.dob, entity);
  if (dob) features.push(dob);
  const country = countryFeature(query.country, entity);
  if (country) features.push(country);
  const kind = kindFeature(query.kind, entity);
  if (kind) features.push(kind);
  const identifier = identifierFeature(query, entity);
  let decisive = false;
  if (identifier?.name === 'identifier_match') {
    decisive = true;
  } else if (identifier) features.push(identifier);

  let score = 0;
  for (const f of features) score += f.value;
  score = Math.min(1, Math.max(0, score));
  if (decisive && identifier) {
    const lift = Math.max(IDENTIFIER_DECISIVE, score) - score;
    features.push({ ...identifier, value: round(lift) });
    score = Math.max(IDENTIFIER_DECISIVE, score);
  }
  return { score: round(score), features };
}

/**
 * `scoreMatch(comparison, nameKind, query, entity).score` from the name score alone, without the
 * features and their words: what ranking many names needs (the same sums in the same order).
 */
export function matchScore(
  nameScore: number,
  nameKind: ListedNameKind,
  query: QueryEvidence,
  entity: EntityEvidence,
): number {
  let score = 0;
  score += nameScore;
  const factor = NAME_KIND_FACTOR[nameKind] ?? 1;
  if (factor !== 1) score += round(nameScore * factor - nameScore);
  const dob = bestDob(query.dob, entity);
  if (dob) score += DOB_VALUE[dob.outcome];
  const country = countryOutcome(query.country, entity);
  if (country !== 0) score += country > 0 ? COUNTRY_MATCH : COUNTRY_MISMATCH;
  if (query.kind !== undefined && query.kind !== 'unknown') {
    const kind = kindFeature(query.kind, entity);
    if (kind) score += kind.value;
  }
  let decisive = false;
  if ((query.identifiers?.length ?? 0) > 0) {
    const identifier = identifierFeature(query, entity);
    if (identifier?.name === 'identifier_match') decisive = true;
    else if (identifier) score += identifier.value;
  }
  score = Math.min(1, Math.max(0, score));
  if (decisive) score = Math.max(IDENTIFIER_DECISIVE, score);
  return round(score);
}

function describe(name: NameComparison): string {
  const parts = name.aligned.map((a) =>
    a.how === 'exact' ? a.query : `${a.query}~${a.candidate} (${a.how})`,
  );
  if (name.unmatchedQuery.length > 0) parts.push(`query only: ${name.unmatchedQuery.join(' ')}`);
  if (name.unmatchedCandidate.length > 0) parts.push(`listed only: ${name.unmatchedCandidate.join(' ')}`);
  return parts.join('; ');
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
