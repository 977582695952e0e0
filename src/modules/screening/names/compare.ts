/**
 * Name comparison: order-independent alignment of prepared tokens, single and merged, scored by
 * token weight and explained.
 */

import { abjadExcludes, abjadSimilarity, isAbjadWord } from './abjad.js';
import { osaDistance } from './edit-distance.js';
import { type MERGED_HASH, TOKEN_HASH } from './hash.js';
import { jaroWinkler } from './jaro-winkler.js';
import { isKanaWord, kanaSimilarity } from './kana.js';
import type { MergedForm, NameToken, PreparedName } from './prepare.js';
import * as prepared from './prepare.js';
import { PLACE_WORDS } from './tables.js';

// Module-local copies of the token flags: the comparison loop reads them millions of times.
const { ACRONYM, COMMON, GENERIC, INITIAL, NUMBER, PARTICLE, VOWELLESS } = prepared;

const PLACES = new Set(PLACE_WORDS);

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
export const MIDDLE_PENALTY = 0.5;
/** Highest score when only common or short tokens matched and the names say more. */
const COMMON_ONLY_CAP = 0.6;

/** The spelling levels shared by tokens and merged forms. */
interface Forms {
  text: string;
  skel: string;
  skelEa: string;
  cons: string;
  mask: number;
  /** Hashes of the forms, the text's first (hash.ts `TOKEN_HASH.text`, `MERGED_HASH.text`). */
  hashes: readonly number[];
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
  // a word and the same word with a suffix of three letters are two names, not a typo (Abramov, Abramovich)
  if (max - min >= 3 && (la < lb ? b.startsWith(a) : a.startsWith(b))) return 0;
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

/** Where a form's hashes sit, the same for tokens and merged forms (hash.ts `TOKEN_HASH`, `MERGED_HASH`). */
const FORM_TEXT: typeof MERGED_HASH.text = TOKEN_HASH.text;
const FORM_SKEL: typeof MERGED_HASH.skel = TOKEN_HASH.skel;
const FORM_SKEL_EA: typeof MERGED_HASH.skelEa = TOKEN_HASH.skelEa;
const FORM_CONS: typeof MERGED_HASH.cons = TOKEN_HASH.cons;

/*
 * The typo and skeleton measures above are pure functions of two texts, and a query meets the same
 * pairs again and again: each name of an entity repeats most of its words, the returned matches are
 * compared once more to be explained, and screening traffic repeats common names. Their results
 * are kept in a small table, one entry per slot chosen by the texts' hashes; an entry is used only
 * when both texts (and the East Asian reading) are the ones it was computed for.
 */
const MEMO_BITS = 10;
const memoA: string[] = new Array<string>(1 << MEMO_BITS).fill('');
const memoB: string[] = new Array<string>(1 << MEMO_BITS).fill('');
/** What the slot holds: -1 nothing, else 0/1 for the typo measure (East Asian or not), 2 the skeleton one. */
const memoKind = new Int8Array(1 << MEMO_BITS).fill(-1);
const memoValue = new Float64Array(1 << MEMO_BITS);
const SKELETON_MEMO = 2;

function memoSlot(a: Forms, b: Forms, kind: number): number {
  const h =
    Math.imul((a.hashes[FORM_TEXT] as number) ^ kind, 0x9e3779b1) ^
    Math.imul(b.hashes[FORM_TEXT] as number, 0x85ebca6b);
  return (h ^ (h >>> 15)) & ((1 << MEMO_BITS) - 1);
}

/** The typo measure (kind 0, or 1 read as East Asian) or the skeleton measure (SKELETON_MEMO) of two forms' texts, from the table when it holds them. */
function memoMeasure(a: Forms, b: Forms, kind: number): number {
  const slot = memoSlot(a, b, kind);
  if (memoKind[slot] === kind && memoA[slot] === a.text && memoB[slot] === b.text)
    return memoValue[slot] as number;
  const v =
    kind === SKELETON_MEMO ? skeletonSimilarity(a.text, b.text) : editSimilarity(a.text, b.text, kind === 1);
  memoKind[slot] = kind;
  memoA[slot] = a.text;
  memoB[slot] = b.text;
  memoValue[slot] = v;
  return v;
}

/** Similarity of two spellings at every level but the variant tables (sets `how`). */
function formSimilarity(a: Forms, b: Forms, eastAsian: boolean, vowelless: boolean): number {
  // The forms' hashes (one array per word) first: equal strings have equal hashes, and most pairs
  // differ, so the strings themselves (each an object of its own) are read only when they may match.
  const ha = a.hashes;
  const hb = b.hashes;
  if (ha[FORM_TEXT] === hb[FORM_TEXT] && a.text === b.text) {
    how = 'exact';
    return 1;
  }
  let best = 0;
  if (
    eastAsian
      ? ha[FORM_SKEL_EA] === hb[FORM_SKEL_EA] && a.skelEa === b.skelEa
      : ha[FORM_SKEL] === hb[FORM_SKEL] && a.skel === b.skel
  ) {
    best = memoMeasure(a, b, SKELETON_MEMO);
    how = 'phonetic';
  }
  if (vowelless && ha[FORM_CONS] === hb[FORM_CONS] && a.cons === b.cons && a.cons !== '') {
    // every consonant the script wrote agrees: as close as an unvowelled spelling can get
    const s = a.cons.length >= 2 ? 0.9 : 0.8;
    if (s > best) {
      best = s;
      how = 'phonetic';
    }
  }
  // typos keep most letters: skip the edit measures when the letter sets differ too much
  if (best < 0.95 && 3 * bitCount(a.mask ^ b.mask) <= bitCount(a.mask | b.mask)) {
    const e = memoMeasure(a, b, eastAsian ? 1 : 0);
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

/**
 * A token in its own script read against a Latin-script one where one transliteration cannot carry
 * the script's spellings: Hebrew and Arabic letter by letter (abjad.ts), foreign names in katakana
 * with katakana's habits (kana.ts); 0 for other scripts.
 */
function readAgainstLatin(own: NameToken, latin: NameToken): number {
  if (own.abjadLetters !== 0)
    return abjadExcludes(own.abjadLetters, own.abjadFirst, latin.mask, latin.text.charCodeAt(0))
      ? 0
      : abjadSimilarity([own.orig], latin.text);
  return isKanaWord(own.orig) ? kanaSimilarity(own.text, latin.text) : 0;
}

/** Similarity of two tokens (sets `how`). */
function tokenSimilarity(a: NameToken, b: NameToken, eastAsian: boolean): number {
  if (
    (a.hashes[FORM_TEXT] === b.hashes[FORM_TEXT] && a.text === b.text) ||
    (a.orig !== '' && a.orig === b.orig)
  ) {
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
  if (s < 0.9 && (a.orig === '') !== (b.orig === '')) {
    const r = a.orig === '' ? readAgainstLatin(b, a) : readAgainstLatin(a, b);
    if (r > s) {
      s = r;
      how = 'phonetic';
    }
  }
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

/*
 * Possible alignments, in module-level scratch arrays: token index ranges on both sides (as bit
 * masks), similarity, how, and gain. A query compares against dozens of names; the comparison
 * allocates nothing unless it is asked to explain itself.
 */
let capacity = 64;
let candQ = new Int32Array(capacity);
let candC = new Int32Array(capacity);
let candS = new Float64Array(capacity);
let candGain = new Float64Array(capacity);
let order = new Int32Array(capacity);
const candHow: MatchHow[] = [];
let count = 0;
/** The candidates the greedy alignment kept, in the order it kept them. */
let chosen = new Int32Array(capacity);

function push(q: number, c: number, s: number, h: MatchHow, gain: number): void {
  if (count === capacity) {
    capacity *= 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    candQ = grow(candQ, new Int32Array(capacity));
    candC = grow(candC, new Int32Array(capacity));
    candS = grow(candS, new Float64Array(capacity));
    candGain = grow(candGain, new Float64Array(capacity));
    order = new Int32Array(capacity);
    chosen = new Int32Array(capacity);
  }
  candQ[count] = q;
  candC[count] = c;
  candS[count] = s;
  candGain[count] = gain;
  candHow[count] = h;
  count++;
}

/** Whether candidate `x` goes before `y`: higher similarity, then higher gain, then found first. */
function before(x: number, y: number): boolean {
  const sx = candS[x] as number;
  const sy = candS[y] as number;
  if (sx !== sy) return sx > sy;
  const gx = candGain[x] as number;
  const gy = candGain[y] as number;
  return gx !== gy ? gx > gy : x < y;
}

/** Orders the candidates (a stable sort by similarity, then gain) into `order`. */
function sortCandidates(): void {
  for (let i = 0; i < count; i++) order[i] = i;
  if (count > 48) {
    const idx = Array.from(order.subarray(0, count));
    idx.sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0));
    order.set(idx);
    return;
  }
  for (let i = 1; i < count; i++) {
    const x = order[i] as number;
    let j = i - 1;
    while (j >= 0 && before(x, order[j] as number)) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = x;
  }
}

/** Tokens a comparison aligns (bit masks of 32 bits); any further tokens stay unmatched. */
export const MAX_TOKENS = 30;

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

/**
 * Scores two prepared names in [0,1], explained. A name written in Han characters is also read the
 * Korean and the Japanese way (`PreparedName.alternatives`): the best reading counts.
 */
export function compareNames(query: PreparedName, candidate: PreparedName): NameComparison {
  if (query.alternatives.length === 0 && candidate.alternatives.length === 0)
    return explained(query, candidate);
  let q = query;
  let c = candidate;
  let best = alignReadings(query, candidate);
  let reading: string | undefined;
  for (const alt of query.alternatives) {
    const s = alignReadings(alt, candidate);
    if (s > best) {
      best = s;
      q = alt;
      c = candidate;
      reading = alt.reading;
    }
  }
  for (const alt of candidate.alternatives) {
    const s = alignReadings(query, alt);
    if (s > best) {
      best = s;
      q = query;
      c = alt;
      reading = alt.reading;
    }
  }
  const out = explained(q, c);
  if (reading !== undefined) out.notes.unshift(`Han name read as ${reading}`);
  return out;
}

/**
 * `compareNames(query, candidate).score` without the explanation: what ranking many candidates
 * needs, at a fraction of the cost (nothing is allocated).
 */
export function nameScore(query: PreparedName, candidate: PreparedName): number {
  let best = alignReadings(query, candidate);
  if (query.alternatives.length === 0 && candidate.alternatives.length === 0) return best;
  for (const alt of query.alternatives) {
    const s = alignReadings(alt, candidate);
    if (s > best) best = s;
  }
  for (const alt of candidate.alternatives) {
    const s = alignReadings(query, alt);
    if (s > best) best = s;
  }
  return best;
}

/* What the last alignReadings call found, for its explanation. */
let lastChosen = 0;
let lastFamilyUnmatched = false;
let lastCapped = false;
let lastPlaces = false;
let lastLegal: 0 | 1 | -1 = 0;

/** The explained comparison of two readings: the alignment again, then its pieces in words. */
function explained(query: PreparedName, candidate: PreparedName): NameComparison {
  const qt = query.tokens;
  const ct = candidate.tokens;
  const score = alignReadings(query, candidate);
  const aligned: AlignedTokens[] = [];
  for (let k = 0; k < lastChosen; k++) {
    const i = chosen[k] as number;
    aligned.push({
      query: textOf(qt, candQ[i] as number),
      candidate: textOf(ct, candC[i] as number),
      similarity: round(candS[i] as number),
      how: candHow[i] as MatchHow,
    });
  }
  const usedQ = lastUsedQ;
  const usedC = lastUsedC;
  const unmatchedQuery: string[] = [];
  const unmatchedCandidate: string[] = [];
  for (let i = 0; i < qt.length; i++)
    if (!(i < MAX_TOKENS && usedQ & (1 << i))) unmatchedQuery.push((qt[i] as NameToken).text);
  for (let j = 0; j < ct.length; j++)
    if (!(j < MAX_TOKENS && usedC & (1 << j))) unmatchedCandidate.push((ct[j] as NameToken).text);
  const notes: string[] = [];
  if (lastFamilyUnmatched) notes.push('a family name is unmatched');
  if (lastCapped) notes.push('only common or short tokens match');
  if (lastPlaces) notes.push('the names name different places');
  if (lastLegal === 1) notes.push(`legal forms agree (${query.legalForms.join('/')})`);
  else if (lastLegal === -1)
    notes.push(`legal forms differ (${query.legalForms.join('/')} vs ${candidate.legalForms.join('/')})`);
  return { score, aligned, unmatchedQuery, unmatchedCandidate, notes };
}

let lastUsedQ = 0;
let lastUsedC = 0;

/** Scores two readings of names (and leaves what it aligned in the scratch arrays). */
function alignReadings(query: PreparedName, candidate: PreparedName): number {
  const qt = query.tokens;
  const ct = candidate.tokens;
  const nq = Math.min(qt.length, MAX_TOKENS);
  const nc = Math.min(ct.length, MAX_TOKENS);
  count = 0;
  lastChosen = 0;
  lastUsedQ = 0;
  lastUsedC = 0;
  lastFamilyUnmatched = false;
  lastCapped = false;
  lastLegal = 0;
  if (nq === 0 || nc === 0) return 0;
  // East Asian romanisation rules only between two East Asian names (`Lee Harvey Oswald` is not one)
  const eastAsian = query.eastAsian && candidate.eastAsian;

  for (let i = 0; i < nq; i++) {
    const a = qt[i] as NameToken;
    for (let j = 0; j < nc; j++) {
      const b = ct[j] as NameToken;
      const s = tokenSimilarity(a, b, eastAsian);
      if (s >= MIN_SIMILARITY) push(1 << i, 1 << j, s, how, s * (a.weight + b.weight));
    }
  }
  addQueryMerged(query, candidate, eastAsian);
  addCandidateMerged(candidate, query, eastAsian);
  addAcronyms(query, candidate, false);
  addAcronyms(candidate, query, true);

  sortCandidates();
  let usedQ = 0;
  let usedC = 0;
  let num = 0;
  let den = 0;
  let strongMatched = false;
  let nChosen = 0;
  for (let k = 0; k < count; k++) {
    const i = order[k] as number;
    const cq = candQ[i] as number;
    const cc = candC[i] as number;
    if (cq & usedQ || cc & usedC) continue;
    usedQ |= cq;
    usedC |= cc;
    const s = candS[i] as number;
    let wq = weightOf(qt, cq);
    let wc = weightOf(ct, cc);
    if (candHow[i] === 'initial') {
      // an initial stands for a whole name part: it weighs what that part weighs
      if (wq < wc) wq = wc;
      else wc = wq;
    }
    num += s * (wq + wc);
    den += wq + wc;
    if (s >= 0.8 && hasStrongToken(qt, cq) && hasStrongToken(ct, cc)) strongMatched = true;
    chosen[nChosen++] = i;
  }

  let unmatchedSubstance = false;
  let familyUnmatched = false;
  let placeQ = false;
  let placeC = false;
  for (let i = 0; i < qt.length; i++) {
    if (i < MAX_TOKENS && usedQ & (1 << i)) continue;
    const t = qt[i] as NameToken;
    den += t.weight * (t.role === 'middle' ? MIDDLE_PENALTY : 1);
    if ((t.flags & PARTICLE) === 0) unmatchedSubstance = true;
    if (t.role === 'family' && (t.flags & PARTICLE) === 0) familyUnmatched = true;
    if ((t.flags & GENERIC) !== 0 && PLACES.has(t.text)) placeQ = true;
  }
  for (let j = 0; j < ct.length; j++) {
    if (j < MAX_TOKENS && usedC & (1 << j)) continue;
    const t = ct[j] as NameToken;
    den += t.weight * (t.role === 'middle' ? MIDDLE_PENALTY : 1);
    if ((t.flags & PARTICLE) === 0) unmatchedSubstance = true;
    if (t.role === 'family' && (t.flags & PARTICLE) === 0) familyUnmatched = true;
    if ((t.flags & GENERIC) !== 0 && PLACES.has(t.text)) placeC = true;
  }

  let score = den > 0 ? num / den : 0;
  lastFamilyUnmatched = familyUnmatched && nChosen > 0;
  if (nChosen > 0 && !strongMatched && unmatchedSubstance && score > COMMON_ONLY_CAP) {
    score = COMMON_ONLY_CAP;
    lastCapped = true;
  }
  // two organisations that name different places (Central Bank of Iran, of Syria) are two organisations
  lastPlaces = placeQ && placeC && score > COMMON_ONLY_CAP;
  if (lastPlaces) score = COMMON_ONLY_CAP;
  if (score > 0 && query.legalForms.length > 0 && candidate.legalForms.length > 0) {
    if (intersects(query.legalForms, candidate.legalForms)) {
      score = Math.min(1, score + 0.02);
      lastLegal = 1;
    } else {
      score = Math.max(0, score - 0.03);
      lastLegal = -1;
    }
  }
  lastChosen = nChosen;
  lastUsedQ = usedQ;
  lastUsedC = usedC;
  return round(score);
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

/**
 * Merged forms of the query (adjacent tokens written together) against single tokens and merged
 * forms of the candidate.
 */
function addQueryMerged(a: PreparedName, b: PreparedName, eastAsian: boolean): void {
  if (a.merged.length === 0) return;
  const bt = b.tokens;
  for (const m of a.merged) {
    if (m.to >= MAX_TOKENS) continue;
    const ma = maskOf(m.from, m.to);
    const mFlags = (a.tokens[m.from] as NameToken).flags;
    for (let j = 0; j < bt.length && j < MAX_TOKENS; j++) {
      const t = bt[j] as NameToken;
      if ((t.flags & INITIAL) !== 0) continue;
      // against a script written without vowels, lengths are compared without them (`al assad` ↔ `lsd`)
      const vowelless = ((mFlags ^ t.flags) & VOWELLESS) !== 0;
      const dl = vowelless ? m.cons.length - t.cons.length : m.text.length - t.text.length;
      if (dl > 3 || dl < -3) continue;
      let s = formSimilarity(m, t, eastAsian, vowelless);
      if (vowelless && s < 0.9) s = Math.max(s, abjadMerged(a.tokens, m, t));
      if (s < 0.8) continue;
      s *= 0.98;
      const w = weightOf(a.tokens, ma) + t.weight;
      push(ma, 1 << j, s, 'merged', s * w);
    }
    for (const n of b.merged) {
      if (n.to >= MAX_TOKENS) continue;
      if (m.text !== n.text && (eastAsian ? m.skelEa !== n.skelEa : m.skel !== n.skel)) continue;
      const s = 0.98 * (m.text === n.text ? 1 : memoMeasure(m, n, SKELETON_MEMO));
      if (s < MIN_SIMILARITY) continue;
      const mb = maskOf(n.from, n.to);
      push(ma, mb, s, 'merged', s * (weightOf(a.tokens, ma) + weightOf(bt, mb)));
    }
  }
}

/**
 * A merged form against a token, one side Hebrew or Arabic script and the other Latin, read
 * letter by letter (abjad.ts): `نور الدين` ↔ `Noureddine`, `Abdul Rahman` ↔ `عبدالرحمن`.
 */
function abjadMerged(tokens: readonly NameToken[], m: MergedForm, t: NameToken): number {
  const first = (tokens[m.from] as NameToken).orig;
  if (isAbjadWord(first) && t.orig === '') {
    let letters = 0;
    for (let k = m.from; k <= m.to; k++) letters |= (tokens[k] as NameToken).abjadLetters;
    if (abjadExcludes(letters, (tokens[m.from] as NameToken).abjadFirst, t.mask, t.text.charCodeAt(0)))
      return 0;
    const words: string[] = [];
    for (let k = m.from; k <= m.to; k++) {
      const orig = (tokens[k] as NameToken).orig;
      // one word can give several pieces; each word is read once
      if (words[words.length - 1] !== orig) words.push(orig);
    }
    return abjadSimilarity(words, t.text);
  }
  return first === '' &&
    t.abjadLetters !== 0 &&
    !abjadExcludes(t.abjadLetters, t.abjadFirst, m.mask, m.text.charCodeAt(0))
    ? abjadSimilarity([t.orig], m.text)
    : 0;
}

/** Merged forms of the candidate against single tokens of the query. */
function addCandidateMerged(a: PreparedName, b: PreparedName, eastAsian: boolean): void {
  if (a.merged.length === 0) return;
  const bt = b.tokens;
  for (const m of a.merged) {
    if (m.to >= MAX_TOKENS) continue;
    const ma = maskOf(m.from, m.to);
    const mFlags = (a.tokens[m.from] as NameToken).flags;
    for (let j = 0; j < bt.length && j < MAX_TOKENS; j++) {
      const t = bt[j] as NameToken;
      if ((t.flags & INITIAL) !== 0) continue;
      // against a script written without vowels, lengths are compared without them (`al assad` ↔ `lsd`)
      const vowelless = ((mFlags ^ t.flags) & VOWELLESS) !== 0;
      const dl = vowelless ? m.cons.length - t.cons.length : m.text.length - t.text.length;
      if (dl > 3 || dl < -3) continue;
      let s = formSimilarity(m, t, eastAsian, vowelless);
      if (vowelless && s < 0.9) s = Math.max(s, abjadMerged(a.tokens, m, t));
      if (s < 0.8) continue;
      s *= 0.98;
      const w = weightOf(a.tokens, ma) + t.weight;
      push(1 << j, ma, s, 'merged', s * w);
    }
  }
}

/**
 * Acronyms: a token of one name spelt by a run of initials in the other (`mds` ↔ `M. D. S.`), and
 * an organisation's initials (`mds` ↔ `Mega Data Systems`).
 */
function addAcronyms(a: PreparedName, b: PreparedName, swapped: boolean): void {
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
      if (swapped) push(mb, 1 << i, s, 'acronym', gain);
      else push(1 << i, mb, s, 'acronym', gain);
    }
    if (at.length === 1 && b.initials.length >= 2 && b.initials === t.text) {
      const mb = maskOf(0, bt.length - 1);
      const s = 0.85;
      const gain = s * (t.weight + weightOf(bt, mb));
      if (swapped) push(mb, 1, s, 'acronym', gain);
      else push(1, mb, s, 'acronym', gain);
    }
  }
}
