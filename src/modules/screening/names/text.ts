/**
 * Text handling for names: splitting into words, script detection, transliteration to ASCII and
 * the spelling-insensitive skeletons tokens are compared and indexed by.
 */
import anyAscii from 'any-ascii';

/** Script families that matter for matching. */
export type ScriptClass =
  | 'latin'
  | 'han'
  | 'hangul'
  | 'kana'
  | 'cyrillic'
  | 'greek'
  | 'abjad'
  | 'brahmic'
  | 'other';

/** One word of a name as written, before any filtering. */
export interface RawToken {
  /** Transliterated, ASCII lower-case letters and digits. */
  text: string;
  /** The word in its own script (NFKC, lower case, marks removed); empty for Latin-script words. */
  orig: string;
  script: ScriptClass;
  /** Index of the whitespace-separated group the word belongs to (hyphenated parts share one). */
  group: number;
  /** Whether the word comes after the first comma of the name. */
  afterComma: boolean;
}

const LETTER = /[\p{L}\p{M}\p{N}]/u;
const APOSTROPHES = new Set(["'", '’', '‘', '`', '´', 'ʼ', 'ʻ', 'ʹ', '′', '‛', '＇', 'ʾ', 'ʿ']);
const WHITESPACE = /\s/u;
const HAN = /\p{Script=Han}/u;
const HANGUL = /\p{Script=Hangul}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
const LATIN = /[\p{Script=Latin}\p{N}]/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const GREEK = /\p{Script=Greek}/u;
const ABJAD = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;
const BRAHMIC =
  /[\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
const MARKS = /\p{M}+/gu;
const MARK_OR_DIGIT = /[\p{M}\p{N}]/u;
const NON_ALNUM = /[^a-z0-9]+/;
const APOSTROPHES_ASCII = /['`]/g;

/** The script family of one character. */
export function scriptOf(ch: string): ScriptClass {
  if (ch < '\u0250') return 'latin';
  if (LATIN.test(ch)) return 'latin';
  if (HAN.test(ch)) return 'han';
  if (HANGUL.test(ch)) return 'hangul';
  if (KANA.test(ch)) return 'kana';
  if (CYRILLIC.test(ch)) return 'cyrillic';
  if (ABJAD.test(ch)) return 'abjad';
  if (BRAHMIC.test(ch)) return 'brahmic';
  if (GREEK.test(ch)) return 'greek';
  return 'other';
}

/** Scripts whose transliteration usually omits vowels (abjads and abugidas). */
export function isVowelDeficient(script: ScriptClass): boolean {
  return script === 'abjad' || script === 'brahmic';
}

/** Scripts written without spaces between the syllables of a name. */
function isSyllabic(script: ScriptClass): boolean {
  return script === 'han' || script === 'hangul';
}

/**
 * ASCII lower-case pieces of a transliteration (any-ascii may return several words). Apostrophes
 * in it are dropped, as they are from Latin names (`Ch'oe` → `choe`): any-ascii writes letters such
 * as ayin and hamza with them (سعد → `s\`d`, مسعود → `ms\`wd`), and they do not end a word.
 */
function asciiPieces(text: string): string[] {
  return anyAscii(text)
    .toLowerCase()
    .replace(APOSTROPHES_ASCII, '')
    .split(NON_ALNUM)
    .filter((p) => p !== '');
}

/*
 * Indic letters any-ascii reads the way scholarly transliteration writes them (`श` `ś` → `s`, `च` → `c`,
 * the nasal sign `ं` → `m`), where names are spelled `sh`, `ch` and `n` (Sharma, Chandra, Narendra).
 * Devanagari, Bengali, Gurmukhi and Gujarati, respelled in ASCII before any-ascii reads the rest.
 */
const INDIC_SPELLINGS: Readonly<Record<string, string>> = {
  // Devanagari
  च: 'ch',
  छ: 'chh',
  श: 'sh',
  ष: 'sh',
  '\u0943': 'ri',
  ऋ: 'ri',
  // Bengali
  চ: 'ch',
  ছ: 'chh',
  শ: 'sh',
  ষ: 'sh',
  '\u09c3': 'ri',
  // Gurmukhi
  ਚ: 'ch',
  ਛ: 'chh',
  ਸ਼: 'sh',
  // Gujarati
  ચ: 'ch',
  છ: 'chh',
  શ: 'sh',
  ષ: 'sh',
  '\u0ac3': 'ri',
};
/** Nasal signs (anusvara, tippi, bindi): `n`, or `m` before a labial. */
const INDIC_NASALS = new Set(['\u0902', '\u0982', '\u0a02', '\u0a70', '\u0a82']);
const INDIC_LABIALS = /[\u092a-\u092e\u09aa-\u09ae\u0a2a-\u0a2e\u0aaa-\u0aae]/u;
const INDIC_RESPELLED = /[\u0900-\u0aff]/u;

/** A Thai consonant and the thanthakhat that silences it (`ประยุทธ์` is read `prayut`). */
const THAI_SILENT = /[\u0e01-\u0e2e]\u0e4c/gu;

/**
 * A word of the Brahmic family made ready for any-ascii: in Devanagari, Bengali, Gurmukhi and Gujarati
 * the letters of INDIC_SPELLINGS and the nasal signs respelled, in Thai the silent consonants dropped.
 */
function indicRespelled(word: string): string {
  if (!INDIC_RESPELLED.test(word)) return word.includes('\u0e4c') ? word.replace(THAI_SILENT, '') : word;
  let out = '';
  const chars = [...word];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (INDIC_NASALS.has(ch)) out += INDIC_LABIALS.test(chars[i + 1] ?? '') ? 'm' : 'n';
    else out += INDIC_SPELLINGS[ch] ?? ch;
  }
  return out;
}

/** Tokenizer state while a name is read (one object per call, no closures). */
interface Reader {
  out: RawToken[];
  group: number;
  groupUsed: boolean;
  afterComma: boolean;
  word: string;
  wordScript: ScriptClass;
  /** Whether the word so far is ASCII letters and digits only (its transliteration is itself). */
  wordAscii: boolean;
}

function flush(r: Reader): void {
  const w = r.word;
  if (w === '') return;
  const script = r.wordScript;
  if (r.wordAscii) {
    r.out.push({ text: w.toLowerCase(), orig: '', script, group: r.group, afterComma: r.afterComma });
  } else if (isSyllabic(script)) {
    for (const ch of w) {
      for (const piece of asciiPieces(ch))
        r.out.push({ text: piece, orig: ch, script, group: r.group, afterComma: r.afterComma });
    }
  } else {
    const orig = script === 'latin' ? '' : w.toLowerCase().replace(MARKS, '');
    for (const piece of asciiPieces(script === 'brahmic' ? indicRespelled(w) : w))
      r.out.push({ text: piece, orig, script, group: r.group, afterComma: r.afterComma });
  }
  r.groupUsed = true;
  r.word = '';
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

/** ASCII letters and digits. */
function isAsciiAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/**
 * Splits a name into words: NFKC, apostrophes removed (`Ch'oe` → `choe`), any other punctuation
 * separates words, script changes separate words, Han and Hangul are split into syllables (one
 * character each), every word is transliterated with any-ascii and lower-cased.
 */
export function tokenize(raw: string): RawToken[] {
  // NFKC leaves ASCII as it is
  const s = isAscii(raw) ? raw : raw.normalize('NFKC');
  const r: Reader = {
    out: [],
    group: 0,
    groupUsed: false,
    afterComma: false,
    word: '',
    wordScript: 'latin',
    wordAscii: true,
  };
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code < 128) {
      // ASCII: letters and digits are Latin-script word characters; the rest is read as below
      if (isAsciiAlnum(code)) {
        // a digit continues the word it is in, whatever its script (`Иван2`)
        if (r.word !== '' && r.wordScript !== 'latin' && !(code >= 48 && code <= 57)) flush(r);
        if (r.word === '') {
          r.wordScript = 'latin';
          r.wordAscii = true;
        }
        r.word += ch;
        continue;
      }
      if (code === 39 || code === 96) continue; // ' and `
    } else {
      // apostrophes, and the zero-width (non-)joiners Persian writes inside words (خامنه‌ای)
      if (APOSTROPHES.has(ch) || ch === '\u200c' || ch === '\u200d') continue;
      if (LETTER.test(ch)) {
        const script: ScriptClass = MARK_OR_DIGIT.test(ch) && r.word !== '' ? r.wordScript : scriptOf(ch);
        if (r.word !== '' && script !== r.wordScript) flush(r);
        if (r.word === '') r.wordScript = script;
        r.wordAscii = false;
        r.word += ch;
        continue;
      }
    }
    flush(r);
    if (ch === ',' || ch === '，' || ch === '、') {
      if (r.groupUsed) r.afterComma = true;
    }
    if ((WHITESPACE.test(ch) || ch === ',' || ch === '，') && r.groupUsed) {
      r.group++;
      r.groupUsed = false;
    }
  }
  flush(r);
  return r.out;
}

