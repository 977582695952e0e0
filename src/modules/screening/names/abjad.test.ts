import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abjadSimilarity, isAbjadWord } from './abjad.js';
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
  for (const [heb, lat] of pairs) assert.equal(abjadSimilarity([heb], lat), 0.9, `${heb} ~ ${lat}`);
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
  for (const [heb, lat] of pairs) assert.equal(abjadSimilarity([heb], lat), 0, `${heb} !~ ${lat}`);
  assert.equal(isAbjadWord('משה'), true);
  assert.equal(isAbjadWord('محمد'), true);
  assert.equal(isAbjadWord('Иван'), false);
  assert.equal(isAbjadWord(''), false);
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

test('an Arabic word meets its spellings: the article, letters read several ways, unwritten vowels', () => {
  const pairs: [string[], string][] = [
    [['الزهراء'], 'alzahra'],
    [['زهير'], 'zuhair'],
    [['عائشة'], 'aisha'],
    [['عائشة'], 'ayesha'],
    [['حمزة'], 'hamza'],
    [['جمال'], 'gamal'],
    [['جمال'], 'jamal'],
    [['ظريف'], 'zarif'],
    // عبد with the article of the name after it, as one Latin word writes it
    [['عبد'], 'abdul'],
    [['عبد'], 'abdur'],
    [['نور', 'الدين'], 'noureddine'],
    [['صلاح', 'الدين'], 'salahuddin'],
  ];
  for (const [words, lat] of pairs)
    assert.equal(abjadSimilarity(words, lat), 0.9, `${words.join(' ')} ~ ${lat}`);
  // the article left out of the Latin word: a little less, so a Latin article written apart aligns with it
  for (const [word, lat] of [
    ['الزهراء', 'zahra'],
    ['الضيف', 'deif'],
    ['الظواهري', 'zawahiri'],
    ['الحوثي', 'houthi'],
  ] as [string, string][])
    assert.equal(abjadSimilarity([word], lat), 0.86, `${word} ~ ${lat}`);
  for (const [words, lat] of [
    [['حمزة'], 'hamid'],
    [['عائشة'], 'sasha'],
    [['جمال'], 'kamal'],
    [['الزهراء'], 'zahir'],
  ] as [string[], string][])
    assert.equal(abjadSimilarity(words, lat), 0, `${words.join(' ')} !~ ${lat}`);
});

test('Arabic-script names match their romanisations, whole and merged', () => {
  const score = (a: string, b: string) =>
    compareNames(prepareName(a, 'person'), prepareName(b, 'person')).score;
  for (const [a, b] of [
    ['فاطمة الزهراء', 'Fatima Al Zahra'],
    ['يحيى السنوار', 'Yahya Sinwar'],
    ['عبد الرحمن', 'Abdul Rahman'],
    ['نور الدين', 'Noureddine'],
    ['جمال عبد الناصر', 'Gamal Abdel Nasser'],
    ['محمد جواد ظريف', 'Mohammad Javad Zarif'],
    ['القاعدة', 'Al Qaida'],
    // Persian writes a zero-width non-joiner inside the word
    ['علی خامنه‌ای', 'Ali Khamenei'],
  ])
    assert.ok(score(a as string, b as string) >= 0.85, `${a} ~ ${b}: ${score(a as string, b as string)}`);
  assert.ok(score('محمد علي', 'Ahmed Hassan') < 0.5);
  assert.ok(score('جمال عبد الناصر', 'Kamal Abdel Nasser') < 0.85);
});
