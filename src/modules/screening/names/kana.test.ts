import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareNames, DEFAULT_THRESHOLD, prepareName, REVIEW_THRESHOLD } from './index.js';
import { isKanaWord, kanaSimilarity } from './kana.js';

test('a katakana rendering meets the foreign spelling with katakana’s habits', () => {
  for (const [romaji, latin] of [
    ['urajimiru', 'vladimir'],
    ['puchin', 'putin'],
    ['karashinikofu', 'kalashnikov'],
    ['gasupuromu', 'gazprom'],
    ['raburofu', 'lavrov'],
    ['zara', 'zala'],
  ])
    assert.equal(kanaSimilarity(romaji as string, latin as string), 0.9, `${romaji} ~ ${latin}`);
  // a vowel read otherwise costs a little
  assert.equal(kanaSimilarity('toranpu', 'trump'), 0.85);
  // consonants katakana has no reason to change keep names apart
  for (const [romaji, latin] of [
    ['puchin', 'pushkin'],
    ['donarudo', 'ronald'],
    ['raburofu', 'larson'],
    ['toranpu', 'trumpet'],
  ])
    assert.equal(kanaSimilarity(romaji as string, latin as string), 0, `${romaji} !~ ${latin}`);
  assert.equal(isKanaWord('プーチン'), true);
  assert.equal(isKanaWord('山田'), false);
});

test('foreign names and companies in katakana match their Latin spellings, and only those', () => {
  const score = (a: string, b: string) => compareNames(prepareName(a), prepareName(b)).score;
  for (const [a, b] of [
    ['ウラジーミル・プーチン', 'Vladimir Putin'],
    ['セルゲイ・ラブロフ', 'Sergey Lavrov'],
    ['ドナルド・トランプ', 'Donald Trump'],
    ['ザラ・アエロ・グループ', 'Zala Aero Group'],
    ['株式会社カラシニコフ・コンツェルン', 'Kalashnikov Concern JSC'],
  ])
    assert.ok(
      score(a as string, b as string) >= DEFAULT_THRESHOLD,
      `${a} ~ ${b}: ${score(a as string, b as string)}`,
    );
  assert.ok(score('ウラジーミル・プーチン', 'Vladimir Pushkin') < REVIEW_THRESHOLD);
  assert.ok(score('ドナルド・トランプ', 'Ronald Reagan') < REVIEW_THRESHOLD);
});
