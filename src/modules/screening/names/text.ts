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

/** ASCII lower-case pieces of a transliteration (any-ascii may return several words). */
function asciiPieces(text: string): string[] {
  return anyAscii(text)
    .toLowerCase()
    .split(NON_ALNUM)
    .filter((p) => p !== '');
}

/**
 * Splits a name into words: NFKC, apostrophes removed (`Ch'oe` → `choe`), any other punctuation
 * separates words, script changes separate words, Han and Hangul are split into syllables (one
 * character each), every word is transliterated with any-ascii and lower-cased.
 */
export function tokenize(raw: string): RawToken[] {
  const s = raw.normalize('NFKC');
  const out: RawToken[] = [];
  let group = 0;
  let groupUsed = false;
  let afterComma = false;
  let word = '';
  let wordScript: ScriptClass = 'latin';

  const flush = () => {
    if (word === '') return;
    emit(word, wordScript);
    word = '';
  };
  const emit = (w: string, script: ScriptClass) => {
    if (isSyllabic(script)) {
      for (const ch of w) {
        for (const piece of asciiPieces(ch)) out.push({ text: piece, orig: ch, script, group, afterComma });
      }
    } else {
      const orig = script === 'latin' ? '' : w.toLowerCase().replace(MARKS, '');
      for (const piece of asciiPieces(w)) out.push({ text: piece, orig, script, group, afterComma });
    }
    groupUsed = true;
  };

  for (const ch of s) {
    if (APOSTROPHES.has(ch)) continue;
    if (LETTER.test(ch)) {
      const script: ScriptClass = MARK_OR_DIGIT.test(ch) && word !== '' ? wordScript : scriptOf(ch);
      if (word !== '' && script !== wordScript) flush();
      if (word === '') wordScript = script;
      word += ch;
      continue;
    }
    flush();
    if (ch === ',' || ch === '，' || ch === '、') {
      if (groupUsed) afterComma = true;
    }
    if ((WHITESPACE.test(ch) || ch === ',' || ch === '，') && groupUsed) {
      group++;
      groupUsed = false;
    }
  }
  flush();
  return out;
}

/** Marks where merged tokens meet, so no digraph is read across it (`sok|ha` is not `sokha`). */
export const BOUNDARY = /\|/g;

function isVowel(c: string | undefined): boolean {
  return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y';
}

const HAS_DIGIT = /[0-9]/;

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
  let t = token;
  if (!eastAsian) {
    // Western spelling habits; a final `e` is a syllable in pinyin (`jinghe`)
    if (t.length > 3 && t.endsWith('e') && !isVowel(t[t.length - 2])) t = t.slice(0, -1);
    if (t.length > 4 && (t.endsWith('off') || t.endsWith('eff'))) t = `${t.slice(0, -2)}v`;
    if (t.length > 3 && t.endsWith('kh')) t = `${t.slice(0, -2)}k`;
  }
  let out = '';
  let last = '';
  const n = t.length;
  for (let i = 0; i < n; i++) {
    const c = t[i] as string;
    if (c === '|') continue;
    const d = t[i + 1];
    let x: string = c;
    let extra = '';
    if (isVowel(c)) {
      if (eastAsian) {
        let j = i + 1;
        while (j < n && isVowel(t[j])) j++;
        x = eastAsianVowel(t.slice(i, j));
        i = j - 1;
      } else x = 'a';
    } else {
      switch (c) {
        case 's':
          if (d === 'h' && t[i + 2] === 'c' && t[i + 3] === 'h') {
            x = 'S';
            i += 3;
          } else if ((d === 'c' && t[i + 2] === 'h') || d === 'h') {
            x = 'S';
            i += d === 'h' ? 1 : 2;
          }
          break;
        case 't':
          if (d === 'c' && t[i + 2] === 'h') {
            x = 'C';
            i += 2;
          } else if (d === 'h') i++;
          break;
        case 'c':
          if (d === 'h') {
            x = 'C';
            i++;
          } else if (d === 'k') {
            x = 'k';
            i++;
          } else x = d === 'e' || d === 'i' || d === 'y' ? 's' : 'k';
          break;
        case 'd':
          if (d === 'z' && t[i + 2] === 'h') {
            x = 'J';
            i += 2;
          } else if (d === 'j') {
            x = 'J';
            i++;
          } else if (d === 'h') i++;
          break;
        case 'z':
          if (d === 'h') {
            x = 'J';
            i++;
          }
          break;
        case 'j':
          x = 'J';
          break;
        case 'k':
          if (d === 'h') {
            x = 'h';
            i++;
          }
          break;
        case 'g':
          if (d === 'h' && !eastAsian) i++;
          break;
        case 'p':
          if (d === 'h') {
            x = 'f';
            i++;
          }
          break;
        case 'q':
          x = 'k';
          break;
        case 'x':
          if (i === 0) x = 's';
          else {
            x = 'k';
            extra = 's';
          }
          break;
        case 'w':
          x = 'v';
          break;
        case 'h':
          if (i === n - 1 && last === 'a' && out.length > 1) continue;
          break;
      }
    }
    if (eastAsian && x.length === 1) x = EA_FOLD[x] ?? x;
    if (x !== last) {
      out += x;
      last = x;
    }
    if (extra !== '') {
      out += extra;
      last = extra;
    }
  }
  return out;
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
  wi: 'I',
  y: 'I',
  yi: 'I',
  ao: 'W',
  au: 'W',
  iao: 'W',
  yao: 'W',
};

function eastAsianVowel(run: string): string {
  return EA_VOWELS[run] ?? (run.startsWith('a') ? 'A' : 'O');
}

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
  initialVowel = isVowel(token[0]) && token[0] !== 'y',
): string {
  if (/[0-9]/.test(token)) return token.replace(BOUNDARY, '');
  let t = '';
  for (const c of token) if (c !== 'w' && c !== 'y') t += c;
  const skel = skeleton(t);
  let out = '';
  let last = '';
  for (const c of skel) {
    if (c === 'a' || c === last) continue;
    out += c;
    last = c;
  }
  if (out.length > 2 && out.endsWith('h')) out = out.slice(0, -1);
  // a final long i is written (علي `ly`, Ali; مهدی `mhdy`, Mahdi): keep it, it separates Mohammadi from Muhammad
  const end = token[token.length - 1];
  if (out !== '' && (end === 'y' || end === 'i' || token.endsWith('ee'))) out += 'Y';
  return initialVowel ? `A${out}` : out;
}
