import { type AddressErrorCode, normalizeAddress, type ValidAddress } from '../chains/index.js';
import type { ActiveAddressRow } from '../lists/index.js';

/** One reason an address is flagged: a list entry or an attribution, with where it comes from. */
export interface AddressHit {
  /** The address as the list gives it. */
  listedAs: string;
  /** Currency or chain code as listed. */
  listedCurrency: string;
  entityId: string;
  entityName: string;
  category: string;
  /** The list source (`ofac-sdn`, `attributions`, …) and its active version. */
  source: string;
  versionId: string;
  /** Who attributed it (the publisher for list entries, the vendor or case for attributions). */
  attributedBy: string | null;
  confidence: number;
  validFrom: string | null;
  validTo: string | null;
}

/** The answer for one address: its normalised form and every hit, or why it is not an address. */
export type AddressScreening =
  | { ok: true; input: string; chain: string; normalized: string; key: string; hits: AddressHit[] }
  | { ok: false; input: string; code: AddressErrorCode; reason: string };

/** Rows as the index is built from (active list addresses and attributions). */
export type AddressRow = ActiveAddressRow;

/** An immutable exact-match index over chain-aware address keys. */
export interface AddressIndex {
  readonly size: number;
  /** Hits for an already normalised key (`evm:0x…`, `tron:T…`, …): a hash lookup, nothing else. */
  lookupKey(key: string): readonly AddressHit[] | undefined;
  /**
   * Validates and normalises `address` (checksums included), then looks it up. Never fuzzy.
   * `checked` is what `normalizeAddress(address, chainHint)` returned, when the caller has it
   * already (the same call, so the same answer): it is used instead of normalising again.
   */
  screen(address: string, chainHint?: string, checked?: ValidAddress): AddressScreening;
}

const NONE: readonly AddressHit[] = [];

/**
 * Builds the address index. Matching is exact on the key: EVM addresses case-insensitively and
 * across every EVM chain, base58 and TRON case-sensitively, bech32 lower-cased — so an
 * address-poisoning look-alike that shares the first and last characters never matches.
 */
export function buildAddressIndex(
  rows: Iterable<AddressRow>,
  entityName: (id: string) => string | undefined,
): AddressIndex {
  const byKey = new Map<string, AddressHit[]>();
  let size = 0;
  for (const r of rows) {
    const hit: AddressHit = {
      listedAs: r.address,
      listedCurrency: r.currency,
      entityId: r.entityId,
      entityName: entityName(r.entityId) ?? r.entityId,
      category: r.category,
      source: r.source,
      versionId: r.versionId,
      attributedBy: r.attributedBy,
      confidence: r.confidence,
      validFrom: r.validFrom,
      validTo: r.validTo,
    };
    const list = byKey.get(r.addressKey);
    if (list) list.push(hit);
    else byKey.set(r.addressKey, [hit]);
    size++;
  }
  for (const list of byKey.values())
    list.sort((a, b) => b.confidence - a.confidence || a.entityId.localeCompare(b.entityId));
  return {
    size,
    lookupKey: (key) => byKey.get(key),
    screen(address, chainHint, checked) {
      const n = checked ?? normalizeAddress(address, chainHint);
      if (!n.ok) return { ok: false, input: address, code: n.code, reason: n.reason };
      return {
        ok: true,
        input: address,
        chain: n.chain,
        normalized: n.normalized,
        key: n.key,
        hits: [...(byKey.get(n.key) ?? NONE)],
      };
    },
  };
}
