/**
 * The merge log in columns: per merge its heuristic, status, time (and a common-input merge's whole
 * detail) in typed arrays, its address
 * ids in one shared pool, and per address a linked list of the merges that touch it (the merge
 * graph, walked by undo and by the evidence search). About 30 bytes per merge plus 12 per merged
 * address occurrence, besides the tx string and the detail object.
 */

import type { CommonInputDetail, MergeDetail, MergeEvidence, MergeHeuristic, UndoInfo } from './model.js';

const HEURISTIC_CODES: readonly MergeHeuristic[] = ['common-input', 'deposit-reuse', 'manual'];
const CODE_OF: Readonly<Record<MergeHeuristic, number>> = {
  'common-input': 0,
  'deposit-reuse': 1,
  manual: 2,
};

/** A merge to append; ids are the log's to give. */
export interface NewMerge {
  readonly heuristic: MergeHeuristic;
  readonly tx: string;
  /** Interned address ids, distinct, at least two. */
  readonly addressIds: readonly number[];
  readonly timestamp: number;
  readonly detail: MergeDetail;
}

function grown<T extends Int32Array | Uint8Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let capacity = a.length * 2;
  while (capacity < need) capacity *= 2;
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

/** Append-only merge storage with per-address incidence lists; merges are only ever marked undone. */
export class MergeLog {
  private ids = new Int32Array(1024);
  private heuristic = new Uint8Array(1024);
  private undone = new Uint8Array(1024);
  private time = new Float64Array(1024);
  /** Common-input details packed as numbers (inputs, outputs), so a merge allocates no object. */
  private aux0 = new Int32Array(1024);
  private aux1 = new Int32Array(1024);
  private aux2 = new Int32Array(1024);
  private readonly chains: string[] = [];
  private readonly chainCodes = new Map<string, number>();
  private start = new Int32Array(1025);
  private pool = new Int32Array(4096);
  private incMerge = new Int32Array(4096);
  private incNext = new Int32Array(4096);
  private head = new Int32Array(1024).fill(-1);
  private readonly txs: string[] = [];
  private readonly details: (MergeDetail | undefined)[] = [];
  private readonly undoInfo = new Map<number, UndoInfo>();
  private n = 0;
  private poolUsed = 0;
  private headCount = 0;
  private activeCount = 0;
  private readonly activeBy: Record<MergeHeuristic, number> = {
    'common-input': 0,
    'deposit-reuse': 0,
    manual: 0,
  };

  /** Number of merges ever logged (active and undone). */
  get count(): number {
    return this.n;
  }

  /** Merges still in force. */
  get active(): number {
    return this.activeCount;
  }

  /** Active merges per heuristic. */
  activeByHeuristic(): Record<MergeHeuristic, number> {
    return { ...this.activeBy };
  }

  /** The id the next merge gets (ids increase; a restored log may have gaps). */
  nextId(): number {
    return this.n === 0 ? 1 : (this.ids[this.n - 1] as number) + 1;
  }

  /** Appends a merge and returns its index in the log; `id` defaults to `nextId()`. */
  append(m: NewMerge, id = this.nextId()): number {
    if (id < this.nextId()) throw new RangeError(`merge id ${id} is not above ${this.nextId() - 1}`);
    const i = this.n++;
    this.ids = grown(this.ids, this.n);
    this.heuristic = grown(this.heuristic, this.n);
    this.undone = grown(this.undone, this.n);
    this.time = grown(this.time, this.n);
    this.aux0 = grown(this.aux0, this.n);
    this.aux1 = grown(this.aux1, this.n);
    this.aux2 = grown(this.aux2, this.n);
    this.start = grown(this.start, this.n + 1);
    this.ids[i] = id;
    this.heuristic[i] = CODE_OF[m.heuristic];
    this.undone[i] = 0;
    this.time[i] = m.timestamp;
    this.txs.push(m.tx);
    if (m.heuristic === 'common-input') {
      const d = m.detail as CommonInputDetail;
      this.aux0[i] = d.inputs;
      this.aux1[i] = d.outputs;
      let code = this.chainCodes.get(d.chain);
      if (code === undefined) {
        code = this.chains.length;
        this.chains.push(d.chain);
        this.chainCodes.set(d.chain, code);
      }
      this.aux2[i] = code;
      this.details.push(undefined);
    } else {
      this.details.push(m.detail);
    }
    const need = this.poolUsed + m.addressIds.length;
    this.pool = grown(this.pool, need);
    this.incMerge = grown(this.incMerge, need);
    this.incNext = grown(this.incNext, need);
    this.start[i] = this.poolUsed;
    for (const a of m.addressIds) {
      this.ensureHead(a);
      const slot = this.poolUsed++;
      this.pool[slot] = a;
      this.incMerge[slot] = i;
      this.incNext[slot] = this.head[a] as number;
      this.head[a] = slot;
    }
    this.start[i + 1] = this.poolUsed;
    this.activeCount++;
    this.activeBy[m.heuristic]++;
    return i;
  }