/** Marks where merged tokens meet, so no digraph is read across it (`sok|ha` is not `sokha`). */
export const BOUNDARY = /\|/g;

const HAS_DIGIT = /[0-9]/;

// Character codes the skeleton reads.
const A = 97;
const C = 99;
const D = 100;
const E = 101;
const F = 102;
const G = 103;
const H = 104;
const I = 105;
const J = 106;
const K = 107;
const O = 111;
const P = 112;
const Q = 113;
const S = 115;
const T = 116;
const U = 117;
const V = 118;
const W = 119;
const X = 120;
const Y = 121;
const Z = 122;
const BAR = 124;
const UPPER_C = 67;
const UPPER_J = 74;
const UPPER_S = 83;
const UPPER_A = 65;

function isVowelCode(c: number): boolean {
  return c === A || c === E || c === I || c === O || c === U || c === Y;
}

/*
 * Scratch buffers: skeletons are computed for every token and merged form of every name, so they
 * work on character codes and allocate only the resulting string.
 */
let input = new Uint16Array(64);
let output = new Uint16Array(200);

function ensureScratch(n: number): void {
  if (input.length < n) input = new Uint16Array(2 * n);
  // `x` writes two codes for one letter: the output can be twice the input
  if (output.length < 2 * n + 2) output = new Uint16Array(4 * n + 4);
}

