/** Hand-built transactions and transfers for the clustering tests. */
import type { Transfer, UtxoTransaction } from '../transfer.js';
import type { AttributionLookup, AttributionRef } from './model.js';

/** A Bitcoin transaction from `[address, amount]` inputs and outputs (amounts in satoshis). */
export function utxo(
  tx: string,
  inputs: readonly (readonly [string, number])[],
  outputs: readonly (readonly [string, number])[],
  timestamp = 1_700_000_000,
): UtxoTransaction {
  const leg = ([address, amount]: readonly [string, number]) => ({
    address: address.includes(':') ? address : `bitcoin:${address}`,
    amountBase: BigInt(amount),
  });
  return {
    tx,
    chain: 'bitcoin',
    asset: 'BTC',
    decimals: 8,
    timestamp,
    inputs: inputs.map(leg),
    outputs: outputs.map(leg),
  };
}

let seq = 0;

/** A TRON USDT transfer between two short labels (`tron:<label>`), amount in whole USDT. */
export function usdt(from: string, to: string, amount: number, timestamp: number, asset = 'USDT'): Transfer {
  seq++;
  return {
    id: `t${seq}`,
    chain: 'tron',
    asset,
    decimals: 6,
    from: `tron:${from}`,
    to: `tron:${to}`,
    amountBase: BigInt(Math.round(amount * 1e6)),
    timestamp,
    tx: `tx-${from}-${to}-${timestamp}-${seq}`,
  };
}

/** An attribution lookup over a fixed table of address keys. */
export function lookupOf(
  table: Record<string, Omit<AttributionRef, 'entityName' | 'source'> & Partial<AttributionRef>>,
): AttributionLookup {
  const map = new Map<string, AttributionRef[]>();
  for (const [key, a] of Object.entries(table)) {
    map.set(key, [{ entityName: a.entityId, source: 'test-list', ...a }]);
  }
  return (key) => map.get(key);
}

/** A Bitcoin transaction spending one coin from each input address (labels, `bitcoin:` added) to `1Payee`. */
export function spend(tx: string, inputs: readonly string[], timestamp = 1_700_000_000): UtxoTransaction {
  return utxo(
    tx,
    inputs.map((a) => [a, 10_000] as const),
    [['1Payee', 9_000 * inputs.length]],
    timestamp,
  );
}
