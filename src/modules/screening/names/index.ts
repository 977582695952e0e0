/**
 * Name matching for screening.
 *
 * `prepareName` does the work once per name: NFKC, transliteration (any-ascii; Han names are also
 * read the Sino-Korean and the Japanese way, as alternatives), titles, legal forms
 * and stop-words, then per token the spelling levels comparison climbs through (exact text or
 * original script → variant tables → skeleton → consonant skeleton for unvowelled scripts → typo
 * distance → phonetic support), a weight (family names more; short, common, generic words and
 * particles less) and a role. `compareNames` aligns tokens order-independently, single or merged
 * (`abdul hakim` ↔ `abdulhakim`), initials and acronyms included, and returns an explained score.
 * `scoreMatch` adds what the listed name is worth and the evidence beyond the name.
 */
export {
  type AlignedTokens,
  compareNames,
  type MatchHow,
  type NameComparison,
  nameScore,
} from './compare.js';
export {
  DEFAULT_THRESHOLD,
  type EntityEvidence,
  evidenceMargin,
  type Feature,
  type ListedNameKind,
  matchScore,
  type QueryEvidence,
  REVIEW_THRESHOLD,
  scoreMatch,
} from './evidence.js';
export {
  type NameKind,
  type NameToken,
  type PreparedName,
  prepareName,
  retrievalKeys,
  warmUp,
} from './prepare.js';
