/**
 * The address an exposure or cluster question is about, from what a caller typed: a chain (id,
 * code or free label) and an address, validated with its checksum, turned into the graph's key.
 */

import { CordonError } from '../../shared/errors.js';
import { isChain, normalizeAddress, resolveChainCode } from '../chains/index.js';

/** A validated subject: its graph key, chain and displayed form. */
export interface AddressSubject {
  readonly key: string;
  readonly chain: string;
  readonly display: string;
}

const LABEL = /^[a-z0-9][a-z0-9_.-]{0,31}$/;

/**
 * Resolves `chain` + `address` to a graph key; a chain that is not one of cordon's is a free label
 * (`ledger`). Throws an `invalid` CordonError naming the problem (checksum, format, chain).
 *
 * @example resolveSubject('tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t').key // 'tron:TR7N…'
 */
export function resolveSubject(chain: string | undefined, address: string): AddressSubject {
  const lower = chain?.trim().toLowerCase();
  const resolved = lower === undefined ? undefined : isChain(lower) ? lower : resolveChainCode(lower);
  if (lower !== undefined && resolved === undefined) {
    if (!LABEL.test(lower)) {
      throw new CordonError('invalid', 'address.unknown_chain', `unknown chain "${chain?.slice(0, 40)}"`, {
        field: 'chain',
      });
    }
    const raw = address.trim();
    return { key: `${lower}:${raw}`, chain: lower, display: raw };
  }
  const r = normalizeAddress(address, lower);
  if (!r.ok)
    throw new CordonError(
      'invalid',
      r.code,
      `address ${JSON.stringify(address.slice(0, 130))}: ${r.reason}`,
      { field: 'address' },
    );
  return { key: r.key, chain: r.chain, display: r.normalized };
}
