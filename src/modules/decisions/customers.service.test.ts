import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createFixedClock } from '../../shared/clock.js';
import { CordonError } from '../../shared/errors.js';
import { assessRisk, DEFAULT_RISK_SETTINGS } from './customer.js';
import { type CustomerInput, createCustomerService, type NameScreener } from './customers.service.js';
import { memoryCustomerStore } from './testing.js';

/** Names containing "Listed" match a listed entity; "Maybe" is a possible match; "Down" fails. */
const screener: NameScreener & { queries: string[] } = {
  queries: [],
  async screenNames(queries) {
    this.queries.push(...queries.map((q) => q.name));
    if (queries.some((q) => q.name.includes('Down'))) throw new Error('index not built');
    return {
      versions: { 'ofac-sdn': 'ofac-sdn@1' },
      results: queries.map((q) => ({
        matches: q.name.includes('Listed')
          ? [
              {
                entityId: 'ofac-sdn:7',
                name: 'Listed Person',
                matchedName: q.name,
                source: 'ofac-sdn',
                versionId: 'ofac-sdn@1',
                score: 0.97,
                decision: 'match' as const,
                programs: ['OFAC:SDGT'],
              },
            ]
          : q.name.includes('Maybe')
            ? [
                {
                  entityId: 'un:3',
                  name: 'Maybe Someone',
                  matchedName: q.name,
                  source: 'un-sc',
                  versionId: 'un-sc@1',
                  score: 0.84,
                  decision: 'review' as const,
                  programs: [],
                },
              ]
            : [],
      })),
    };
  },
};

const input = (o: Partial<CustomerInput> = {}): CustomerInput => ({
  type: 'person',
  names: { primary: 'Ana Lima', aliases: [] },
  birthDate: '1990-02-03',
  nationality: ['br'],
  residence: 'pt',
  legalEntity: 'cordon-eu',
  kycLevel: 2,
  expectedMonthlyVolumeUsd: 5000,
  ...o,
});

function setup() {
  const mem = memoryCustomerStore();
  let n = 0;
  const service = createCustomerService({
    store: mem.store,
    screener,
    clock: createFixedClock(Date.parse('2026-01-10T00:00:00Z')),
    newId: (p) => `${p}_${++n}`,
  });
  return { service, mem };
}

