/**
 * The ports of a chain follower: where the transfers it reads go (the sink), where it remembers how
 * far it got (the checkpoint store), and what it reports. A follower reads confirmed blocks in
 * order, hands each block's transfers to the sink, then saves its checkpoint; after a reorg it asks
 * the sink to drop what it had from the orphaned blocks and reads the new ones.
 *
 * Delivery is at least once: a crash between `sink.add` and `checkpoints.save` replays those
 * blocks after a restart. Transfer ids are stable (`<tx>:native`, `<tx>:<logIndex>`), so a sink
 * that ignores ids it already holds sees every transfer exactly once.
 */

import type { Transfer } from '../graph/index.js';

/** A block by height and hash (`0x…`, lower case). */
export interface BlockRef {
  readonly number: number;
  readonly hash: string;
}

/**
 * Where a follower stands: the last block it fully handed to the sink, plus the hashes of the
 * blocks before it (ascending, ending with that block) so a reorg can be walked back to the fork.
 */
export interface FollowerCheckpoint extends BlockRef {
  readonly recent: readonly BlockRef[];
}

/** Persists follower checkpoints so a restart resumes where the follower stopped. */
export interface CheckpointStore {
  /** The checkpoint saved last for this follower, or undefined when it never ran. */
  load(followerId: string): Promise<FollowerCheckpoint | undefined>;
  /** Replaces the follower's checkpoint (head and recent hashes) with this one. */
  save(followerId: string, checkpoint: FollowerCheckpoint): Promise<void>;
}

/** Receives the transfers of confirmed blocks, block by block, in chain order. */
export interface TransferSink {
  /** The transfers of one block (never empty); ids may repeat after a crash (see above). */
  add(transfers: Transfer[], block: BlockRef): Promise<void>;
  /**
   * Drops every transfer that came from a block at or above `fromBlock`: those blocks were
   * orphaned by a reorg. A sink without it keeps orphaned transfers (the follower logs a warning).
   */
  revert?(fromBlock: number): Promise<unknown>;
}

/** The logging a follower needs (a pino logger fits). */
export interface FollowerLogger {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
}

/** A token whose transfers a follower reads. */
export interface FollowerToken {
  /** Contract address: `0x…` on EVM chains; base58 `T…`, `41…` or `0x41…` (or `0x` + 20 bytes) on TRON. */
  readonly contract: string;
  /** Asset symbol the transfers carry (`USDT`). */
  readonly symbol: string;
  /** Decimals of the token's base unit. */
  readonly decimals: number;
}

/** A reorg the follower met and what it did about it. */
export interface ReorgReport {
  /** The checkpoint block whose hash the chain no longer has. */
  readonly orphanedHead: BlockRef;
  /** Highest block both forks share; ingestion resumed above it. */
  readonly commonAncestor: BlockRef;
  /** Blocks dropped: `orphanedHead.number − commonAncestor.number`. */
  readonly depth: number;
  /** Whether the sink was asked to drop the orphaned blocks' transfers. */
  readonly reverted: boolean;
}

/** What one catch-up pass did. */
export interface FollowerRunResult {
  /** The node's newest block. */
  readonly head: number;
  /** `head − confirmations`: the newest block the follower may read. */
  readonly confirmedHead: number;
  /** First and last block read in this pass, when any was. */
  readonly fromBlock?: number;
  readonly toBlock?: number;
  /** Blocks read and transfers handed to the sink. */
  readonly blocks: number;
  readonly transfers: number;
  /** Reorgs met (and handled) during the pass. */
  readonly reorgs: readonly ReorgReport[];
  /** Whether the pass stopped early because the node's answers disagreed (a reorg under way). */
  readonly retryLater: boolean;
  /** The checkpoint after the pass. */
  readonly checkpoint?: BlockRef;
}
