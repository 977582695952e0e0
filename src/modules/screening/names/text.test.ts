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

describe('skeletons: exact forms (digraphs, joins, East Asian vowel classes, consonants)', () => {
  // [word, skeleton, East Asian skeleton, consonant skeleton]
  const forms: [string, string, string, string][] = [
    ['ivanoff', 'avanav', 'IvAnOp', 'Avnv'],
    ['shchukin', 'Sakan', 'sOkIn', 'Skn'],
    ['tchaikovsky', 'Cakavska', 'CEkOvskI', 'CkvskY'],
    ['xavier', 'savar', 'sAvEl', 'svr'],
    ['maxim', 'maksam', 'mAksIm', 'mksm'],
    ['sokha', 'saha', 'sOhA', 'sh'],
    ['sok|ha', 'sakha', 'sOkhA', 'sk'],
    ['abdul|hakim', 'abdalhakam', 'AptOlhAkIm', 'Abdlhkm'],
    ['khodjaev', 'haJav', 'hOCEv', 'hJv'],
    ['dzhokhar', 'Jahar', 'COhAl', 'Jhr'],
    ['jeong', 'Jang', 'COnk', 'Jng'],
    ['qiao', 'ka', 'kW', 'k'],
    ['yao', 'a', 'W', ''],
    ['smythe', 'smat', 'smItE', 'smt'],
    ['allah', 'ala', 'AlAh', 'Al'],
    ['mohammed', 'mahamad', 'mOhAmEt', 'mhmd'],
    ['eunhye', 'anha', 'OnhE', 'Anh'],
    ['wu', 'va', 'vO', ''],
    ['ba2ak', 'ba2ak', 'ba2ak', 'ba2ak'],
  ];
  for (const [word, skel, skelEa, cons] of forms) {
    test(word, () => {
      assert.equal(skeleton(word), skel);
      assert.equal(skeleton(word, true), skelEa);
      assert.equal(consonantSkeleton(word), cons);
    });
  }
});

describe('tokenize: ASCII words and the rest read alike', () => {
  const read = (raw: string) => tokenize(raw).map((t) => [t.text, t.orig, t.script, t.group, t.afterComma]);

  test('a digit continues the word it is in, whatever its script', () => {
    assert.deepEqual(read('Иван2 Petrov'), [
      ['ivan2', 'иван2', 'cyrillic', 0, false],
      ['petrov', '', 'latin', 1, false],
    ]);
    assert.deepEqual(read('AL-QAIDA 2'), [
      ['al', '', 'latin', 0, false],
      ['qaida', '', 'latin', 0, false],
      ['2', '', 'latin', 1, false],
    ]);
  });

  test('apostrophes join, hyphens split within a group, accents and full-width letters fold', () => {
    assert.deepEqual(read("O'Brien-López"), [
      ['obrien', '', 'latin', 0, false],
      ['lopez', '', 'latin', 0, false],
    ]);
    assert.deepEqual(read('ＪＯＨＮ　ＳＭＩＴＨ'), [
      ['john', '', 'latin', 0, false],
      ['smith', '', 'latin', 1, false],
    ]);
  });

  test('the part after a comma is marked', () => {
    assert.deepEqual(read('Kim, Jong-un'), [
      ['kim', '', 'latin', 0, false],
      ['jong', '', 'latin', 1, true],
      ['un', '', 'latin', 1, true],
    ]);
  });
});
