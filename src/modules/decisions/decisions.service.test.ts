import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createFixedClock } from '../../shared/clock.js';
import { CordonError } from '../../shared/errors.js';
import { normalizeAddress } from '../chains/index.js';
import { DEFAULT_RISK_SETTINGS } from './customer.js';
import { createDecisionService, type DecisionServiceDeps, deadlines } from './decisions.service.js';
import { readPackFiles } from './pack-files.repository.js';
import type { AddressListHit } from './pipeline.js';
import { compilePack } from './policy.js';
import {
  emptyReport,
  exposureReport,
  fakeAddressScreener,
  fakeExposure,
  memoryCustomers,
  memoryDecisionStore,
  staticPolicies,
  TRON,
  testCustomer,
} from './testing.js';
import type { TransferRequest } from './transfer-input.js';

const PACKS = readPackFiles().map((d) => compilePack(d, 1));
const NOW = Date.parse('2026-03-01T12:00:00Z');

const huioneHit: AddressListHit = {
  entityId: 'fincen-311-huione:huione-pay-plc',
  entityName: 'Huione Pay PLC',
  category: 'special-measures',
  source: 'attributions',
  versionId: 'attributions@aaaa',
  confidence: 0.9,
};
const sdnHit: AddressListHit = {
  entityId: 'ofac-sdn:99999',
  entityName: 'Listed Launderer',
  category: 'sanctioned',
  source: 'ofac-sdn',
  versionId: 'ofac-sdn@bbbb',
  confidence: 1,
};

let seq = 0;
function setup(o: Partial<DecisionServiceDeps> = {}) {
  const store = memoryDecisionStore();
  const clock = createFixedClock(NOW);
  const customers = memoryCustomers([
    testCustomer(),
    testCustomer({ id: 'new', createdAt: new Date(NOW - 86_400_000) }),
  ]);
  const exposure = fakeExposure({
    [`tron:${TRON.nearHaowang}`]: exposureReport(`tron:${TRON.nearHaowang}`, 'incoming', [
      {
        entityId: 'fincen-311-huione:haowang-guarantee',
        entityName: 'Haowang Guarantee',
        category: 'special-measures',
        minHops: 1,
        share: 0.35,
      },
    ]),
  });
  const service = createDecisionService({
    store,
    customers,
    screening: fakeAddressScreener({ [`tron:${TRON.huione}`]: [huioneHit], [`tron:${TRON.ofac}`]: [sdnHit] }),
    exposure,
    policies: staticPolicies(PACKS),
    clock,
    newId: (p) => `${p}_${String(++seq).padStart(6, '0')}`,
    riskSettings: DEFAULT_RISK_SETTINGS,
    settings: { dependencyTimeoutMs: 50 },
    ...o,
  });
  return { service, store, clock, customers, exposure };
}

function deposit(o: Partial<TransferRequest> = {}): TransferRequest {
  return {
    kind: 'deposit',
    clientId: 'dep-1',
    customerId: 'c1',
    chain: 'tron',
    asset: 'USDT',
    amount: '500',
    counterparties: [TRON.clean],
    tx: 'a1b2c3',
    priceUsd: '1',
    ...o,
  };
}

