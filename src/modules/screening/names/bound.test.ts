import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSignatureBuffer, mayReach, scoreBound, writeSignature } from './bound.js';
import { type NameKind, nameScore, type PreparedName, prepareName } from './index.js';

/** Names of every shape the matcher reads: scripts, orders, initials, legal forms, typos, merges. */
const NAMES = [
  'Abdul Kabir Haqqani',
  'ABDULKABIR HAQANI',
  'HAQQANI, Abdul Kabir',
  'Mohammad Rahimi Nasab',
  'Muhammad Rahimi',
  'Mohamed Lakhal',
  'Muhammad Jamal Abd-al Rahim Ahmad al-Kashif',
  'ABD AL-RAHMAN OULD MUHAMMAD AL-HUSAYN',
  'Abdulrahman Makki',
  'محمد رحیمی',
  'عبد الرحمن مكي',
  'Qasem Soleimani',
  'SOLAIMANI, Qassem',
  'Kim Jong Un',
  'KIM Jong-un',
  '金正恩',
  '김정은',
  'Gim Jeong Eun',
  "CH'OE Ch'un-yo'ng",
  'Choe Chun Yong',
  'Ri Yong Ho',
  '山田太郎',
  'Yamada Taro',
  '习近平',
  'Xi Jinping',
  'Wong Kwok Keung',
  'Huang Kwok Keung',
  'Владимир Путин',
  'ウラジーミル・プーチン',
  'カラシニコフ',
  'Kalashnikov',
  'משה כהן',
  'Moshe Cohen',
  'שמעון פרס',
  'Shimon Peres',
  'דוד לוי',
  'David Levi',
  'Vladimir Putin',
  'Kuzmichev Alexey',
  'KUZMICHYOV, Aleksey',
  'J. R. R. Tolkien',
  'John Ronald Reuel Tolkien',
  'M. D. S. IMPORT EXPORT CO., LTD.',
  'MDS Import Export',
  'Mega Data Systems LLC',
  'Huione Pay PLC',
  'HUIONE PAY',
  'Haowang Guarantee',
  'BELLETECH CORP',
  'Acme Trading Company Limited',
  'ACME TRADING COMAPNY LIMITTED',
  'Bank of Commerce and Industry',
  '140 Repair Plant JSC',
  'Sheikh Hassan Dahir Aweys',
  'Lok Chumteav Dr. Choeung Sopheap',
  'Hieng Sokha',
  'Heang Sok Ha',
  'Catherine Zeta',
  'Kathryn Zeta',
  'Ruben Pestano Lavilla, Jr',
  'Kyle Anne Thompson',
  'Marina Šimić',
  'Omran Sahel',
  'Li',
  'X',
  '',
];

function prepared(kind: NameKind): PreparedName[] {
  return NAMES.map((n) => prepareName(n, kind));
}

function signatureOf(p: PreparedName): { ints: Int32Array; at: number } {
  const buf = createSignatureBuffer();
  const at = writeSignature(buf, p);
  return { ints: buf.ints, at };
}

/** A one-letter typo of every other word (deterministic). */
function typo(name: string, seed: number): string {
  return name
    .split(' ')
    .map((w, i) => (w.length > 3 && (i + seed) % 2 === 0 ? w.slice(0, 2) + w.slice(3) : w))
    .join(' ');
}

describe('scoreBound and mayReach: an upper bound of nameScore', () => {
  for (const kind of ['unknown', 'person', 'organization'] as const) {
    test(`never below the score, for every pair of names (${kind})`, () => {
      const names = [...prepared(kind), ...NAMES.map((n, i) => prepareName(typo(n, i), kind))];
      const sigs = names.map(signatureOf);
      for (let a = 0; a < names.length; a++) {
        for (let b = 0; b < names.length; b++) {
          const q = sigs[a] as { ints: Int32Array; at: number };
          const c = sigs[b] as { ints: Int32Array; at: number };
          const score = nameScore(names[a] as PreparedName, names[b] as PreparedName);
          const bound = scoreBound(q.ints, q.at, c.ints, c.at);
          const pair = `${(names[a] as PreparedName).raw} / ${(names[b] as PreparedName).raw}`;
          assert.ok(bound >= score, `${pair}: bound ${bound} < score ${score}`);
          for (const floor of [score, 0.3, 0.55, 0.7])
            if (score >= floor) assert.ok(mayReach(q.ints, q.at, c.ints, c.at, floor), `${pair} at ${floor}`);
        }
      }
    });
  }

  test('rejects names that have nothing to align', () => {
    const pairs: [string, string][] = [
      ['Kyle Anne Thompson', 'Qasem Soleimani'],
      ['Marina Šimić', 'Haowang Guarantee'],
      ['Vladimir Putin', 'Abdul Kabir Haqqani'],
      ['Xi Jinping', 'Mega Data Systems LLC'],
    ];
    for (const [a, b] of pairs) {
      const q = signatureOf(prepareName(a));
      const c = signatureOf(prepareName(b));
      assert.equal(mayReach(q.ints, q.at, c.ints, c.at, 0.55), false, `${a} / ${b}`);
      assert.ok(scoreBound(q.ints, q.at, c.ints, c.at) < 0.55, `${a} / ${b}`);
    }
  });

  test('rejects a name sharing only a common given name with a longer one', () => {
    const q = signatureOf(prepareName('Mohammad Rahimi Nasab', 'person'));
    const c = signatureOf(prepareName('Mohammad Omar Abdulrahman Al-Tikriti', 'person'));
    assert.equal(mayReach(q.ints, q.at, c.ints, c.at, 0.6), false);
  });

  test("a Han name's other readings count: 金正恩 may reach Kim Jong Un", () => {
    const han = prepareName('金正恩', 'person');
    const latin = prepareName('Kim Jong Un', 'person');
    const score = nameScore(han, latin);
    assert.ok(score >= 0.85, `score ${score}`);
    const q = signatureOf(han);
    const c = signatureOf(latin);
    assert.ok(mayReach(q.ints, q.at, c.ints, c.at, score));
    assert.ok(mayReach(c.ints, c.at, q.ints, q.at, nameScore(latin, han)));
  });

  test('signatures of many names share one buffer', () => {
    const buf = createSignatureBuffer();
    const names = prepared('unknown');
    const starts = names.map((p) => writeSignature(buf, p));
    const q = signatureOf(prepareName('Abdul Kabir Haqani'));
    const at = starts[0] as number;
    assert.ok(mayReach(q.ints, q.at, buf.ints, at, 0.9));
    assert.equal(
      mayReach(q.ints, q.at, buf.ints, starts[NAMES.indexOf('Vladimir Putin')] as number, 0.55),
      false,
    );
  });
});
