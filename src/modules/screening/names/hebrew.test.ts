import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hebrewSimilarity, isHebrewWord } from './hebrew.js';
import { compareNames, prepareName, retrievalKeys } from './index.js';

test('a Hebrew word meets each of its usual Latin spellings', () => {
  const pairs: [string, string][] = [
    ['משה', 'moshe'],
    ['כהן', 'cohen'],
    ['כהן', 'kohen'],
    ['דוד', 'david'],
    ['לוי', 'levi'],
    ['אברהם', 'avraham'],
    ['אברהם', 'abraham'],
    ['שמעון', 'shimon'],
    ['שמעון', 'simon'],
    ['יצחק', 'yitzhak'],
    ['יצחק', 'itzhak'],
    ['חיים', 'chaim'],
    ['חיים', 'haim'],
    ['נתניהו', 'netanyahu'],
    ['פרידמן', 'friedman'],
    ['יעקב', 'yaakov'],
    ['יעקב', 'jacob'],
  ];
  for (const [heb, lat] of pairs) assert.equal(hebrewSimilarity(heb, lat), 0.9, `${heb} ~ ${lat}`);
});

test('consonants the Hebrew does not write, or writes differently, keep words apart', () => {
  const pairs: [string, string][] = [
    ['כהן', 'katz'],
    ['לוי', 'levin'],
    ['משה', 'michael'],
    ['דוד', 'daniel'],
    // aleph and ayin begin with a vowel; `Braham` does not
    ['אברהם', 'braham'],
    ['רבין', 'robinson'],
  ];
  for (const [heb, lat] of pairs) assert.equal(hebrewSimilarity(heb, lat), 0, `${heb} !~ ${lat}`);
  assert.equal(isHebrewWord('משה'), true);
  assert.equal(isHebrewWord('محمد'), false);
  assert.equal(isHebrewWord(''), false);
});

test('Hebrew-script names match their romanisations and not other names', () => {
  const score = (a: string, b: string) => compareNames(prepareName(a), prepareName(b)).score;
  assert.ok(score('משה כהן', 'Moshe Cohen') >= 0.85);
  assert.ok(score('בנימין נתניהו', 'Benjamin Netanyahu') >= 0.85);
  assert.ok(score('Netanyahu, Benjamin', 'בנימין נתניהו') >= 0.85);
  assert.ok(score('משה כהן', 'Moshe Katz') < 0.7);
  assert.ok(score('דוד לוי', 'Daniel Levi') < 0.7);
  const explained = compareNames(prepareName('שמעון פרס'), prepareName('Shimon Peres'));
  assert.deepEqual(
    explained.aligned.map((a) => a.how),
    ['phonetic', 'phonetic'],
  );
});

test('a Hebrew-script query shares a retrieval key with the Latin spelling it should find', () => {
  const pairs: [string, string][] = [
    ['משה כהן', 'Moshe Cohen'],
    ['יצחק רבין', 'Yitzhak Rabin'],
    ['דוד לוי', 'David Levi'],
    ['אברהם פרידמן', 'Abraham Friedman'],
  ];
  for (const [heb, lat] of pairs) {
    const own = new Set(retrievalKeys(prepareName(lat)));
    assert.ok(
      retrievalKeys(prepareName(heb)).some((k) => own.has(k)),
      `${heb} and ${lat} share no key`,
    );
  }
});