describe('decision service: the done-when scenarios', () => {
  test('a clean deposit is allowed, recorded with its inputs, and opens no alert', async () => {
    const { service, store, exposure } = setup();
    const a = await service.decide(deposit());
    assert.equal(a.decision.decision, 'allow');
    assert.equal(a.replayed, false);
    assert.deepEqual(a.decision.reasons, []);
    assert.deepEqual(a.decision.policies, [
      { packId: 'global', version: 1 },
      { packId: 'us', version: 1 },
    ]);
    assert.deepEqual(a.decision.listVersions, { 'ofac-sdn': 'ofac-sdn@0000000000000001' });
    assert.equal(store.records.length, 1);
    assert.equal(store.records[0]?.decision.response, a.body);
    assert.equal(store.alerts.length, 0);
    assert.deepEqual(exposure.queries[0], {
      address: `tron:${TRON.clean}`,
      direction: 'incoming',
      method: 'haircut',
      hops: 3,
      maxPaths: 5,
    });
    const inputs = store.records[0]?.decision.inputs as { context: { transfer: { amountUsd: number } } };
    assert.equal(inputs.context.transfer.amountUsd, 500);
  });

  test('a deposit from a Huione-attributed address is blocked under the US pack, and the reasons say why', async () => {
    const { service, store } = setup();
    const a = await service.decide(deposit({ counterparties: [TRON.huione] }));
    assert.equal(a.decision.decision, 'block');
    const r = a.decision.reasons.find((x) => x.ruleId === 'us.fincen-311-huione-direct');
    assert.ok(r, JSON.stringify(a.decision.reasons));
    assert.equal(r.packId, 'us');
    assert.match(r.why ?? '', /Section 311/);
    const detail = (r.evidence as { detail: { entityId: string; address: string }[] }).detail;
    assert.deepEqual(
      detail.map((d) => [d.entityId, d.address]),
      [[huioneHit.entityId, `tron:${TRON.huione}`]],
    );
    assert.ok(a.decision.riskScore >= 95);
    assert.equal(store.alerts.length, 1);
    assert.match(store.alerts[0]?.reason ?? '', /deposit block: us\.fincen-311-huione-direct/);
    // the refusal raises the customer's risk rating in the same write
    assert.equal(store.records[0]?.customerRisk?.risk.rating, 'high');
  });

  test('a deposit two hops from Haowang Guarantee is held, with the graph path as evidence', async () => {
    const { service } = setup();
    const a = await service.decide(deposit({ counterparties: [TRON.nearHaowang] }));
    assert.equal(a.decision.decision, 'hold');
    const r = a.decision.reasons.find((x) => x.ruleId === 'us.fincen-311-huione-indirect');
    assert.ok(r, JSON.stringify(a.decision.reasons));
    const ev = r.evidence as {
      detail: { entityId: string; minHops: number; share: number }[];
      paths: { entityId: string }[];
    };
    assert.deepEqual(
      ev.detail.map((d) => [d.entityId, d.minHops, d.share]),
      [['fincen-311-huione:haowang-guarantee', 2, 0.35]],
    );
    assert.equal(ev.paths[0]?.entityId, 'fincen-311-huione:haowang-guarantee');
  });

  test('a withdrawal to an OFAC-listed address is refused and the assets frozen, before broadcast', async () => {
    const { service, exposure } = setup();
    const a = await service.decide({
      kind: 'withdrawal',
      clientId: 'wd-1',
      customerId: 'c1',
      chain: 'tron',
      asset: 'USDT',
      amount: '120',
      counterparties: [TRON.ofac],
    });
    assert.equal(a.decision.decision, 'freeze');
    assert.ok(a.decision.reasons.some((r) => r.ruleId === 'us.ofac-sdn-direct'));
    assert.equal(exposure.queries[0]?.direction, 'outgoing');
  });
});

describe('decision service: idempotency', () => {
  test('a repeat returns the first answer byte for byte; a conflicting repeat is a conflict', async () => {
    const { service, store, clock } = setup();
    const first = await service.decide(deposit());
    clock.advance(60_000);
    const again = await service.decide(deposit({ amount: '500.000' }));
    assert.equal(again.replayed, true);
    assert.equal(again.body, first.body);
    assert.equal(store.records.length, 1);
    await assert.rejects(
      service.decide(deposit({ amount: '501' })),
      (e: unknown) =>
        e instanceof CordonError && e.kind === 'conflict' && e.code === 'transfers.idempotency_conflict',
    );
    // the same client id for the other kind is another transfer
    const wd = await service.decide({ ...deposit(), kind: 'withdrawal', tx: undefined });
    assert.equal(wd.replayed, false);
  });

  test('losing a race to the store answers with the winner’s decision', async () => {
    const { service, store } = setup();
    const first = await service.decide(deposit());
    const racing = createDecisionService({
      store: { ...store, findAnswer: async () => undefined },
      customers: memoryCustomers([testCustomer()]),
      screening: fakeAddressScreener({}),
      exposure: fakeExposure({}),
      policies: staticPolicies(PACKS),
      clock: createFixedClock(NOW),
      newId: (p) => `${p}_race`,
      riskSettings: DEFAULT_RISK_SETTINGS,
    });
    const second = await racing.decide(deposit());
    assert.equal(second.replayed, true);
    assert.equal(second.body, first.body);
  });
});

describe('decision service: fail closed', () => {
  const cases: [string, Partial<DecisionServiceDeps>, string][] = [
    [
      'screening throws',
      { screening: fakeAddressScreener({}, { fail: 'throw' }) },
      'dependency.screening_unavailable',
    ],
    [
      'screening hangs',
      { screening: fakeAddressScreener({}, { fail: 'hang' }) },
      'dependency.screening_unavailable',
    ],
    ['exposure throws', { exposure: fakeExposure({}, { fail: 'throw' }) }, 'dependency.exposure_unavailable'],
    ['exposure hangs', { exposure: fakeExposure({}, { fail: 'hang' }) }, 'dependency.exposure_unavailable'],
    [
      'policies unavailable',
      { policies: { packsFor: async () => Promise.reject(new Error('store down')) } },
      'dependency.policies_unavailable',
    ],
    ['no pack at all', { policies: staticPolicies([]) }, 'dependency.policies_unavailable'],
  ];
  for (const [name, deps, code] of cases) {
    test(`${name}: the clean deposit is held with the reason`, async () => {
      const { service, store } = setup(deps);
      const a = await service.decide(deposit());
      assert.equal(a.decision.decision, 'hold');
      assert.deepEqual(
        a.decision.reasons.filter((r) => r.kind === 'dependency').map((r) => r.code),
        [code],
      );
      assert.equal(store.records.length, 1, 'the hold is recorded like any decision');
    });
  }

  test('a failed dependency never lowers what the rest finds: an OFAC hit still freezes', async () => {
    const { service } = setup({ exposure: fakeExposure({}, { fail: 'throw' }) });
    const a = await service.decide(deposit({ counterparties: [TRON.ofac] }));
    assert.equal(a.decision.decision, 'freeze');
  });
});

