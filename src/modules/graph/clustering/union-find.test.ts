import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DisjointSets, KeyInterner } from './union-find.js';

/** The partition as sorted groups, for comparison with a hand-computed answer. */
function partition(ds: DisjointSets): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < ds.count; i++) {
    const r = ds.find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
}

const cases: { name: string; n: number; unions: [number, number][]; expected: number[][] }[] = [
  { name: 'no unions: singletons', n: 3, unions: [], expected: [[0], [1], [2]] },
  {
    name: 'a chain joins transitively',
    n: 4,
    unions: [
      [0, 1],
      [1, 2],
      [2, 3],
    ],
    expected: [[0, 1, 2, 3]],
  },
  {
    name: 'two groups stay apart',
    n: 5,
    unions: [
      [0, 2],
      [1, 3],
      [3, 4],
    ],
    expected: [
      [0, 2],
      [1, 3, 4],
    ],
  },
  {
    name: 'repeated and self unions change nothing',
    n: 3,
    unions: [
      [0, 1],
      [1, 0],
      [2, 2],
    ],
    expected: [[0, 1], [2]],
  },
];

for (const c of cases) {
  test(`DisjointSets: ${c.name}`, () => {
    const ds = new DisjointSets(2);
    for (let i = 0; i < c.n; i++) assert.equal(ds.add(), i);
    for (const [a, b] of c.unions) ds.union(a, b);
    assert.deepEqual(partition(ds), c.expected);
    for (const g of c.expected) {
      for (const m of g) {
        assert.equal(ds.sizeOf(m), g.length);
        assert.deepEqual(
          [...ds.members(m)].sort((a, b) => a - b),
          g,
          `members of ${m}`,
        );
      }
    }
  });
}

test('DisjointSets: union returns the root only when sets change; members honours a limit', () => {
  const ds = new DisjointSets();
  for (let i = 0; i < 4; i++) ds.add();
  assert.ok(ds.union(0, 1) >= 0);
  assert.equal(ds.union(1, 0), -1);
  ds.union(2, 3);
  const r = ds.union(0, 3);
  assert.ok(ds.isRoot(r));
  assert.equal(ds.find(0), r);
  assert.equal(ds.find(2), r);
  assert.equal(ds.rootSize(r), 4);
  assert.equal(ds.members(2, 2).length, 2);
});

test('DisjointSets: reset dissolves a whole set back into singletons', () => {
  const ds = new DisjointSets();
  for (let i = 0; i < 5; i++) ds.add();
  ds.union(0, 1);
  ds.union(1, 2);
  ds.union(3, 4);
  ds.reset(ds.members(0));
  assert.deepEqual(partition(ds), [[0], [1], [2], [3, 4]]);
  assert.deepEqual(ds.members(4).sort(), [3, 4]);
});

test('DisjointSets: agrees with a naive labelling on 20 000 random unions (growth included)', () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const n = 5000;
  const ds = new DisjointSets(16);
  const label = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) ds.add();
  for (let k = 0; k < 20_000; k++) {
    const a = rand(n);
    const b = rand(n);
    ds.union(a, b);
    const la = label[a] as number;
    const lb = label[b] as number;
    if (la !== lb) for (let i = 0; i < n; i++) if (label[i] === lb) label[i] = la;
    if (k % 2000 === 0) {
      const x = rand(n);
      const y = rand(n);
      assert.equal(ds.find(x) === ds.find(y), label[x] === label[y]);
    }
  }
  for (let i = 0; i < n; i += 37) {
    const expected = label.filter((l) => l === label[i]).length;
    assert.equal(ds.sizeOf(i), expected);
    assert.equal(ds.members(i).length, expected);
  }
});

test('KeyInterner: ids are dense, stable and reversible', () => {
  const k = new KeyInterner();
  assert.equal(k.intern('bitcoin:1A'), 0);
  assert.equal(k.intern('bitcoin:1B'), 1);
  assert.equal(k.intern('bitcoin:1A'), 0);
  assert.equal(k.idOf('bitcoin:1B'), 1);
  assert.equal(k.idOf('bitcoin:1C'), -1);
  assert.equal(k.keyOf(1), 'bitcoin:1B');
  assert.equal(k.count, 2);
  assert.throws(() => k.keyOf(5), RangeError);
});
