import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextFromJson } from './context.js';
import { COMPACT_FORM, compactInputs, expandInputs, jsonbOrder } from './decision-inputs.js';
import { decidedRecords } from './testing.js';

/** What a jsonb column gives back: JSON, keys in jsonb order. */
const viaJsonb = (v: unknown) => jsonbOrder(JSON.parse(JSON.stringify(v)));

test('every kind of decision reads back exactly as recorded, keys in jsonb order, from less JSON', async () => {
  const records = await decidedRecords();
  assert.equal(records.length, 8);
  let full = 0;
  let compact = 0;
  for (const r of records) {
    const { inputs, listVersions } = r.decision;
    const stored = compactInputs(inputs, listVersions);
    const back = expandInputs(viaJsonb(stored), listVersions);
    // Byte for byte what the full form gives back from jsonb (what GET returned before).
    assert.equal(JSON.stringify(back), JSON.stringify(viaJsonb(inputs)), r.transfer.clientId);
    full += JSON.stringify(inputs).length;
    compact += JSON.stringify(stored).length;
  }
  assert.ok(compact < full * 0.8, `${compact} bytes stored against ${full}`);
});

test('what is left out: zero categories, the screening versions and a basis equal to them', async () => {
  const [clean, exposed] = await decidedRecords();
  assert.ok(clean && exposed);
  const stored = compactInputs(exposed.decision.inputs, exposed.decision.listVersions) as {
    storedForm: number;
    context: { exposure: { categories: Record<string, unknown> } };
    screening: { versions: unknown };
    exposure: { basis: unknown }[];
  };
  assert.equal(stored.storedForm, COMPACT_FORM);
  assert.deepEqual(Object.keys(stored.context.exposure.categories).sort(), ['mixer', 'special-measures']);
  assert.equal(stored.screening.versions, 'listVersions');
  assert.equal(stored.exposure[0]?.basis, 'listVersions');
  // The clean deposit's report has another basis (none): it is kept as it is.
  const storedClean = compactInputs(clean.decision.inputs, clean.decision.listVersions) as {
    exposure: { basis: unknown }[];
  };
  assert.deepEqual(storedClean.exposure[0]?.basis, []);
});

test('rows of the old form, and inputs of another shape, are stored and read back unchanged', async () => {
  const [r] = await decidedRecords();
  assert.ok(r);
  const old = viaJsonb(r.decision.inputs);
  assert.equal(expandInputs(old, r.decision.listVersions), old);
  for (const v of [{}, { context: { customer: { jurisdiction: 'US' } } }, null, 'x', [1]])
    assert.equal(compactInputs(v, { a: 'a@1' }), v);
  // Versions that differ from the decision's stay where they are.
  const inputs = r.decision.inputs as { screening: { versions: Record<string, string> } };
  const stored = compactInputs(inputs, { other: 'other@1' }) as { screening: { versions: unknown } };
  assert.deepEqual(stored.screening.versions, inputs.screening.versions);
  // A categories map missing a known category is not compacted (its restoration would add it).
  const partial = structuredClone(r.decision.inputs) as {
    context: { exposure: { categories: Record<string, unknown> } };
  };
  delete partial.context.exposure.categories.scam;
  assert.equal(compactInputs(partial, r.decision.listVersions), partial);
});

test('a stored compact context replays like the full one: every category is back', async () => {
  const records = await decidedRecords();
  for (const r of records) {
    const { context } = r.decision.inputs as { context: unknown };
    const stored = compactInputs(r.decision.inputs, r.decision.listVersions) as { context: unknown };
    assert.deepEqual(contextFromJson(viaJsonb(stored.context)), contextFromJson(viaJsonb(context)));
  }
});