describe('decision service: input', () => {
  const bad: [string, Partial<TransferRequest>, string, string][] = [
    [
      'bad checksum',
      { counterparties: ['TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk59'] },
      'from[0]',
      'transfers.invalid_checksum',
    ],
    ['not an address', { counterparties: [TRON.clean, 'hello'] }, 'from[1]', 'transfers.invalid_address'],
    ['unknown chain', { chain: 'dogechain' }, 'chain', 'transfers.unknown_chain'],
    ['unknown asset', { asset: 'SHIB' }, 'asset', 'transfers.unknown_asset'],
    ['zero', { amount: '0' }, 'amount', 'transfers.amount_zero'],
    ['negative', { amount: '-5' }, 'amount', 'transfers.amount_negative'],
    ['too precise', { amount: '0.0000001' }, 'amount', 'transfers.amount_too_precise'],
    ['absurd', { amount: '1'.padEnd(45, '0') }, 'amount', 'transfers.amount_too_large'],
    ['absurd in USD', { amount: '1000000000000', priceUsd: '5' }, 'amount', 'transfers.amount_absurd'],
    ['no tx on a deposit', { tx: undefined }, 'tx', 'transfers.missing_tx'],
    ['no sender', { counterparties: [] }, 'from', 'transfers.missing_counterparty'],
  ];
  for (const [name, o, field, code] of bad) {
    test(`${name}: invalid, naming ${field}`, async () => {
      const { service, store } = setup();
      await assert.rejects(service.decide(deposit(o)), (e: unknown) => {
        assert.ok(e instanceof CordonError);
        assert.equal(e.kind, 'invalid');
        assert.equal(e.code, code);
        assert.equal(e.details.field, field);
        return true;
      });
      assert.equal(store.records.length, 0);
    });
  }

  test('an unknown customer is not found, naming customerId', async () => {
    const { service } = setup();
    await assert.rejects(service.decide(deposit({ customerId: 'nobody' })), (e: unknown) => {
      return e instanceof CordonError && e.kind === 'not_found' && e.details.field === 'customerId';
    });
  });
});

describe('decision service: behaviour and shadow', () => {
  test('the third amount just under 10,000 USD in a day is reviewed as structuring', async () => {
    const { service, clock } = setup();
    const actions: string[] = [];
    for (const [i, amount] of ['9500', '9800', '9400'].entries()) {
      actions.push(
        (await service.decide(deposit({ clientId: `s-${i}`, amount, tx: `tx${i}` }))).decision.decision,
      );
      clock.advance(3_600_000);
    }
    assert.deepEqual(actions, ['allow', 'allow', 'review']);
  });

  test('a withdrawal of nearly all of a fresh deposit is reviewed as pass-through', async () => {
    const { service, clock } = setup();
    await service.decide(deposit({ amount: '5000' }));
    clock.advance(2 * 3_600_000);
    const wd = await service.decide({
      kind: 'withdrawal',
      clientId: 'wd-p',
      customerId: 'c1',
      chain: 'tron',
      asset: 'USDT',
      amount: '4900',
      priceUsd: '1',
      counterparties: [TRON.other],
    });
    assert.equal(wd.decision.decision, 'review');
    assert.deepEqual(
      wd.decision.reasons.map((r) => r.ruleId),
      ['global.rapid-pass-through'],
    );
  });

  test('a shadowed draft records what it would decide and changes nothing', async () => {
    const strict = compilePack(
      {
        id: 'us',
        name: 'US (draft)',
        jurisdiction: 'US',
        description: '',
        params: {},
        rules: [
          {
            id: 'us.everything-held',
            description: 'hold all',
            reason: 'a test of shadow mode',
            expression: 'transfer.amountUsd > 0.0',
            severity: 'high',
            action: 'hold',
          },
        ],
      },
      2,
    );
    const { service, store } = setup({ policies: staticPolicies(PACKS, [strict]) });
    const a = await service.decide(deposit());
    assert.equal(a.decision.decision, 'allow');
    assert.deepEqual(
      store.records[0]?.shadow.map((s) => [
        s.packId,
        s.version,
        s.wouldAction,
        s.reasons.map((r) => r.ruleId),
      ]),
      [['us', 2, 'hold', ['us.everything-held']]],
    );
  });
});

