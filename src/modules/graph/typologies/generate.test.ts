import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTransferLine, transferToJson } from '../transfer.js';
import { generateTypologyData } from './generate.js';
import { TYPOLOGIES } from './model.js';
import { createRng } from './random.js';

const small = (seed: number) => generateTypologyData({ rng: createRng(seed), transfers: 3000 });

test('generate: the same seed gives the same data, another seed other data', () => {
  const a = small(7);
  const b = small(7);
  const c = small(8);
  assert.deepEqual(a.labels, b.labels);
  assert.deepEqual(a.transfers.slice(0, 200), b.transfers.slice(0, 200));
  assert.notDeepEqual(a.transfers.slice(0, 200), c.transfers.slice(0, 200));
});

test('generate: every transfer is a valid line of the contract format, in time order, ids unique', () => {
  const { transfers } = small(1);
  assert.ok(transfers.length >= 3000 && transfers.length < 3300, String(transfers.length));
  const ids = new Set<string>();
  let last = 0;
  transfers.forEach((t, i) => {
    const r = parseTransferLine(JSON.stringify(transferToJson(t)), i + 1);
    assert.ok(r.ok && r.kind === 'transfer', r.ok ? r.kind : r.message);
    assert.deepEqual(r.transfer, t);
    assert.ok(t.timestamp >= last);
    last = t.timestamp;
    ids.add(t.id);
  });
  assert.equal(ids.size, transfers.length);
  assert.deepEqual(new Set(transfers.map((t) => t.chain)), new Set(['tron', 'ethereum', 'ledger']));
});

test('generate: labels name planted transfers and a subject taking part in them', () => {
  const data = generateTypologyData({
    rng: createRng(3),
    transfers: 4000,
    planted: { cycle: 2, 'fan-in': 5 },
  });
  const byId = new Map(data.transfers.map((t) => [t.id, t]));
  const counts = Object.fromEntries(
    TYPOLOGIES.map((t) => [t, data.labels.filter((l) => l.typology === t).length]),
  );
  assert.equal(counts.cycle, 2);
  assert.equal(counts['fan-in'], 5);
  assert.equal(counts['fan-out'], 3, 'the default is one per 6,000 transfers, at least 3');
  for (const label of data.labels) {
    assert.ok(label.transfers.length >= 2, label.typology);
    const parties = label.transfers.flatMap((id) => {
      const t = byId.get(id);
      assert.ok(t, id);
      assert.equal(t.asset, label.asset);
      return [t.from.slice(t.from.indexOf(':') + 1), t.to.slice(t.to.indexOf(':') + 1)];
    });
    assert.ok(parties.includes(label.subject), `${label.typology} ${label.subject}`);
  }
});
