/**
 * Follows an EVM node (or TRON's Ethereum-compatible JSON-RPC) over JSON-RPC with viem: reads every
 * confirmed block in order, turns its native value transfers and the ERC-20 `Transfer` logs of the
 * configured tokens into transfers, hands them to a sink block by block, and saves a checkpoint
 * after each batch so a restart resumes where it stopped. Before a batch is accepted its first
 * block's parent hash must be the checkpoint's hash; when it is not, the follower walks back
 * through the recent hashes it kept to the fork point, asks the sink to drop the transfers of the
 * orphaned blocks and reads the new fork. See docs/chain-ingestion.md.
 */

import type { PublicClient } from 'viem';
import { CordonError, invalid } from '../../shared/errors.js';
import type { Chain } from './chains.js';
import type {
  BlockRef,
  CheckpointStore,
  FollowerCheckpoint,
  FollowerLogger,
  FollowerRunResult,
  FollowerToken,
  ReorgReport,
  TransferSink,
} from './follower.js';
import {
  type AddressMapper,
  type BlockHeader,
  blockHeader,
  blockTransfers,
  type DecodeContext,
  defaultAddressMapper,
  ERC20_TRANSFER_TOPIC,
  isFollowableChain,
  type NativeAsset,
  nativeAssetOf,
  type RpcBlock,
  type RpcLog,
  type RpcReceipt,
  smallQuantity,
  tokenTable,
  toQuantity,
  valueTransactionHashes,
} from './follower-decode.js';
import {
  advanceCheckpoint,
  checkChain,
  findCommonAncestor,
  groupLogsByBlock,
  nextRange,
  rewindCheckpoint,
} from './follower-plan.js';

/** The part of a viem client the follower uses: raw JSON-RPC requests. */
export type EvmRpcClient = Pick<PublicClient, 'request'>;

/** How to build an EVM follower. */
export interface EvmFollowerOptions {
  /** JSON-RPC endpoint (http or https); or give `client`. */
  readonly rpcUrl?: string;
  /** A viem client to use instead of `rpcUrl` (its transport decides retries and batching). */
  readonly client?: EvmRpcClient;
  /** Chain id the transfers carry: an EVM chain or `tron` (TRON's Ethereum-compatible JSON-RPC). */
  readonly chain: Chain;
  /** Tokens whose `Transfer` logs are read; others are ignored. */
  readonly tokens: readonly FollowerToken[];
  /** Blocks to stay behind the head (default 12; 19 on TRON, where blocks are final after 19). */
  readonly confirmations?: number;
  /** Blocks read per batch (default 50): one `eth_getLogs` call and one checkpoint save per batch. */
  readonly batchBlocks?: number;
  readonly sink: TransferSink;
  readonly checkpoints: CheckpointStore;
  readonly logger?: FollowerLogger;
  /** First block to read when no checkpoint exists (default: the confirmed head at the first run). */
  readonly startBlock?: number;
  /** Checkpoint key (default: the chain id). Two followers of one chain need two ids. */
  readonly id?: string;
  /** Block hashes kept for reorg walk-back (default 128): the deepest reorg that can be undone. */
  readonly recentBlocks?: number;
  /** Pause between catch-up passes once caught up, for `start()` (default 4000). */
  readonly pollIntervalMs?: number;
  /**
   * Turns a 20-byte hex address into a match key. Default: `evm:0x…` on EVM chains; on `tron`,
   * `tron:T…` (the `0x41` version byte added back, base58check), see `tronAddressKey`.
   */
  readonly addressKey?: AddressMapper;
  /** The native coin's transfers: default from the asset registry; `false` skips them. */
  readonly native?: NativeAsset | false;
  /**
   * How receipts of value transactions are fetched: `block` (`eth_getBlockReceipts`, one call per
   * block, the default; falls back to `transaction` when the node lacks the method) or
   * `transaction` (`eth_getTransactionReceipt` per transaction).
   */
  readonly receipts?: 'block' | 'transaction';
}

