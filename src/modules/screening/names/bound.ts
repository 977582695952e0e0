/**
 * An upper bound of a name comparison, from a compact signature of each name.
 *
 * Most names an index retrieves for a query share a key with it and still score far below any
 * threshold. `mayReach` decides that from which tokens could align at all: for every way
 * `compareNames` can align tokens (exact text or script, initials, variant tables, skeletons,
 * consonants, typos, phonetic codes, merged tokens, acronyms) it tests a necessary condition —
 * equal hashes where compareNames needs equal strings, the letter-set and length gates where it
 * measures typos. Tokens that cannot align anywhere are unmatched whatever the alignment, and the
 * score is at most the weight that could align over that weight plus theirs. The signatures of all
 * listed names sit in one flat array, a few dozen numbers each, so rejecting a name reads two or
 * three cache lines instead of its prepared tokens and strings.
 */

import { abjadExcludes, isAbjadWord } from './abjad.js';
import { MAX_TOKENS, MIDDLE_PENALTY } from './compare.js';
import { formHash, keyBloom, MERGED_HASH, TOKEN_HASH } from './hash.js';
import { isKanaWord } from './kana.js';
import { INITIAL, type NameToken, NUMBER, type PreparedName, VOWELLESS } from './prepare.js';

/*
 * A record per reading of a name: a header, then a block per token, then one per merged form.
 * Hashes are kept to their low 16 bits (odd for a non-empty form, 0 for an empty one; a collision
 * only makes the bound looser), lengths to 63 (capping both sides never widens a difference).
 */

/* Header. */
const H_TOKENS = 0;
const H_MERGED = 1;
/** Flags, the longest run of initials (bits 8–15) and the length of the initials (bits 16–23). */
const H_FLAGS = 2;
const H_INITIALS = 3;
/** The record's length, and how many records of other readings (Han names) follow it. */
const H_SIZE = 4;
const H_ALTERNATIVES = 5;
const HEADER = 6;

const F_EAST_ASIAN = 1;
const F_LEGAL = 2;
const F_INITIALS = 4;

/* Token block: pairs of 16-bit hashes, the letter mask, sizes and flags, the weights. */
const T_TEXT_ORIG = 0;
const T_SKELS = 1;
const T_CONS_DM1 = 2;
const T_DM2_CANON = 3;
const T_SURNAME_CONS_CANON = 4;
const T_MASK = 5;
/** Length (bits 0–5), first letter (6–12), consonant-skeleton length (13–18), flags (19–25), role. */
const T_INFO = 6;
/** The weight in fixed point, rounded up (low half) and down (high half). */
const T_WEIGHTS = 7;
/** The Latin letters a Hebrew- or Arabic-script token's readings can write (abjad.ts), else 0. */
const T_ABJAD = 8;
/** The letters its Latin spellings can begin with (abjad.ts), else 0. */
const T_ABJAD_FIRST = 9;
const TOKEN = 10;

const FIRST_SHIFT = 6;
const CONS_LENGTH_SHIFT = 13;
const FLAGS_SHIFT = 19;
const SURNAME_SLOT = 1 << 26;
const MIDDLE = 1 << 27;
/** A Hebrew- or Arabic-script token: compare.ts reads its letters against Latin spellings (abjad.ts), which no hash keeps. */
const ABJAD = 1 << 28;
/** A kana token: compare.ts reads it against Latin spellings with katakana's habits (kana.ts). */
const KANA = 1 << 29;
const LENGTH = 0x3f;

/** Fixed-point scale of the weights (at most 1.25, so 16 bits hold them). */
const WEIGHT_SCALE = 1 << 14;

/* Merged-form block. */
/** First token (bits 0–9), last token (10–19), length (20–25), the first token unvowelled (26), M_ABJAD, M_LATIN. */
const M_RANGE = 0;
const M_MASK = 1;
const M_TEXT_SKEL = 2;
const M_SKEL_EA_CONS = 3;
const MERGED = 4;

const M_VOWELLESS = 1 << 26;
/** The first token in Hebrew or Arabic script, or the form in Latin script (what abjad.ts reads against each other). */
const M_ABJAD = 1 << 27;
const M_LATIN = 1 << 28;

const LOW = 0xffff;

