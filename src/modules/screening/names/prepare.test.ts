import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type NameKind, prepareName, retrievalKeys } from './index.js';
import { LEGAL_FORMS } from './tables.js';

function texts(raw: string, kind: NameKind = 'unknown'): string[] {
  return prepareName(raw, kind).tokens.map((t) => t.text);
}

describe('prepareName: normalisation', () => {
  test('NFKC, case folding, diacritics and punctuation', () => {
    assert.deepEqual(texts('ＭＵＬＬＥＲ, Jürgen-Ölaf'), ['muller', 'jurgen', 'olaf']);
    assert.deepEqual(texts('Ḥusayn ʻAbd al-Raḥmān'), ['husayn', 'abd', 'al', 'rahman']);
  });

  test('apostrophes join, other punctuation separates', () => {
    assert.deepEqual(texts("CH'OE Ch’un-yŏng", 'person'), ['choe', 'chun', 'yong']);
    assert.deepEqual(texts("O'Brien (a.k.a. Smith)", 'person'), ['obrien', 'a', 'k', 'a', 'smith']);
  });

  test('numbers are kept as tokens', () => {
    assert.deepEqual(texts('Pars 22 Trading', 'organization'), ['pars', '22', 'trading']);
  });

  test('non-Latin scripts are transliterated and keep their own spelling', () => {
    const p = prepareName('Владимир Путин');
    assert.deepEqual(
      p.tokens.map((t) => [t.text, t.orig]),
      [
        ['vladimir', 'владимир'],
        ['putin', 'путин'],
      ],
    );
    assert.equal(p.script, 'cyrillic');
  });

  test('Han and Hangul are split into syllables, family name first', () => {
    const han = prepareName('习近平', 'person');
    assert.deepEqual(
      han.tokens.map((t) => [t.text, t.role]),
      [
        ['xi', 'family'],
        ['jin', 'given'],
        ['ping', 'given'],
      ],
    );
    assert.ok(han.eastAsian);
    assert.deepEqual(texts('김정은'), ['gim', 'jeong', 'eun']);
  });

  test('a one-syllable Han family name written last is read as the family name', () => {
    const p = prepareName('淑惠 莊', 'person');
    assert.equal(p.tokens.find((t) => t.role === 'family')?.text, 'zhuang');
  });
});

describe('prepareName: titles and honorifics', () => {
  const cases: [string, string[]][] = [
    ['Mr. John Smith', ['john', 'smith']],
    ['Mrs Jane Smith', ['jane', 'smith']],
    ['Dr. Prof. Jane Smith', ['jane', 'smith']],
    ['Sheikh Hassan Dahir Aweys', ['hassan', 'dahir', 'aweys']],
    ['Haji Khairullah Haji Sattar', ['khairullah', 'haji', 'sattar']],
    ['Hajji Abdul Kabir', ['abdul', 'kabir']],
    ['Mullah Omar', ['omar']],
    ['Maulvi Abdul Kabir', ['abdul', 'kabir']],
    ['Oknha Ly Yong Phat', ['ly', 'yong', 'phat']],
    ['Neak Oknha Ly Yong Phat', ['ly', 'yong', 'phat']],
    ['Lok Chumteav Choeung Sopheap', ['choeung', 'sopheap']],
    ['Gen. Min Aung Hlaing', ['min', 'aung', 'hlaing']],
    ['Col. Muammar Qadhafi', ['muammar', 'qadhafi']],
    ['AWEYS, Sheikh Hassan Dahir', ['aweys', 'hassan', 'dahir']],
    ['RUBEN PESTANO LAVILLA, JR', ['ruben', 'pestano', 'lavilla']],
    ['John Major', ['john', 'major']],
    ['Mr', ['mr']],
  ];
  for (const [raw, expected] of cases) {
    test(`${raw} → ${expected.join(' ')}`, () => assert.deepEqual(texts(raw, 'person'), expected));
  }

  test('titles are not stripped from organisations', () => {
    assert.deepEqual(texts('General Trading Co', 'organization'), ['general', 'trading']);
  });
});

