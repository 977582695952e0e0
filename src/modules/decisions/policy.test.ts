import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Environment } from '@marcbachmann/cel-js';
import { ZERO_CATEGORIES } from './context.js';
import { parsePackText } from './pack-format.js';
import {
  compilePack,
  decide,
  evaluatePack,
  evaluatePacks,
  type PackDefinition,
  type RuleDefinition,
  readsOnlyPaths,
  reasonsOf,
  validatePack,
} from './policy.js';
import { hit, testContext } from './testing.js';

function rule(id: string, expression: string, extra: Partial<RuleDefinition> = {}): RuleDefinition {
  return {
    id,
    description: `rule ${id}`,
    reason: 'because',
    expression,
    severity: 'medium',
    action: 'review',
    ...extra,
  };
}

function pack(rules: RuleDefinition[], params: Record<string, number> = {}): PackDefinition {
  return { id: 'p', name: 'P', jurisdiction: 'US', description: '', params, rules };
}

describe('validatePack', () => {
  test('a sound pack has no problems', () => {
    assert.deepEqual(validatePack(pack([rule('a', 'transfer.amountUsd >= params.big')], { big: 1000 })), []);
  });

  const bad: [string, string, Record<string, number>, string, RegExp, number?][] = [
    ['syntax error', 'transfer.amountUsd >= ', {}, 'rules[0].expression', /syntax error/, 23],
    ['misspelt field', 'customer.kyclevel < 2', {}, 'rules[0].expression', /No such key: kyclevel/, 10],
    ['string compared to number', 'transfer.kind == 3', {}, 'rules[0].expression', /type error/, 1],
    ['not a bool', 'transfer.amountUsd', {}, 'rules[0].expression', /must be a bool/, 1],
    [
      'undeclared parameter',
      'transfer.amountUsd > params.nope',
      {},
      'rules[0].expression',
      /params\.nope/,
      22,
    ],
    ['unknown variable', 'wallet.balance > 1', {}, 'rules[0].expression', /wallet/, 1],
  ];
  for (const [name, expression, params, field, message, column] of bad) {
    test(`${name}: names the rule, the field and the position`, () => {
      const problems = validatePack(pack([rule('ok', 'true'), rule('bad.rule', expression)], params));
      assert.equal(problems.length, 1, JSON.stringify(problems));
      const p = problems[0];
      assert.equal(p?.field, field.replace('rules[0]', 'rules[1]'));
      assert.equal(p?.ruleId, 'bad.rule');
      assert.match(p?.message ?? '', message);
      if (column !== undefined) assert.equal(p?.position?.column, column, JSON.stringify(p));
    });
  }

  test('positions count lines in multi-line expressions', () => {
    const [p] = validatePack(pack([rule('m', 'transfer.amountUsd > 1.0\n  && customer.nope')]));
    assert.deepEqual(p?.position, { offset: 39, line: 2, column: 15 });
  });

  test('shape problems: duplicate ids, bad action and severity, bad jurisdiction, no rules', () => {
    const problems = validatePack({
      ...pack([
        rule('a', 'true'),
        rule('a', 'true'),
        rule('b', 'true', { action: 'allow' as never, severity: 'huge' as never }),
      ]),
      jurisdiction: 'usa',
    });
    const fields = problems.map((p) => p.field).sort();
    assert.deepEqual(fields, ['jurisdiction', 'rules[1].id', 'rules[2].action', 'rules[2].severity']);
    assert.deepEqual(
      validatePack({ ...pack([]) }).map((p) => p.field),
      ['rules'],
    );
  });

  test('the file form: unknown fields and wrong types are named', () => {
    const r = parsePackText(
      'id: x\nname: X\njurisdiction: US\nrules:\n  - id: a\n    expresion: "true"\n',
      'x.yaml',
    );
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.deepEqual(
        r.problems.map((p) => p.field),
        [
          'rules[0].expresion',
          'rules[0].description',
          'rules[0].reason',
          'rules[0].expression',
          'rules[0].severity',
          'rules[0].action',
        ],
      );
    const y = parsePackText('id: [', 'broken.yaml');
    assert.equal(y.ok, false);
  });
});

