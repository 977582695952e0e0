/**
 * Hashes of a token's spelling forms, computed once per distinct word (and per merged form) at
 * preparation, so the comparison bound (bound.ts) compares numbers where the comparison compares
 * strings: equal strings always have equal hashes.
 */

/** A 32-bit FNV-1a hash, odd for any non-empty string and 0 for the empty one. */
export function formHash(s: string): number {
  if (s === '') return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 1;
}

/** One bit (of 32) per key: two sets that share a key share a bit. */
export function keyBloom(keys: readonly string[]): number {
  let bits = 0;
  for (let i = 0; i < keys.length; i++) bits |= 1 << (formHash(keys[i] as string) >>> 27);
  return bits;
}

/** Where each hash sits in a token's `hashes`. */
export const TOKEN_HASH = {
  text: 0,
  skel: 1,
  skelEa: 2,
  cons: 3,
  dm1: 4,
  dm2: 5,
  /** keyBloom of the variant-table keys */
  canon: 6,
  /** keyBloom of the family-name keys */
  surname: 7,
  length: 8,
} as const;

/** Where each hash sits in a merged form's `hashes`. */
export const MERGED_HASH = { text: 0, skel: 1, skelEa: 2, cons: 3, length: 4 } as const;