  /** Index of a merge id, or -1 (binary search: ids increase with the index). */
  indexOf(id: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid] as number;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Whether the merge at `index` is still in force. */
  isActive(index: number): boolean {
    return this.undone[index] === 0;
  }

  /** Heuristic of the merge at `index`. */
  heuristicAt(index: number): MergeHeuristic {
    return HEURISTIC_CODES[this.heuristic[index] as number] as MergeHeuristic;
  }

  /** Marks the merge at `index` undone. */
  markUndone(index: number, info: UndoInfo): void {
    if (this.undone[index] === 1) return;
    this.undone[index] = 1;
    this.undoInfo.set(index, info);
    this.activeCount--;
    this.activeBy[this.heuristicAt(index)]--;
  }

  /** Address ids of the merge at `index` (a copy). */
  addressIdsAt(index: number): number[] {
    const out: number[] = [];
    for (let s = this.start[index] as number, end = this.start[index + 1] as number; s < end; s++) {
      out.push(this.pool[s] as number);
    }
    return out;
  }

  /** First pool slot of the merge at `index`: its addresses are `addressAt(slot)` up to `endSlot`. */
  firstSlot(index: number): number {
    return this.start[index] as number;
  }

  /** One past the last pool slot of the merge at `index`. */
  endSlot(index: number): number {
    return this.start[index + 1] as number;
  }

  /** The address id in a pool slot. */
  addressAt(slot: number): number {
    return this.pool[slot] as number;
  }

  /** Calls `f` with the index of every merge touching address `a` (newest first). */
  forEachIncident(a: number, f: (index: number) => void): void {
    if (a >= this.headCount) return;
    for (let slot = this.head[a] as number; slot !== -1; slot = this.incNext[slot] as number) {
      f(this.incMerge[slot] as number);
    }
  }

  /** First incidence slot of address `a` (its newest merge), or -1; walk with `nextIncidence`. */
  firstIncidence(a: number): number {
    return a < this.headCount ? (this.head[a] as number) : -1;
  }

  /** The incidence after `slot` (an older merge of the same address), or -1. */
  nextIncidence(slot: number): number {
    return this.incNext[slot] as number;
  }

  /** The merge index of an incidence slot. */
  incidenceMerge(slot: number): number {
    return this.incMerge[slot] as number;
  }

  /** The merge at `index` as evidence, address ids turned to keys by `keyOf`. */
  evidenceAt(index: number, keyOf: (id: number) => string): MergeEvidence {
    const undone = this.undoInfo.get(index);
    const base = {
      id: this.ids[index] as number,
      heuristic: this.heuristicAt(index),
      tx: this.txs[index] as string,
      addresses: this.addressIdsAt(index).map(keyOf),
      timestamp: this.time[index] as number,
      status: undone === undefined ? 'active' : 'undone',
      detail: this.detailAt(index),
    };
    return (undone === undefined ? base : { ...base, undone }) as MergeEvidence;
  }

  /** The evidence tx of the merge at `index`. */
  txAt(index: number): string {
    return this.txs[index] as string;
  }

  /** The detail of the merge at `index`. */
  detailAt(index: number): MergeDetail {
    const d = this.details[index];
    if (d !== undefined) return d;
    const distinctInputs = (this.start[index + 1] as number) - (this.start[index] as number);
    return {
      chain: this.chains[this.aux2[index] as number] as string,
      inputs: this.aux0[index] as number,
      distinctInputs,
      outputs: this.aux1[index] as number,
    };
  }

  private ensureHead(a: number): void {
    if (a < this.headCount) return;
    const before = this.head.length;
    this.head = grown(this.head, a + 1);
    if (this.head.length > before) this.head.fill(-1, before);
    this.headCount = a + 1;
  }
}