/** A growable flat array that signatures are written to, one after the other. */
export interface SignatureBuffer {
  ints: Int32Array;
  /** Ints used so far. */
  length: number;
}

/** An empty buffer, to collect the signatures of many names (an index) or of one (a query). */
export function createSignatureBuffer(): SignatureBuffer {
  return { ints: new Int32Array(1024), length: 0 };
}

/**
 * Appends the signature of a prepared name (a record per reading: the name, then its other readings
 * if it is a Han name); returns where it starts in `buf.ints`.
 */
export function writeSignature(buf: SignatureBuffer, p: PreparedName): number {
  const at = writeReading(buf, p, p.alternatives.length);
  for (const alt of p.alternatives) writeReading(buf, alt, 0);
  return at;
}

function pair(low: number, high: number): number {
  return (low & LOW) | ((high & LOW) << 16);
}

/** A 32-bit key bloom folded to 16 bits: sets sharing a bit still share one. */
function fold(bloom: number): number {
  return (bloom | (bloom >>> 16)) & LOW;
}

function writeReading(buf: SignatureBuffer, p: PreparedName, alternatives: number): number {
  const tokens = p.tokens;
  const n = tokens.length;
  const size = HEADER + n * TOKEN + p.merged.length * MERGED;
  if (buf.length + size > buf.ints.length) {
    const next = new Int32Array(Math.max(2 * buf.ints.length, buf.length + size));
    next.set(buf.ints.subarray(0, buf.length));
    buf.ints = next;
  }
  const at = buf.length;
  const ints = buf.ints;
  let run = 0;
  let longest = 0;
  for (let k = 0; k < n && k < MAX_TOKENS; k++) {
    run = ((tokens[k] as NameToken).flags & INITIAL) !== 0 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  ints[at + H_TOKENS] = n;
  ints[at + H_MERGED] = p.merged.length;
  ints[at + H_FLAGS] =
    (p.eastAsian ? F_EAST_ASIAN : 0) |
    (p.legalForms.length > 0 ? F_LEGAL : 0) |
    (p.hasInitials || p.initials !== '' ? F_INITIALS : 0) |
    (longest << 8) |
    (Math.min(255, p.initials.length) << 16);
  ints[at + H_INITIALS] = formHash(p.initials) & LOW;
  ints[at + H_SIZE] = size;
  ints[at + H_ALTERNATIVES] = alternatives;
  let o = at + HEADER;
  for (let k = 0; k < n; k++) {
    const t = tokens[k] as NameToken;
    const h = t.hashes;
    ints[o + T_TEXT_ORIG] = pair(h[TOKEN_HASH.text] as number, formHash(t.orig));
    ints[o + T_SKELS] = pair(h[TOKEN_HASH.skel] as number, h[TOKEN_HASH.skelEa] as number);
    ints[o + T_CONS_DM1] = pair(h[TOKEN_HASH.cons] as number, h[TOKEN_HASH.dm1] as number);
    ints[o + T_DM2_CANON] = pair(h[TOKEN_HASH.dm2] as number, fold(h[TOKEN_HASH.canon] as number));
    ints[o + T_SURNAME_CONS_CANON] = pair(
      fold(h[TOKEN_HASH.surname] as number),
      t.consCanon.length === 0 ? 0 : fold(keyBloom(t.consCanon)),
    );
    ints[o + T_MASK] = t.mask;
    ints[o + T_INFO] =
      Math.min(LENGTH, t.text.length) |
      ((t.text.charCodeAt(0) & 0x7f) << FIRST_SHIFT) |
      (Math.min(LENGTH, t.cons.length) << CONS_LENGTH_SHIFT) |
      (t.flags << FLAGS_SHIFT) |
      (t.role === 'family' || t.role === 'sole' ? SURNAME_SLOT : 0) |
      (t.role === 'middle' ? MIDDLE : 0) |
      (isAbjadWord(t.orig) ? ABJAD : 0) |
      (isKanaWord(t.orig) ? KANA : 0);
    ints[o + T_WEIGHTS] = pair(Math.ceil(t.weight * WEIGHT_SCALE), Math.floor(t.weight * WEIGHT_SCALE));
    ints[o + T_ABJAD] = t.abjadLetters;
    ints[o + T_ABJAD_FIRST] = t.abjadFirst;
    o += TOKEN;
  }
  for (const m of p.merged) {
    ints[o + M_RANGE] =
      Math.min(1023, m.from) |
      (Math.min(1023, m.to) << 10) |
      (Math.min(LENGTH, m.text.length) << 20) |
      (((tokens[m.from] as NameToken).flags & VOWELLESS) !== 0 ? M_VOWELLESS : 0) |
      (isAbjadWord((tokens[m.from] as NameToken).orig) ? M_ABJAD : 0) |
      ((tokens[m.from] as NameToken).orig === '' ? M_LATIN : 0);
    ints[o + M_MASK] = m.mask;
    ints[o + M_TEXT_SKEL] = pair(m.hashes[MERGED_HASH.text] as number, m.hashes[MERGED_HASH.skel] as number);
    ints[o + M_SKEL_EA_CONS] = pair(
      m.hashes[MERGED_HASH.skelEa] as number,
      m.hashes[MERGED_HASH.cons] as number,
    );
    o += MERGED;
  }
  buf.length = o;
  return at;
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** compare.ts's gate before typo measures, and the lengths its typo similarity needs. */
function typoPossible(maskA: number, maskB: number, lengthA: number, lengthB: number): boolean {
  const min = lengthA < lengthB ? lengthA : lengthB;
  const max = lengthA < lengthB ? lengthB : lengthA;
  if (min <= 2 || max - min > (max >= 8 ? 3 : 2)) return false;
  return 3 * bitCount(maskA ^ maskB) <= bitCount(maskA | maskB);
}

/* Per comparison: which tokens could align (bit masks), and which as an initial and its name part. */
let alignQ = 0;
let alignC = 0;
let initialQ = 0;
let initialC = 0;

/**
 * Whether two tokens could align (compare.ts `tokenSimilarity` at least its minimum): 0 no, 1 yes,
 * 2 only as an initial and its name part.
 */
function tokensMayAlign(a: Int32Array, i: number, b: Int32Array, j: number, eastAsian: boolean): number {
  const formsA = a[i + T_TEXT_ORIG] as number;
  const formsB = b[j + T_TEXT_ORIG] as number;
  // exact text, or the same word in its own script
  if (((formsA ^ formsB) & LOW) === 0 || (formsA >>> 16 !== 0 && formsA >>> 16 === formsB >>> 16)) return 1;
  const infoA = a[i + T_INFO] as number;
  const infoB = b[j + T_INFO] as number;
  const fa = infoA >>> FLAGS_SHIFT;
  const fb = infoB >>> FLAGS_SHIFT;
  const ai = (fa & INITIAL) !== 0;
  const bi = (fb & INITIAL) !== 0;
  if (ai || bi) return !(ai && bi) && ((infoA ^ infoB) & (0x7f << FIRST_SHIFT)) === 0 ? 2 : 0;
  if (((fa | fb) & NUMBER) !== 0) return 0;
  const canonA = (a[i + T_DM2_CANON] as number) >>> 16;
  const canonB = (b[j + T_DM2_CANON] as number) >>> 16;
  if ((canonA & canonB) !== 0) return 1;
  const crossScript = ((fa ^ fb) & VOWELLESS) !== 0;
  // a kana token against a Latin one: read with katakana's habits, which no hash keeps
  if (((infoA & KANA) !== 0 && formsB >>> 16 === 0) || ((infoB & KANA) !== 0 && formsA >>> 16 === 0))
    return 1;
  if (crossScript && ((infoA | infoB) & ABJAD) !== 0) {
    // read letter by letter against a Latin word, unless it has a consonant no reading writes
    const lettersA = a[i + T_ABJAD] as number;
    const lettersB = b[j + T_ABJAD] as number;
    if (
      lettersA !== 0 &&
      formsB >>> 16 === 0 &&
      !abjadExcludes(lettersA, a[i + T_ABJAD_FIRST] as number, b[j + T_MASK] as number, firstOf(infoB))
    )
      return 1;
    if (
      lettersB !== 0 &&
      formsA >>> 16 === 0 &&
      !abjadExcludes(lettersB, b[j + T_ABJAD_FIRST] as number, a[i + T_MASK] as number, firstOf(infoA))
    )
      return 1;
  }
  const bloomsA = a[i + T_SURNAME_CONS_CANON] as number;
  const bloomsB = b[j + T_SURNAME_CONS_CANON] as number;
  if (crossScript && (((bloomsA >>> 16) & canonB) !== 0 || (canonA & (bloomsB >>> 16)) !== 0)) return 1;
  if ((infoA & infoB & SURNAME_SLOT) !== 0 && (bloomsA & bloomsB & LOW) !== 0) return 1;
  const skels = (a[i + T_SKELS] as number) ^ (b[j + T_SKELS] as number);
  if ((eastAsian ? skels >>> 16 : skels & LOW) === 0) return 1;
  const consA = a[i + T_CONS_DM1] as number;
  const consB = b[j + T_CONS_DM1] as number;
  if (crossScript && (consA & LOW) !== 0 && ((consA ^ consB) & LOW) === 0) return 1;
  const la = infoA & LENGTH;
  const lb = infoB & LENGTH;
  if (typoPossible(a[i + T_MASK] as number, b[j + T_MASK] as number, la, lb)) return 1;
  // the phonetic support (a shared Double Metaphone code, as many consonants)
  if (!eastAsian && la >= 4 && lb >= 4 && ((infoA ^ infoB) & (LENGTH << CONS_LENGTH_SHIFT)) === 0) {
    const dm1A = consA >>> 16;
    const dm1B = consB >>> 16;
    const dm2A = (a[i + T_DM2_CANON] as number) & LOW;
    const dm2B = (b[j + T_DM2_CANON] as number) & LOW;
    if (dm1A !== 0 && (dm1A === dm1B || dm1A === dm2B || dm2A === dm1B)) return 1;
  }
  return 0;
}

/** A token's first letter (its character code, below 128) from its T_INFO. */
function firstOf(info: number): number {
  return (info >>> FIRST_SHIFT) & 0x7f;
}

/** Whether two tokens could align as an initial and its name part (tokensMayAlign's 2). */
function initialPair(a: Int32Array, i: number, b: Int32Array, j: number): boolean {
  const infoA = a[i + T_INFO] as number;
  const infoB = b[j + T_INFO] as number;
  const ai = ((infoA >>> FLAGS_SHIFT) & INITIAL) !== 0;
  const bi = ((infoB >>> FLAGS_SHIFT) & INITIAL) !== 0;
  if (ai === bi || ((infoA ^ infoB) & (0x7f << FIRST_SHIFT)) !== 0) return false;
  const formsA = a[i + T_TEXT_ORIG] as number;
  const formsB = b[j + T_TEXT_ORIG] as number;
  return !(((formsA ^ formsB) & LOW) === 0 || (formsA >>> 16 !== 0 && formsA >>> 16 === formsB >>> 16));
}

function rangeMask(from: number, to: number): number {
  let m = 0;
  for (let k = from; k <= to && k < MAX_TOKENS; k++) m |= 1 << k;
  return m;
}

/**
 * Merged forms of name `a` against the tokens of `b` (and, unless swapped, against the merged forms
 * of `b`), as compare.ts reads them; `a` is the candidate when swapped. Pairs that could only mark
 * tokens already marked are skipped.
 */
function mergedMayAlign(
  a: Int32Array,
  aAt: number,
  b: Int32Array,
  bAt: number,
  eastAsian: boolean,
  swapped: boolean,
): void {
  const na = a[aAt + H_TOKENS] as number;
  const nb = b[bAt + H_TOKENS] as number;
  const ma = a[aAt + H_MERGED] as number;
  const mb = b[bAt + H_MERGED] as number;
  const bTokens = bAt + HEADER;
  const bMerged = bTokens + nb * TOKEN;
  let m = aAt + HEADER + na * TOKEN;
  for (let x = 0; x < ma; x++, m += MERGED) {
    const spec = a[m + M_RANGE] as number;
    const to = (spec >>> 10) & 1023;
    if (to >= MAX_TOKENS) continue;
    const range = rangeMask(spec & 1023, to);
    const rangeDone = (range & (swapped ? alignC : alignQ)) === range;
    const length = (spec >>> 20) & LENGTH;
    const textSkel = a[m + M_TEXT_SKEL] as number;
    const skelEaCons = a[m + M_SKEL_EA_CONS] as number;
    const mask = a[m + M_MASK] as number;
    let letters = 0;
    const firstAt = aAt + HEADER + (spec & 1023) * TOKEN;
    if ((spec & M_ABJAD) !== 0)
      for (let k = spec & 1023, at = firstAt; k <= to; k++, at += TOKEN) letters |= a[at + T_ABJAD] as number;
    const lettersFirst = a[firstAt + T_ABJAD_FIRST] as number;
    const mergedFirst = firstOf(a[firstAt + T_INFO] as number);
    for (let j = 0, t = bTokens; j < nb && j < MAX_TOKENS; j++, t += TOKEN) {
      if (rangeDone && ((swapped ? alignQ : alignC) & (1 << j)) !== 0) continue;
      const info = b[t + T_INFO] as number;
      const flags = info >>> FLAGS_SHIFT;
      if ((flags & INITIAL) !== 0) continue;
      const lt = info & LENGTH;
      const unvowelled = ((spec & M_VOWELLESS) !== 0) !== ((flags & VOWELLESS) !== 0);
      // compare.ts compares consonant-skeleton lengths then, which the block does not keep: no gate
      const dl = length - lt;
      if (!unvowelled && (dl > 3 || dl < -3)) continue;
      const skels = b[t + T_SKELS] as number;
      const possible =
        (unvowelled &&
          (((spec & M_ABJAD) !== 0 &&
            (b[t + T_TEXT_ORIG] as number) >>> 16 === 0 &&
            !abjadExcludes(letters, lettersFirst, b[t + T_MASK] as number, firstOf(info))) ||
            ((spec & M_LATIN) !== 0 &&
              (b[t + T_ABJAD] as number) !== 0 &&
              !abjadExcludes(
                b[t + T_ABJAD] as number,
                b[t + T_ABJAD_FIRST] as number,
                mask,
                mergedFirst,
              )))) ||
        ((textSkel ^ (b[t + T_TEXT_ORIG] as number)) & LOW) === 0 ||
        (eastAsian
          ? ((skelEaCons ^ (skels >>> 16)) & LOW) === 0
          : ((textSkel >>> 16) ^ (skels & LOW)) === 0) ||
        (unvowelled &&
          skelEaCons >>> 16 !== 0 &&
          skelEaCons >>> 16 === ((b[t + T_CONS_DM1] as number) & LOW)) ||
        typoPossible(mask, b[t + T_MASK] as number, length, lt);
      if (!possible) continue;
      if (swapped) {
        alignC |= range;
        alignQ |= 1 << j;
      } else {
        alignQ |= range;
        alignC |= 1 << j;
      }
    }
    if (swapped) continue;
    for (let y = 0, n = bMerged; y < mb; y++, n += MERGED) {
      const specB = b[n + M_RANGE] as number;
      const toB = (specB >>> 10) & 1023;
      if (toB >= MAX_TOKENS) continue;
      const rangeB = rangeMask(specB & 1023, toB);
      if ((range & alignQ) === range && (rangeB & alignC) === rangeB) continue;
      const textSkelB = b[n + M_TEXT_SKEL] as number;
      if (
        ((textSkel ^ textSkelB) & LOW) === 0 ||
        (eastAsian
          ? ((skelEaCons ^ (b[n + M_SKEL_EA_CONS] as number)) & LOW) === 0
          : (textSkel ^ textSkelB) >>> 16 === 0)
      ) {
        alignQ |= range;
        alignC |= rangeB;
      }
    }
  }
}

/**
 * Acronyms of name `a` spelt by `b` (compare.ts `addAcronyms`): a token of `a` spelt by a run of
 * initials in `b`, or `a`'s only token equal to `b`'s initials. `a` is the candidate when swapped.
 */
function acronymsMayAlign(a: Int32Array, aAt: number, b: Int32Array, bAt: number, swapped: boolean): void {
  const bFlags = b[bAt + H_FLAGS] as number;
  if ((bFlags & F_INITIALS) === 0) return;
  const na = a[aAt + H_TOKENS] as number;
  const nb = b[bAt + H_TOKENS] as number;
  const run = (bFlags >>> 8) & 0xff;
  const initials = (bFlags >>> 16) & 0xff;
  let fromA = 0;
  let fromB = 0;
  for (let i = 0, t = aAt + HEADER; i < na && i < MAX_TOKENS; i++, t += TOKEN) {
    const info = a[t + T_INFO] as number;
    const length = info & LENGTH;
    if (length < 2 || length > 8 || ((info >>> FLAGS_SHIFT) & (INITIAL | NUMBER)) !== 0) continue;
    if (run >= length) {
      fromA |= 1 << i;
      for (let k = 0, u = bAt + HEADER; k < nb && k < MAX_TOKENS; k++, u += TOKEN)
        if ((((b[u + T_INFO] as number) >>> FLAGS_SHIFT) & INITIAL) !== 0) fromB |= 1 << k;
    }
    if (na === 1 && initials >= 2 && b[bAt + H_INITIALS] === ((a[t + T_TEXT_ORIG] as number) & LOW)) {
      fromA |= 1 << i;
      fromB |= rangeMask(0, nb - 1);
    }
  }
  if (swapped) {
    alignC |= fromA;
    alignQ |= fromB;
  } else {
    alignQ |= fromA;
    alignC |= fromB;
  }
}

/**
 * The score bound for the tokens marked so far: what could align over that plus what cannot. An
 * initial aligned with a name part weighs what the heavier of the two weighs.
 */
function boundOf(q: Int32Array, qAt: number, c: Int32Array, cAt: number, legal: boolean): number {
  const nq = q[qAt + H_TOKENS] as number;
  const nc = c[cAt + H_TOKENS] as number;
  let heaviestQ = 0;
  let heaviestC = 0;
  if ((initialQ | initialC) !== 0) {
    for (let i = 0, a = qAt + HEADER; i < nq && i < MAX_TOKENS; i++, a += TOKEN)
      heaviestQ = Math.max(heaviestQ, (q[a + T_WEIGHTS] as number) & LOW);
    for (let j = 0, b = cAt + HEADER; j < nc && j < MAX_TOKENS; j++, b += TOKEN)
      heaviestC = Math.max(heaviestC, (c[b + T_WEIGHTS] as number) & LOW);
  }
  let aligned = 0;
  let unmatched = 0;
  for (let i = 0, a = qAt + HEADER; i < nq; i++, a += TOKEN) {
    const weights = q[a + T_WEIGHTS] as number;
    if (i < MAX_TOKENS && (alignQ & (1 << i)) !== 0) {
      const w = weights & LOW;
      aligned += (initialQ & (1 << i)) !== 0 && heaviestC > w ? heaviestC : w;
    } else {
      const w = weights >>> 16;
      unmatched += ((q[a + T_INFO] as number) & MIDDLE) !== 0 ? w * MIDDLE_PENALTY : w;
    }
  }
  for (let j = 0, b = cAt + HEADER; j < nc; j++, b += TOKEN) {
    const weights = c[b + T_WEIGHTS] as number;
    if (j < MAX_TOKENS && (alignC & (1 << j)) !== 0) {
      const w = weights & LOW;
      aligned += (initialC & (1 << j)) !== 0 && heaviestQ > w ? heaviestQ : w;
    } else {
      const w = weights >>> 16;
      unmatched += ((c[b + T_INFO] as number) & MIDDLE) !== 0 ? w * MIDDLE_PENALTY : w;
    }
  }
  const bound = aligned > 0 ? aligned / (aligned + unmatched) : 0;
  // agreeing legal forms add 0.02; the score is rounded to four decimals
  return bound + (legal ? 0.02 : 0) + 0.0001;
}

/**
 * Whether `nameScore` of the names whose signatures start at `qAt` in `q` (the query) and at `cAt`
 * in `c` (the candidate) can reach `floor`; false only when it cannot. A Han name's readings are
 * tried as the comparison tries them.
 */
export function mayReach(q: Int32Array, qAt: number, c: Int32Array, cAt: number, floor: number): boolean {
  if (readingMayReach(q, qAt, c, cAt, floor)) return true;
  const qa = q[qAt + H_ALTERNATIVES] as number;
  const ca = c[cAt + H_ALTERNATIVES] as number;
  if (qa === 0 && ca === 0) return false;
  // the comparison takes the best of the query's readings against the name, and of the name's
  // readings against the query
  for (let k = 0, at = qAt + (q[qAt + H_SIZE] as number); k < qa; k++, at += q[at + H_SIZE] as number)
    if (readingMayReach(q, at, c, cAt, floor)) return true;
  for (let k = 0, at = cAt + (c[cAt + H_SIZE] as number); k < ca; k++, at += c[at + H_SIZE] as number)
    if (readingMayReach(q, qAt, c, at, floor)) return true;
  return false;
}

function readingMayReach(q: Int32Array, qAt: number, c: Int32Array, cAt: number, floor: number): boolean {
  const nqAll = q[qAt + H_TOKENS] as number;
  const ncAll = c[cAt + H_TOKENS] as number;
  if (nqAll === 0 || ncAll === 0) return floor <= 0;
  const qFlags = q[qAt + H_FLAGS] as number;
  const cFlags = c[cAt + H_FLAGS] as number;
  const nq = nqAll < MAX_TOKENS ? nqAll : MAX_TOKENS;
  const nc = ncAll < MAX_TOKENS ? ncAll : MAX_TOKENS;
  const eastAsian = (qFlags & cFlags & F_EAST_ASIAN) !== 0;
  const legal = (qFlags & cFlags & F_LEGAL) !== 0;
  // the token pairs mark in locals (the merged forms and acronyms below go on from them)
  let aq = 0;
  let ac = 0;
  let iq = 0;
  let ic = 0;
  // candidate tokens outside (each read once from its cold record), query tokens inside
  for (let j = 0, b = cAt + HEADER; j < nc; j++, b += TOKEN) {
    for (let i = 0, a = qAt + HEADER; i < nq; i++, a += TOKEN) {
      // a pair of tokens already marked can only add the initial marks
      if ((aq & (1 << i)) !== 0 && (ac & (1 << j)) !== 0) {
        if (initialPair(q, a, c, b)) {
          iq |= 1 << i;
          ic |= 1 << j;
        }
        continue;
      }
      const way = tokensMayAlign(q, a, c, b, eastAsian);
      if (way === 0) continue;
      aq |= 1 << i;
      ac |= 1 << j;
      if (way === 2) {
        iq |= 1 << i;
        ic |= 1 << j;
      }
    }
  }
  alignQ = aq;
  alignC = ac;
  initialQ = iq;
  initialC = ic;
  // the bound only grows as tokens are marked: stop as soon as it reaches the floor
  if (boundOf(q, qAt, c, cAt, legal) >= floor) return true;
  mergedMayAlign(q, qAt, c, cAt, eastAsian, false);
  mergedMayAlign(c, cAt, q, qAt, eastAsian, true);
  acronymsMayAlign(q, qAt, c, cAt, false);
  acronymsMayAlign(c, cAt, q, qAt, true);
  return boundOf(q, qAt, c, cAt, legal) >= floor;
}

/** The bound itself (what `mayReach` compares with its floor), for tests and diagnostics. */
export function scoreBound(q: Int32Array, qAt: number, c: Int32Array, cAt: number): number {
  let best = readingBound(q, qAt, c, cAt);
  const qa = q[qAt + H_ALTERNATIVES] as number;
  const ca = c[cAt + H_ALTERNATIVES] as number;
  for (let k = 0, at = qAt + (q[qAt + H_SIZE] as number); k < qa; k++, at += q[at + H_SIZE] as number)
    best = Math.max(best, readingBound(q, at, c, cAt));
  for (let k = 0, at = cAt + (c[cAt + H_SIZE] as number); k < ca; k++, at += c[at + H_SIZE] as number)
    best = Math.max(best, readingBound(q, qAt, c, at));
  return best;
}

function readingBound(q: Int32Array, qAt: number, c: Int32Array, cAt: number): number {
  const nq = q[qAt + H_TOKENS] as number;
  const nc = c[cAt + H_TOKENS] as number;
  if (nq === 0 || nc === 0) return 0;
  // with an unreachable floor every check runs, and the marks are complete
  readingMayReach(q, qAt, c, cAt, 2);
  const legal = ((q[qAt + H_FLAGS] as number) & (c[cAt + H_FLAGS] as number) & F_LEGAL) !== 0;
  return boundOf(q, qAt, c, cAt, legal);
}
