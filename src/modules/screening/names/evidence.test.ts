import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareNames,
  DEFAULT_THRESHOLD,
  type EntityEvidence,
  evidenceMargin,
  type ListedNameKind,
  matchScore,
  type NameComparison,
  prepareName,
  type QueryEvidence,
  REVIEW_THRESHOLD,
  scoreMatch,
} from './index.js';

const exactName: NameComparison = compareNames(
  prepareName('Abdul Kabir Haqqani', 'person'),
  prepareName('ABDUL KABIR HAQQANI', 'person'),
);
const nearName: NameComparison = compareNames(
  prepareName('Abdul Kabir Haqani', 'person'),
  prepareName('ABDUL KABIR HAQQANI', 'person'),
);
const poorName: NameComparison = compareNames(
  prepareName('John Brown', 'person'),
  prepareName('ABDUL KABIR HAQQANI', 'person'),
);

function entity(over: Partial<EntityEvidence> = {}): EntityEvidence {
  return {
    kind: 'person',
    dates: [{ kind: 'birth', value: '1966-03-15' }],
    countries: [{ country: 'AF', role: 'nationality' }],
    identifiers: [{ type: 'passport', value: 'OR 123456' }],
    ...over,
  };
}

function feature(r: { features: { name: string; value: number }[] }, name: string): number | undefined {
  return r.features.find((f) => f.name === name)?.value;
}

describe('scoreMatch: date of birth', () => {
  const base = scoreMatch(nearName, 'primary', {}, entity()).score;
  const cases: [string, string, string, (delta: number) => boolean][] = [
    ['exact date adds the most', '1966-03-15', 'dob_exact', (d) => d > 0.05],
    ['year and month add', '1966-03', 'dob_month', (d) => d > 0.03],
    ['year only adds a little', '1966', 'dob_year', (d) => d > 0 && d < 0.05],
    ['±1 year costs a little', '1967-03-15', 'dob_near', (d) => d < 0 && d > -0.05],
    ['a conflicting date costs a lot', '1980-01-01', 'dob_conflict', (d) => d <= -0.1],
  ];
  for (const [behaviour, dob, name, check] of cases) {
    test(behaviour, () => {
      const r = scoreMatch(nearName, 'primary', { dob }, entity());
      const v = feature(r, name);
      assert.ok(v !== undefined, JSON.stringify(r.features));
      assert.ok(check(v), `${name} ${v}`);
      assert.ok(Math.abs(r.score - Math.min(1, Math.max(0, base + v))) < 0.001);
    });
  }

  test('day and month swapped (US vs European order) add a little', () => {
    const r = scoreMatch(
      nearName,
      'primary',
      { dob: '1966-12-03' },
      entity({ dates: [{ kind: 'birth', value: '1966-03-12' }] }),
    );
    const v = feature(r, 'dob_day_month_swapped');
    assert.ok(v !== undefined && v > 0, JSON.stringify(r.features));
  });

  test('the best of several listed dates counts', () => {
    const r = scoreMatch(
      nearName,
      'primary',
      { dob: '1970' },
      entity({
        dates: [
          { kind: 'birth', value: '1966' },
          { kind: 'birth', value: '1970' },
        ],
      }),
    );
    assert.ok(feature(r, 'dob_year') !== undefined);
  });

  test('no listed date or no query date: no feature', () => {
    assert.equal(scoreMatch(nearName, 'primary', { dob: '1966' }, entity({ dates: [] })).features.length, 1);
    assert.equal(scoreMatch(nearName, 'primary', {}, entity()).features.length, 1);
  });

  test('a conflicting date takes an exact name below the threshold', () => {
    const r = scoreMatch(exactName, 'primary', { dob: '1990-05-05' }, entity());
    assert.ok(r.score < DEFAULT_THRESHOLD, `${r.score}`);
  });
});

