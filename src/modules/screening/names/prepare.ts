/**
 * Name preparation: everything comparison and retrieval need is computed here, once per name.
 */
import { doubleMetaphone } from 'double-metaphone';
import { abjadFirstLetters, abjadLetters, abjadSpellings, isAbjadWord } from './abjad.js';
import { osaDistance } from './edit-distance.js';
import { formHash, keyBloom } from './hash.js';
import { hanReadings } from './readings.js';
import {
  AMBIGUOUS_LEGAL_FORMS,
  CJK_ORG_WORDS,
  COMMON_TOKENS,
  EAST_ASIAN_SURNAMES,
  GENERIC_ORG_WORDS,
  LEGAL_FORMS,
  NAME_SUFFIXES,
  ORG_STOPWORDS,
  PARTICLES,
  SURNAME_VARIANT_SETS,
  TITLES,
  VARIANT_SETS,
} from './tables.js';
import {
  BOUNDARY,
  consonantSkeleton,
  eastAsianFold,
  isVowelDeficient,
  letterMask,
  type RawToken,
  type ScriptClass,
  skeleton,
  tokenize,
} from './text.js';

/** What a name belongs to, as far as the caller knows. */
export type NameKind = 'person' | 'organization' | 'unknown';

/** The part a token plays in its name. */
export type TokenRole = 'family' | 'given' | 'middle' | 'sole' | 'org';

/** Token flag: a single Latin letter (an initial). */
export const INITIAL = 1;
/** Token flag: a very common name token. */
export const COMMON = 2;
/** Token flag: a particle (`al`, `bin`, `van`...). */
export const PARTICLE = 4;
/** Token flag: a generic business word (`group`, `trading`...). */
export const GENERIC = 8;
/** Token flag: digits. */
export const NUMBER = 16;
/** Token flag: transliterated from a script that writes few vowels (Arabic, Hebrew, Brahmic). */
export const VOWELLESS = 32;
/** Token flag: an acronym (a run of initials in an organisation name, `M. D. S.` → `mds`). */
export const ACRONYM = 64;

/** One prepared token: its forms at every level of spelling tolerance, its weight and its role. */
export interface NameToken {
  /** ASCII lower-case form. */
  text: string;
  /** The token in its own script, empty for Latin-script tokens. */
  orig: string;
  /** Canonical keys from the variant tables (`mohamed` → `muhammad`); usually empty. */
  canon: readonly string[];
  /** Tokens from scripts that omit vowels: variant-table keys sharing its consonants (`mhmd` → `muhammad`). */
  consCanon: readonly string[];
  /** Canonical keys from the East Asian family-name readings (`wong` → `huang`, `wang`). */
  surname: readonly string[];
  /** Spelling-insensitive skeleton (see `skeleton`). */
  skel: string;
  /** The skeleton read as East Asian romanisation (consonant pairs folded, vowel classes kept). */
  skelEa: string;
  /** Consonants only, for scripts that omit vowels. */
  cons: string;
  /** Letters present, as bits (see `letterMask`). */
  mask: number;
  /** Double Metaphone codes (primary, alternate). */
  dm1: string;
  dm2: string;
  /** How much the token counts in a comparison. */
  weight: number;
  role: TokenRole;
  /** Bit set of the token flags above. */
  flags: number;
  /** Retrieval key (see `retrievalKeys`): the consonant skeleton, or the skeleton when that is too short. */
  key: string;
  /** Retrieval keys of the variant-table and family-name keys (`=muhammad`). */
  variantKeys: readonly string[];
  /** Retrieval keys of a Hebrew- or Arabic-script token's Latin spellings (abjad.ts), ranked below the rest. */
  spellingKeys: readonly string[];
  /** The Latin letters a Hebrew- or Arabic-script token's readings can write (abjad.ts `abjadLetters`), else 0. */
  abjadLetters: number;
  /** The letters a Latin spelling of it can begin with (abjad.ts `abjadFirstLetters`), else 0. */
  abjadFirst: number;
  /** Hashes of the forms above (layout in hash.ts `TOKEN_HASH`), shared by every token of the word. */
  hashes: readonly number[];
}

/** Adjacent tokens written together, so `abdul hakim` meets `abdulhakim`. */
export interface MergedForm {
  /** First and last token index (inclusive). */
  from: number;
  to: number;
  /** The tokens' text joined; skeletons are computed without reading digraphs across the joins. */
  text: string;
  skel: string;
  skelEa: string;
  cons: string;
  mask: number;
  /** Retrieval key, as a token's. */
  key: string;
  /** Hashes of the forms above (layout in hash.ts `MERGED_HASH`). */
  hashes: readonly number[];
}

/** A name prepared once (at index build for list names, once per query): everything comparison needs. */
export interface PreparedName {
  raw: string;
  kind: NameKind;
  tokens: NameToken[];
  merged: MergedForm[];
  /** Legal form classes found and removed (`llc`, `jsc`, `co`, `lp`, `fz`). */
  legalForms: string[];
  /** Organisations: first letters of the distinctive tokens (for acronym matches). */
  initials: string;
  /** Whether some token is a single-letter initial. */
  hasInitials: boolean;
  /**
   * Read as an East Asian name: Han or Hangul, or romanised syllables only, led or ended by an
   * East Asian family name.
   */
  eastAsian: boolean;
  /** Script of most tokens. */
  script: ScriptClass;
  /** Sum of the token weights. */
  totalWeight: number;
  /**
   * Other readings of a name written in Han characters (Sino-Korean, Japanese), each prepared like
   * a name of its own; comparison takes the best reading. Empty for other names.
   */
  alternatives: readonly PreparedName[];
  /** For an alternative reading: which one (`korean 김정은`, `japanese yamada, taro`). */
  reading?: string;
}