function stringOf(codes: Uint16Array, n: number): string {
  if (n === 0) return '';
  if (n <= 16) {
    let out = '';
    for (let i = 0; i < n; i++) out += String.fromCharCode(codes[i] as number);
    return out;
  }
  return String.fromCharCode.apply(null, codes.subarray(0, n) as unknown as number[]);
}

/**
 * A spelling-insensitive skeleton of an ASCII token: common digraphs folded (`kh`→`h`, `zh`/`dzh`/
 * `dj`/`j`→`J`, `ch`/`tch`→`C`, `sh`/`sch`/`shch`→`S`, `ph`→`f`, `th`→`t`, `dh`→`d`, `gh`→`g`,
 * `q`/hard `c`→`k`, soft `c`→`s`, `x`→`ks`, `w`→`v`), `-off`/`-eff` → `-ov`/`-ev`, a silent final
 * `e` and a final `h` after a vowel dropped, doubled letters merged, and every run of vowels
 * (including `y`) reduced to one placeholder `a`. So `Soleimani`, `Suleimani` and `Solaimani`,
 * `Kuzmichev` and `Kuzmichyov`, `Hieng` and `Heang`, `Alexey` and `Aleksei` share a skeleton.
 * Merged tokens are passed joined by `|`, which blocks digraphs across the join.
 */
export function skeleton(token: string, eastAsian = false): string {
  if (token === '' || HAS_DIGIT.test(token)) return token.replace(BOUNDARY, '');
  const n = token.length;
  ensureScratch(n);
  for (let i = 0; i < n; i++) input[i] = token.charCodeAt(i);
  return stringOf(output, skeletonCodes(n, eastAsian));
}

