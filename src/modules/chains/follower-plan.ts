/**
 * The decisions of a chain follower, apart from the fetching: which blocks to read next, whether a
 * batch of blocks chains onto the checkpoint (or a reorg happened, or the node changed its mind
 * between two calls), how the checkpoint moves forward, and where a reorg's fork point is.
 */

import type { BlockRef, FollowerCheckpoint } from './follower.js';
import type { BlockHeader, RpcLog } from './follower-decode.js';

/** An inclusive range of block heights. */
export interface BlockRange {
  readonly from: number;
  readonly to: number;
}

/**
 * The next range to read: from `next` to at most `target` (the confirmed head), no longer than
 * `batchBlocks`; undefined when `next` is past `target` (caught up).
 *
 * @example nextRange(10, 100, 25) // { from: 10, to: 34 }
 */
export function nextRange(next: number, target: number, batchBlocks: number): BlockRange | undefined {
  if (next > target) return undefined;
  return { from: next, to: Math.min(target, next + Math.max(1, Math.floor(batchBlocks)) - 1) };
}

/** Whether a batch of headers continues the checkpoint. */
export type ChainCheck =
  | { readonly ok: true }
  /** The first block's parent is not the checkpoint block: the checkpoint was orphaned. */
  | { readonly ok: false; readonly kind: 'fork' }
  /** The batch does not hang together (the node switched forks while it was read): read it again. */
  | { readonly ok: false; readonly kind: 'inconsistent'; readonly reason: string };

/**
 * Checks that `headers` are consecutive, each the parent of the next, and that the first one's
 * parent is the checkpoint block. Without a checkpoint (the first batch ever) the first parent is
 * taken on trust.
 */
export function checkChain(checkpoint: BlockRef | undefined, headers: readonly BlockHeader[]): ChainCheck {
  const first = headers[0];
  if (first === undefined) return { ok: false, kind: 'inconsistent', reason: 'no blocks' };
  if (checkpoint !== undefined) {
    if (first.number !== checkpoint.number + 1) {
      return {
        ok: false,
        kind: 'inconsistent',
        reason: `block ${first.number} does not follow checkpoint ${checkpoint.number}`,
      };
    }
    if (first.parentHash !== checkpoint.hash) return { ok: false, kind: 'fork' };
  }
  for (let i = 1; i < headers.length; i++) {
    const prev = headers[i - 1] as BlockHeader;
    const cur = headers[i] as BlockHeader;
    if (cur.number !== prev.number + 1 || cur.parentHash !== prev.hash) {
      return {
        ok: false,
        kind: 'inconsistent',
        reason: `block ${cur.number} is not the child of block ${prev.number} as read`,
      };
    }
  }
  return { ok: true };
}

/** The logs of a range grouped by block height, or why they do not belong to the blocks read. */
export type GroupedLogs =
  | { readonly ok: true; readonly byBlock: ReadonlyMap<number, RpcLog[]> }
  | { readonly ok: false; readonly reason: string };

/**
 * Groups `eth_getLogs` results by block, checking each log's block hash against the block read at
 * that height: a mismatch means the logs came from another fork than the blocks.
 */
export function groupLogsByBlock(logs: readonly RpcLog[], headers: readonly BlockHeader[]): GroupedLogs {
  const hashes = new Map(headers.map((h) => [h.number, h.hash]));
  const byBlock = new Map<number, RpcLog[]>();
  for (const log of logs) {
    if (log.removed === true) continue;
    const n = log.blockNumber === null ? Number.NaN : Number(log.blockNumber);
    const expected = hashes.get(n);
    if (expected === undefined) {
      return { ok: false, reason: `log from block ${String(log.blockNumber)} outside the range read` };
    }
    if (log.blockHash?.toLowerCase() !== expected) {
      return { ok: false, reason: `log of block ${n} carries another block hash than the block read` };
    }
    const list = byBlock.get(n);
    if (list === undefined) byBlock.set(n, [log]);
    else list.push(log);
  }
  return { ok: true, byBlock };
}

/**
 * The checkpoint after `headers` (consecutive, checked with `checkChain`) were handed to the sink:
 * the last of them, with the hashes of the last `keep` blocks.
 */
export function advanceCheckpoint(
  checkpoint: FollowerCheckpoint | undefined,
  headers: readonly BlockHeader[],
  keep: number,
): FollowerCheckpoint {
  const last = headers[headers.length - 1];
  if (last === undefined) {
    if (checkpoint === undefined) throw new RangeError('advanceCheckpoint: nothing to advance to');
    return checkpoint;
  }
  const recent = [
    ...(checkpoint?.recent ?? []),
    ...headers.map((h) => ({ number: h.number, hash: h.hash })),
  ].slice(-Math.max(1, keep));
  return { number: last.number, hash: last.hash, recent };
}

/** The checkpoint moved back to `ancestor` (a block of its recent list), forgetting what was above. */
export function rewindCheckpoint(checkpoint: FollowerCheckpoint, ancestor: BlockRef): FollowerCheckpoint {
  return {
    number: ancestor.number,
    hash: ancestor.hash,
    recent: checkpoint.recent.filter((b) => b.number <= ancestor.number),
  };
}

/**
 * The newest block of `recent` that the node still has at the same height with the same hash: the
 * fork point of a reorg. `hashAt` asks the node for its hash at a height (undefined when it has no
 * block there). Undefined when none matches: the reorg is deeper than the hashes kept.
 */
export async function findCommonAncestor(
  recent: readonly BlockRef[],
  hashAt: (blockNumber: number) => Promise<string | undefined>,
): Promise<BlockRef | undefined> {
  for (let i = recent.length - 1; i >= 0; i--) {
    const mine = recent[i] as BlockRef;
    const theirs = await hashAt(mine.number);
    if (theirs?.toLowerCase() === mine.hash) return mine;
  }
  return undefined;
}
