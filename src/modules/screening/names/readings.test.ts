import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareNames, DEFAULT_THRESHOLD, prepareName, REVIEW_THRESHOLD, retrievalKeys } from './index.js';
import { hanReadings } from './readings.js';

function score(a: string, b: string): number {
  return compareNames(prepareName(a, 'person'), prepareName(b, 'person')).score;
}

function sharesKey(a: string, b: string): boolean {
  const kb = new Set(retrievalKeys(prepareName(b, 'person')));
  return retrievalKeys(prepareName(a, 'person')).some((k) => kb.has(k));
}

describe('hanReadings', () => {
  const READINGS: [string, string[]][] = [
    ['金正恩', ['korean 김정은', 'cantonese kam, ching yan']],
    ['金 正恩', ['korean 김정은', 'cantonese kam, ching yan']],
    ['李明博', ['korean 이명박', 'korean 리명박', 'cantonese lee, ming pok']],
    ['崔龍海', ['korean 최용해', 'korean 최룡해', 'cantonese tsui, lung hoi']],
    ['南宮民秀', ['korean 남궁민수']],
    ['山田太郎', ['japanese yamada, taro']],
    ['山田 太郎', ['japanese yamada, taro']],
    ['佐々木健太', ['japanese sasaki, kenta']],
    ['山田はなこ', ['japanese yamada, はなこ']],
    // Chinese names: Cantonese as Hong Kong writes it, where the tables cover every character
    ['黃志強', ['cantonese wong, chi keung']],
    ['黄志强', ['cantonese wong, chi keung']],
    ['李明', ['cantonese lee, ming']],
    ['王伟', ['cantonese wong, wai']],
    ['欧阳志明', ['cantonese au yeung, chi ming']],
    ['习近平', []],
    ['Kim Jong Un', []],
    ['김정은', []],
    ['金正恩 Kim', []],
  ];
  for (const [name, expected] of READINGS) {
    test(`${name} → ${expected.join(' / ') || 'none'}`, () => {
      assert.deepEqual(
        hanReadings(name).map((r) => `${r.lang} ${r.text}`),
        expected,
      );
    });
  }

  test('organisations are not read as personal names', () => {
    assert.equal(prepareName('金正恩', 'organization').alternatives.length, 0);
  });
});

describe('Han names read the Korean and the Japanese way', () => {
  /** [Han name, romanised name, minimum score] */
  const MATCHES: [string, string, number][] = [
    ['金正恩', 'Kim Jong Un', DEFAULT_THRESHOLD],
    ['金正恩', 'Kim Jong-un', DEFAULT_THRESHOLD],
    ['金正恩', 'KIM Jongun', DEFAULT_THRESHOLD],
    ['金正恩', 'Gim Jeong-eun', DEFAULT_THRESHOLD],
    ['金正恩', '김정은', DEFAULT_THRESHOLD],
    ['金日成', 'Kim Il-song', DEFAULT_THRESHOLD],
    ['金與正', 'Kim Yo Jong', DEFAULT_THRESHOLD],
    ['李明博', 'Lee Myung-bak', DEFAULT_THRESHOLD],
    ['李明博', 'Ri Myong Bak', DEFAULT_THRESHOLD],
    ['朴槿惠', 'Park Geun-hye', DEFAULT_THRESHOLD],
    ['崔龍海', 'Choe Ryong Hae', DEFAULT_THRESHOLD],
    ['崔龍海', 'Choi Yong-hae', DEFAULT_THRESHOLD],
    ['山田太郎', 'Yamada Taro', DEFAULT_THRESHOLD],
    ['田中花子', 'Tanaka Hanako', DEFAULT_THRESHOLD],
    ['安倍晋三', 'Shinzo Abe', DEFAULT_THRESHOLD],
    ['山田 はなこ', 'YAMADA Hanako', DEFAULT_THRESHOLD],
    // the pinyin reading still counts
    ['习近平', 'Xi Jinping', DEFAULT_THRESHOLD],
    ['李明', 'Li Ming', DEFAULT_THRESHOLD],
    ['王伟', 'Wang Wei', DEFAULT_THRESHOLD],
    ['金正恩', 'Jin Zhengen', DEFAULT_THRESHOLD],
    // Cantonese, as Hong Kong romanises names (WONG ↔ HUANG)
    ['黄志强', 'Wong Chi Keung', DEFAULT_THRESHOLD],
    ['黃志強', 'WONG Chi-keung', DEFAULT_THRESHOLD],
    ['李嘉誠', 'Lee Ka Shing', DEFAULT_THRESHOLD],
    ['梁振英', 'Leung Chun Ying', DEFAULT_THRESHOLD],
    ['司徒華', 'Szeto Wah', DEFAULT_THRESHOLD],
    ['黄志强', 'Huang Zhiqiang', DEFAULT_THRESHOLD],
  ];
  for (const [han, latin, min] of MATCHES) {
    test(`${han} ↔ ${latin} ≥ ${min}, and shares a retrieval key`, () => {
      assert.ok(score(han, latin) >= min, `${score(han, latin)}`);
      assert.ok(score(latin, han) >= min, `${score(latin, han)} reversed`);
      assert.ok(sharesKey(han, latin) && sharesKey(latin, han));
    });
  }

  /** [Han name, unrelated name]: below the review threshold. */
  const DIFFERENT: [string, string][] = [
    ['习近平', 'Kim Jong Un'],
    ['习近平', 'Park Geun Hye'],
    ['习近平', 'Lee Myung Bak'],
    ['李明', 'Lee Myung Bak'],
    ['王伟', 'Wang Wi Kim'],
    ['金正恩', 'Park Geun Hye'],
    ['山田太郎', 'Tanaka Hanako'],
    ['山田太郎', 'Tanaka Taro'],
    ['黄志强', 'Wong Chi Ming'],
    ['黄志强', 'Chan Chi Keung'],
  ];
  for (const [han, other] of DIFFERENT) {
    test(`${han} ≠ ${other}`, () => {
      assert.ok(score(han, other) < REVIEW_THRESHOLD, `${score(han, other)}`);
    });
  }

  test('the comparison says which reading matched', () => {
    const c = compareNames(prepareName('金正恩'), prepareName('Kim Jong Un'));
    assert.ok(c.notes.includes('Han name read as korean 김정은'), c.notes.join('; '));
  });

  test('Latin names have no alternative readings', () => {
    assert.equal(prepareName('Kim Jong Un').alternatives.length, 0);
    assert.equal(score('Kim Jong Un', 'Kim Jong Un'), 1);
  });

  test('retrieval keys stay within the cap', () => {
    for (const name of ['金正恩', '山田太郎', '南宮民秀', '李明博'])
      assert.ok(retrievalKeys(prepareName(name)).length <= 12);
  });
});