/* ---------- tables compiled at load ---------- */

/** Phrases by first word, longest first. */
type PhraseMap = Map<string, { words: string[]; phrase: string; value: string }[]>;

function sequenceMap(entries: Iterable<readonly [string, string]>): PhraseMap {
  const map: PhraseMap = new Map();
  for (const [phrase, value] of entries) {
    const words = phrase.split(' ');
    const head = words[0] as string;
    const list = map.get(head) ?? [];
    list.push({ words, phrase, value });
    list.sort((a, b) => b.words.length - a.words.length);
    map.set(head, list);
  }
  return map;
}

const TITLE_SEQ = sequenceMap(TITLES.map((t) => [t, t] as const));
const LEGAL_SEQ = sequenceMap(
  Object.entries(LEGAL_FORMS).flatMap(([cls, forms]) => forms.map((f) => [f, cls] as const)),
);
const AMBIGUOUS_LEGAL = new Set(AMBIGUOUS_LEGAL_FORMS);
const PARTICLE_SET = new Set(PARTICLES);
const SUFFIX_SET = new Set(NAME_SUFFIXES);
const ORG_STOP_SET = new Set(ORG_STOPWORDS);
const GENERIC_SET = new Set(GENERIC_ORG_WORDS);

function variantMap(sets: readonly (readonly string[])[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const set of sets) {
    const head = set[0] as string;
    for (const v of set) {
      const key = v.replace(/ /g, '');
      const list = map.get(key) ?? [];
      if (!list.includes(head)) list.push(head);
      map.set(key, list);
    }
  }
  return map;
}

const VARIANTS = variantMap(VARIANT_SETS);

/** Variant keys by consonant skeleton, for tokens from scripts that omit vowels (محمد → `mhmd`). */
const CONSONANT_VARIANTS = new Map<string, string[]>();
for (const set of VARIANT_SETS) {
  const head = set[0] as string;
  for (const v of set) {
    const cons = consonantSkeleton(v.replace(/ /g, ''));
    if (cons.length === 0) continue;
    const list = CONSONANT_VARIANTS.get(cons) ?? [];
    if (!list.includes(head)) list.push(head);
    CONSONANT_VARIANTS.set(cons, list);
  }
}
const SURNAMES = variantMap(SURNAME_VARIANT_SETS);
const EA_SURNAMES = new Set(EAST_ASIAN_SURNAMES);

const COMMON_TEXTS = new Set<string>();
const COMMON_SKELETONS = new Set<string>();
const COMMON_CONSONANTS = new Set<string>();
for (const t of COMMON_TOKENS) {
  const forms = [t];
  for (const set of VARIANT_SETS) if (set[0] === t) forms.push(...set);
  for (const f of forms) {
    COMMON_TEXTS.add(f);
    if (f.length >= 4) COMMON_SKELETONS.add(skeleton(f));
    if (f.length >= 3) COMMON_CONSONANTS.add(consonantSkeleton(f));
  }
}

/** Common tokens are recognised by spelling-insensitive skeleton, short ones (where skeletons say little) by exact text. */
function isCommon(text: string, skel: string, cons: string, vowelless: boolean): boolean {
  if (COMMON_TEXTS.has(text)) return true;
  if (vowelless) return cons.length >= 2 && COMMON_CONSONANTS.has(cons);
  return text.length >= 4 && COMMON_SKELETONS.has(skel);
}

const NONE: readonly string[] = [];
const DERIVING_SUFFIXES = ['i', 'y', 'ov', 'ova', 'ev', 'eva'];

/** Variant-table keys of a token, including derived surnames (`soleimani` → `sulayman` + `i`). */
function canonOf(text: string, map: Map<string, string[]>): readonly string[] {
  const direct = map.get(text);
  if (direct) return direct;
  for (const suffix of DERIVING_SUFFIXES) {
    if (text.length > suffix.length + 3 && text.endsWith(suffix)) {
      const stem = map.get(text.slice(0, -suffix.length));
      if (stem) return stem.map((s) => s + (suffix === 'y' ? 'i' : suffix));
    }
  }
  return NONE;
}

/* ---------- preparation ---------- */

/** A word while the name is prepared: a raw token, possibly a run of initials read as one acronym. */
interface Work extends RawToken {
  acronym?: boolean;
}

/** Long table words (`limited`, `company`, `aktsionernoe`) are recognised through one typo. */
function wordMatches(word: string, entry: string, fuzzy: boolean): boolean {
  if (word === entry) return true;
  if (!fuzzy || entry.length < 6 || Math.abs(word.length - entry.length) > 1) return false;
  return osaDistance(word, entry) <= 1;
}

type PhraseEntries = { words: string[]; phrase: string; value: string }[];

/**
 * The keys of a phrase map long enough for fuzzy matching, indexed by themselves and by every form
 * with one letter deleted: two words within one edit (insertion, deletion, substitution or swap of
 * neighbours) share such a form, so a lookup visits only the keys it could match.
 */
interface FuzzyIndex {
  keys: string[];
  byForm: Map<string, number[]>;
  /** The letter masks and lengths of the keys long enough for fuzzy matching. */
  masks: Int32Array;
  lengths: Int32Array;
}
const FUZZY_INDEX = new WeakMap<PhraseMap, FuzzyIndex>();
/** Bounded memo of fuzzy lookups: the same words (given names, surnames) recur in every list. */
const FUZZY_MEMO = new WeakMap<PhraseMap, Map<string, PhraseEntries>>();
const FUZZY_MEMO_LIMIT = 50_000;

