/**
 * Katakana renderings of foreign names read against their Latin spellings.
 *
 * Japanese writes a foreign name in syllables: every consonant but `n` takes a vowel (`Trump` →
 * トランプ `toranpu`), `l` and `r` are one sound (`Lavrov` → ラブロフ `raburofu`), `v` is written
 * with `b` or `u` (ウラジーミル `urajimiru`, Vladimir), `ti`, `di`, `si` become `chi`, `ji`, `shi`,
 * and long vowels lose their mark in transliteration (プーチン `puchin`, Putin). any-ascii's reading
 * of the kana is therefore compared with a Latin word by an alignment that allows exactly these
 * differences at no cost, and a differing vowel at a small one.
 */

/** Whether a token's own-script form is katakana or hiragana (its first letter). */
export function isKanaWord(orig: string): boolean {
  const c = orig.charCodeAt(0);
  return c >= 0x3041 && c <= 0x30ff;
}

function isVowel(c: string | undefined): boolean {
  return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u';
}

/** Doubled letters written once (`Gazzprom`, `Hassan`). */
function undoubled(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) if (i === 0 || text[i] !== text[i - 1]) out += text[i];
  return out;
}

/*
 * Latin letter(s) ↔ romaji letter(s) that spell the same sound in a katakana rendering, each
 * [latin, romaji]; tried at every position besides letters that agree.
 */
const SAME: readonly (readonly [string, string])[] = [
  ['l', 'r'],
  ['v', 'b'],
  ['v', 'u'],
  ['w', 'u'],
  ['v', 'f'],
  ['f', 'h'],
  ['th', 's'],
  ['th', 'z'],
  ['ti', 'chi'],
  ['t', 'ch'],
  ['t', 'ts'],
  ['tz', 'ts'],
  ['z', 'ts'],
  ['di', 'ji'],
  ['d', 'j'],
  ['g', 'j'],
  ['z', 'j'],
  ['z', 's'],
  ['c', 'ts'],
  ['si', 'shi'],
  ['s', 'sh'],
  ['c', 'k'],
  ['c', 's'],
  ['ck', 'k'],
  ['k', 'ku'],
  ['q', 'k'],
  ['x', 'kus'],
  ['m', 'n'],
  ['y', 'i'],
  ['ph', 'f'],
];

/*
 * cost[i][j]: the least cost of reading the first i romaji letters as the first j Latin letters
 * (255 = not possible). Flat, reused between calls.
 */
let cost = new Uint8Array(0);
const NONE = 255;

/**
 * Similarity of a kana word's romaji (any-ascii, lower case) and a Latin-script word: 0.9 when the
 * romaji spells the Latin word with katakana's habits (an added vowel after a consonant, `r` for `l`,
 * `b` or `u` for `v`, `chi` for `ti`, a long vowel left out), less 0.05 for each vowel read otherwise
 * and each Latin vowel or `h` left out (a final `e` is free); 0 when those are more than one in five
 * Latin letters (at least one is allowed) or a consonant differs.
 */
export function kanaSimilarity(romaji: string, latin: string): number {
  const r = undoubled(romaji);
  const l = undoubled(latin);
  const n = r.length;
  const m = l.length;
  if (n === 0 || m < 2 || n > 60 || m > 40) return 0;
  const w = m + 1;
  if (cost.length < (n + 1) * w) cost = new Uint8Array(2 * (n + 1) * w);
  cost.fill(NONE, 0, (n + 1) * w);
  cost[0] = 0;
  const relax = (i: number, j: number, c: number): void => {
    const k = i * w + j;
    if (c < (cost[k] as number)) cost[k] = c;
  };
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = cost[i * w + j] as number;
      if (here === NONE) continue;
      const a = r[i];
      const b = l[j];
      // letters that agree
      if (a !== undefined && a === b) relax(i + 1, j + 1, here);
      // a vowel katakana adds after a consonant (`toranpu`), or a long vowel written twice
      if (isVowel(a) && i > 0 && (!isVowel(r[i - 1]) || r[i - 1] === a || r[i - 1] === 'n'))
        relax(i + 1, j, here);
      // a vowel read differently (`Trump`: u ↔ a)
      if (isVowel(a) && (isVowel(b) || b === 'y')) relax(i + 1, j + 1, here + 1);
      // a Latin vowel or `h` the rendering leaves out (a long or silent one)
      if ((isVowel(b) || b === 'h') && j > 0) relax(i, j + 1, here + (b === 'e' && j === m - 1 ? 0 : 1));
      for (const [lat, rom] of SAME)
        if (l.startsWith(lat, j) && r.startsWith(rom, i)) relax(i + rom.length, j + lat.length, here);
    }
  }
  const total = cost[n * w + m] as number;
  if (total === NONE || total > Math.max(1, Math.floor(m / 5))) return 0;
  return 0.9 - 0.05 * total;
}
