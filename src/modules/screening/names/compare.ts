/**
 * Name comparison: order-independent alignment of prepared tokens, single and merged, scored by
 * token weight and explained.
 */
import { osaDistance } from './edit-distance.js';
import { jaroWinkler } from './jaro-winkler.js';
import type { NameToken, PreparedName } from './prepare.js';
import * as prepared from './prepare.js';

// Module-local copies of the token flags: the comparison loop reads them millions of times.
const { ACRONYM, COMMON, INITIAL, NUMBER, PARTICLE, VOWELLESS } = prepared;

/** How two aligned pieces of names were found to agree. */
export type MatchHow = 'exact' | 'variant' | 'phonetic' | 'edit' | 'initial' | 'merged' | 'acronym';

/** One aligned piece: query token(s), candidate token(s), how similar and why. */
export interface AlignedTokens {
  query: string;
  candidate: string;
  similarity: number;
  how: MatchHow;
}

/** The explained comparison of two names. */
export interface NameComparison {
  /** In [0,1]. */
  score: number;
  aligned: AlignedTokens[];
  unmatchedQuery: string[];
  unmatchedCandidate: string[];
  notes: string[];
}

/** Similarity credited to an initial standing for a full token (`J.` ↔ `John`). */
const INITIAL_SIMILARITY = 0.6;
/** Below this a token pair is not aligned. */
const MIN_SIMILARITY = 0.6;
/** Weight of an unmatched middle name relative to its own weight (missing middle names cost little). */
const MIDDLE_PENALTY = 0.5;
/** Highest score when only common or short tokens matched and the names say more. */
const COMMON_ONLY_CAP = 0.6;

