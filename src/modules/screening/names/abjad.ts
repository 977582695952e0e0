/**
 * Hebrew- and Arabic-script names read against their Latin spellings.
 *
 * Both scripts write consonants and only some vowels, and many letters are romanised in more than
 * one way: Hebrew `ב` is `b` or `v`, `כ` `k`, `kh` or `ch`, `ש` `sh` or `s`; Arabic `ج` is `j` or
 * (in Egypt) `g`, `ق` `q`, `k` or `g`, `ظ` `z` or `dh`; `ו`, `י`, `و`, `ي` are consonants or
 * vowels; the Arabic article `ال` is written `al-`, `el-`, `ad-` (before `d`) or left out. One
 * transliteration cannot serve them all (any-ascii reads `משה כהן` as `msh khhn` and `الزهراء` as
 * `lzhr`, whose `zh` is no Latin spelling's), so a word is compared with a Latin one by asking
 * whether some choice of readings, one per letter, spells the Latin word once the vowels the
 * script does not write are set aside: `שמעון` reads `sh-m-(o)-n` = `Shimon`, `الزهراء` reads
 * `(al)-z-(a)-h-r-(a)` = `Zahra`, `عبد الرحمن` reads `Abdul` + `Rahman`.
 */

import { letterMask } from './text.js';

/** Readings of each letter (final forms folded); the empty reading for letters that can be silent or a vowel. */
const READINGS: Readonly<Record<string, readonly string[]>> = {
  // Hebrew
  א: [''],
  ע: [''],
  ב: ['b', 'v'],
  ג: ['g', 'j'],
  ד: ['d'],
  ה: ['h', ''],
  ו: ['v', 'w', 'o', 'u', 'ou', 'oo', ''],
  ז: ['z', 's', 'zh'],
  ח: ['h', 'ch', 'kh'],
  ט: ['t', 'th'],
  י: ['y', 'j', 'i', 'e', 'ei', 'ai', 'ay', 'ey', 'ie', ''],
  כ: ['k', 'kh', 'ch', 'c', 'ck'],
  ל: ['l'],
  מ: ['m'],
  נ: ['n'],
  ס: ['s', 'c'],
  פ: ['p', 'f', 'ph'],
  צ: ['ts', 'tz', 'z', 'c', 'tzs'],
  ק: ['k', 'q', 'c', 'ck'],
  ר: ['r'],
  ש: ['sh', 's', 'sch'],
  ת: ['t', 'th', 's'],
  // Arabic (and the Persian letters)
  ا: ['a', 'aa', 'e', 'o'],
  أ: [''],
  إ: [''],
  آ: [''],
  ٱ: [''],
  ء: [''],
  ئ: ['', 'y'],
  ؤ: ['', 'w'],
  ب: ['b'],
  ت: ['t'],
  ث: ['th', 's', 't'],
  ج: ['j', 'g', 'dj', 'zh', 'dzh'],
  ح: ['h'],
  خ: ['kh', 'h', 'ch', 'x'],
  د: ['d'],
  ذ: ['dh', 'z', 'th', 'd'],
  ر: ['r'],
  ز: ['z', 's'],
  س: ['s'],
  ش: ['sh', 'ch', 'sch', 's'],
  ص: ['s'],
  ض: ['d', 'dh', 'z'],
  ط: ['t'],
  ظ: ['z', 'dh', 'th', 'd'],
  ع: [''],
  غ: ['gh', 'g'],
  ف: ['f', 'ph'],
  ق: ['q', 'k', 'g', 'gh'],
  ك: ['k', 'c', 'ck'],
  ک: ['k', 'c', 'ck'],
  ل: ['l'],
  م: ['m'],
  ن: ['n'],
  ه: ['h', ''],
  ة: ['h', 't', ''],
  و: ['w', 'v', 'o', 'u', 'ou', 'oo', 'ow', 'au', 'aw'],
  ي: ['y', 'j', 'i', 'e', 'ee', 'ei', 'ai', 'ay', 'ey', 'ie'],
  ی: ['y', 'j', 'i', 'e', 'ee', 'ei', 'ai', 'ay', 'ey', 'ie'],
  ى: ['a', 'e', 'y', 'i', ''],
  پ: ['p'],
  چ: ['ch'],
  ژ: ['zh', 'j', 'z'],
  گ: ['g'],
};