describe('scoreMatch: identifiers', () => {
  test('an exact identifier match is decisive whatever the name', () => {
    const r = scoreMatch(
      poorName,
      'primary',
      { identifiers: [{ type: 'passport', value: 'or123456' }] },
      entity(),
    );
    assert.ok(r.score >= 0.99, `${r.score}`);
    assert.ok(r.features.some((f) => f.name === 'identifier_match'));
  });

  test('identifiers compare without spaces, dashes and case, whatever the type given', () => {
    const r = scoreMatch(poorName, 'primary', { identifiers: [{ value: 'OR-123-456' }] }, entity());
    assert.ok(r.score >= 0.99);
  });

  test('a different identifier of the same type costs a little', () => {
    const r = scoreMatch(
      exactName,
      'primary',
      { identifiers: [{ type: 'passport', value: 'XX999999' }] },
      entity(),
    );
    assert.ok((feature(r, 'identifier_mismatch') ?? 0) < 0);
  });
});

describe('scoreMatch: name kind, country, entity kind', () => {
  test('a weak alias alone stays below the threshold', () => {
    const r = scoreMatch(exactName, 'weak_alias', {}, entity());
    assert.equal(exactName.score, 1);
    assert.ok(r.score < DEFAULT_THRESHOLD && r.score >= REVIEW_THRESHOLD, `${r.score}`);
  });

  test('a weak alias with a matching date of birth is a match', () => {
    const r = scoreMatch(exactName, 'weak_alias', { dob: '1966-03-15' }, entity());
    assert.ok(r.score >= DEFAULT_THRESHOLD, `${r.score}`);
  });

  test('a weak alias with only a matching country stays below the threshold', () => {
    const r = scoreMatch(exactName, 'weak_alias', { country: 'AF' }, entity());
    assert.ok(r.score < DEFAULT_THRESHOLD, `${r.score}`);
  });

  test('primary, strong alias and original script count fully; former names slightly less', () => {
    for (const kind of ['primary', 'strong_alias', 'original_script'] as const) {
      assert.equal(scoreMatch(exactName, kind, {}, entity()).score, 1);
    }
    const former = scoreMatch(exactName, 'former_name', {}, entity()).score;
    assert.ok(former < 1 && former >= DEFAULT_THRESHOLD);
  });

  test('country: listed adds a little, not listed costs a little', () => {
    const q: QueryEvidence = { country: 'af' };
    assert.ok((feature(scoreMatch(nearName, 'primary', q, entity()), 'country_match') ?? 0) > 0);
    assert.ok(
      (feature(scoreMatch(nearName, 'primary', { country: 'FR' }, entity()), 'country_mismatch') ?? 0) < 0,
    );
    assert.equal(
      feature(
        scoreMatch(nearName, 'primary', { country: 'FR' }, entity({ countries: [] })),
        'country_mismatch',
      ),
      undefined,
    );
  });

  test('a person query against an organisation is penalised', () => {
    const r = scoreMatch(exactName, 'primary', { kind: 'person' }, entity({ kind: 'organization' }));
    assert.ok(r.score < DEFAULT_THRESHOLD);
    assert.ok(r.features.some((f) => f.name === 'kind_mismatch'));
  });

  test('an unknown-kind query is not penalised', () => {
    assert.equal(scoreMatch(exactName, 'primary', { kind: 'unknown' }, entity({ kind: 'vessel' })).score, 1);
  });

  test('every feature explains itself and the contributions add up', () => {
    const r = scoreMatch(nearName, 'strong_alias', { dob: '1966', country: 'AF', kind: 'person' }, entity());
    let sum = 0;
    for (const f of r.features) {
      assert.ok(f.detail.length > 0, f.name);
      sum += f.value;
    }
    assert.ok(Math.abs(Math.min(1, sum) - r.score) < 0.001);
  });
});

