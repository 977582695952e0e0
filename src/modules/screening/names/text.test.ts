import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { consonantSkeleton, skeleton, tokenize } from './text.js';

describe('skeleton: romanisation variants share one', () => {
  const same: [string, string][] = [
    ['soleimani', 'suleimani'],
    ['solaimani', 'suleimani'],
    ['kuzmichev', 'kuzmichyov'],
    ['hieng', 'heang'],
    ['alexey', 'aleksei'],
    ['alexei', 'aleksey'],
    ['ivanoff', 'ivanov'],
    ['zhitomirskiy', 'zhitomirsky'],
    ['zhitomirskyi', 'zhitomirsky'],
    ['mikhail', 'mihail'],
    ['yulia', 'iulia'],
    ['zhukov', 'jukov'],
    ['youssouf', 'yussuf'],
    ['rasheed', 'rashid'],
    ['attiiqullah', 'attiqullah'],
    ['abdulla', 'abdullah'],
    ['smythe', 'smith'],
    ['philip', 'filip'],
    ['qasim', 'kasim'],
  ];
  for (const [a, b] of same) test(`${a} ~ ${b}`, () => assert.equal(skeleton(a), skeleton(b)));

  test('different consonants keep different skeletons', () => {
    assert.notEqual(skeleton('hassan'), skeleton('hamdan'));
    assert.notEqual(skeleton('ivanov'), skeleton('ivanenko'));
  });

  test('East Asian reading folds consonant pairs but keeps vowel classes', () => {
    assert.equal(skeleton('gim', true), skeleton('kim', true));
    assert.equal(skeleton('jeong', true), skeleton('chong', true));
    assert.equal(skeleton('seong', true), skeleton('song', true));
    assert.notEqual(skeleton('yan', true), skeleton('yun', true));
    assert.notEqual(skeleton('zhang', true), skeleton('zheng', true));
  });

  test('a join marker blocks digraphs across merged tokens', () => {
    assert.notEqual(skeleton('sok|ha'), skeleton('shuhui'));
    assert.equal(skeleton('salah|eddine'), skeleton('salahuddin'));
  });
});

describe('consonantSkeleton: unvowelled scripts meet full spellings', () => {
  test('matres lectionis and vowels are dropped, initial vowels and final long i kept', () => {
    assert.equal(consonantSkeleton('mhmd', false), consonantSkeleton('mohamed'));
    assert.equal(consonantSkeleton('mhmwd', false), consonantSkeleton('mahmoud'));
    assert.equal(consonantSkeleton('mhmdy', false), consonantSkeleton('mohammadi'));
    assert.notEqual(consonantSkeleton('mhmdy', false), consonantSkeleton('muhammad'));
    assert.equal(consonantSkeleton('ly', true), consonantSkeleton('ali'));
    assert.equal(consonantSkeleton('hsyn', false), consonantSkeleton('hussein'));
    assert.notEqual(consonantSkeleton('hsyn', false), consonantSkeleton('ehsan'));
  });
});

describe('tokenize', () => {
  test('groups and commas are recorded', () => {
    const t = tokenize('SMYTHE-JONES, John Paul');
    assert.deepEqual(
      t.map((x) => [x.text, x.group, x.afterComma]),
      [
        ['smythe', 0, false],
        ['jones', 0, false],
        ['john', 1, true],
        ['paul', 2, true],
      ],
    );
  });

  test('a change of script separates words', () => {
    assert.deepEqual(
      tokenize('株式会社トヨタ').map((x) => [x.text, x.script]),
      [
        ['zhu', 'han'],
        ['shi', 'han'],
        ['hui', 'han'],
        ['she', 'han'],
        ['toyota', 'kana'],
      ],
    );
  });
});