/** The skeleton of the `n` codes in `input`, written to `output`; returns its length. */
function skeletonCodes(length: number, eastAsian: boolean): number {
  const t = input;
  let n = length;
  if (!eastAsian) {
    // Western spelling habits; a final `e` is a syllable in pinyin (`jinghe`)
    if (n > 3 && t[n - 1] === E && !isVowelCode(t[n - 2] as number)) n--;
    if (n > 4 && t[n - 1] === F && t[n - 2] === F && (t[n - 3] === O || t[n - 3] === E)) {
      n--;
      t[n - 1] = V;
    }
    if (n > 3 && t[n - 1] === H && t[n - 2] === K) {
      n--;
      t[n - 1] = K;
    }
  }
  const out = output;
  let len = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const c = t[i] as number;
    if (c === BAR) continue;
    // beyond the end reads as "no letter" (-1), as the string form read `undefined`
    const d = i + 1 < n ? (t[i + 1] as number) : -1;
    const d2 = i + 2 < n ? (t[i + 2] as number) : -1;
    let x = c;
    let extra = -1;
    if (isVowelCode(c)) {
      if (eastAsian) {
        let j = i + 1;
        while (j < n && isVowelCode(t[j] as number)) j++;
        x = eastAsianVowel(t, i, j);
        i = j - 1;
      } else x = A;
    } else {
      switch (c) {
        case S:
          if (d === H && d2 === C && i + 3 < n && t[i + 3] === H) {
            x = UPPER_S;
            i += 3;
          } else if ((d === C && d2 === H) || d === H) {
            x = UPPER_S;
            i += d === H ? 1 : 2;
          }
          break;
        case T:
          if (d === C && d2 === H) {
            x = UPPER_C;
            i += 2;
          } else if (d === H) i++;
          else if (eastAsian && (d === S || d === Z)) {
            // Wade-Giles `ts`/`tz` is pinyin `z` (Tse-tung, Zedong)
            x = Z;
            i++;
          }
          break;
        case C:
          if (d === H) {
            x = UPPER_C;
            i++;
          } else if (d === K) {
            x = K;
            i++;
          } else x = d === E || d === I || d === Y ? S : K;
          break;
        case D:
          if (d === Z && d2 === H) {
            x = UPPER_J;
            i += 2;
          } else if (d === J) {
            x = UPPER_J;
            i++;
          } else if (d === H) i++;
          break;
        case Z:
          if (d === H) {
            x = UPPER_J;
            i++;
          }
          break;
        case J:
          x = UPPER_J;
          break;
        case K:
          if (d === H) {
            x = H;
            i++;
          }
          break;
        case G:
          if (d === H && !eastAsian) i++;
          break;
        case P:
          if (d === H) {
            x = F;
            i++;
          }
          break;
        case Q:
          x = K;
          break;
        case X:
          if (i === 0) x = S;
          else {
            x = K;
            extra = S;
          }
          break;
        case W:
          x = V;
          break;
        case H:
          if (i === n - 1 && last === A && len > 1) continue;
          if (eastAsian && d === S) {
            // Wade-Giles `hs` is pinyin `x` (Hsi, Xi)
            x = S;
            i++;
          }
          break;
      }
    }
    if (eastAsian) x = eastAsianFoldCode(x);
    if (x !== last) {
      out[len++] = x;
      last = x;
    }
    if (extra !== -1) {
      out[len++] = extra;
      last = extra;
    }
  }
  return len;
}

/** The set of letters and digits of an ASCII token as bits, for cheap dissimilarity checks. */
export function letterMask(text: string): number {
  let m = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) m |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) m |= 1 << (26 + ((c - 48) % 5));
  }
  return m;
}

const EA_FOLD: Record<string, string> = { g: 'k', d: 't', b: 'p', J: 'C', r: 'l', S: 's', z: 'C', f: 'p' };
/** EA_FOLD by character code. */
const EA_FOLD_CODES = new Uint16Array(128);
for (let c = 0; c < 128; c++) EA_FOLD_CODES[c] = c;
for (const [from, to] of Object.entries(EA_FOLD)) EA_FOLD_CODES[from.charCodeAt(0)] = to.charCodeAt(0);

function eastAsianFoldCode(c: number): number {
  return c < 128 ? (EA_FOLD_CODES[c] as number) : c;
}

/** Korean and Chinese romanisations disagree on `ŏ`/`eo`/`o`/`u`, `ŭ`/`eu`/`u`, `ae`/`e`: vowel classes, not one placeholder. */
const EA_VOWELS: Record<string, string> = {
  a: 'A',
  ya: 'A',
  wa: 'A',
  ia: 'A',
  ua: 'A',
  e: 'E',
  ae: 'E',
  ai: 'E',
  ay: 'E',
  oe: 'E',
  oi: 'E',
  oy: 'E',
  ye: 'E',
  yae: 'E',
  we: 'E',
  wae: 'E',
  ei: 'E',
  ie: 'E',
  i: 'I',
  ee: 'I',
  ui: 'I',
  eui: 'I',
  wi: 'I',
  y: 'I',
  yi: 'I',
  ao: 'W',
  au: 'W',
  iao: 'W',
  yao: 'W',
};

