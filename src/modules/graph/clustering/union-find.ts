/**
 * Disjoint sets over dense integer ids, in typed arrays: path halving and union by size (near
 * constant time per operation), plus a circular linked list of each set's members, so a set can be
 * listed in time proportional to its size and reset to singletons (what undoing a merge needs:
 * union-find cannot split, so a set is dissolved and rebuilt from the merges that remain).
 *
 * Memory: 12 bytes per element (parent, size, next), grown by doubling.
 */

/** Union-find with member lists; elements are `0 … count - 1`. */
export class DisjointSets {
  private parent: Int32Array;
  private sizes: Int32Array;
  private next: Int32Array;
  private n = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.parent = new Int32Array(capacity);
    this.sizes = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  /** Number of elements. */
  get count(): number {
    return this.n;
  }

  /** Adds a singleton element and returns its id. */
  add(): number {
    if (this.n === this.parent.length) this.grow();
    const id = this.n++;
    this.parent[id] = id;
    this.sizes[id] = 1;
    this.next[id] = id;
    return id;
  }

  /** The representative of `x`'s set, halving the path on the way. */
  find(x: number): number {
    const parent = this.parent;
    let p = parent[x] as number;
    while (p !== x) {
      const gp = parent[p] as number;
      parent[x] = gp;
      x = p;
      p = parent[x] as number;
    }
    return x;
  }

  /**
   * Joins the sets of `a` and `b`. Returns the surviving root (the other root is absorbed), or -1
   * when they already were one set.
   */
  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return -1;
    const sizes = this.sizes;
    if ((sizes[ra] as number) < (sizes[rb] as number)) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    this.parent[rb] = ra;
    sizes[ra] = (sizes[ra] as number) + (sizes[rb] as number);
    // Splice the two circular member lists into one.
    const next = this.next;
    const t = next[ra] as number;
    next[ra] = next[rb] as number;
    next[rb] = t;
    return ra;
  }

  /** Size of `x`'s set. */
  sizeOf(x: number): number {
    return this.sizes[this.find(x)] as number;
  }

  /** Whether `x` is the representative of its set. */
  isRoot(x: number): boolean {
    return this.parent[x] === x;
  }

  /** Size stored at a root (only meaningful when `isRoot(root)`). */
  rootSize(root: number): number {
    return this.sizes[root] as number;
  }

  /** Every member of `x`'s set (including `x`), in list order; O(size). */
  members(x: number, limit = Number.POSITIVE_INFINITY): number[] {
    const out: number[] = [x];
    const next = this.next;
    for (let m = next[x] as number; m !== x && out.length < limit; m = next[m] as number) out.push(m);
    return out;
  }

  /**
   * Makes every listed element a singleton again. The caller passes whole sets (as `members`
   * returns them); resetting part of a set would corrupt the member lists.
   */
  reset(ids: readonly number[]): void {
    for (const id of ids) {
      this.parent[id] = id;
      this.sizes[id] = 1;
      this.next[id] = id;
    }
  }

  private grow(): void {
    const capacity = this.parent.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.parent = grow(this.parent);
    this.sizes = grow(this.sizes);
    this.next = grow(this.next);
  }
}

/** Maps address keys to dense ids and back, so the sets can live in typed arrays. */
export class KeyInterner {
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];

  /** Number of interned keys. */
  get count(): number {
    return this.keys.length;
  }

  /** The id of `key`, or -1 when it was never interned. */
  idOf(key: string): number {
    return this.ids.get(key) ?? -1;
  }

  /** The id of `key`, interning it (as the next id, so `count` grows) when new. */
  intern(key: string): number {
    const found = this.ids.get(key);
    if (found !== undefined) return found;
    const id = this.keys.length;
    this.ids.set(key, id);
    this.keys.push(key);
    return id;
  }

  /** The key of an id. */
  keyOf(id: number): string {
    const key = this.keys[id];
    if (key === undefined) throw new RangeError(`no key for id ${id}`);
    return key;
  }
}