describe('evaluatePack', () => {
  test('hits carry their action, severity and the values the expression read as evidence', () => {
    const compiled = compilePack(
      pack(
        [
          rule('big', 'transfer.amountUsd >= params.big && customer.kycLevel < 3', {
            action: 'hold',
            severity: 'high',
          }),
          rule('scam', 'exposure.categories["scam"].share > 0.1'),
        ],
        { big: 400 },
      ),
      7,
    );
    const ctx = testContext({ categories: { scam: { share: 0.05 } } });
    const outcomes = evaluatePack(compiled, ctx);
    assert.deepEqual(outcomes[1], { ruleId: 'scam', hit: false });
    const first = outcomes[0];
    assert.ok(first?.hit);
    assert.deepEqual(first, {
      ruleId: 'big',
      hit: true,
      action: 'hold',
      severity: 'high',
      evidence: { 'transfer.amountUsd': 500, 'params.big': 400, 'customer.kycLevel': 2 },
    });
    const reasons = reasonsOf(compiled, outcomes);
    assert.equal(reasons.length, 1);
    assert.equal(reasons[0]?.code, 'rule.big');
    assert.equal(reasons[0]?.packVersion, 7);
    assert.equal(reasons[0]?.why, 'because');
  });

  test('a rule that fails at run time is a review (or its onError), recorded, never an allow', () => {
    const compiled = compilePack(
      pack([
        rule('missing-key', 'exposure.categories["not-a-category"].share > 0.5', { action: 'block' }),
        rule('div', '1 / (customer.kycLevel - 2) > 0', { action: 'block', onError: 'hold' }),
      ]),
      1,
    );
    const outcomes = evaluatePack(compiled, testContext());
    assert.deepEqual(
      outcomes.map((o) => [o.ruleId, o.hit, o.hit && o.action, o.hit && 'error' in o]),
      [
        ['missing-key', true, 'review', true],
        ['div', true, 'hold', true],
      ],
    );
    const reasons = reasonsOf(compiled, outcomes);
    assert.deepEqual(
      reasons.map((r) => [r.kind, r.code]),
      [
        ['rule_error', 'policy.rule_error'],
        ['rule_error', 'policy.rule_error'],
      ],
    );
    assert.equal(decide(reasons, 'low').action, 'hold');
  });

  test('the optional evidence expression is recorded with a hit', () => {
    const compiled = compilePack(
      pack([
        rule('sdn', 'screening.hits.exists(h, h.source.startsWith("ofac"))', {
          evidence: 'screening.hits.filter(h, h.source.startsWith("ofac")).map(h, h.entityId)',
        }),
      ]),
      1,
    );
    const [o] = evaluatePack(
      compiled,
      testContext({ hits: [hit('sanctioned', 'ofac-sdn', 'ofac-sdn:1'), hit('scam', 'vendor')] }),
    );
    assert.ok(o?.hit);
    if (o?.hit) assert.deepEqual((o.evidence as { detail: unknown }).detail, ['ofac-sdn:1']);
  });
});

describe('decide', () => {
  test('the most severe action wins; the score follows severity, rating and the number of hits', () => {
    const r = (
      action: 'review' | 'hold' | 'block' | 'freeze',
      severity: 'low' | 'medium' | 'high' | 'critical',
    ) => ({
      kind: 'rule' as const,
      code: 'x',
      action,
      severity,
      description: '',
      evidence: {},
    });
    const cases: [ReturnType<typeof r>[], string, string, number][] = [
      [[], 'low', 'allow', 0],
      [[], 'high', 'allow', 35],
      [[r('review', 'low')], 'low', 'review', 20],
      [[r('review', 'medium'), r('hold', 'high')], 'low', 'hold', 72],
      [
        [r('freeze', 'critical'), r('block', 'critical'), r('review', 'low'), r('hold', 'high')],
        'low',
        'freeze',
        100,
      ],
    ];
    for (const [reasons, rating, action, score] of cases) {
      assert.deepEqual(decide(reasons, rating), { action, riskScore: score });
    }
  });
});