describe('evidenceMargin: the most evidence other than identifiers can add', () => {
  test('an exact date of birth and a listed country, nothing else', () => {
    assert.equal(evidenceMargin({}), 0);
    assert.equal(evidenceMargin({ kind: 'person' }), 0);
    assert.equal(evidenceMargin({ dob: '1966-03-15' }), 0.08);
    assert.equal(evidenceMargin({ country: 'AF' }), 0.02);
    assert.ok(Math.abs(evidenceMargin({ dob: '1966', country: 'AF' }) - 0.1) < 1e-12);
    assert.equal(evidenceMargin({ dob: '', country: '  ' }), 0);
  });

  test('no evidence lifts a name score by more than the margin', () => {
    const query: QueryEvidence = { dob: '1966-03-15', country: 'AF', kind: 'person' };
    for (const dob of ['1966-03-15', '1966-15-03', '1966', '1966-03', '1967-03-15', '1970-01-01']) {
      for (const country of ['AF', 'PK']) {
        const r = scoreMatch(
          nearName,
          'primary',
          query,
          entity({ dates: [{ kind: 'birth', value: dob }], countries: [{ country, role: 'nationality' }] }),
        );
        assert.ok(r.score <= nearName.score + evidenceMargin(query) + 1e-9, `${dob} ${country}: ${r.score}`);
      }
    }
  });
});

describe('scoreMatch: how dates are read', () => {
  const outcome = (queryDob: string, listed: string) =>
    scoreMatch(
      exactName,
      'primary',
      { dob: queryDob },
      entity({ dates: [{ kind: 'birth', value: listed }] }),
    ).features.find((f) => f.name.startsWith('dob_'))?.name;

  test('unknown month and day (00) are left out', () => {
    assert.equal(outcome('1966-03-15', '1966-00-00'), 'dob_year');
    assert.equal(outcome('1966-03-15', '1966-03-00'), 'dob_month');
  });

  test('spaces around are ignored; only YYYY, YYYY-MM and YYYY-MM-DD are read', () => {
    assert.equal(outcome('1966-03-15', ' 1966-03-15 '), 'dob_exact');
    assert.equal(outcome('1966-03-15', '1966-3-15'), 'dob_year');
    assert.equal(outcome('1966-03-15', '1966-03-15T00:00'), 'dob_exact');
    assert.equal(outcome('1966-03-15', 'circa 1966'), undefined);
  });

  test('successive queries with different dates are each read afresh', () => {
    assert.equal(outcome('1966-03-15', '1966-03-15'), 'dob_exact');
    assert.equal(outcome('1970-01-01', '1966-03-15'), 'dob_conflict');
    assert.equal(outcome('1966-03-15', '1966-03-15'), 'dob_exact');
  });
});

describe('matchScore: the score of scoreMatch without its features', () => {
  test('equals scoreMatch(...).score for every combination of evidence', () => {
    const kinds: ListedNameKind[] = [
      'primary',
      'strong_alias',
      'weak_alias',
      'original_script',
      'former_name',
    ];
    const queries: QueryEvidence[] = [];
    for (const dob of [
      undefined,
      '',
      '1966',
      '1966-03',
      '1966-03-15',
      '1966-15-03',
      '1967-01-01',
      '1980',
      'x',
    ])
      for (const country of [undefined, ' ', 'af', 'IR'])
        for (const kind of [undefined, 'unknown', 'person', 'organization'] as const)
          for (const identifiers of [
            undefined,
            [],
            [{ type: 'passport', value: 'or-123456' }],
            [{ type: 'passport', value: 'ZZ 999999' }],
          ])
            queries.push({ dob, country, kind, identifiers });
    const entities = [
      entity(),
      entity({ dates: [], countries: [], identifiers: [] }),
      entity({ kind: 'organization', dates: [{ kind: 'incorporation', value: '1966-03' }] }),
      entity({
        kind: 'vessel',
        countries: [
          { country: 'ir', role: 'flag' },
          { country: 'IR ', role: 'x' },
        ],
      }),
      entity({
        dates: [
          { kind: 'birth', value: '1965' },
          { kind: 'birth', value: '1966-15-03' },
        ],
      }),
    ];
    let checked = 0;
    for (const score of [0, 0.3, 0.61, 0.7234, 0.85, 0.9999, 1])
      for (const kind of kinds)
        for (const q of queries)
          for (const e of entities) {
            const name: NameComparison = {
              score,
              aligned: [],
              unmatchedQuery: [],
              unmatchedCandidate: [],
              notes: [],
            };
            assert.equal(
              matchScore(score, kind, q, e),
              scoreMatch(name, kind, q, e).score,
              JSON.stringify({ score, kind, q, e }),
            );
            checked++;
          }
    assert.ok(checked > 10_000);
  });
});