function fuzzyIndex(map: PhraseMap): FuzzyIndex {
  let index = FUZZY_INDEX.get(map);
  if (index) return index;
  const keys = [...map.keys()];
  const long = keys.filter((key) => key.length >= 6);
  index = {
    keys,
    byForm: new Map(),
    masks: Int32Array.from(long, letterMask),
    lengths: Int32Array.from(long, (key) => key.length),
  };
  index.keys.forEach((key, ordinal) => {
    if (key.length < 6) return; // wordMatches matches shorter entries exactly only
    for (const form of oneDeleted(key)) {
      const list = index.byForm.get(form);
      if (!list) index.byForm.set(form, [ordinal]);
      else if (!list.includes(ordinal)) list.push(ordinal);
    }
  });
  FUZZY_INDEX.set(map, index);
  return index;
}

/** The word and each form of it with one letter deleted. */
function oneDeleted(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/**
 * Whether some key could be within one edit of `word`: an edit removes at most one letter and adds
 * at most one, so the letter sets differ by two letters at most, and the lengths by one. Most words
 * are far from every legal form; they are set aside without building their one-deleted forms.
 */
function nearSomeKey(index: FuzzyIndex, word: string): boolean {
  const mask = letterMask(word);
  const length = word.length;
  for (let k = 0; k < index.masks.length; k++) {
    const dl = length - (index.lengths[k] as number);
    if (dl <= 1 && dl >= -1 && bitCount(mask ^ (index.masks[k] as number)) <= 2) return true;
  }
  return false;
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const NO_ENTRIES: PhraseEntries = [];

/** Entries whose first word is within one edit of `head` (wordMatches' fuzzy rule), longest first. */
function fuzzyEntries(map: PhraseMap, head: string): PhraseEntries {
  const index = fuzzyIndex(map);
  let memo = FUZZY_MEMO.get(map);
  if (!memo) {
    memo = new Map();
    FUZZY_MEMO.set(map, memo);
  }
  // words far from every key are remembered too (most words are: the scan below reads every key)
  const hit = memo.get(head);
  if (hit) return hit;
  if (!nearSomeKey(index, head)) {
    if (memo.size >= FUZZY_MEMO_LIMIT) memo.clear();
    memo.set(head, NO_ENTRIES);
    return NO_ENTRIES;
  }
  const found: number[] = [];
  for (const form of oneDeleted(head)) {
    for (const ordinal of index.byForm.get(form) ?? []) {
      if (!found.includes(ordinal) && wordMatches(head, index.keys[ordinal] as string, true))
        found.push(ordinal);
    }
  }
  // keys by length, then in table order; entries longest phrase first (a stable sort)
  found.sort((a, b) => (index.keys[a] as string).length - (index.keys[b] as string).length || a - b);
  const entries: PhraseEntries = [];
  for (const ordinal of found) entries.push(...(map.get(index.keys[ordinal] as string) ?? []));
  entries.sort((a, b) => b.words.length - a.words.length);
  if (memo.size >= FUZZY_MEMO_LIMIT) memo.clear();
  memo.set(head, entries);
  return entries;
}

/** Which phrases a match accepts: all, or only unambiguous legal forms. */
const ANY = 0;
const UNAMBIGUOUS = 1;

/** The longest phrase from `map` starting at `i` that `accept` allows, if any. */
function matchAt(
  words: readonly Work[],
  i: number,
  map: PhraseMap,
  accept: typeof ANY | typeof UNAMBIGUOUS,
  fuzzy = false,
): { length: number; value: string } | undefined {
  const head = words[i]?.text;
  if (head === undefined) return undefined;
  let entries = map.get(head);
  if (entries === undefined && fuzzy && head.length >= 5) entries = fuzzyEntries(map, head);
  for (const entry of entries ?? []) {
    const n = entry.words.length;
    if (i + n > words.length) continue;
    let ok = true;
    for (let k = 1; k < n && ok; k++)
      ok = wordMatches(words[i + k]?.text ?? '', entry.words[k] as string, fuzzy);
    if (ok && (accept === ANY || !AMBIGUOUS_LEGAL.has(entry.phrase)))
      return { length: n, value: entry.value };
  }
  return undefined;
}

/**
 * Removes legal forms: at the end (repeatedly: `Holding AG & Co. KG`), at the start (`ООО Ромашка`,
 * `LIMITED LIABILITY COMPANY X`), and for organisations anywhere when unambiguous. Long form words
 * are recognised through one typo (`LIMITTED`, `COMAPNY`).
 */
/** Whether words `i - 1` and `i` are separate words, not parts of one hyphenated word (`AS-SAHAB`). */
function separate(words: readonly Work[], i: number): boolean {
  const a = words[i - 1];
  const b = words[i];
  if (a === undefined || b === undefined || a.group !== b.group) return true;
  // Chinese and Japanese write no spaces: a form in Han characters or next to another script stands
  // apart (汇旺集团有限公司, 株式会社トヨタ)
  return a.script !== b.script || (a.script === 'han' && b.script === 'han');
}

function stripLegalForms(words: Work[], org: boolean): { words: Work[]; forms: string[] } {
  const forms: string[] = [];
  const anyForm = org ? ANY : UNAMBIGUOUS;
  let w = words;
  // trailing forms, longest first, repeatedly (`Holding AG & Co. KG`)
  for (let guard = 0; guard < 4 && w.length > 1; guard++) {
    let found: { at: number; length: number; value: string } | undefined;
    for (let start = Math.max(1, w.length - 6); start < w.length; start++) {
      const m = matchAt(w, start, LEGAL_SEQ, anyForm, true);
      if (m && start + m.length === w.length && separate(w, start)) {
        found = { at: start, ...m };
        break;
      }
    }
    if (!found) break;
    forms.push(found.value);
    w = w.slice(0, found.at);
  }
  for (let guard = 0; guard < 2 && w.length > 1; guard++) {
    const m = matchAt(w, 0, LEGAL_SEQ, anyForm, true);
    if (!m || m.length >= w.length || !separate(w, m.length)) break;
    forms.push(m.value);
    w = w.slice(m.length);
  }
  if (org) {
    for (let i = 1; i < w.length - 1; i++) {
      const m = matchAt(w, i, LEGAL_SEQ, UNAMBIGUOUS, true);
      if (m && w.length - m.length >= 1 && separate(w, i) && separate(w, i + m.length)) {
        forms.push(m.value);
        w = [...w.slice(0, i), ...w.slice(i + m.length)];
        i--;
      }
    }
  }
  return { words: w, forms: forms.length === 0 ? forms : [...new Set(forms)] };
}

/**
 * Drops titles where titles stand (at the start of the name and of the part after a comma, so
 * `Sheikh Hassan` and `AWEYS, Sheikh Hassan` lose them but `John Major` keeps his name) and
 * generational suffixes at the end (of the name or of the part before a comma).
 */
function stripTitles(words: Work[]): Work[] {
  let comma = -1;
  for (let i = 0; i < words.length; i++) {
    if ((words[i] as Work).afterComma) {
      comma = i;
      break;
    }
  }
  // most names have neither: nothing is allocated then
  let drop: boolean[] | undefined;
  for (let pass = 0; pass < 2; pass++) {
    if (pass === 1 && comma <= 0) break;
    let i = pass === 0 ? 0 : comma;
    for (;;) {
      const m = matchAt(words, i, TITLE_SEQ, ANY);
      if (!m) break;
      drop ??= new Array<boolean>(words.length).fill(false);
      for (let k = i; k < i + m.length; k++) drop[k] = true;
      i += m.length;
    }
  }
  for (let pass = 0; pass < 2; pass++) {
    if (pass === 1 && comma <= 0) break;
    const end = pass === 0 ? words.length - 1 : comma - 1;
    for (let i = end; i >= 0 && SUFFIX_SET.has((words[i] as Work).text); i--) {
      drop ??= new Array<boolean>(words.length).fill(false);
      drop[i] = true;
    }
  }
  if (drop === undefined) return words;
  const dropped = drop;
  const out = words.filter((_, i) => !dropped[i]);
  return out.length > 0 ? out : words;
}

function mergeInitialRuns(words: Work[]): Work[] {
  const out: Work[] = [];
  for (let i = 0; i < words.length; ) {
    let j = i;
    while (j < words.length && isInitialWord(words[j] as Work)) j++;
    if (j - i >= 2) {
      const first = words[i] as Work;
      out.push({
        ...first,
        text: words
          .slice(i, j)
          .map((w) => w.text)
          .join(''),
        acronym: true,
      });
      i = j;
    } else {
      out.push(words[i] as Work);
      i++;
    }
  }
  return out;
}

function isInitialWord(w: Work): boolean {
  return w.text.length === 1 && w.script === 'latin' && !/[0-9]/.test(w.text);
}

/** Letters an abjad writes for a name's initial vowel (alif, ayin, hamza; aleph, ayin). */
const ABJAD_INITIAL_VOWEL = /^[\u0627\u0623\u0625\u0622\u0671\u0639\u0621\u0626\u0624\u05d0\u05e2]/u;

/** Whether the name part began with a vowel, read from the script where transliteration drops it. */
function startsWithVowel(w: Work): boolean {
  if (w.script === 'abjad') return ABJAD_INITIAL_VOWEL.test(w.orig);
  const c = w.text[0];
  return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u';
}

function baseWeight(w: Work): number {
  const len = w.text.length + (isVowelDeficient(w.script) ? 1 : 0);
  if (len <= 1) return 0.3;
  if (len === 2) return 0.5;
  if (len === 3) return 0.75;
  return 1;
}

/**
 * Romanised Chinese and Korean syllables (pinyin, Wade-Giles, Revised, McCune-Reischauer), one or
 * more: `jinping`, `jong`, `kwok`, `hyon`, `park`, `chow`; not `harvey`, `oswald`.
 */
const EA_SYLLABLES =
  /^(?:(?:chh|zh|ch|sh|ts|tz|hs|kk|tt|pp|ss|jj|ng|ny|ph|th|kh|rh|[bpmfdtnlgkhjqxrzcsyw])?w?[aeiouy]{1,3}(?:r?(?:ng|n|m|k|l|p|t)|r(?![aeiouy])|w|h)?)+$/;

function isEastAsianSurname(text: string): boolean {
  for (const c of canonOf(text, SURNAMES)) if (EA_SURNAMES.has(c)) return true;
  return EA_SURNAMES.has(text);
}

/** A name in each script family the tokenizer tells apart (and Han names with their other readings). */
const WARM_UP_NAMES = [
  'José Ángel O’Brien-López',
  'Иван Петров',
  'Γιώργος Παπαδόπουλος',
  'كريم العليان',
  'שלום כהן',
  'मनोज शाही',
  'সুমন দাস',
  'สมชาย ใจดี',
  'ហ៊ុន សែន',
  '김정은',
  '金正恩',
  '山田太郎',
  'やまだ たろう',
  'Ṭhāṇ Ṛṣi',
];
let warmedUp = false;

/**
 * Prepares one name per script family, once per process: the first name in a script otherwise pays
 * for compiling that script's tables and patterns (up to ~15 ms for Devanagari), which belongs to the
 * index build, off the request path.
 */
export function warmUp(): void {
  if (warmedUp) return;
  warmedUp = true;
  for (const name of WARM_UP_NAMES) retrievalKeys(prepareName(name));
}

/** Prepares a name once: normalised tokens with weights, roles, variant and phonetic keys, legal forms. */
export function prepareName(raw: string, kind: NameKind = 'unknown'): PreparedName {
  const p = prepareReading(raw, raw, kind);
  if (p.kind === 'organization' || (p.script !== 'han' && p.script !== 'kana')) return p;
  const readings = hanReadings(raw);
  if (readings.length === 0) return p;
  // pushed one by one: a packed array whatever `readings` is (`map` keeps the holes of its source,
  // and an array of another kind makes the compiled retrieval start over)
  const alternatives: PreparedName[] = [];
  for (const r of readings) {
    const alt = prepareReading(r.text, raw, kind);
    alt.reading = `${r.lang} ${r.text}`;
    alternatives.push(alt);
  }
  return { ...p, alternatives };
}

const CJK_ORG_WORD_MAX = Math.max(...Object.keys(CJK_ORG_WORDS).map((k) => [...k].length));

/**
 * Generic organisation words written in Chinese, Japanese or Korean (CJK_ORG_WORDS) as the English
 * words a Latin spelling of the name uses, in place; undefined when there are none. Han and Hangul
 * words come a character each, kana words whole, so a word is looked up over runs of up to
 * CJK_ORG_WORD_MAX words of one script and group.
 */
function translateCjkOrgWords(words: readonly Work[]): Work[] | undefined {
  let out: Work[] | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as Work;
    let found = 0;
    let english = '';
    if (w.script === 'han' || w.script === 'hangul' || w.script === 'kana') {
      let joined = '';
      for (let k = i; k < words.length && k - i < CJK_ORG_WORD_MAX; k++) {
        const x = words[k] as Work;
        if (x.script !== w.script || x.group !== w.group) break;
        // one word can give several pieces: each word is read once
        if (k === i || x.orig !== (words[k - 1] as Work).orig) joined += x.orig;
        const hit = CJK_ORG_WORDS[joined];
        if (hit !== undefined) {
          found = k - i + 1;
          english = hit;
        }
      }
    }
    if (found === 0) {
      out?.push(w);
      continue;
    }
    out ??= words.slice(0, i);
    for (const text of english.split(' '))
      out.push({ text, orig: '', script: 'latin', group: w.group, afterComma: w.afterComma });
    i += found - 1;
  }
  return out;
}

/** Prepares `text` (the name itself, or one reading of it) as the name `raw`. */
function prepareReading(text: string, raw: string, kind: NameKind): PreparedName {
  let words: Work[] = tokenize(text);
  let org = kind === 'organization';
  let legalForms: string[] = [];
  if (kind !== 'person') {
    const translated = translateCjkOrgWords(words);
    if (translated !== undefined) {
      words = translated;
      org = true;
    }
  }
  if (kind !== 'person' && words.length > 1) {
    const stripped = stripLegalForms(words, org);
    if (stripped.forms.length > 0) {
      legalForms = stripped.forms;
      words = stripped.words;
      org = true;
    }
  }
  const effectiveKind: NameKind = org ? 'organization' : kind;
  if (org) {
    const kept = words.filter((w) => !ORG_STOP_SET.has(w.text) || w.script !== 'latin');
    if (kept.length > 0) words = kept;
    words = mergeInitialRuns(words);
  } else {
    words = stripTitles(words);
  }

  const syllabic = words.some((w) => w.script === 'han' || w.script === 'hangul');
  const first = words[0];
  const last = words[words.length - 1];
  const eastAsian =
    !org &&
    (syllabic ||
      (words.length <= 5 &&
        words.every((w) => w.script === 'latin' && EA_SYLLABLES.test(w.text)) &&
        ((first !== undefined && isEastAsianSurname(first.text)) ||
          (last !== undefined && words.length > 1 && isEastAsianSurname(last.text)))));

  const roles = assignRoles(words, org, eastAsian && familyFirst(words), eastAsian);
  const tokens: NameToken[] = [];
  const facts: TextFacts[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as Work;
    const f = textFacts(w.text, startsWithVowel(w));
    facts.push(f);
    tokens.push(buildToken(w, roles[i] ?? 'sole', org, eastAsian, f));
  }

  const merged: MergedForm[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    pushMerged(merged, tokens, facts, i, i + 1);
    const mid = tokens[i + 1] as NameToken;
    if (i + 2 < tokens.length && ((mid.flags & PARTICLE) !== 0 || mid.text.length <= 2))
      pushMerged(merged, tokens, facts, i, i + 2);
  }

  let initials = '';
  if (org && tokens.length >= 2) {
    for (const t of tokens) if ((t.flags & (PARTICLE | NUMBER)) === 0) initials += t.text[0];
  }

  let totalWeight = 0;
  for (const t of tokens) totalWeight += t.weight;
  return {
    raw,
    kind: effectiveKind,
    tokens,
    merged,
    legalForms,
    initials,
    hasInitials: tokens.some((t) => (t.flags & INITIAL) !== 0),
    eastAsian,
    script: dominantScript(words),
    totalWeight,
    alternatives: NONE_PREPARED,
  };
}

const NONE_PREPARED: readonly PreparedName[] = [];

/**
 * Whether an East Asian name is written family name first: Han or Hangul written solid (金正恩), or
 * led by a known family name. `淑惠 莊` (given, then a one-syllable family name) is not.
 */
function familyFirst(words: readonly Work[]): boolean {
  const first = words[0];
  if (first === undefined) return false;
  if (first.script === 'han' || first.script === 'hangul') {
    const last = words[words.length - 1] as Work;
    if (last.group === first.group) return true;
    const firstSize = words.filter((w) => w.group === first.group).length;
    const lastSize = words.filter((w) => w.group === last.group).length;
    return !(lastSize === 1 && firstSize > 1);
  }
  return isEastAsianSurname(first.text);
}

/**
 * Family name: the part before a comma, else the first token of an East Asian name written family
 * first, else the last word. The first other token is the given name, the rest middle names (East
 * Asian given names have no middle names: every syllable counts).
 */
/** A Russian, Ukrainian or Belarusian patronymic (`Igorevich`, `Olegovna`, `Ihorovych`), as transliterated. */
const PATRONYMIC = /^[a-z]{3,}(?:ovich|evich|ovych|evych|ovitch|evitch|ovna|evna|ivna|ichna)$/;

/**
 * Whether a person's name is written surname, given name, patronymic (`Абашкин Константин Игоревич`,
 * the Russian official order): three or more words, the last a patronymic and the one before it not
 * (in `Roman Arkadyevich Abramovich` the patronymic is second and `Abramovich` is the surname).
 */
function surnameGivenPatronymic(words: readonly Work[]): boolean {
  const n = words.length;
  return (
    n >= 3 && PATRONYMIC.test((words[n - 1] as Work).text) && !PATRONYMIC.test((words[n - 2] as Work).text)
  );
}

function assignRoles(
  words: readonly Work[],
  org: boolean,
  familyFirst: boolean,
  eastAsian: boolean,
): TokenRole[] {
  const n = words.length;
  if (org) return words.map(() => 'org');
  if (n <= 1) return n === 1 ? ['sole'] : [];
  const family = new Array<boolean>(n).fill(false);
  const before = words.filter((w) => !w.afterComma).length;
  if (before > 0 && before < n) {
    for (let i = 0; i < n; i++) family[i] = !(words[i] as Work).afterComma;
  } else if (familyFirst || surnameGivenPatronymic(words)) {
    family[0] = true;
  } else {
    const lastGroup = (words[n - 1] as Work).group;
    for (let i = 0; i < n; i++) family[i] = (words[i] as Work).group === lastGroup;
    if (family.every(Boolean)) {
      family.fill(false);
      family[n - 1] = true;
    }
  }
  const roles: TokenRole[] = [];
  let givenSeen = false;
  for (let i = 0; i < n; i++) {
    if (family[i]) roles.push('family');
    else if (eastAsian || (!givenSeen && !PARTICLE_SET.has((words[i] as Work).text))) {
      roles.push('given');
      givenSeen = true;
    } else roles.push('middle');
  }
  return roles;
}

/** What a token's text alone determines; the same words recur across every list, so it is memoised. */
interface TextFacts {
  skel: string;
  skelEa: string;
  cons: string;
  dm1: string;
  dm2: string;
  canon: ReturnType<typeof canonOf>;
  surname: ReturnType<typeof canonOf>;
  mask: number;
  key: string;
  variantKeys: readonly string[];
  hashes: readonly number[];
  /** What `buildToken` asks of the word's text, as bits (`WORD_*`). */
  traits: number;
  /** Variant keys sharing the word's consonants, for a word from a script that omits vowels. */
  consCanon: readonly string[];
  /** Merged forms this word begins, by the next word (see `pushMerged`). */
  merged?: Map<string, MergedNode>;
}
/** `TextFacts.traits`: digits only, a particle, a generic business word, common (vowelled, unvowelled). */
const WORD_NUMBER = 1;
const WORD_PARTICLE = 2;
const WORD_GENERIC = 4;
const WORD_COMMON = 8;
const WORD_COMMON_VOWELLESS = 16;

/** Facts by text, for words read with and without an initial vowel (see `startsWithVowel`). */
const TEXT_FACTS_VOWEL = new Map<string, TextFacts>();
const TEXT_FACTS_CONSONANT = new Map<string, TextFacts>();
const TEXT_FACTS_LIMIT = 100_000;

function textFacts(text: string, vowelStart: boolean): TextFacts {
  const memo = vowelStart ? TEXT_FACTS_VOWEL : TEXT_FACTS_CONSONANT;
  const hit = memo.get(text);
  if (hit) return hit;
  const number = /^[0-9]+$/.test(text);
  const [dm1, dm2] = text.length >= 3 && !number ? doubleMetaphone(text) : ['', ''];
  const skel = skeleton(text);
  const cons = consonantSkeleton(text, vowelStart);
  const canon = canonOf(text, VARIANTS);
  const surname = canonOf(text, SURNAMES);
  const variantKeys: string[] = [];
  for (const c of canon) variantKeys.push(`=${c}`);
  for (const c of surname) variantKeys.push(`=${c}`);
  const skelEa = skeleton(text, true);
  // in TOKEN_HASH order
  const hashes = [
    formHash(text),
    formHash(skel),
    formHash(skelEa),
    formHash(cons),
    formHash(dm1),
    formHash(dm2),
    keyBloom(canon),
    keyBloom(surname),
  ];
  const facts: TextFacts = {
    skel,
    skelEa,
    cons,
    dm1,
    dm2,
    canon,
    surname,
    mask: letterMask(text),
    key: tokenKey(cons, skel),
    variantKeys: variantKeys.length > 0 ? variantKeys : NONE,
    hashes,
    traits:
      (number ? WORD_NUMBER : 0) |
      (PARTICLE_SET.has(text) ? WORD_PARTICLE : 0) |
      (GENERIC_SET.has(text) ? WORD_GENERIC : 0) |
      (isCommon(text, skel, cons, false) ? WORD_COMMON : 0) |
      (isCommon(text, skel, cons, true) ? WORD_COMMON_VOWELLESS : 0),
    consCanon: CONSONANT_VARIANTS.get(cons) ?? NONE,
  };
  if (memo.size >= TEXT_FACTS_LIMIT) memo.clear();
  memo.set(text, facts);
  return facts;
}

function buildToken(w: Work, role: TokenRole, org: boolean, eastAsian: boolean, facts: TextFacts): NameToken {
  const text = w.text;
  const skel = facts.skel;
  let flags = 0;
  const traits = facts.traits;
  const number = (traits & WORD_NUMBER) !== 0;
  if (number) flags |= NUMBER;
  if (w.acronym === true) flags |= ACRONYM;
  else if (text.length === 1 && w.script === 'latin' && !number) flags |= INITIAL;
  if (isVowelDeficient(w.script)) flags |= VOWELLESS;
  const cons = facts.cons;
  if ((traits & WORD_PARTICLE) !== 0 && w.script === 'latin') flags |= PARTICLE;
  if (org && (traits & WORD_GENERIC) !== 0) flags |= GENERIC;
  if ((traits & ((flags & VOWELLESS) !== 0 ? WORD_COMMON_VOWELLESS : WORD_COMMON)) !== 0) flags |= COMMON;

  let weight: number;
  if ((flags & INITIAL) !== 0) weight = 0.3;
  else if ((flags & PARTICLE) !== 0) weight = 0.15;
  else if ((flags & NUMBER) !== 0) weight = 0.8;
  else {
    weight = baseWeight(w);
    if (eastAsian) weight = Math.max(weight, 0.7);
    if ((flags & COMMON) !== 0) weight *= 0.5;
    if ((flags & GENERIC) !== 0) weight *= 0.5;
  }
  if (role === 'family') weight *= 1.25;
  return {
    text,
    orig: w.orig,
    canon: facts.canon,
    consCanon: (flags & VOWELLESS) !== 0 ? facts.consCanon : NONE,
    surname: facts.surname,
    skel,
    skelEa: facts.skelEa,
    cons,
    mask: facts.mask,
    dm1: facts.dm1,
    dm2: facts.dm2,
    weight,
    role,
    flags,
    key: facts.key,
    variantKeys: facts.variantKeys,
    spellingKeys: isAbjadWord(w.orig) ? abjadKeys(w, facts.key) : NONE,
    abjadLetters: isAbjadWord(w.orig) ? abjadLetters(w.orig) : 0,
    abjadFirst: isAbjadWord(w.orig) ? abjadFirstLetters([w.orig]) : 0,
    hashes: facts.hashes,
  };
}

/**
 * A Hebrew- or Arabic-script word's keys from its Latin spellings (abjad.ts), besides its own: a
 * transliteration reads each letter one way, the Latin spellings it should meet read them in several.
 */
function abjadKeys(w: Work, own: string): readonly string[] {
  const out: string[] = [];
  const vowelStart = startsWithVowel(w);
  for (const spelling of abjadSpellings(w.orig)) {
    const key = tokenKey(consonantSkeleton(spelling, vowelStart), skeleton(spelling));
    if (!key.startsWith('~') && key !== own && !out.includes(key)) out.push(key);
  }
  return out.length > 0 ? out : NONE;
}

/** What a merged form's joined text alone determines; adjacent pairs recur across lists, so it is memoised. */
interface MergedFacts {
  text: string;
  skel: string;
  skelEa: string;
  cons: string;
  mask: number;
  key: string;
  hashes: readonly number[];
}
/** Memo of merged forms: a trie of the following words, hanging from the first word's facts. */
interface MergedNode {
  facts?: MergedFacts;
  next?: Map<string, MergedNode>;
}
let mergedCount = 0;
const MERGED_FACTS_LIMIT = 100_000;

function pushMerged(
  out: MergedForm[],
  tokens: readonly NameToken[],
  wordFacts: readonly TextFacts[],
  from: number,
  to: number,
): void {
  const first = wordFacts[from] as TextFacts;
  // the initial-vowel reading of the merged form is the first word's (its facts tell it apart)
  const vowelStart = first.cons.startsWith('A');
  // walk the trie by the following words' texts (no joined key is built)
  let next = first.merged;
  if (next === undefined) {
    next = new Map();
    first.merged = next;
  }
  let node: MergedNode | undefined;
  for (let k = from + 1; k <= to; k++) {
    if (next === undefined) {
      next = new Map();
      (node as MergedNode).next = next;
    }
    const t = (tokens[k] as NameToken).text;
    let child = next.get(t);
    if (child === undefined) {
      child = {};
      next.set(t, child);
    }
    node = child;
    next = child.next;
  }
  const at = node as MergedNode;
  let facts = at.facts;
  if (facts === undefined) {
    if (mergedCount >= MERGED_FACTS_LIMIT) {
      // the tries hang from the word facts: dropping those drops them all
      TEXT_FACTS_VOWEL.clear();
      TEXT_FACTS_CONSONANT.clear();
      mergedCount = 0;
    }
    let joined = '';
    for (let k = from; k <= to; k++) {
      const t = (tokens[k] as NameToken).text;
      joined = joined === '' ? t : `${joined}|${t}`;
    }
    const text = joined.replace(BOUNDARY, '');
    const skel = skeleton(joined);
    const skelEa = skeleton(joined, true);
    const cons = consonantSkeleton(joined, vowelStart);
    // in MERGED_HASH order
    const hashes = [formHash(text), formHash(skel), formHash(skelEa), formHash(cons)];
    facts = { text, skel, skelEa, cons, mask: letterMask(text), key: tokenKey(cons, skel), hashes };
    at.facts = facts;
    mergedCount++;
  }
  out.push({
    from,
    to,
    text: facts.text,
    skel: facts.skel,
    skelEa: facts.skelEa,
    cons: facts.cons,
    mask: facts.mask,
    key: facts.key,
    hashes: facts.hashes,
  });
}

function dominantScript(words: readonly Work[]): ScriptClass {
  // the first script to outnumber the leader so far (names have a few words: counted in place)
  let best: ScriptClass = 'latin';
  let bestCount = 0;
  for (let i = 0; i < words.length; i++) {
    const script = (words[i] as Work).script;
    let c = 0;
    for (let k = 0; k <= i; k++) if ((words[k] as Work).script === script) c++;
    if (c > bestCount) {
      best = script;
      bestCount = c;
    }
  }
  return best;
}

/* ---------- retrieval ---------- */

const MAX_KEYS = 12;

/**
 * A token's key: its consonant skeleton without the initial-vowel mark (retrieval favours recall:
 * `Afiz` still meets `Faiz`, comparison decides), or the vowelled skeleton when fewer than two
 * consonants are left (`choe`, `ao`), which would select too much.
 */
function tokenKey(cons: string, skel: string): string {
  const bare = cons.startsWith('A') ? cons.slice(1) : cons;
  return bare.length >= 2 ? bare : `~${skel}`;
}

/**
 * Keys for candidate retrieval in an inverted index: a query's keys must intersect the keys of every
 * name it should match. Each distinctive token gives its consonant skeleton (vowel and romanisation
 * tolerant, and shared with Arabic- and Hebrew-script spellings), East Asian names also the folded
 * form, tokens in the variant tables their canonical key, adjacent tokens their merged form, and
 * organisations their initials. Legal forms, stop-words, particles and initials give none.
 */
export function retrievalKeys(p: PreparedName): string[] {
  const own = readingKeys(p);
  if (p.alternatives.length === 0) return own.slice(0, MAX_KEYS);
  // Han names: every reading gets its best keys in turn, so each stays retrievable within the cap
  const lists = [own];
  for (const alt of p.alternatives) lists.push(readingKeys(alt));
  const out: string[] = [];
  for (let rank = 0; out.length < MAX_KEYS; rank++) {
    let more = false;
    for (const list of lists) {
      const key = list[rank];
      if (key === undefined) continue;
      more = true;
      if (out.length < MAX_KEYS && !out.includes(key)) out.push(key);
    }
    if (!more) break;
  }
  return out;
}

/** Keys being ranked for one reading, in insertion order (scratch, reused). */
const rankedKeys: string[] = [];
const rankedPriorities: number[] = [];

function addKey(key: string, priority: number): void {
  if (key === '') return;
  // insertion sort, stable: a key goes after every key of at least its priority
  let k = rankedKeys.length;
  rankedKeys.push(key);
  rankedPriorities.push(priority);
  while (k > 0 && (rankedPriorities[k - 1] as number) < priority) {
    rankedKeys[k] = rankedKeys[k - 1] as string;
    rankedPriorities[k] = rankedPriorities[k - 1] as number;
    k--;
  }
  rankedKeys[k] = key;
  rankedPriorities[k] = priority;
}

/** One reading's keys, best first, without duplicates. */
function readingKeys(p: PreparedName): string[] {
  rankedKeys.length = 0;
  rankedPriorities.length = 0;
  for (const t of p.tokens) {
    if ((t.flags & (PARTICLE | INITIAL)) !== 0) continue;
    addKey(t.key, t.weight + 1);
    if (p.eastAsian) addKey(eastAsianFold(t.key), t.weight + 0.9);
    for (const k of t.variantKeys) addKey(k, t.weight + 0.5);
    for (const k of t.spellingKeys) addKey(k, t.weight / 2);
  }
  for (const m of p.merged) {
    let w = 0;
    for (let k = m.from; k <= m.to; k++) w += (p.tokens[k] as NameToken).weight;
    addKey(m.key, w / (m.to - m.from + 1));
  }
  if (p.kind === 'organization' && p.initials.length >= 2 && p.initials.length <= 6)
    addKey(`#${p.initials}`, 0.5);
  if (p.kind !== 'person' && p.tokens.length === 1) {
    const t = p.tokens[0] as NameToken;
    if (t.text.length >= 2 && t.text.length <= 6 && (t.flags & NUMBER) === 0) addKey(`#${t.text}`, 0.5);
  }
  const out: string[] = [];
  for (const key of rankedKeys) if (!out.includes(key)) out.push(key);
  return out;
}