/** Vowel runs of up to three letters as numbers (each vowel a digit 1–6 in base 7). */
const VOWEL_DIGIT = new Uint8Array(128);
for (const [i, v] of [...'aeiouy'].entries()) VOWEL_DIGIT[v.charCodeAt(0)] = i + 1;
/** EA_VOWELS by run number; the runs a skeleton meets are vowels only (`w` is a consonant there). */
const EA_VOWEL_CODES = new Uint16Array(7 * 7 * 7);
for (const [run, cls] of Object.entries(EA_VOWELS)) {
  let code = 0;
  let vowels = true;
  for (const ch of run) {
    const digit = VOWEL_DIGIT[ch.charCodeAt(0)] ?? 0;
    if (digit === 0) vowels = false;
    code = code * 7 + digit;
  }
  if (vowels) EA_VOWEL_CODES[code] = cls.charCodeAt(0);
}

/** The vowel class of the run `codes[from..to)`: the table's, else `A` for runs led by `a`, else `O`. */
function eastAsianVowel(codes: Uint16Array, from: number, to: number): number {
  if (to - from <= 3) {
    let code = 0;
    for (let k = from; k < to; k++) code = code * 7 + (VOWEL_DIGIT[codes[k] as number] as number);
    const cls = EA_VOWEL_CODES[code] as number;
    if (cls !== 0) return cls;
  }
  return codes[from] === A ? UPPER_A : O_CLASS;
}
const O_CLASS = 79;

/**
 * Folds the consonant pairs East Asian romanisations disagree on (`g`/`k`, `d`/`t`, `b`/`p`,
 * `j`/`ch`, `r`/`l`, `sh`/`s`) in a skeleton or consonant skeleton: Revised vs McCune-Reischauer
 * Korean, pinyin vs Wade-Giles (`Gim`/`Kim`, `Bak`/`Pak`, `Jeong`/`Chong`).
 */
export function eastAsianFold(skel: string): string {
  let out = '';
  let last = '';
  for (const c of skel) {
    const f = EA_FOLD[c] ?? c;
    if (f === last) continue;
    out += f;
    last = f;
  }
  return out;
}

/**
 * The consonant skeleton used against scripts that write few or no vowels (Arabic, Hebrew, the
 * Brahmic scripts): vowels and the letters that double as vowels (`w`, `y`) removed, a final `h`
 * removed, a final long `i` kept as `Y`, an initial vowel kept as `A` (the script writes it: ا, ع,
 * א). `mhmd` (محمد) and `Mohamed` share `mhmd`; `bdllh` (عبد الله) and `Abdullah` share `Abdl`;
 * `mhmdy` (محمدی) and `Mohammadi` share `mhmdY`; `hsyn` (حسین, Hussein) and `Ehsan` differ.
 */
export function consonantSkeleton(
  token: string,
  initialVowel = isVowelCode(token.charCodeAt(0)) && token.charCodeAt(0) !== Y,
): string {
  if (HAS_DIGIT.test(token)) return token.replace(BOUNDARY, '');
  ensureScratch(token.length);
  let n = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c !== W && c !== Y) input[n++] = c;
  }
  const len = n === 0 ? 0 : skeletonCodes(n, false);
  // vowels (the placeholder `a`) out, doubled letters merged again
  const out = output;
  let m = 0;
  let last = -1;
  for (let i = 0; i < len; i++) {
    const c = out[i] as number;
    if (c === A || c === last) continue;
    out[m++] = c;
    last = c;
  }
  if (m > 2 && out[m - 1] === H) m--;
  // a final long i is written (علي `ly`, Ali; مهدی `mhdy`, Mahdi): keep it, it separates Mohammadi from Muhammad
  const end = token.charCodeAt(token.length - 1);
  const tail = m !== 0 && (end === Y || end === I || token.endsWith('ee'));
  const body = stringOf(out, m);
  return `${initialVowel ? 'A' : ''}${body}${tail ? 'Y' : ''}`;
}