const FINAL_FORMS: Readonly<Record<string, string>> = { ך: 'כ', ם: 'מ', ן: 'נ', ף: 'פ', ץ: 'צ' };

/** The Arabic article at the start of a word, one pseudo-letter: `al`, `el`, `ul`, assimilated (`ad-Din`), or not written. */
const ARTICLE = 'ال';
const ARTICLE_READINGS: readonly string[] = ['al', 'el', 'ul', 'il', 'ol', 'a', 'e', 'u', 'i', 'o'];
const NO_ARTICLE: readonly string[] = [''];
/**
 * Similarity when the article is not in the Latin word (`الزهراء` ↔ `Zahra`): below a merged form's
 * (0.98 × 0.9), so a Latin article written apart (`Al Qaida`) is aligned with it, not left over.
 */
const WITHOUT_ARTICLE = 0.86;

/**
 * `عبد` ("servant of") with the article of the name after it, as one Latin word often writes it:
 * `Abdul`, `Abdel`, `Abdur` (before `r`), `Abdus`.
 */
const ABD = 'عبد';
const ABD_TAIL = 'abd+';
const ABD_TAIL_READINGS: readonly string[] = [
  '',
  ...['u', 'e', 'a', 'o', 'i'].flatMap((v) => ['l', 'r', 's', 'sh', 'd', 'n', 't', 'z'].map((c) => v + c)),
];

/** A word-initial alif, read as nothing: the Latin vowel after it is one the script does not write. */
const INITIAL_ALIF = 'ا+';

/** Letters that begin a word with a vowel sound (aleph, ayin, alif, hamza): the Latin spelling starts with a vowel too. */
const VOWEL_ONSET = new Set(['א', 'ע', INITIAL_ALIF, 'أ', 'إ', 'آ', 'ٱ', 'ع']);

/** Whether a token's own-script form is Hebrew or Arabic script (its first letter), read by `abjadSimilarity`. */
export function isAbjadWord(orig: string): boolean {
  const c = orig.charCodeAt(0);
  return (c >= 0x05d0 && c <= 0x05ea) || (c >= 0x0621 && c <= 0x064a) || (c >= 0x0671 && c <= 0x06d3);
}

function isLatinVowel(c: number): boolean {
  // a e i o u y
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117 || c === 121;
}

/** Doubled letters written once (`Hassan` → `hasan`): the scripts write a consonant once however it is said. */
function undoubled(latin: string): string {
  let out = '';
  for (let i = 0; i < latin.length; i++) if (i === 0 || latin[i] !== latin[i - 1]) out += latin[i];
  return out;
}

/** Reading units of single words, memoised: a listed name's words are read against many queries. */
const WORD_UNITS = new Map<string, readonly string[] | null>();
const WORD_UNITS_LIMIT = 20_000;

/** The letters of a word (or of words, in order) as reading units; undefined if one is not read here. */
function units(words: readonly string[]): readonly string[] | undefined {
  if (words.length !== 1) return unitsOf(words);
  const word = words[0] as string;
  let u = WORD_UNITS.get(word);
  if (u === undefined) {
    u = unitsOf(words) ?? null;
    if (WORD_UNITS.size >= WORD_UNITS_LIMIT) WORD_UNITS.clear();
    WORD_UNITS.set(word, u);
  }
  return u ?? undefined;
}

function unitsOf(words: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const word of words) {
    let rest = word;
    if (rest.length > 3 && rest.startsWith(ARTICLE)) {
      out.push(ARTICLE);
      rest = rest.slice(2);
    }
    let first = out.length;
    for (const ch of rest) {
      const l = FINAL_FORMS[ch] ?? ch;
      if (READINGS[l] === undefined) return undefined;
      // a word-initial alif carries the vowel after it, read as the Latin word's first vowel
      out.push(first === out.length && l === 'ا' ? INITIAL_ALIF : l);
      first = -1;
    }
    if (word === ABD) out.push(ABD_TAIL);
  }
  return out;
}