describe('prepareName: organisations', () => {
  const forms: [string, string][] = [
    ['Acme PLC', 'jsc'],
    ['Acme Ltd', 'llc'],
    ['Acme Limited', 'llc'],
    ['Acme Co.', 'co'],
    ['Acme Co., Ltd.', 'llc'],
    ['Acme Company', 'co'],
    ['Acme Corp', 'co'],
    ['Acme Corporation', 'co'],
    ['Acme Inc.', 'co'],
    ['Acme LLC', 'llc'],
    ['Acme L.L.C.', 'llc'],
    ['JSC Acme', 'jsc'],
    ['OJSC Acme', 'jsc'],
    ['PJSC Acme', 'jsc'],
    ['ООО Акме', 'llc'],
    ['ОАО Акме', 'jsc'],
    ['АО Акме', 'jsc'],
    ['Acme Sp. z o.o.', 'llc'],
    ['Acme Spółka z ograniczoną odpowiedzialnością', 'llc'],
    ['Acme GmbH', 'llc'],
    ['Acme AG', 'jsc'],
    ['Acme SA', 'jsc'],
    ['Acme S.A.', 'jsc'],
    ['Acme SARL', 'llc'],
    ['Acme S.A. de C.V.', 'jsc'],
    ['Acme BV', 'llc'],
    ['Acme N.V.', 'jsc'],
    ['Acme Pte Ltd', 'llc'],
    ['Acme 有限公司', 'llc'],
    ['株式会社 Acme', 'jsc'],
    ['주식회사 Acme', 'jsc'],
    // no space where Chinese and Japanese write none
    ['株式会社トヨタ', 'jsc'],
    ['トヨタ株式会社', 'jsc'],
    ['Acme有限公司', 'llc'],
    ['Acme FZE', 'fz'],
    ['Acme FZCO', 'fz'],
    ['LIMITED LIABILITY COMPANY ACME', 'llc'],
    ['Acme Limitted', 'llc'],
    // one typo in a long form word: a letter missing, wrong, swapped with the next, or doubled
    ['Acme Limted', 'llc'],
    ['Acme Limitad', 'llc'],
    ['Acme Limtied', 'llc'],
    ['Acme Liimited', 'llc'],
  ];
  for (const [raw, cls] of forms) {
    test(`${raw}: legal form ${cls} recognised and removed`, () => {
      const p = prepareName(raw, 'organization');
      assert.deepEqual(p.legalForms, [cls]);
      assert.equal(p.tokens.length, 1, JSON.stringify(p.tokens.map((t) => t.text)));
      assert.equal(p.kind, 'organization');
    });
  }

  test('every single-word legal form of six letters or more is found through any one typo', () => {
    // the words are set aside before the typo search by their letter sets: none within one edit may be
    const words = Object.values(LEGAL_FORMS)
      .flat()
      .filter((f) => /^[a-z]{6,}$/.test(f));
    assert.ok(words.length >= 10, words.join());
    let checked = 0;
    for (const word of words) {
      const cls = prepareName(`Acme ${word}`, 'organization').legalForms;
      assert.equal(cls.length, 1, word);
      const edits = new Set<string>();
      for (let i = 0; i <= word.length; i++) {
        if (i < word.length) edits.add(word.slice(0, i) + word.slice(i + 1));
        if (i + 1 < word.length) edits.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
        for (const c of 'aeiouxzq') {
          if (i < word.length) edits.add(word.slice(0, i) + c + word.slice(i + 1));
          edits.add(word.slice(0, i) + c + word.slice(i));
        }
      }
      for (const typo of edits) {
        if (typo === word) continue;
        assert.deepEqual(prepareName(`Acme ${typo}`, 'organization').legalForms, cls, typo);
        checked++;
      }
    }
    assert.ok(checked > 1000, `${checked} typos`);
  });

  test('legal forms of several words are found through a typo in each', () => {
    const p = prepareName('ACME TRADING COMAPNY LIMITTED', 'organization');
    assert.deepEqual(p.legalForms, ['llc']);
    assert.deepEqual(
      p.tokens.map((t) => t.text),
      ['acme', 'trading'],
    );
    assert.deepEqual(prepareName('Limitted Liability Comapny Acme', 'organization').legalForms, ['llc']);
  });

  test('preparing a name again gives the same tokens and keys (memoised word facts are shared)', () => {
    for (const raw of ['Abdul Kabir Haqqani', 'ACME TRADING COMAPNY LIMITTED', '金正恩', 'محمد رحیمی']) {
      const a = prepareName(raw);
      const b = prepareName(raw);
      assert.deepEqual(b, a);
      assert.deepEqual(retrievalKeys(b), retrievalKeys(a));
    }
  });

  test('an unambiguous legal form makes an unknown name an organisation', () => {
    const p = prepareName('Huione Pay PLC');
    assert.equal(p.kind, 'organization');
    assert.deepEqual(p.legalForms, ['jsc']);
  });

  test('short ambiguous forms are not stripped from names of unknown kind', () => {
    assert.deepEqual(texts('Maria Sa'), ['maria', 'sa']);
    assert.deepEqual(texts('Park Ji Ag'), ['park', 'ji', 'ag']);
  });

  test('a name that is only a legal form keeps it', () => {
    assert.deepEqual(texts('Company', 'organization'), ['company']);
  });

  test('stop-words go, & and and alike', () => {
    assert.deepEqual(texts('The Bank of Commerce & Industry', 'organization'), [
      'bank',
      'commerce',
      'industry',
    ]);
    assert.deepEqual(texts('Bank of Commerce and Industry', 'organization'), [
      'bank',
      'commerce',
      'industry',
    ]);
  });

  test('spaced initials become one acronym token', () => {
    assert.deepEqual(texts('M. D. S. IMPORT EXPORT CO., LTD.'), ['mds', 'import', 'export']);
  });
});