/** The spelling levels shared by tokens and merged forms. */
interface Forms {
  text: string;
  skel: string;
  skelEa: string;
  cons: string;
  mask: number;
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

let how: MatchHow = 'exact';

/**
 * Typo similarity: Jaro-Winkler, kept only within an edit budget that grows with length, and
 * lowered by each edit relative to length. East Asian syllables are short and every letter counts
 * (`chen` and `cheng` are different names), so their edits cost three times as much.
 */
function editSimilarity(a: string, b: string, eastAsian: boolean): number {
  const la = a.length;
  const lb = b.length;
  const min = la < lb ? la : lb;
  const max = la < lb ? lb : la;
  if (min <= 2 || max - min > (max >= 8 ? 3 : 2)) return 0;
  const jw = jaroWinkler(a, b);
  if (jw < 0.8 || (max <= 4 && jw < 0.88)) return 0;
  const budget = max <= 5 ? 1 : max <= 9 ? 2 : 3;
  const d = osaDistance(a, b);
  if (d > budget) return 0;
  // one edit in a short token matters more than one in a long one
  return Math.min(jw, 1 - ((eastAsian ? 1.5 : 0.5) * d) / max);
}

/** Similarity of two spellings sharing a skeleton: high, less so the more letters differ. */
function skeletonSimilarity(a: string, b: string): number {
  const max = a.length > b.length ? a.length : b.length;
  const ratio = max === 0 ? 1 : 1 - osaDistance(a, b) / max;
  return 0.7 + 0.25 * ratio;
}

/** Similarity of two spellings at every level but the variant tables (sets `how`). */
function formSimilarity(a: Forms, b: Forms, eastAsian: boolean, vowelless: boolean): number {
  if (a.text === b.text) {
    how = 'exact';
    return 1;
  }
  let best = 0;
  if (eastAsian ? a.skelEa === b.skelEa : a.skel === b.skel) {
    best = skeletonSimilarity(a.text, b.text);
    how = 'phonetic';
  }
  if (vowelless && a.cons === b.cons && a.cons !== '') {
    // every consonant the script wrote agrees: as close as an unvowelled spelling can get
    const s = a.cons.length >= 2 ? 0.9 : 0.8;
    if (s > best) {
      best = s;
      how = 'phonetic';
    }
  }
  // typos keep most letters: skip the edit measures when the letter sets differ too much
  if (best < 0.95 && 3 * bitCount(a.mask ^ b.mask) <= bitCount(a.mask | b.mask)) {
    const e = editSimilarity(a.text, b.text, eastAsian);
    if (e > best) {
      best = e;
      how = 'edit';
    }
  }
  return best;
}

function intersects(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  for (const x of a) for (const y of b) if (x === y) return true;
  return false;
}

function isSurnameSlot(t: NameToken): boolean {
  return t.role === 'family' || t.role === 'sole';
}

/** Similarity of two tokens (sets `how`). */
function tokenSimilarity(a: NameToken, b: NameToken, eastAsian: boolean): number {
  if (a.text === b.text || (a.orig !== '' && a.orig === b.orig)) {
    how = 'exact';
    return 1;
  }
  const ai = (a.flags & INITIAL) !== 0;
  const bi = (b.flags & INITIAL) !== 0;
  if (ai || bi) {
    // initials stand for name parts of people; in an organisation a letter is just a letter
    if ((ai && bi) || a.role === 'org' || b.role === 'org') return 0;
    const full = ai ? b : a;
    const initial = ai ? a : b;
    if ((full.flags & (PARTICLE | NUMBER)) !== 0 || full.text.charCodeAt(0) !== initial.text.charCodeAt(0))
      return 0;
    how = 'initial';
    return INITIAL_SIMILARITY;
  }
  if ((a.flags | b.flags) & NUMBER) return 0;
  if (intersects(a.canon, b.canon)) {
    how = 'variant';
    return 0.95;
  }
  // unvowelled spellings (Arabic, Hebrew, Brahmic) are read against full spellings only
  const crossScript = ((a.flags ^ b.flags) & VOWELLESS) !== 0;
  if (crossScript && (intersects(a.consCanon, b.canon) || intersects(a.canon, b.consCanon))) {
    how = 'variant';
    return 0.93;
  }
  if (isSurnameSlot(a) && isSurnameSlot(b) && intersects(a.surname, b.surname)) {
    how = 'variant';
    return 0.93;
  }
  let s = formSimilarity(a, b, eastAsian, crossScript);
  if (
    s < 0.8 &&
    !eastAsian &&
    a.text.length >= 4 &&
    b.text.length >= 4 &&
    a.cons.length === b.cons.length &&
    a.dm1 !== '' &&
    (a.dm1 === b.dm1 || a.dm1 === b.dm2 || a.dm2 === b.dm1)
  ) {
    // a shared phonetic code and consonant structure (Catherine/Kathryn, Stephen/Steven) support,
    // but never make, a match
    const jw = jaroWinkler(a.skel, b.skel);
    if (jw >= 0.8) {
      s = 0.8;
      how = 'phonetic';
    }
  }
  return s;
}

/** A possible alignment: token index ranges on both sides (as bit masks) and its similarity. */
interface Candidate {
  q: number;
  c: number;
  s: number;
  how: MatchHow;
  gain: number;
}

const MAX_TOKENS = 30;

function maskOf(from: number, to: number): number {
  let m = 0;
  for (let k = from; k <= to && k < MAX_TOKENS; k++) m |= 1 << k;
  return m;
}

function weightOf(tokens: readonly NameToken[], mask: number): number {
  let w = 0;
  for (let k = 0; k < tokens.length && k < MAX_TOKENS; k++)
    if (mask & (1 << k)) w += (tokens[k] as NameToken).weight;
  return w;
}

function textOf(tokens: readonly NameToken[], mask: number): string {
  let out = '';
  for (let k = 0; k < tokens.length && k < MAX_TOKENS; k++) {
    if (mask & (1 << k))
      out = out === '' ? (tokens[k] as NameToken).text : `${out} ${(tokens[k] as NameToken).text}`;
  }
  return out;
}

const EMPTY: NameComparison = {
  score: 0,
  aligned: [],
  unmatchedQuery: [],
  unmatchedCandidate: [],
  notes: [],
};

/**
 * Scores two prepared names in [0,1], explained. A name written in Han characters is also read the
 * Korean and the Japanese way (`PreparedName.alternatives`): the best reading counts.
 */
export function compareNames(query: PreparedName, candidate: PreparedName): NameComparison {
  let best = compareReadings(query, candidate);
  if (query.alternatives.length === 0 && candidate.alternatives.length === 0) return best;
  let reading: string | undefined;
  for (const alt of query.alternatives) {
    const c = compareReadings(alt, candidate);
    if (c.score > best.score) {
      best = c;
      reading = alt.reading;
    }
  }
  for (const alt of candidate.alternatives) {
    const c = compareReadings(query, alt);
    if (c.score > best.score) {
      best = c;
      reading = alt.reading;
    }
  }
  if (reading !== undefined) best.notes.unshift(`Han name read as ${reading}`);
  return best;
}

/** Scores two readings of names. */
function compareReadings(query: PreparedName, candidate: PreparedName): NameComparison {
  const qt = query.tokens;
  const ct = candidate.tokens;
  const nq = Math.min(qt.length, MAX_TOKENS);
  const nc = Math.min(ct.length, MAX_TOKENS);
  if (nq === 0 || nc === 0)
    return {
      ...EMPTY,
      notes: [],
      unmatchedQuery: qt.map((t) => t.text),
      unmatchedCandidate: ct.map((t) => t.text),
    };
  // East Asian romanisation rules only between two East Asian names (`Lee Harvey Oswald` is not one)
  const eastAsian = query.eastAsian && candidate.eastAsian;
  const cands: Candidate[] = [];

  for (let i = 0; i < nq; i++) {
    const a = qt[i] as NameToken;
    for (let j = 0; j < nc; j++) {
      const b = ct[j] as NameToken;
      const s = tokenSimilarity(a, b, eastAsian);
      if (s >= MIN_SIMILARITY) cands.push({ q: 1 << i, c: 1 << j, s, how, gain: s * (a.weight + b.weight) });
    }
  }
  addMerged(query, candidate, eastAsian, cands, false);
  addMerged(candidate, query, eastAsian, cands, true);
  addAcronyms(query, candidate, cands, false);
  addAcronyms(candidate, query, cands, true);

  cands.sort((x, y) => y.s - x.s || y.gain - x.gain);
  let usedQ = 0;
  let usedC = 0;
  let num = 0;
  let den = 0;
  let strongMatched = false;
  const aligned: AlignedTokens[] = [];
  for (const cand of cands) {
    if (cand.q & usedQ || cand.c & usedC) continue;
    usedQ |= cand.q;
    usedC |= cand.c;
    let wq = weightOf(qt, cand.q);
    let wc = weightOf(ct, cand.c);
    if (cand.how === 'initial') {
      // an initial stands for a whole name part: it weighs what that part weighs
      if (wq < wc) wq = wc;
      else wc = wq;
    }
    num += cand.s * (wq + wc);
    den += wq + wc;
    if (cand.s >= 0.8 && hasStrongToken(qt, cand.q) && hasStrongToken(ct, cand.c)) strongMatched = true;
    aligned.push({
      query: textOf(qt, cand.q),
      candidate: textOf(ct, cand.c),
      similarity: round(cand.s),
      how: cand.how,
    });
  }

  const unmatchedQuery: string[] = [];
  const unmatchedCandidate: string[] = [];
  let unmatchedSubstance = false;
  let familyUnmatched = false;
  for (let i = 0; i < qt.length; i++) {
    if (i < MAX_TOKENS && usedQ & (1 << i)) continue;
    const t = qt[i] as NameToken;
    den += t.weight * (t.role === 'middle' ? MIDDLE_PENALTY : 1);
    unmatchedQuery.push(t.text);
    if ((t.flags & PARTICLE) === 0) unmatchedSubstance = true;
    if (t.role === 'family' && (t.flags & PARTICLE) === 0) familyUnmatched = true;
  }
  for (let j = 0; j < ct.length; j++) {
    if (j < MAX_TOKENS && usedC & (1 << j)) continue;
    const t = ct[j] as NameToken;
    den += t.weight * (t.role === 'middle' ? MIDDLE_PENALTY : 1);
    unmatchedCandidate.push(t.text);
    if ((t.flags & PARTICLE) === 0) unmatchedSubstance = true;
    if (t.role === 'family' && (t.flags & PARTICLE) === 0) familyUnmatched = true;
  }

  let score = den > 0 ? num / den : 0;
  const notes: string[] = [];
  if (familyUnmatched && aligned.length > 0) notes.push('a family name is unmatched');
  if (aligned.length > 0 && !strongMatched && unmatchedSubstance && score > COMMON_ONLY_CAP) {
    score = COMMON_ONLY_CAP;
    notes.push('only common or short tokens match');
  }
  if (score > 0 && query.legalForms.length > 0 && candidate.legalForms.length > 0) {
    if (intersects(query.legalForms, candidate.legalForms)) {
      score = Math.min(1, score + 0.02);
      notes.push(`legal forms agree (${query.legalForms.join('/')})`);
    } else {
      score = Math.max(0, score - 0.03);
      notes.push(`legal forms differ (${query.legalForms.join('/')} vs ${candidate.legalForms.join('/')})`);
    }
  }
  return { score: round(score), aligned, unmatchedQuery, unmatchedCandidate, notes };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** A token that is evidence on its own: not common, not a particle or initial, not tiny. */
function hasStrongToken(tokens: readonly NameToken[], mask: number): boolean {
  for (let k = 0; k < tokens.length && k < MAX_TOKENS; k++) {
    if (!(mask & (1 << k))) continue;
    const t = tokens[k] as NameToken;
    if (
      (t.flags & (COMMON | PARTICLE | INITIAL)) === 0 &&
      t.text.length + ((t.flags & VOWELLESS) !== 0 ? 1 : 0) >= 3
    )
      return true;
    if ((t.flags & (ACRONYM | NUMBER)) !== 0) return true;
  }
  return false;
}

/** Merged forms of `a` (adjacent tokens written together) against single tokens and merged forms of `b`. */
function addMerged(
  a: PreparedName,
  b: PreparedName,
  eastAsian: boolean,
  out: Candidate[],
  swapped: boolean,
): void {
  if (a.merged.length === 0) return;
  const bt = b.tokens;
  for (const m of a.merged) {
    if (m.to >= MAX_TOKENS) continue;
    const ma = maskOf(m.from, m.to);
    const mFlags = (a.tokens[m.from] as NameToken).flags;
    for (let j = 0; j < bt.length && j < MAX_TOKENS; j++) {
      const t = bt[j] as NameToken;
      if ((t.flags & INITIAL) !== 0) continue;
      const dl = m.text.length - t.text.length;
      if (dl > 3 || dl < -3) continue;
      let s = formSimilarity(m, t, eastAsian, ((mFlags ^ t.flags) & VOWELLESS) !== 0);
      if (s < 0.8) continue;
      s *= 0.98;
      const mb = 1 << j;
      const w = weightOf(a.tokens, ma) + t.weight;
      out.push(
        swapped
          ? { q: mb, c: ma, s, how: 'merged', gain: s * w }
          : { q: ma, c: mb, s, how: 'merged', gain: s * w },
      );
    }
    if (swapped) continue;
    for (const n of b.merged) {
      if (n.to >= MAX_TOKENS) continue;
      if (m.text !== n.text && (eastAsian ? m.skelEa !== n.skelEa : m.skel !== n.skel)) continue;
      const s = 0.98 * (m.text === n.text ? 1 : skeletonSimilarity(m.text, n.text));
      if (s < MIN_SIMILARITY) continue;
      const mb = maskOf(n.from, n.to);
      out.push({ q: ma, c: mb, s, how: 'merged', gain: s * (weightOf(a.tokens, ma) + weightOf(bt, mb)) });
    }
  }
}

/**
 * Acronyms: a token of one name spelt by a run of initials in the other (`mds` ↔ `M. D. S.`), and
 * an organisation's initials (`mds` ↔ `Mega Data Systems`).
 */
function addAcronyms(a: PreparedName, b: PreparedName, out: Candidate[], swapped: boolean): void {
  if (!b.hasInitials && b.initials === '') return;
  const at = a.tokens;
  const bt = b.tokens;
  for (let i = 0; i < at.length && i < MAX_TOKENS; i++) {
    const t = at[i] as NameToken;
    const len = t.text.length;
    if (len < 2 || len > 8 || (t.flags & (INITIAL | NUMBER)) !== 0) continue;
    for (let k = 0; k + len <= bt.length && k + len <= MAX_TOKENS; k++) {
      let ok = true;
      for (let x = 0; x < len && ok; x++) {
        const u = bt[k + x] as NameToken;
        ok = (u.flags & INITIAL) !== 0 && u.text.charCodeAt(0) === t.text.charCodeAt(x);
      }
      if (!ok) continue;
      const mb = maskOf(k, k + len - 1);
      const s = 0.95;
      const gain = s * (t.weight + weightOf(bt, mb));
      out.push(
        swapped
          ? { q: mb, c: 1 << i, s, how: 'acronym', gain }
          : { q: 1 << i, c: mb, s, how: 'acronym', gain },
      );
    }
    if (at.length === 1 && b.initials.length >= 2 && b.initials === t.text) {
      const mb = maskOf(0, bt.length - 1);
      const s = 0.85;
      const gain = s * (t.weight + weightOf(bt, mb));
      out.push(swapped ? { q: mb, c: 1, s, how: 'acronym', gain } : { q: 1, c: mb, s, how: 'acronym', gain });
    }
  }
}