/** Whether the article is read as written (`al`, `ad`…) or as left out, in the current pass. */
let articleLeftOut = false;

function readingsOf(unit: string): readonly string[] {
  if (unit === ARTICLE) return articleLeftOut ? NO_ARTICLE : ARTICLE_READINGS;
  if (unit === INITIAL_ALIF) return NO_READING;
  if (unit === ABD_TAIL) return ABD_TAIL_READINGS;
  return READINGS[unit] as readonly string[];
}

/*
 * reach[i][j]: the first i units can spell the first j Latin letters; the value is 1 + the most
 * letters read as consonants so far (0 = unreachable). Flat, reused between calls.
 */
let reach = new Int8Array(0);

/**
 * Similarity of Hebrew- or Arabic-script words (`words`, each lower-cased with its marks removed,
 * read in order as one) and a Latin-script word (ASCII lower case): 0.9 when some reading of the
 * letters spells the Latin word's consonants in order (its vowels set aside) with at least two
 * letters read as consonants, 0.8 with one, else 0; at most 0.86 when an Arabic article is not in
 * the Latin word.
 */
export function abjadSimilarity(words: readonly string[], latin: string): number {
  const letters = units(words);
  if (letters === undefined) return 0;
  const lat = undoubled(latin);
  articleLeftOut = false;
  const s = spells(letters, lat);
  if (s > 0 || !letters.includes(ARTICLE)) return s;
  articleLeftOut = true;
  return Math.min(WITHOUT_ARTICLE, spells(letters, lat));
}

/** abjadSimilarity of reading units and an undoubled Latin word. */
function spells(letters: readonly string[], lat: string): number {
  const n = letters.length;
  const m = lat.length;
  if (n === 0 || m === 0 || n > 40 || m > 60) return 0;
  if (VOWEL_ONSET.has(letters[0] as string) && !isLatinVowel(lat.charCodeAt(0))) return 0;
  const w = m + 1;
  if (reach.length < (n + 1) * w) reach = new Int8Array(2 * (n + 1) * w);
  reach.fill(0, 0, (n + 1) * w);
  reach[0] = 1;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = reach[i * w + j] as number;
      if (here === 0) continue;
      // a Latin vowel the script does not write (never before the first letter is read)
      if (j < m && i > 0 && isLatinVowel(lat.charCodeAt(j))) {
        const k = i * w + j + 1;
        if ((reach[k] as number) < here) reach[k] = here;
      }
      if (i === n) continue;
      for (const r of readingsOf(letters[i] as string)) {
        if (r.length > m - j || (r !== '' && !lat.startsWith(r, j))) continue;
        const v = r === '' || isLatinVowel(r.charCodeAt(0)) ? here : here + 1;
        const k = (i + 1) * w + j + r.length;
        if ((reach[k] as number) < v) reach[k] = v;
      }
    }
  }
  const consonants = (reach[n * w + m] as number) - 1;
  return consonants >= 2 ? 0.9 : consonants === 1 ? 0.8 : 0;
}

/** Consonant readings for retrieval keys, the usual one first (vowel readings are dropped by the skeleton). */
const KEY_READINGS: Readonly<Record<string, readonly string[]>> = {
  ב: ['b', 'v'],
  ו: ['', 'v'],
  כ: ['k', 'kh', 'ch'],
  פ: ['p', 'f'],
  ש: ['sh', 's'],
  ח: ['h', 'ch'],
  ת: ['t', 's'],
  צ: ['tz', 'z'],
  ז: ['z'],
  ג: ['g'],
  י: ['', 'j'],
  ה: ['h'],
  ק: ['k'],
  ס: ['s'],
  ט: ['t'],
  ج: ['j', 'g'],
  ق: ['q', 'g'],
  ة: [''],
  ذ: ['dh', 'z'],
  ظ: ['z', 'dh'],
  ث: ['th', 's'],
  ض: ['d'],
  و: ['w'],
  ي: ['y'],
  ی: ['y'],
  ئ: [''],
  ؤ: [''],
};
const FINAL_YOD: readonly string[] = ['y'];
const NO_READING: readonly string[] = [''];