describe('decision service: work it does not repeat', () => {
  test('screening is given the address check the request already made, when it spelled the canonical form', async () => {
    const seen: { address: string; chain?: string; checked?: unknown }[] = [];
    const inner = fakeAddressScreener({});
    const { service } = setup({
      screening: {
        screenAddresses: (inputs) => {
          seen.push(...inputs);
          return inner.screenAddresses(inputs);
        },
      },
    });
    await service.decide(deposit({ clientId: 'chk-1', counterparties: [TRON.clean] }));
    assert.deepEqual(seen[0], {
      address: TRON.clean,
      chain: 'tron',
      checked: normalizeAddress(TRON.clean, 'tron'),
    });
    // A spelling that is not the canonical one: screening checks the canonical form itself.
    const mixed = '0x52908400098527886E0F7030069857D2E4169EE7';
    await service.decide({
      kind: 'withdrawal',
      clientId: 'chk-2',
      customerId: 'c1',
      chain: 'ethereum',
      asset: 'ETH',
      amount: '1',
      counterparties: [mixed],
    });
    assert.deepEqual(seen[1], { address: mixed.toLowerCase(), chain: 'ethereum' });
  });

  test('an exposure provider that answers at once decides exactly as one that answers later', async () => {
    const report = exposureReport(`tron:${TRON.nearHaowang}`, 'incoming', [
      { entityId: 'haowang', category: 'special-measures', minHops: 1, share: 0.35 },
      { entityId: 'mixer-1', category: 'mixer', minHops: 2, share: 0.2 },
    ]);
    const answers = [];
    for (const now of [true, false]) {
      seq = 0;
      const later = fakeExposure({ [`tron:${TRON.nearHaowang}`]: report });
      const { service, store } = setup({
        exposure: now
          ? {
              exposure: (q) => {
                later.queries.push(q);
                return q.address === report.address ? report : emptyReport(q);
              },
            }
          : later,
      });
      const a = await service.decide(deposit({ counterparties: [TRON.nearHaowang, TRON.clean] }));
      answers.push({ body: a.body, record: store.records[0], queries: later.queries.length });
    }
    assert.ok(answers[0]?.body.includes('special-measures'));
    assert.deepEqual(answers[0], answers[1]);
  });

  test('an exposure provider that throws at once holds the decision like one that rejects', async () => {
    const { service } = setup({
      exposure: {
        exposure: () => {
          throw new Error('graph not loaded');
        },
      },
    });
    const a = await service.decide(deposit({ clientId: 'throws' }));
    assert.equal(a.decision.decision, 'hold');
    assert.deepEqual(
      a.decision.reasons.map((r) => r.code),
      ['dependency.exposure_unavailable'],
    );
  });
});

describe('deadlines', () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const settled = (p: Promise<unknown>) =>
    Promise.race([
      p.then(
        () => 'resolved',
        () => 'rejected',
      ),
      new Promise((r) => setTimeout(() => r('pending'), 0)),
    ]);

  test('each expires no earlier than its own length after it began, the cancelled never', async () => {
    const deadline = deadlines(40);
    const t0 = performance.now();
    const a = deadline();
    await new Promise((r) => setTimeout(r, 25));
    const b = deadline();
    const t1 = performance.now();
    const c = deadline();
    a.cancel();
    const at = await b.expired.catch(() => performance.now());
    assert.ok((at as number) - t1 >= 39, `b expired ${(at as number) - t1} ms after it began`);
    assert.ok((at as number) - t0 >= 60);
    assert.equal(await settled(a.expired), 'pending');
    assert.equal(await settled(c.expired), 'rejected');
  });

  test('no timer is left once every deadline is cancelled', async () => {
    const before = timers();
    const deadline = deadlines(10_000);
    const all = Array.from({ length: 3000 }, () => deadline());
    assert.equal(timers(), before + 1);
    for (const d of all) d.cancel();
    assert.equal(timers(), before);
    for (const d of all.slice(0, 5)) assert.equal(await settled(d.expired), 'pending');
  });

  test('a deadline after all were cancelled keeps the process up again and expires', async () => {
    const before = timers();
    const deadline = deadlines(20);
    deadline().cancel();
    assert.equal(timers(), before);
    const t0 = performance.now();
    const d = deadline();
    assert.equal(timers(), before + 1);
    const at = await d.expired.catch(() => performance.now());
    assert.ok((at as number) - t0 >= 19);
  });
});
