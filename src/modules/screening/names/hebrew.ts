/**
 * Hebrew-script names read against their Latin spellings.
 *
 * Hebrew writes consonants and only some vowels, and several of its letters are romanised in more
 * than one way: `ב` is `b` or `v`, `כ` is `k`, `kh` or `ch`, `פ` is `p` or `f`, `ש` is `sh` or `s`,
 * and `ו` and `י` are consonants (`v`, `y`) or the vowels `o`, `u`, `i`, `e`. A single
 * transliteration cannot serve them all (any-ascii reads `משה כהן` as `msh khhn`, far from
 * `Moshe Cohen`), so a Hebrew word is compared with a Latin one by asking whether some choice of
 * readings, one per letter, spells the Latin word once its vowels are set aside: `שמעון` reads
 * `sh-m-(o)-n` = `Shimon`, `דוד` reads `d-v-d` = `David`, `יצחק` reads `y-tz-h-k` = `Yitzhak`.
 */

/** Readings of each letter (final forms folded), the empty reading for letters that can be silent or a vowel. */
const READINGS: Readonly<Record<string, readonly string[]>> = {
  א: [''],
  ע: [''],
  ב: ['b', 'v'],
  ג: ['g', 'j'],
  ד: ['d'],
  ה: ['h', ''],
  ו: ['v', 'w', ''],
  ז: ['z', 's', 'zh'],
  ח: ['h', 'ch', 'kh'],
  ט: ['t', 'th'],
  י: ['y', 'j', 'i', ''],
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
};

const FINAL_FORMS: Readonly<Record<string, string>> = { ך: 'כ', ם: 'מ', ן: 'נ', ף: 'פ', ץ: 'צ' };

/** Letters that begin a word with a vowel sound (aleph, ayin): the Latin spelling starts with a vowel too. */
const VOWEL_ONSET = new Set(['א', 'ע']);

/** Whether a token's own-script form is Hebrew (its first letter). */
export function isHebrewWord(orig: string): boolean {
  const c = orig.charCodeAt(0);
  return c >= 0x05d0 && c <= 0x05ea;
}

function isLatinVowel(c: number): boolean {
  // a e i o u y
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117 || c === 121;
}

/** Doubled letters written once (`Hassan` → `hasan`): Hebrew writes a consonant once however it is said. */
function undoubled(latin: string): string {
  let out = '';
  for (let i = 0; i < latin.length; i++) if (i === 0 || latin[i] !== latin[i - 1]) out += latin[i];
  return out;
}

/*
 * reach[i][j]: the first i Hebrew letters can spell the first j Latin letters; the value is 1 + the
 * most consonants read so far (0 = unreachable). Flat, reused between calls.
 */
let reach = new Int8Array(0);

/**
 * Similarity of a Hebrew word (`orig`, lower-cased, marks removed) and a Latin-script word (ASCII
 * lower case): 0.9 when some reading of the Hebrew letters spells the Latin word's consonants in
 * order (its vowels set aside) with at least two letters read as consonants, 0.8 with one, else 0.
 */
export function hebrewSimilarity(orig: string, latin: string): number {
  const letters: string[] = [];
  for (const ch of orig) {
    const l = FINAL_FORMS[ch] ?? ch;
    if (READINGS[l] === undefined) return 0;
    letters.push(l);
  }
  const lat = undoubled(latin);
  const n = letters.length;
  const m = lat.length;
  if (n === 0 || m === 0 || n > 30 || m > 60) return 0;
  if (VOWEL_ONSET.has(letters[0] as string) && !isLatinVowel(lat.charCodeAt(0))) return 0;
  const w = m + 1;
  if (reach.length < (n + 1) * w) reach = new Int8Array(2 * (n + 1) * w);
  reach.fill(0, 0, (n + 1) * w);
  reach[0] = 1;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = reach[i * w + j] as number;
      if (here === 0) continue;
      // a Latin vowel the Hebrew does not write (never before the first letter is read)
      if (j < m && i > 0 && isLatinVowel(lat.charCodeAt(j))) {
        const k = i * w + j + 1;
        if ((reach[k] as number) < here) reach[k] = here;
      }
      if (i === n) continue;
      for (const r of READINGS[letters[i] as string] as readonly string[]) {
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
};

const FINAL_YOD: readonly string[] = ['y'];
const NO_READING: readonly string[] = [''];

/** At most this many spellings per word are turned into keys. */
const MAX_SPELLINGS = 6;

/**
 * Latin spellings of a Hebrew word for candidate retrieval, the usual reading first, at most
 * `MAX_SPELLINGS`, the first also run together (second); letters are joined by `|` so no digraph is read across two of them (`ס|ה` is not
 * `sh`). The caller turns each into a key as it does any Latin word.
 */
export function hebrewSpellings(orig: string): string[] {
  const letters: string[] = [];
  for (const ch of orig) {
    const l = FINAL_FORMS[ch] ?? ch;
    if (READINGS[l] === undefined) return [];
    letters.push(l);
  }
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
    const readings = i === last && l === 'י' ? FINAL_YOD : (KEY_READINGS[l] ?? READINGS[l] ?? NO_READING);
    for (const r of readings) walk(i + 1, r === '' ? acc : `${acc}|${r}`);
  };
  walk(0, '');
  // the usual reading also as a Latin writer runs it together (`yitzhak`: `tzh` reads `t-zh`)
  if (out.length > 0) out.splice(1, 0, (out[0] as string).replace(/\|/g, ''));
  return out;
}