/** At most this many spellings per word are turned into keys. */
const MAX_SPELLINGS = 6;

/**
 * Latin spellings of a Hebrew- or Arabic-script word for candidate retrieval, the usual reading
 * first, at most `MAX_SPELLINGS`, the first also run together (second); letters are joined by `|`
 * so no digraph is read across two of them (`ס|ה` is not `sh`). The article is left out. The
 * caller turns each into a key as it does any Latin word.
 */
export function abjadSpellings(orig: string): string[] {
  const letters = units([orig])?.filter((u) => u !== ARTICLE && u !== ABD_TAIL);
  if (letters === undefined) return [];
  const out: string[] = [];
  const last = letters.length - 1;
  const walk = (i: number, acc: string): void => {
    if (out.length >= MAX_SPELLINGS) return;
    if (i === letters.length) {
      out.push(acc);
      return;
    }
    const l = letters[i] as string;
    // a final yod is a long i, which the skeleton keeps (`Levi`, `Mizrahi`)
    const readings =
      i === last && (l === 'י' || l === 'ي') ? FINAL_YOD : (KEY_READINGS[l] ?? READINGS[l] ?? NO_READING);
    for (const r of readings) walk(i + 1, r === '' ? acc : `${acc}|${r}`);
  };
  walk(0, '');
  // the usual reading also as a Latin writer runs it together (`yitzhak`: `tzh` reads `t-zh`)
  if (out.length > 0) out.splice(1, 0, (out[0] as string).replace(/\|/g, ''));
  return out;
}

/** letterMask bits of the Latin vowels (and `y`), which a reading may skip. */
const VOWEL_BITS = letterMask('aeiouy');
const ALL_LETTERS = letterMask('abcdefghijklmnopqrstuvwxyz');

/**
 * The Latin letters some reading of a Hebrew- or Arabic-script word can write (letterMask bits,
 * vowels included), 0 if it is not read here: a Latin word with a consonant outside it cannot match
 * (`abjadSimilarity` is 0), which the comparison and its bound test before reading letter by letter.
 */
export function abjadLetters(orig: string): number {
  const letters = units([orig]);
  if (letters === undefined) return 0;
  let mask = VOWEL_BITS;
  for (const u of letters) {
    for (const r of readingsOf(u)) mask |= letterMask(r);
    if (u === ARTICLE) for (const r of ARTICLE_READINGS) mask |= letterMask(r);
  }
  return mask;
}

/**
 * The letters a Latin word matching a Hebrew- or Arabic-script word (or words, in order) can begin
 * with (letterMask bits), 0 if it is not read here: readings of the first letter, or when that can
 * be silent, a vowel or what the next letter begins with.
 */
export function abjadFirstLetters(words: readonly string[]): number {
  const letters = units(words);
  if (letters === undefined || letters.length === 0) return 0;
  // from the last unit back: what the rest of the Latin word can begin with after unit k (after the
  // last, anything: in a merged form the next word's letters follow)
  let after = ALL_LETTERS;
  for (let k = letters.length - 1; k >= 1; k--) after = VOWEL_BITS | beginnings(letters[k] as string, after);
  return beginnings(letters[0] as string, after);
}

function beginnings(unit: string, after: number): number {
  let mask = 0;
  const readings = unit === ARTICLE ? [...ARTICLE_READINGS, ''] : readingsOf(unit);
  for (const r of readings) mask |= r === '' ? after : letterMask(r.charAt(0));
  return mask;
}

/**
 * Whether a Latin word (its letterMask and first letter's code) cannot be a reading of the word with
 * `letters` (abjadLetters) and `first` (abjadFirstLetters): a consonant no reading writes, or a first
 * letter (a-z) none begins with. Then abjadSimilarity is 0.
 */
export function abjadExcludes(
  letters: number,
  first: number,
  latinMask: number,
  latinFirst: number,
): boolean {
  if ((latinMask & ~VOWEL_BITS & ~letters) !== 0) return true;
  return latinFirst >= 97 && latinFirst <= 122 && (first & (1 << (latinFirst - 97))) === 0;
}
