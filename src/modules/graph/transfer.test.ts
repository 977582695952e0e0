import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTransferLine, type Transfer, transferToJson, utxoToTransfers } from './transfer.js';

const TRON_A = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const TRON_B = 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8';
const line = (o: Record<string, unknown>) =>
  JSON.stringify({
    id: 't1',
    chain: 'tron',
    asset: 'USDT',
    from: TRON_A,
    to: TRON_B,
    amount: '1250.00',
    timestamp: '2024-03-01T12:00:00Z',
    ...o,
  });

function transferOf(text: string): Transfer {
  const r = parseTransferLine(text, 1);
  assert.ok(r.ok && r.kind === 'transfer', r.ok ? r.kind : r.message);
  return r.transfer;
}

test('parseTransferLine: the contract example becomes exact base units and match keys', () => {
  const t = transferOf(line({ tx: 'abc' }));
  assert.deepEqual(t, {
    id: 't1',
    chain: 'tron',
    asset: 'USDT',
    decimals: 6,
    from: `tron:${TRON_A}`,
    to: `tron:${TRON_B}`,
    amountBase: 1_250_000_000n,
    timestamp: 1_709_294_400,
    tx: 'abc',
  });
  assert.deepEqual(transferToJson(t), {
    id: 't1',
    chain: 'tron',
    asset: 'USDT',
    from: TRON_A,
    to: TRON_B,
    amount: '1250',
    timestamp: '2024-03-01T12:00:00Z',
    tx: 'abc',
  });
});

test('parseTransferLine: TRON hex, EVM case and chain codes give one key; labels pass through', () => {
  const hexA = transferOf(line({ from: '41a614f803b6fd780986a42c78ec9c7f77e6ded13c', chain: 'TRX' }));
  assert.equal(hexA.from, `tron:${TRON_A}`);
  assert.equal(hexA.chain, 'tron');
  const evm = transferOf(
    line({
      chain: 'ethereum',
      asset: 'eth',
      from: '0xDAC17F958D2EE523A2206206994597C13D831EC7',
      to: '0x' + 'ab'.repeat(20),
      amount: 1.5,
    }),
  );
  assert.equal(evm.from, '0xdac17f958d2ee523a2206206994597c13d831ec7'.replace(/^/, 'evm:'));
  assert.equal(evm.amountBase, 1_500_000_000_000_000_000n);
  const ledger = transferOf(
    line({
      chain: 'ledger',
      asset: 'USD',
      from: 'acct-1',
      to: 'acct-2',
      amount: '10.25',
      timestamp: 1_709_294_400,
    }),
  );
  assert.deepEqual([ledger.from, ledger.amountBase, ledger.decimals], ['ledger:acct-1', 1025n, 2]);
});

test('parseTransferLine: bad input names the line, the field and the problem', () => {
  const cases: [string, string, string | undefined][] = [
    ['{"id":', 'transfer.malformed_json', undefined],
    ['[1,2]', 'transfer.not_an_object', undefined],
    [line({ asset: 'NOPE' }), 'transfer.unknown_asset', 'asset'],
    [line({ amount: '-5' }), 'transfer.amount_negative', 'amount'],
    [line({ amount: 'lots' }), 'transfer.amount_not_numeric', 'amount'],
    [line({ amount: '0.0000001' }), 'transfer.amount_too_precise', 'amount'],
    [line({ to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T' }), 'transfer.invalid_checksum', 'to'],
    [line({ from: 'hello' }), 'transfer.invalid_address', 'from'],
    [line({ id: '' }), 'transfer.missing_field', 'id'],
    [line({ timestamp: 1_709_294_400_000 }), 'transfer.invalid_timestamp', 'timestamp'],
    [line({ timestamp: 'yesterday' }), 'transfer.invalid_timestamp', 'timestamp'],
    [line({ chain: 'no such chain!' }), 'transfer.invalid_chain', 'chain'],
  ];
  for (const [text, code, field] of cases) {
    const r = parseTransferLine(text, 7);
    assert.equal(r.ok, false, text);
    if (r.ok) continue;
    assert.equal(r.code, code, text);
    assert.equal(r.field, field, text);
    assert.equal(r.line, 7);
    assert.match(r.message, /^line 7: /);
  }
  const lenient = parseTransferLine(line({ asset: 'NOPE' }), 1, { unknownAssetDecimals: 18 });
  assert.ok(lenient.ok && lenient.kind === 'transfer' && lenient.transfer.decimals === 18);
  assert.deepEqual(parseTransferLine('   ', 3), { ok: true, kind: 'blank' });
});

test('utxoToTransfers: outputs are funded pro rata by the inputs, exactly, change to self dropped', () => {
  const a = '1BoatSLRHtKNngkdXEeobR76b53LETtpyT';
  const b = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
  const c = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
  const r = parseTransferLine(
    JSON.stringify({
      tx: 'tx1',
      chain: 'bitcoin',
      timestamp: 1_700_000_000,
      inputs: [
        { address: a, amount: '0.3' },
        { address: b, amount: '0.1' },
      ],
      outputs: [
        { address: c, amount: '0.2' },
        { address: a, amount: '0.19999' },
      ],
    }),
    1,
  );
  assert.ok(
    r.ok && r.kind === 'utxo',
    JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
  );
  const ts = utxoToTransfers(r.utxo);
  const summary = ts.map((t) => `${t.id} ${t.from.slice(0, 12)}>${t.to.slice(0, 12)} ${t.amountBase}`);
  assert.deepEqual(summary, [
    'tx1:0:0 bitcoin:1Boa>bitcoin:bc1q 15000000',
    'tx1:1:0 bitcoin:3J98>bitcoin:bc1q 5000000',
    'tx1:1:1 bitcoin:3J98>bitcoin:1Boa 4999750',
  ]);
});

test('parseTransferLine: keepInvalidAddresses keeps a made-up address as given and says which field', () => {
  const text = line({ from: 'TMadeUpAddressThatFailsItsChecksum1', to: TRON_B });
  const strict = parseTransferLine(text, 4);
  assert.equal(strict.ok, false);
  const lenient = parseTransferLine(text, 4, { keepInvalidAddresses: true });
  assert.ok(lenient.ok && lenient.kind === 'transfer');
  assert.equal(lenient.transfer.from, 'tron:TMadeUpAddressThatFailsItsChecksum1');
  assert.equal(lenient.transfer.to, `tron:${TRON_B}`);
  assert.deepEqual(lenient.unchecked, ['from']);
  // Other problems are still errors.
  assert.equal(parseTransferLine(line({ amount: '-1' }), 5, { keepInvalidAddresses: true }).ok, false);
});
