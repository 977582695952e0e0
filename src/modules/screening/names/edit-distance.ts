/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), the typo measure:
 * `abdul` → `abudl` is one edit, not two.
 */

const ROW = 48;
const prev2 = new Int32Array(ROW + 1);
const prev = new Int32Array(ROW + 1);
const cur = new Int32Array(ROW + 1);

/** Edits (insert, delete, substitute, swap two adjacent letters) turning `a` into `b`. */
export function osaDistance(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (la === 0) return lb;
  if (lb === 0) return la;
  const big = lb > ROW;
  let p2 = big ? new Int32Array(lb + 1) : prev2;
  let p1 = big ? new Int32Array(lb + 1) : prev;
  let c = big ? new Int32Array(lb + 1) : cur;
  for (let j = 0; j <= lb; j++) p1[j] = j;
  for (let i = 1; i <= la; i++) {
    c[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min((p1[j] as number) + 1, (c[j - 1] as number) + 1, (p1[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, (p2[j - 2] as number) + 1);
      }
      c[j] = v;
    }
    const t = p2;
    p2 = p1;
    p1 = c;
    c = t;
  }
  return p1[lb] as number;
}
