import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CONTEXT_TYPES } from './context.js';
import { readPackFiles } from './pack-files.repository.js';
import { type Action, compilePack, evaluatePacks, validatePack } from './policy.js';
import { type ContextOverrides, hit, testContext } from './testing.js';

const definitions = readPackFiles();
const compiled = new Map(definitions.map((d) => [d.id, compilePack(d, 1)]));

function verdict(jurisdictionPack: string | null, o: ContextOverrides) {
  const packs = [jurisdictionPack, 'global']
    .filter((p): p is string => p !== null)
    .map((id) => compiled.get(id))
    .filter((p) => p !== undefined);
  return evaluatePacks(packs, testContext(o));
}

describe('the shipped packs', () => {
  test('are US, EU, UK and a global baseline, each valid and with documented reasons', () => {
    assert.deepEqual(definitions.map((d) => [d.id, d.jurisdiction]).sort(), [
      ['eu', 'EU'],
      ['global', '*'],
      ['uk', 'GB'],
      ['us', 'US'],
    ]);
    for (const d of definitions) {
      assert.deepEqual(validatePack(d), [], d.id);
      for (const r of d.rules) assert.ok(r.reason.length > 40, `${r.id} needs a real reason`);
    }
  });

  const huione = hit('special-measures', 'attributions', 'fincen-311-huione:huione-pay-plc');
  const sdn = hit('sanctioned', 'ofac-sdn', 'ofac-sdn:38110');
  const scenarios: [string, string | null, ContextOverrides, Action, string[]][] = [
    ['clean deposit', 'us', {}, 'allow', []],
    [
      'Huione-attributed sender under the US pack',
      'us',
      { hits: [huione] },
      'block',
      ['us.fincen-311-huione-direct'],
    ],
    [
      'two hops from Haowang Guarantee under the US pack',
      'us',
      {
        entities: [
          {
            entityId: 'fincen-311-huione:haowang-guarantee',
            category: 'special-measures',
            share: 0.4,
            minHops: 2n,
          },
        ],
        categories: { 'special-measures': { share: 0.4, minHops: 2 } },
      },
      'hold',
      ['us.fincen-311-huione-indirect'],
    ],
    [
      'indirect Huione exposure under the threshold',
      'us',
      {
        entities: [
          { entityId: 'fincen-311-huione:haowang-guarantee', category: 'special-measures', share: 0.001 },
        ],
        categories: { 'special-measures': { share: 0.001 } },
      },
      'allow',
      [],
    ],
    [
      'withdrawal to an OFAC-listed address',
      'us',
      { transfer: { kind: 'withdrawal' }, hits: [sdn] },
      'freeze',
      ['global.sanctioned-direct', 'us.ofac-sdn-direct'],
    ],
    [
      'USDH deposit',
      'us',
      { transfer: { asset: 'USDH', issuerCanFreeze: false } },
      'review',
      ['us.non-freezable-stablecoin'],
    ],
    [
      'EU-listed sender under the EU pack',
      'eu',
      { hits: [hit('sanctioned', 'eu-fsf')] },
      'freeze',
      ['eu.sanctions-direct', 'global.sanctioned-direct'],
    ],
    [
      'OFAC-only sender under the UK pack',
      'uk',
      { hits: [sdn] },
      'block',
      ['global.sanctioned-direct', 'uk.other-sanctions-direct'],
    ],
    [
      'sanctioned sender with no jurisdiction pack',
      null,
      { hits: [sdn] },
      'block',
      ['global.sanctioned-direct'],
    ],
    ['direct scam sender', null, { hits: [hit('scam', 'vendor')] }, 'hold', ['global.illicit-direct']],
    [
      'indirect scam exposure above 10%',
      null,
      { categories: { scam: { share: 0.2 } } },
      'review',
      ['global.scam-indirect'],
    ],
    [
      'mixer next door',
      null,
      { categories: { mixer: { share: 0.9, direct: true } } },
      'hold',
      ['global.mixer-direct'],
    ],
    [
      'ransomware at 2%',
      null,
      { categories: { ransomware: { share: 0.02 } } },
      'hold',
      ['global.ransomware-indirect'],
    ],
    [
      'structuring: a third amount just under a threshold today',
      null,
      {
        aggregates: (a) => {
          a.nearThreshold.count24h = 3n;
        },
      },
      'review',
      ['global.structuring'],
    ],
    [
      'rapid pass-through',
      null,
      {
        transfer: { kind: 'withdrawal', amountUsd: 9500 },
        aggregates: (a) => {
          a.passThrough = { windowHours: 24, depositsUsd: 10000, withdrawalsUsd: 9500, share: 0.95 };
        },
      },
      'review',
      ['global.rapid-pass-through'],
    ],
    [
      'large deposit on a new account',
      null,
      { customer: { accountAgeDays: 3 }, transfer: { amountUsd: 25000 } },
      'review',
      ['global.large-deposit-new-account'],
    ],
    [
      'unverified customer moving 5000 USD',
      null,
      { customer: { kycLevel: 1n }, transfer: { amountUsd: 5000 } },
      'hold',
      ['global.low-kyc-limit'],
    ],
    [
      'customer whose screening failed',
      null,
      { customer: { screeningStatus: 'failed' } },
      'hold',
      ['global.customer-not-screened'],
    ],
    [
      'prohibited customer',
      null,
      { customer: { riskRating: 'prohibited' } },
      'block',
      ['global.prohibited-customer'],
    ],
  ];
  for (const [name, pack, overrides, action, rules] of scenarios) {
    test(`${name}: ${action}`, () => {
      const v = verdict(pack, overrides);
      assert.equal(v.action, action, JSON.stringify(v.reasons, null, 1));
      assert.deepEqual(v.reasons.map((r) => r.ruleId).sort(), rules);
      assert.ok(v.reasons.every((r) => r.kind === 'rule'));
    });
  }

  test('the reasons of a Huione block carry the hit as evidence and the rule reason', () => {
    const v = verdict('us', { hits: [huione] });
    const r = v.reasons.find((x) => x.ruleId === 'us.fincen-311-huione-direct');
    assert.ok(r);
    assert.match(r.why ?? '', /Section 311/);
    assert.deepEqual((r.evidence as { detail: { entityId: string }[] }).detail[0]?.entityId, huione.entityId);
    assert.deepEqual(v.packs, [
      { packId: 'us', version: 1 },
      { packId: 'global', version: 1 },
    ]);
  });

  test('docs/policies.md documents every shipped rule and every context field', () => {
    const doc = readFileSync(new URL('../../../docs/policies.md', import.meta.url), 'utf8');
    for (const d of definitions)
      for (const r of d.rules) assert.ok(doc.includes(`\`${r.id}\``), `${r.id} is not documented`);
    for (const [variable, fields] of Object.entries(CONTEXT_TYPES.variables)) {
      assert.ok(doc.includes(`### \`${variable}\``), variable);
      for (const f of Object.keys(fields)) assert.ok(doc.includes(f), `${variable}.${f} is not documented`);
    }
  });
});
