import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { CordonError } from '../../shared/errors.js';
import { normalizeAddress } from '../chains/index.js';
import { TRON } from './testing.js';
import {
  canonicalRequest,
  checkedAddress,
  normalizeTransferRequest,
  requestHash,
  type TransferRequest,
} from './transfer-input.js';

const deposit = (from: string[], to?: string): TransferRequest => ({
  kind: 'deposit',
  clientId: 'dep-1',
  customerId: 'c1',
  chain: 'tron',
  asset: 'USDT',
  amount: '10',
  counterparties: from,
  ...(to ? { ownAddress: to } : {}),
  tx: 'abc',
});

const refused = (field: string, code: string) => (e: unknown) =>
  e instanceof CordonError && e.code === code && (e.details as { field?: string })?.field === field;

test('an address validated before is still refused in another spelling, and on another chain', () => {
  for (let round = 0; round < 2; round++) {
    const t = normalizeTransferRequest(deposit([TRON.clean], TRON.other));
    assert.deepEqual(t.counterparties, [{ address: TRON.clean, key: `tron:${TRON.clean}` }]);
    assert.deepEqual(t.ownAddress, { address: TRON.other, key: `tron:${TRON.other}` });
  }
  // One character changed: the checksum fails, whatever was validated before.
  const typo = `${TRON.clean.slice(0, -1)}${TRON.clean.endsWith('8') ? '9' : '8'}`;
  assert.throws(
    () => normalizeTransferRequest(deposit([typo])),
    refused('from[0]', 'transfers.invalid_checksum'),
  );
  assert.throws(
    () => normalizeTransferRequest({ ...deposit([TRON.clean]), chain: 'ethereum', asset: 'USDT' }),
    refused('from[0]', 'transfers.invalid_address'),
  );
});

test('a cached address comes back as a fresh object each time', () => {
  const a = normalizeTransferRequest(deposit([TRON.huione]));
  const b = normalizeTransferRequest(deposit([TRON.huione]));
  assert.notEqual(a.counterparties[0], b.counterparties[0]);
  (a.counterparties[0] as { key: string }).key = 'mutated';
  assert.equal(
    normalizeTransferRequest(deposit([TRON.huione])).counterparties[0]?.key,
    `tron:${TRON.huione}`,
  );
});

test('checkedAddress: what normalizeAddress answered for a spelling a request sent, that spelling only', () => {
  const sent = '0x52908400098527886E0F7030069857D2E4169EE7';
  const t = normalizeTransferRequest({
    kind: 'withdrawal',
    clientId: 'w-1',
    customerId: 'c1',
    chain: 'ethereum',
    asset: 'ETH',
    amount: '1',
    counterparties: [sent],
  });
  const canonical = t.counterparties[0]?.address as string;
  assert.notEqual(canonical, sent);
  assert.deepEqual(checkedAddress('ethereum', sent), normalizeAddress(sent, 'ethereum'));
  assert.equal(checkedAddress('tron', sent), undefined);
  normalizeTransferRequest(deposit([TRON.other]));
  assert.deepEqual(checkedAddress('tron', TRON.other), normalizeAddress(TRON.other, 'tron'));
});

test('the canonical request is the JSON of its fields in key order, however the request was spelled', () => {
  const cases: TransferRequest[] = [
    deposit([TRON.clean, TRON.other, TRON.clean], TRON.huione),
    { ...deposit([TRON.clean]), priceUsd: '1.50', tx: 'a:b.c_d-e', customerId: ' c"1\u2028 ' },
    {
      kind: 'withdrawal',
      clientId: 'w1',
      customerId: 'c2',
      chain: 'TRON',
      asset: 'usdt',
      amount: 7,
      counterparties: [TRON.other],
    },
  ];
  for (const req of cases) {
    const t = normalizeTransferRequest(req);
    const object = {
      amountBase: t.amountBase.toString(),
      asset: t.asset.symbol,
      chain: t.chain,
      counterparties: t.counterparties.map((c) => c.key),
      customerId: t.customerId,
      kind: t.kind,
      ownAddress: t.ownAddress?.key ?? null,
      priceUsd: t.priceUsd,
      tx: t.tx,
    };
    assert.equal(canonicalRequest(t), JSON.stringify(object));
  }
  assert.equal(
    requestHash(normalizeTransferRequest(cases[0] as TransferRequest)),
    createHash('sha256')
      .update(canonicalRequest(normalizeTransferRequest(cases[0] as TransferRequest)))
      .digest('hex'),
  );
});