describe('prepareName: roles and weights', () => {
  test('SURNAME, Given: the part before the comma is the family name', () => {
    const p = prepareName('AZAM ELMI, MOHAMMAD', 'person');
    assert.deepEqual(
      p.tokens.map((t) => t.role),
      ['family', 'family', 'given'],
    );
  });

  test('Given Middle SURNAME: the last word is the family name', () => {
    const p = prepareName('Mohammad Azam Elmi', 'person');
    assert.deepEqual(
      p.tokens.map((t) => t.role),
      ['given', 'middle', 'family'],
    );
  });

  test('Korean and Chinese names led by a family name are read family first', () => {
    assert.deepEqual(
      prepareName('KIM JONG UN', 'person').tokens.map((t) => t.role),
      ['family', 'given', 'given'],
    );
  });

  test('family names weigh more, common and short tokens less, particles almost nothing', () => {
    const p = prepareName('Mohammed bin Rashid Makhtoum', 'person');
    const w = Object.fromEntries(p.tokens.map((t) => [t.text, t.weight]));
    assert.ok((w.makhtoum ?? 0) > 1);
    assert.ok((w.mohammed ?? 1) < 1);
    assert.ok((w.bin ?? 1) < 0.2);
  });
});

describe('retrievalKeys', () => {
  test('few keys, none for legal forms, stop-words, particles or initials', () => {
    const keys = retrievalKeys(
      prepareName('The J. R. Abdul Hakim bin Laden Trading Co., Ltd.', 'organization'),
    );
    assert.ok(keys.length <= 12, `${keys.length} keys`);
    for (const k of keys) assert.ok(!['ltd', 'co', 'the', 'bin', 'j', 'r'].includes(k), k);
  });

  test('long names are capped at 12 keys', () => {
    const keys = retrievalKeys(
      prepareName('Abdul Rahman Abdul Hakim Abdul Aziz Abdul Karim Mohammed Ali Hassan Hussein', 'person'),
    );
    assert.ok(keys.length <= 12);
  });

  test('variant spellings share a key', () => {
    const pairs: [string, string][] = [
      ['Wong', 'Huang'],
      ['Mohammed', 'Muhammad'],
      ['Abdulhakim', 'Abd al-Hakim'],
      ['Gim', 'Kim'],
      ['محمد', 'Mohamed'],
      ['Ibrahim', 'إبراهيم'],
    ];
    for (const [a, b] of pairs) {
      const kb = new Set(retrievalKeys(prepareName(b)));
      assert.ok(
        retrievalKeys(prepareName(a)).some((k) => kb.has(k)),
        `${a} ${retrievalKeys(prepareName(a))} / ${b} ${[...kb]}`,
      );
    }
  });
});