/** A running follower. */
export interface EvmFollower {
  /** The checkpoint key. */
  readonly id: string;
  /** Catches up to `head − confirmations` once and says what it did (passes never overlap). */
  runOnce(): Promise<FollowerRunResult>;
  /** Polls in the background: a pass, then `pollIntervalMs` of rest (longer after errors). */
  start(): void;
  /** Stops polling; resolves when the pass under way (if any) has finished. */
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 60_000;

const silent: FollowerLogger = { info() {}, warn() {} };

/**
 * Creates a follower of an EVM JSON-RPC node. Nothing is fetched until `runOnce` or `start`.
 *
 * @example
 * const follower = createEvmFollower({
 *   rpcUrl: 'http://127.0.0.1:8545', chain: 'ethereum', confirmations: 12,
 *   tokens: [{ contract: '0xdac17f958d2ee523a2206206994597c13d831ec7', symbol: 'USDT', decimals: 6 }],
 *   sink, checkpoints: createFollowerCheckpointRepository(store.db),
 * });
 * await follower.runOnce();
 */
export function createEvmFollower(options: EvmFollowerOptions): EvmFollower {
  const { chain, sink, checkpoints } = options;
  if (!isFollowableChain(chain)) {
    throw invalid('follower.invalid_chain', `${chain} cannot be followed over Ethereum JSON-RPC`, { chain });
  }
  if (options.client === undefined && options.rpcUrl === undefined) {
    throw invalid('follower.no_rpc', 'give rpcUrl or client');
  }
  const confirmations = wholeNumber(
    options.confirmations ?? (chain === 'tron' ? 19 : 12),
    'confirmations',
    0,
  );
  const batchBlocks = wholeNumber(options.batchBlocks ?? 50, 'batchBlocks', 1);
  const keep = wholeNumber(options.recentBlocks ?? 128, 'recentBlocks', 1);
  const pollIntervalMs = wholeNumber(options.pollIntervalMs ?? 4000, 'pollIntervalMs', 1);
  const startBlock =
    options.startBlock === undefined ? undefined : wholeNumber(options.startBlock, 'startBlock', 0);
  const id = options.id ?? chain;
  const logger = options.logger ?? silent;
  const tokens = tokenTable(chain, options.tokens);
  const ctx: DecodeContext = {
    chain,
    tokens,
    native: options.native === false ? undefined : (options.native ?? nativeAssetOf(chain)),
    addressKey: options.addressKey ?? defaultAddressMapper(chain),
  };
  let receiptMode = options.receipts ?? 'block';

  let client: EvmRpcClient | undefined = options.client;
  async function rpc(): Promise<EvmRpcClient> {
    if (client === undefined) {
      // Loaded on first use, so importing the chains module does not load viem.
      const { createPublicClient, http } = await import('viem');
      client = createPublicClient({
        transport: http(options.rpcUrl, { batch: { batchSize: 25 }, retryCount: 3, timeout: 30_000 }),
      });
    }
    return client;
  }

  let checkpoint: FollowerCheckpoint | undefined;
  let loaded = false;

  async function getBlock(c: EvmRpcClient, n: number): Promise<RpcBlock | null> {
    return (await c.request({
      method: 'eth_getBlockByNumber',
      params: [toQuantity(n) as `0x${string}`, true],
    })) as RpcBlock | null;
  }

  async function hashAt(c: EvmRpcClient, n: number): Promise<string | undefined> {
    const b = await c.request({
      method: 'eth_getBlockByNumber',
      params: [toQuantity(n) as `0x${string}`, false],
    });
    return b?.hash ?? undefined;
  }

  /** Receipts of the value transactions of one block, or undefined when they are from another fork. */
  async function receiptsOf(
    c: EvmRpcClient,
    header: BlockHeader,
    hashes: readonly string[],
  ): Promise<Map<string, RpcReceipt> | undefined> {
    const out = new Map<string, RpcReceipt>();
    if (hashes.length === 0) return out;
    let list: readonly RpcReceipt[] | undefined;
    if (receiptMode === 'block') {
      try {
        list =
          ((await c.request({
            method: 'eth_getBlockReceipts',
            params: [header.hash as `0x${string}`],
          })) as RpcReceipt[] | null) ?? undefined;
      } catch (e) {
        if (!isMethodMissing(e)) throw e;
        receiptMode = 'transaction';
        logger.warn({ follower: id }, 'node lacks eth_getBlockReceipts; fetching receipts per transaction');
      }
    }
    if (list === undefined) {
      const got = await Promise.all(
        hashes.map(
          (h) =>
            c.request({
              method: 'eth_getTransactionReceipt',
              params: [h as `0x${string}`],
            }) as Promise<RpcReceipt | null>,
        ),
      );
      list = got.filter((r): r is RpcReceipt => r !== null);
    }
    for (const r of list) {
      if (typeof r.blockHash === 'string' && r.blockHash.toLowerCase() !== header.hash) return undefined;
      out.set(r.transactionHash.toLowerCase(), r);
    }
    for (const h of hashes) if (!out.has(h)) return undefined;
    return out;
  }

  /**
   * Walks back to the fork point, has the sink drop the orphaned blocks and rewinds the
   * checkpoint; undefined when the node still has the checkpoint block (its answers disagreed).
   */
  async function revertTo(c: EvmRpcClient, cp: FollowerCheckpoint): Promise<ReorgReport | undefined> {
    const ancestor = await findCommonAncestor(cp.recent, (n) => hashAt(c, n));
    if (ancestor !== undefined && ancestor.number === cp.number) return undefined;
    if (ancestor === undefined) {
      throw new CordonError(
        'conflict',
        'follower.reorg_too_deep',
        `reorg deeper than the ${cp.recent.length} block hashes kept (checkpoint ${cp.number}); reset the follower's checkpoint`,
        { follower: id, checkpoint: cp.number, oldestKept: cp.recent[0]?.number },
      );
    }
    const orphanedHead: BlockRef = { number: cp.number, hash: cp.hash };
    let reverted = false;
    if (sink.revert !== undefined) {
      await sink.revert(ancestor.number + 1);
      reverted = true;
    } else {
      logger.warn(
        { follower: id, fromBlock: ancestor.number + 1 },
        'reorg: the sink cannot revert, transfers of orphaned blocks stay',
      );
    }
    checkpoint = rewindCheckpoint(cp, ancestor);
    await checkpoints.save(id, checkpoint);
    const report: ReorgReport = {
      orphanedHead,
      commonAncestor: ancestor,
      depth: orphanedHead.number - ancestor.number,
      reverted,
    };
    logger.warn({ follower: id, ...report }, 'reorg: resuming above the common ancestor');
    return report;
  }

  async function pass(): Promise<FollowerRunResult> {
    const c = await rpc();
    if (!loaded) {
      checkpoint = await checkpoints.load(id);
      loaded = true;
    }
    const head = smallQuantity(await c.request({ method: 'eth_blockNumber' }), 'eth_blockNumber');
    const confirmedHead = head - confirmations;
    let next = checkpoint !== undefined ? checkpoint.number + 1 : (startBlock ?? Math.max(confirmedHead, 0));
    let fromBlock: number | undefined;
    let toBlock: number | undefined;
    let blocks = 0;
    let transfers = 0;
    let retryLater = false;
    const reorgs: ReorgReport[] = [];

    for (;;) {
      const range = nextRange(next, confirmedHead, batchBlocks);
      if (range === undefined) break;
      const heights = Array.from({ length: range.to - range.from + 1 }, (_, i) => range.from + i);
      const raw = await Promise.all(heights.map((n) => getBlock(c, n)));
      if (raw.some((b) => b === null)) {
        retryLater = true; // the node has not got every block it reported (load balancer lag)
        break;
      }
      const rawBlocks = raw as RpcBlock[];
      const headers = rawBlocks.map(blockHeader);
      const check = checkChain(checkpoint, headers);
      if (!check.ok && check.kind === 'fork' && checkpoint !== undefined) {
        const report = await revertTo(c, checkpoint);
        if (report !== undefined) {
          reorgs.push(report);
          next = report.commonAncestor.number + 1;
          continue;
        }
      }
      if (!check.ok) {
        const reason = check.kind === 'fork' ? 'parent hash and block hash disagree' : check.reason;
        logger.warn({ follower: id, range, reason }, 'blocks changed while read; retrying later');
        retryLater = true;
        break;
      }
      const logs =
        tokens.size === 0
          ? []
          : ((await c.request({
              method: 'eth_getLogs',
              params: [
                {
                  address: [...tokens.keys()] as `0x${string}`[],
                  topics: [ERC20_TRANSFER_TOPIC as `0x${string}`],
                  fromBlock: toQuantity(range.from) as `0x${string}`,
                  toBlock: toQuantity(range.to) as `0x${string}`,
                },
              ],
            })) as RpcLog[]);
      const grouped = groupLogsByBlock(logs, headers);
      if (!grouped.ok) {
        logger.warn(
          { follower: id, range, reason: grouped.reason },
          'logs from another fork; retrying later',
        );
        retryLater = true;
        break;
      }
      const receipts = await Promise.all(
        rawBlocks.map((b, i) => receiptsOf(c, headers[i] as BlockHeader, valueTransactionHashes(b))),
      );
      if (receipts.some((r) => r === undefined)) {
        logger.warn({ follower: id, range }, 'receipts from another fork; retrying later');
        retryLater = true;
        break;
      }
      for (let i = 0; i < rawBlocks.length; i++) {
        const header = headers[i] as BlockHeader;
        const got = blockTransfers(
          rawBlocks[i] as RpcBlock,
          grouped.byBlock.get(header.number) ?? [],
          receipts[i] as Map<string, RpcReceipt>,
          ctx,
        );
        if (got.transfers.length > 0) {
          await sink.add(got.transfers, { number: header.number, hash: header.hash });
          transfers += got.transfers.length;
        }
      }
      checkpoint = advanceCheckpoint(checkpoint, headers, keep);
      await checkpoints.save(id, checkpoint);
      fromBlock ??= range.from;
      toBlock = range.to;
      blocks += headers.length;
      next = range.to + 1;
    }

    if (transfers > 0 || reorgs.length > 0) {
      logger.info({ follower: id, fromBlock, toBlock, blocks, transfers, head }, 'follower caught up');
    }
    const result: FollowerRunResult = {
      head,
      confirmedHead,
      blocks,
      transfers,
      reorgs,
      retryLater,
      ...(fromBlock === undefined ? {} : { fromBlock }),
      ...(toBlock === undefined ? {} : { toBlock }),
      ...(checkpoint === undefined
        ? {}
        : { checkpoint: { number: checkpoint.number, hash: checkpoint.hash } }),
    };
    return result;
  }

  let queue: Promise<unknown> = Promise.resolve();
  function runOnce(): Promise<FollowerRunResult> {
    const run = queue.then(pass, pass);
    queue = run.catch(() => {});
    return run;
  }

  let polling = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function rest(ms: number): Promise<void> {
    return new Promise((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  }

  return {
    id,
    runOnce,
    start() {
      if (polling) return;
      polling = true;
      loop = (async () => {
        let failures = 0;
        while (polling) {
          try {
            await runOnce();
            failures = 0;
          } catch (e) {
            failures++;
            logger.warn(
              { follower: id, failures, err: e instanceof Error ? e.message : String(e) },
              'follower pass failed; retrying',
            );
          }
          if (!polling) break;
          await rest(Math.min(MAX_BACKOFF_MS, pollIntervalMs * 2 ** Math.min(failures, 10)));
        }
      })();
    },
    async stop() {
      polling = false;
      if (timer !== undefined) clearTimeout(timer);
      wake?.();
      await loop;
      loop = undefined;
    },
  };
}

function wholeNumber(value: number, field: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw invalid('follower.invalid_option', `${field} must be a whole number ≥ ${min}`, { field, value });
  }
  return value;
}

/** Whether a JSON-RPC error says the method does not exist (-32601) or is not supported (-32004). */
function isMethodMissing(e: unknown): boolean {
  for (
    let cur: unknown = e;
    typeof cur === 'object' && cur !== null;
    cur = (cur as { cause?: unknown }).cause
  ) {
    const code = (cur as { code?: unknown }).code;
    if (code === -32601 || code === -32004) return true;
  }
  return false;
}