describe('evaluatePacks', () => {
  test('gives the reasons of reasonsOf(evaluatePack) for each pack, hits, misses and errors alike', () => {
    const a = compilePack(
      pack(
        [
          rule('miss', 'transfer.amountUsd > params.big', { action: 'block' }),
          rule('hit', 'transfer.amountUsd > params.small', { severity: 'high', action: 'hold' }),
          rule('error', 'exposure.categories["not-a-category"].share > 0.5', { onError: 'hold' }),
          rule('evidence', 'screening.hits.size() > 0', { evidence: 'screening.hits.map(h, h.entityId)' }),
        ],
        { big: 1_000_000, small: 100 },
      ),
      3,
    );
    const b = compilePack(
      { ...pack([rule('b-hit', 'customer.kycLevel >= 2')]), id: 'b', jurisdiction: '*' },
      1,
    );
    const extra = [
      {
        kind: 'dependency' as const,
        code: 'dependency.screening_unavailable',
        action: 'hold' as const,
        severity: 'high' as const,
        description: 'screening could not be consulted',
        evidence: {},
      },
    ];
    for (const ctx of [testContext(), testContext({ hits: [hit('sanctioned', 'ofac-sdn', 'ofac-sdn:1')] })]) {
      const verdict = evaluatePacks([a, b], ctx, extra);
      const expected = [...extra, ...[a, b].flatMap((p) => reasonsOf(p, evaluatePack(p, ctx)))];
      assert.deepEqual(verdict.reasons, expected);
      assert.deepEqual(
        verdict.reasons.map((r) => r.ruleId ?? r.code),
        ctx.screening.hits.length > 0
          ? ['dependency.screening_unavailable', 'hit', 'error', 'evidence', 'b-hit']
          : ['dependency.screening_unavailable', 'hit', 'error', 'b-hit'],
      );
      assert.deepEqual(verdict.packs, [
        { packId: 'p', version: 3 },
        { packId: 'b', version: 1 },
      ]);
    }
  });
});

describe('rules skipped on values they did not hit on', () => {
  const reasonIds = (p: ReturnType<typeof compilePack>, ctx: ReturnType<typeof testContext>) =>
    evaluatePacks([p], ctx).reasons.map((r) => r.ruleId);

  test('a rule reading only paths is evaluated again when a value it reads changes', () => {
    const p = compilePack(
      pack(
        [
          rule('share', 'exposure.categories["mixer"].share >= params.min'),
          rule('listed', '"mixer" in screening.categories'),
          rule('hits', 'screening.hits.exists(h, h.category == "sanctioned")'),
          rule('neg', '1.0 / transfer.amountUsd < 0.0'),
        ],
        { min: 0.5 },
      ),
      1,
    );
    assert.ok(p.rules.every((r) => r.miss !== undefined));
    assert.deepEqual(reasonIds(p, testContext()), []);
    assert.deepEqual(reasonIds(p, testContext()), []);
    assert.deepEqual(reasonIds(p, testContext({ categories: { mixer: { share: 0.6 } } })), ['share']);
    assert.deepEqual(reasonIds(p, testContext({ hits: [hit('mixer', 'vendor')] })), ['listed']);
    assert.deepEqual(reasonIds(p, testContext()), []);
    assert.deepEqual(reasonIds(p, testContext({ hits: [hit('sanctioned', 'ofac-sdn')] })), ['hits']);
    // 0 and -0 are different values to a rule (1/0 is +inf, 1/-0 is -inf).
    assert.deepEqual(reasonIds(p, testContext({ transfer: { amountUsd: 0 } })), []);
    assert.deepEqual(reasonIds(p, testContext({ transfer: { amountUsd: -0 } })), ['neg']);
  });

  test('the shared all-unexposed categories are one value; any other set of categories is read again', () => {
    const p = compilePack(
      pack([rule('any', '["mixer", "scam"].exists(c, exposure.categories[c].direct)')]),
      1,
    );
    const zero = testContext();
    const withZero = { ...zero, exposure: { ...zero.exposure, categories: ZERO_CATEGORIES } };
    assert.deepEqual(reasonIds(p, withZero), []);
    assert.deepEqual(reasonIds(p, withZero), []);
    assert.deepEqual(reasonIds(p, testContext({ categories: { scam: { share: 1, direct: true } } })), [
      'any',
    ]);
  });

  test('errors and hits are never remembered', () => {
    const p = compilePack(
      pack([rule('err', 'transfer.amountUsd / 0.0 > 1.0 || int(transfer.asset) > 0')]),
      1,
    );
    assert.equal(reasonIds(p, testContext()).length, 1);
    assert.equal(reasonIds(p, testContext()).length, 1);
  });

  test('only expressions that read the context through constant paths qualify', () => {
    const ast = (src: string) => new Environment().parse(src).ast;
    assert.equal(
      readsOnlyPaths(ast('exposure.categories["mixer"].direct || "x" in screening.categories')),
      true,
    );
    assert.equal(readsOnlyPaths(ast('exposure.categories[transfer.kind].direct')), true);
    assert.equal(readsOnlyPaths(ast('size(customer) > 0')), false);
    assert.equal(readsOnlyPaths(ast('customer[transfer.kind] == 1')), false);
  });
});
