/**
 * Common-input ownership (the "multi-input" heuristic): whoever signs every input of a UTXO
 * transaction controls every input address, so they are one owner. Its known failure is the
 * CoinJoin, where many owners sign one transaction on purpose; those are detected from the
 * transaction's shape alone and excluded, with the reason.
 */

import type { UtxoTransaction } from '../transfer.js';
import type { CoinJoinConfig } from './model.js';

/** Which mix shape matched. */
export type CoinJoinPattern = 'equal-outputs' | 'multi-denomination';

/** Why a transaction looks like a CoinJoin, with the figures behind it. */
export interface CoinJoinMatch {
  readonly pattern: CoinJoinPattern;
  readonly distinctInputs: number;
  readonly outputs: number;
  /** The most frequent output amount (base units) and how many outputs carry it. */
  readonly denomination: bigint;
  readonly equalOutputs: number;
  /** Distinct amounts occurring at least twice, and how many outputs they cover. */
  readonly repeatedAmounts: number;
  readonly repeatedOutputs: number;
}

/** The heuristic's verdict on one transaction. */
export type CommonInputDecision =
  | { readonly kind: 'merge'; readonly addresses: readonly string[] }
  | { readonly kind: 'single-input' | 'single-owner'; readonly explanation: string }
  | { readonly kind: 'coinjoin'; readonly match: CoinJoinMatch; readonly explanation: string };

/**
 * Tests a transaction for a CoinJoin shape:
 * - equal outputs: ≥ `minDistinctInputs` distinct input addresses and ≥ `minEqualOutputs` outputs of
 *   one amount, that amount covering at least `minEqualOutputShare` of the outputs or at least as many
 *   outputs as there are distinct inputs (Whirlpool 5 × 5, JoinMarket n equal + change, Wasabi 1);
 * - multi-denomination (Wasabi 2): many inputs and outputs, several amounts that each repeat, and
 *   repeated amounts covering at least `multiDenominationMinShare` of the outputs.
 *
 * @example detectCoinJoin(whirlpoolTx, DEFAULT_COINJOIN)?.pattern === 'equal-outputs'
 */
export function detectCoinJoin(tx: UtxoTransaction, config: CoinJoinConfig): CoinJoinMatch | undefined {
  const outputs = tx.outputs.length;
  if (outputs < Math.min(config.minEqualOutputs, config.multiDenominationMinOutputs)) return undefined;
  const distinctInputs = distinctAddresses(tx).length;
  if (distinctInputs < config.minDistinctInputs) return undefined;
  const counts = new Map<bigint, number>();
  for (const o of tx.outputs) {
    if (o.amountBase <= 0n) continue;
    counts.set(o.amountBase, (counts.get(o.amountBase) ?? 0) + 1);
  }
  let denomination = 0n;
  let equalOutputs = 0;
  let repeatedAmounts = 0;
  let repeatedOutputs = 0;
  for (const [amount, n] of counts) {
    if (n > equalOutputs || (n === equalOutputs && amount > denomination)) {
      denomination = amount;
      equalOutputs = n;
    }
    if (n >= 2) {
      repeatedAmounts++;
      repeatedOutputs += n;
    }
  }
  const match = (pattern: CoinJoinPattern): CoinJoinMatch => ({
    pattern,
    distinctInputs,
    outputs,
    denomination,
    equalOutputs,
    repeatedAmounts,
    repeatedOutputs,
  });
  if (
    equalOutputs >= config.minEqualOutputs &&
    (equalOutputs >= config.minEqualOutputShare * outputs || equalOutputs >= distinctInputs)
  ) {
    return match('equal-outputs');
  }
  if (
    distinctInputs >= config.multiDenominationMinInputs &&
    outputs >= config.multiDenominationMinOutputs &&
    repeatedAmounts >= config.multiDenominationMinRepeated &&
    repeatedOutputs >= config.multiDenominationMinShare * outputs
  ) {
    return match('multi-denomination');
  }
  return undefined;
}

/**
 * Decides what common-input ownership says about one transaction: merge its distinct input
 * addresses, or why not (one input, one input address, or a CoinJoin shape).
 */
export function analyzeCommonInput(tx: UtxoTransaction, config: CoinJoinConfig): CommonInputDecision {
  if (tx.inputs.length < 2) {
    return { kind: 'single-input', explanation: 'one input: nothing to merge' };
  }
  const addresses = distinctAddresses(tx);
  if (addresses.length < 2) {
    return {
      kind: 'single-owner',
      explanation: `${tx.inputs.length} inputs from one address: nothing to merge`,
    };
  }
  const coinjoin = detectCoinJoin(tx, config);
  if (coinjoin !== undefined) {
    const figures =
      coinjoin.pattern === 'equal-outputs'
        ? `${coinjoin.equalOutputs} of ${coinjoin.outputs} outputs of ${coinjoin.denomination}`
        : `${coinjoin.repeatedOutputs} of ${coinjoin.outputs} outputs in ${coinjoin.repeatedAmounts} repeated amounts`;
    return {
      kind: 'coinjoin',
      match: coinjoin,
      explanation: `CoinJoin (${coinjoin.pattern}): ${coinjoin.distinctInputs} distinct inputs, ${figures}; inputs not merged`,
    };
  }
  return { kind: 'merge', addresses };
}

/** Distinct input addresses in first-seen order (a scan for the usual few inputs, a set beyond). */
function distinctAddresses(tx: UtxoTransaction): string[] {
  if (tx.inputs.length > 16) return [...new Set(tx.inputs.map((i) => i.address))];
  const out: string[] = [];
  for (const i of tx.inputs) if (!out.includes(i.address)) out.push(i.address);
  return out;
}