describe('customer service', () => {
  test('a customer is normalised, given the jurisdiction of its legal entity, screened (with aliases) and rated', async () => {
    const { service, mem } = setup();
    const { customer, created } = await service.create(
      input({ names: { primary: ' Ana  Lima ', aliases: ['A. Lima', 'A. Lima'] } }),
      { id: 'c-ana' },
    );
    assert.equal(created, true);
    assert.deepEqual(
      [customer.id, customer.jurisdiction, customer.nationality, customer.residence, customer.names.aliases],
      ['c-ana', 'EU', ['BR'], 'PT', ['A. Lima']],
    );
    assert.equal(customer.screening.status, 'clear');
    assert.equal(customer.risk.rating, 'low');
    assert.deepEqual(
      mem.screenings.map((s) => [s.trigger, s.customerVersion]),
      [['create', 1]],
    );
  });

  test('idempotent create by id or Idempotency-Key; a different request under the same id is a conflict', async () => {
    const { service } = setup();
    const a = await service.create(input(), { idempotencyKey: 'k-1' });
    const b = await service.create(input(), { idempotencyKey: 'k-1' });
    assert.equal(b.created, false);
    assert.equal(b.customer.id, a.customer.id);
    await service.create(input(), { id: 'c-1' });
    await assert.rejects(
      service.create(input({ kycLevel: 3 }), { id: 'c-1' }),
      (e: unknown) => e instanceof CordonError && e.code === 'customers.idempotency_conflict',
    );
  });

  const bad: [string, Partial<CustomerInput>, string][] = [
    ['unknown legal entity', { legalEntity: 'cordon-moon' }, 'legalEntity'],
    ['bad country', { nationality: ['Brazil'] }, 'nationality[0]'],
    ['future birth date', { birthDate: '2099-01-01' }, 'birthDate'],
    ['impossible month', { birthDate: '1990-13' }, 'birthDate'],
    ['kyc level 7', { kycLevel: 7 }, 'kycLevel'],
    ['empty name', { names: { primary: '   ' } }, 'names.primary'],
  ];
  for (const [name, o, field] of bad) {
    test(`${name} is invalid, naming ${field}`, async () => {
      const { service } = setup();
      await assert.rejects(service.create(input(o), {}), (e: unknown) => {
        return e instanceof CordonError && e.kind === 'invalid' && e.details.field === field;
      });
    });
  }

  test('a name match makes the customer high risk; a possible match medium; a failed screening is stored as failed', async () => {
    const { service } = setup();
    const listed = await service.create(
      input({ names: { primary: 'Ana Lima', aliases: ['Listed Alias'] } }),
      {},
    );
    assert.equal(listed.customer.screening.status, 'match');
    assert.equal(listed.customer.screening.matches[0]?.queryName, 'Listed Alias');
    assert.equal(listed.customer.risk.rating, 'high');
    const maybe = await service.create(input({ names: { primary: 'Maybe Ana' } }), {});
    assert.deepEqual([maybe.customer.screening.status, maybe.customer.risk.rating], ['review', 'medium']);
    const down = await service.create(input({ names: { primary: 'Down Ana' } }), {});
    assert.equal(down.customer.screening.status, 'failed');
    assert.match(down.customer.screening.error ?? '', /index not built/);
    assert.equal(down.customer.risk.rating, 'medium');
  });

  test('updates re-screen and re-rate, bump the version, and keep what was not patched', async () => {
    const { service, mem } = setup();
    await service.create(input(), { id: 'c-up' });
    const patched = await service.update('c-up', { residence: 'IR' });
    assert.equal(patched.version, 2);
    assert.equal(patched.names.primary, 'Ana Lima');
    assert.equal(patched.risk.rating, 'prohibited');
    assert.ok(patched.risk.reasons.some((r) => r.code === 'jurisdiction.prohibited_country'));
    const replaced = await service.replace(
      'c-up',
      input({ legalEntity: 'cordon-us', residence: 'US', kycLevel: 1 }),
    );
    assert.deepEqual([replaced.version, replaced.jurisdiction, replaced.risk.rating], [3, 'US', 'medium']);
    assert.deepEqual(
      mem.screenings.map((s) => s.trigger),
      ['create', 'update', 'update'],
    );
    await assert.rejects(
      service.update('nobody', { kycLevel: 1 }),
      (e: unknown) => e instanceof CordonError && e.kind === 'not_found',
    );
  });

  test('look-back alerts raise the rating', async () => {
    const { service } = setup();
    await service.create(input(), { id: 'c-lb' });
    const c = await service.noteLookbackAlerts('c-lb', 2);
    assert.equal(c.risk.rating, 'high');
    assert.equal(c.risk.signals.lookbackAlerts, 2);
  });
});

describe('assessRisk', () => {
  const base = {
    nationality: [] as string[],
    residence: null as string | null,
    kycLevel: 2,
    screening: { status: 'clear' as const, screenedAt: null, versions: {}, matches: [] },
  };
  const cases: [string, Partial<typeof base>, Parameters<typeof assessRisk>[1], string][] = [
    ['nothing known against', {}, {}, 'low'],
    ['unverified', { kycLevel: 1 }, {}, 'medium'],
    ['high-risk residence', { residence: 'MM' }, {}, 'high'],
    ['prohibited nationality', { nationality: ['KP'] }, {}, 'prohibited'],
    ['a held transfer', {}, { worstDecision: { action: 'hold', decisionId: 'd', at: '' } }, 'medium'],
    ['a frozen transfer', {}, { worstDecision: { action: 'freeze', decisionId: 'd', at: '' } }, 'high'],
    ['volume 4x the profile', {}, { volumeRatio: 4 }, 'medium'],
    ['volume 12x the profile', {}, { volumeRatio: 12 }, 'high'],
  ];
  for (const [name, c, signals, rating] of cases) {
    test(`${name}: ${rating}`, () => {
      assert.equal(assessRisk({ ...base, ...c }, signals, DEFAULT_RISK_SETTINGS).rating, rating);
    });
  }
});
