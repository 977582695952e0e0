/**
 * The EVM follower against a real node: anvil (the binary shipped in @foundry-rs/anvil) on a free
 * port, a 6-decimal ERC-20 standing in for USDT, native and token transfers sent with viem, then
 * ingested with a confirmation depth, resumed from a checkpoint in a real store, and carried
 * through a reorg made with anvil's snapshot / revert.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type Abi,
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  type Hash,
  http,
  parseEther,
  parseUnits,
} from 'viem';
import { foundry } from 'viem/chains';
import {
  type BlockRef,
  type CheckpointStore,
  createEvmFollower,
  createFollowerCheckpointRepository,
  type FollowerCheckpoint,
  normalizeAddress,
  type TransferSink,
  tronAddressFromHex,
} from '../../src/modules/chains/index.js';
import { createGraphService, openSegmentStore, type Transfer } from '../../src/modules/graph/index.js';
import { runCordon } from '../helpers/cli.js';
import { openTestPglite, type TestStore } from '../helpers/stores.js';

const TESTDATA = new URL('./testdata/', import.meta.url);
const artifact = JSON.parse(readFileSync(new URL('test-token.json', TESTDATA), 'utf8')) as {
  sourceSha256: string;
  abi: Abi;
  bytecode: `0x${string}`;
};

/** The anvil binary of this platform's package (npm did not run the wrapper's postinstall). */
function anvilBinary(): string {
  if (process.env.ANVIL_BIN) return process.env.ANVIL_BIN;
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch[process.arch] ?? process.arch}`;
  const require = createRequire(import.meta.url);
  const manifest = require.resolve(`${pkg}/package.json`);
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: { anvil: string } }).bin.anvil;
  return join(dirname(manifest), bin);
}

/** Starts anvil on a port the OS picks and resolves with its URL once it listens. */
function startAnvil(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(anvilBinary(), ['--port', '0', '--host', '127.0.0.1', '--accounts', '5'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`anvil did not start:\n${out}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Listening on ([\d.]+):(\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining so anvil never blocks on a full pipe
        resolve({ child, url: `http://${m[1]}:${m[2]}` });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`anvil exited with ${code}:\n${out}`));
    });
  });
}

/** What the test sink holds. */
interface MemorySink extends TransferSink {
  readonly byId: Map<string, { transfer: Transfer; block: BlockRef }>;
  readonly duplicates: string[];
  readonly reverts: number[];
}

/** An in-memory sink that records the block of every transfer and every duplicate delivery. */
function memorySink(): MemorySink {
  const byId = new Map<string, { transfer: Transfer; block: BlockRef }>();
  const duplicates: string[] = [];
  const reverts: number[] = [];
  const sink = {
    byId,
    duplicates,
    reverts,
    async add(transfers: Transfer[], block: BlockRef) {
      assert.ok(transfers.length > 0, 'a sink is never handed an empty block');
      for (const t of transfers) {
        if (byId.has(t.id)) duplicates.push(t.id);
        byId.set(t.id, { transfer: t, block });
      }
    },
    async revert(fromBlock: number) {
      reverts.push(fromBlock);
      for (const [id, e] of byId) if (e.block.number >= fromBlock) byId.delete(id);
    },
  };
  return sink;
}

/** A checkpoint store in memory, for the followers that need no database. */
function memoryCheckpoints(): CheckpointStore {
  const saved = new Map<string, FollowerCheckpoint>();
  return {
    async load(id) {
      return saved.get(id);
    },
    async save(id, cp) {
      saved.set(id, cp);
    },
  };
}

const evmKey = (a: Address) => `evm:${a.toLowerCase()}`;
const ZERO = '0x0000000000000000000000000000000000000000' as Address;

describe('EVM follower against anvil', () => {
  let anvil: { child: ChildProcess; url: string };
  let t: TestStore;
  let pub: ReturnType<typeof createPublicClient>;
  let wallet: ReturnType<typeof createWalletClient>;
  let testClient: ReturnType<typeof createTestClient>;
  let accounts: Address[];
  let usdt: Address;
  let other: Address;
  const sink = memorySink();
  /** Every transfer the test expects, with the block it was mined in. */
  const expected = new Map<string, { transfer: Transfer; block: number }>();

  async function receiptOf(hash: Hash) {
    const r = await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    const block = await pub.getBlock({ blockNumber: r.blockNumber });
    return { receipt: r, block: Number(r.blockNumber), timestamp: Number(block.timestamp) };
  }

  /** Sends ETH and records the transfer the follower must produce. */
  async function sendEth(from: Address, to: Address, value: bigint): Promise<string> {
    const hash = await wallet.sendTransaction({ account: from, chain: foundry, to, value });
    const { receipt, block, timestamp } = await receiptOf(hash);
    assert.equal(receipt.status, 'success');
    const id = `${hash}:native`;
    expected.set(id, {
      block,
      transfer: {
        id,
        chain: 'ethereum',
        asset: 'ETH',
        decimals: 18,
        from: evmKey(from),
        to: evmKey(to),
        amountBase: value,
        timestamp,
        tx: hash,
      },
    });
    return id;
  }

  /** Sends test USDT (one recipient, or several in one transaction) and records the transfers. */
  async function sendUsdt(from: Address, legs: [to: Address, amount: bigint][]): Promise<string[]> {
    const hash =
      legs.length === 1
        ? await wallet.writeContract({
            account: from,
            chain: foundry,
            address: usdt,
            abi: artifact.abi,
            functionName: 'transfer',
            args: legs[0],
          })
        : await wallet.writeContract({
            account: from,
            chain: foundry,
            address: usdt,
            abi: artifact.abi,
            functionName: 'transferMany',
            args: [legs.map((l) => l[0]), legs.map((l) => l[1])],
          });
    const { receipt, block, timestamp } = await receiptOf(hash);
    assert.equal(receipt.status, 'success');
    assert.equal(receipt.logs.length, legs.length);
    return legs.map(([to, amountBase], i) => {
      const id = `${hash}:${receipt.logs[i]?.logIndex}`;
      expected.set(id, {
        block,
        transfer: {
          id,
          chain: 'ethereum',
          asset: 'USDT',
          decimals: 6,
          from: evmKey(from),
          to: evmKey(to),
          amountBase,
          timestamp,
          tx: hash,
        },
      });
      return id;
    });
  }

  /** What the sink holds, as comparable rows sorted by id. */
  const held = () =>
    [...sink.byId.values()]
      .map((e) => ({ transfer: e.transfer, block: e.block.number }))
      .sort((a, b) => a.transfer.id.localeCompare(b.transfer.id));
  const want = (ids: Iterable<string>) =>
    [...ids]
      .map((id) => {
        const e = expected.get(id);
        assert.ok(e, id);
        return e;
      })
      .sort((a, b) => a.transfer.id.localeCompare(b.transfer.id));

  const head = async () => Number(await pub.getBlockNumber({ cacheTime: 0 }));
  /** `cordon graph follow --once` of the test token into the store in `dir`, unconfirmed blocks too. */
  const followOnce = (dir: string, startBlock: number) => [
    '--db',
    join(dir, 'store'),
    '--json',
    'graph',
    'follow',
    '--once',
    '--rpc',
    anvil.url,
    '--token',
    `USDT=${usdt}:6`,
    '--confirmations',
    '0',
    '--start-block',
    String(startBlock),
  ];

  before(async () => {
    const src = readFileSync(new URL('TestToken.sol', TESTDATA));
    assert.equal(
      createHash('sha256').update(src).digest('hex'),
      artifact.sourceSha256,
      'TestToken.sol changed: run node --import tsx test/e2e/testdata/build-token.ts',
    );
    anvil = await startAnvil();
    t = await openTestPglite();
    const transport = http(anvil.url);
    pub = createPublicClient({ chain: foundry, transport, pollingInterval: 20 });
    wallet = createWalletClient({ chain: foundry, transport });
    testClient = createTestClient({ chain: foundry, mode: 'anvil', transport });
    accounts = await wallet.getAddresses();
    assert.ok(accounts.length >= 4);
  });

  after(async () => {
    if (anvil !== undefined) {
      const exited = new Promise((resolve) => anvil.child.once('exit', resolve));
      anvil.child.kill('SIGTERM');
      await exited;
    }
    await t?.dispose();
  });

  /** The follower under test: confirmations 2, small batches so several are needed. */
  const follower = (checkpoints: CheckpointStore, over: { startBlock?: number } = {}) =>
    createEvmFollower({
      rpcUrl: anvil.url,
      chain: 'ethereum',
      tokens: [{ contract: usdt, symbol: 'USDT', decimals: 6 }],
      confirmations: 2,
      batchBlocks: 3,
      sink,
      checkpoints,
      ...over,
    });

  let lastIds: string[] = [];
  let firstHead = 0;

  test('ingests every confirmed native and token transfer once, and leaves unconfirmed blocks', async () => {
    const [a, b, c, d] = accounts as [Address, Address, Address, Address];
    const supply = parseUnits('1000000000', 6);

    // The 6-decimal token (its mint from the zero address is a transfer too) and one not configured.
    const deploy = await wallet.deployContract({
      account: a,
      chain: foundry,
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args: ['Test Tether', 'USDT', supply],
    });
    const deployed = await receiptOf(deploy);
    usdt = deployed.receipt.contractAddress as Address;
    const mintId = `${deploy}:0`;
    expected.set(mintId, {
      block: deployed.block,
      transfer: {
        id: mintId,
        chain: 'ethereum',
        asset: 'USDT',
        decimals: 6,
        from: evmKey(ZERO),
        to: evmKey(a),
        amountBase: supply,
        timestamp: deployed.timestamp,
        tx: deploy,
      },
    });
    const otherDeploy = await wallet.deployContract({
      account: a,
      chain: foundry,
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args: ['Other', 'OTH', supply],
    });
    other = (await receiptOf(otherDeploy)).receipt.contractAddress as Address;

    const confirmedIds = [
      mintId,
      await sendEth(a, b, parseEther('1.5')),
      ...(await sendUsdt(a, [[b, parseUnits('1250.5', 6)]])),
      // three logs in one transaction: ids differ only by log index
      ...(await sendUsdt(a, [
        [b, 1n],
        [c, parseUnits('2', 6)],
        [d, parseUnits('42.000001', 6)],
      ])),
      await sendEth(b, c, parseEther('0.25')),
      ...(await sendUsdt(b, [[c, 1n]])),
    ];
    // Not transfers of the follower: a token it was not given, and a reverted transaction with value.
    await wallet.writeContract({
      account: a,
      chain: foundry,
      address: other,
      abi: artifact.abi,
      functionName: 'transfer',
      args: [b, 5n],
    });
    const failed = await wallet.sendTransaction({
      account: a,
      chain: foundry,
      to: usdt,
      value: 1n,
      gas: 100_000n,
    });
    assert.equal((await receiptOf(failed)).receipt.status, 'reverted');

    // The last two land in the newest two blocks: not yet confirmed at depth 2.
    const unconfirmed = [
      await sendEth(a, d, parseEther('7')),
      ...(await sendUsdt(a, [[d, parseUnits('3', 6)]])),
    ];
    firstHead = await head();
    assert.deepEqual(
      unconfirmed.map((id) => expected.get(id)?.block),
      [firstHead - 1, firstHead],
    );

    const repo = createFollowerCheckpointRepository(t.store.db);
    const f = follower(repo, { startBlock: 0 });
    const r = await f.runOnce();
    assert.equal(r.head, firstHead);
    assert.equal(r.confirmedHead, firstHead - 2);
    assert.equal(r.fromBlock, 0);
    assert.equal(r.toBlock, firstHead - 2);
    assert.equal(r.blocks, firstHead - 1);
    assert.equal(r.transfers, confirmedIds.length);
    assert.deepEqual(r.reorgs, []);
    assert.deepEqual(held(), want(confirmedIds));
    for (const id of unconfirmed) assert.equal(sink.byId.has(id), false, `${id} is not confirmed yet`);
    const confirmedHash = (await pub.getBlock({ blockNumber: BigInt(firstHead - 2) })).hash;
    assert.deepEqual(r.checkpoint, { number: firstHead - 2, hash: confirmedHash });
    assert.deepEqual((await repo.load('ethereum'))?.hash, confirmedHash);

    // Two more blocks confirm the last two transfers.
    await testClient.mine({ blocks: 2 });
    const r2 = await f.runOnce();
    assert.equal(r2.fromBlock, firstHead - 1);
    assert.equal(r2.toBlock, firstHead);
    assert.equal(r2.transfers, 2);
    assert.deepEqual(held(), want([...confirmedIds, ...unconfirmed]));

    // Nothing new: nothing read.
    const r3 = await f.runOnce();
    assert.equal(r3.blocks, 0);
    assert.equal(r3.transfers, 0);
    assert.deepEqual(sink.duplicates, []);
    lastIds = [...confirmedIds, ...unconfirmed];
  });

  test('the same chain read as TRON gives tron: keys from the 20-byte hex addresses', async () => {
    const tronSink = memorySink();
    const f = createEvmFollower({
      rpcUrl: anvil.url,
      chain: 'tron',
      id: 'tron-view',
      // the contract given in TRON's base58 form
      tokens: [{ contract: tronAddressFromHex(usdt), symbol: 'USDT', decimals: 6 }],
      native: false,
      confirmations: 2,
      sink: tronSink,
      checkpoints: memoryCheckpoints(),
      startBlock: 0,
    });
    await f.runOnce();
    const tokenTransfers = [...sink.byId.values()].filter((e) => e.transfer.asset === 'USDT');
    assert.equal(tronSink.byId.size, tokenTransfers.length);
    for (const { transfer } of tokenTransfers) {
      const seen = tronSink.byId.get(transfer.id)?.transfer;
      assert.ok(seen, transfer.id);
      for (const side of ['from', 'to'] as const) {
        const hex41 = `41${transfer[side].slice('evm:0x'.length)}`;
        const tron = normalizeAddress(hex41, 'tron');
        assert.ok(tron.ok);
        assert.equal(seen[side], tron.key);
        assert.match(seen[side], /^tron:T[1-9A-HJ-NP-Za-km-z]{33}$/);
      }
      assert.equal(seen.amountBase, transfer.amountBase);
      assert.equal(seen.chain, 'tron');
    }
  });

  test('a restarted follower resumes from the stored checkpoint without duplicates', async () => {
    // A new process: the store is closed and reopened, the follower built anew.
    await t.store.close();
    const store = await t.reopen();
    const repo = createFollowerCheckpointRepository(store.db);
    const saved = await repo.load('ethereum');
    assert.equal(saved?.number, firstHead);
    assert.ok((saved?.recent.length ?? 0) > 0);

    const [a, , c] = accounts as [Address, Address, Address];
    const fresh = await sendUsdt(a, [[c, parseUnits('5', 6)]]);
    await testClient.mine({ blocks: 2 });
    // startBlock is ignored once a checkpoint exists
    const r = await follower(repo, { startBlock: 0 }).runOnce();
    assert.equal(r.fromBlock, firstHead + 1);
    assert.equal(r.transfers, 1);
    assert.deepEqual(sink.duplicates, []);
    lastIds = [...lastIds, ...fresh];
    assert.deepEqual(held(), want(lastIds));
  });

  test('a reorg removes the orphaned transfers and ingests the new fork', async () => {
    const [a, b, c, d] = accounts as [Address, Address, Address, Address];
    const repo = createFollowerCheckpointRepository(t.store.db);
    const shallowCheckpoints = memoryCheckpoints();
    const shallowSink = memorySink();
    // keeps 2 hashes only: the reorg below is deeper than that
    const shallow = createEvmFollower({
      rpcUrl: anvil.url,
      chain: 'ethereum',
      id: 'shallow',
      tokens: [{ contract: usdt, symbol: 'USDT', decimals: 6 }],
      confirmations: 2,
      recentBlocks: 2,
      sink: shallowSink,
      checkpoints: shallowCheckpoints,
    });
    await shallow.runOnce();

    const forkBase = await head();
    const snapshot = await testClient.snapshot();
    const orphaned = [
      ...(await sendUsdt(a, [[b, parseUnits('111', 6)]])),
      await sendEth(a, c, parseEther('0.111')),
    ];
    await testClient.mine({ blocks: 3 });
    const before = await follower(repo).runOnce();
    assert.equal(before.toBlock, forkBase + 3);
    for (const id of orphaned) assert.ok(sink.byId.has(id));
    await shallow.runOnce();
    for (const id of orphaned) assert.ok(shallowSink.byId.has(id));
    const orphanedHead = { number: forkBase + 3, hash: (await repo.load('ethereum'))?.hash };
    const ancestorHash = (await pub.getBlock({ blockNumber: BigInt(forkBase) })).hash;

    // Back to the fork point; different transactions make a longer chain.
    await testClient.revert({ id: snapshot });
    assert.equal(await head(), forkBase);
    const replacing = [
      ...(await sendUsdt(a, [[d, parseUnits('222', 6)]])),
      await sendEth(b, d, parseEther('0.222')),
    ];
    await testClient.mine({ blocks: 4 });

    const r = await follower(repo).runOnce();
    assert.deepEqual(r.reorgs, [
      { orphanedHead, commonAncestor: { number: forkBase, hash: ancestorHash }, depth: 3, reverted: true },
    ]);
    assert.deepEqual(sink.reverts, [forkBase + 1]);
    assert.equal(r.fromBlock, forkBase + 1);
    assert.equal(r.toBlock, forkBase + 4);
    for (const id of orphaned) assert.equal(sink.byId.has(id), false, `${id} was orphaned`);
    lastIds = [...lastIds, ...replacing];
    assert.deepEqual(held(), want(lastIds));
    assert.deepEqual(sink.duplicates, []);

    // The stored window holds only blocks of the surviving chain.
    const saved = await repo.load('ethereum');
    assert.ok(saved);
    assert.equal(saved.number, forkBase + 4);
    for (const b of saved.recent) {
      assert.equal(b.hash, (await pub.getBlock({ blockNumber: BigInt(b.number) })).hash, `block ${b.number}`);
    }

    // A follower that kept too few hashes stops rather than guess.
    await assert.rejects(shallow.runOnce(), { code: 'follower.reorg_too_deep' });
  });

  test('start() polls and picks up new transfers until stop() (receipts fetched per transaction)', async () => {
    const [a, b] = accounts as [Address, Address];
    const pollSink = memorySink();
    const f = createEvmFollower({
      rpcUrl: anvil.url,
      chain: 'ethereum',
      id: 'poller',
      tokens: [{ contract: usdt, symbol: 'USDT', decimals: 6 }],
      confirmations: 1,
      pollIntervalMs: 25,
      receipts: 'transaction',
      sink: pollSink,
      checkpoints: memoryCheckpoints(),
      startBlock: (await head()) + 1,
    });
    f.start();
    const ids = [...(await sendUsdt(a, [[b, 77n]])), await sendEth(b, a, 123n)];
    await testClient.mine({ blocks: 1 });
    const deadline = Date.now() + 10_000;
    while (pollSink.byId.size < ids.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await f.stop();
    assert.deepEqual(
      [...pollSink.byId.values()].map((e) => e.transfer),
      ids.map((id) => expected.get(id)?.transfer),
    );
  });

  test('cordon graph follow --once puts the same transfers into the graph and resumes from its checkpoint', async () => {
    const reference = memorySink();
    await createEvmFollower({
      rpcUrl: anvil.url,
      chain: 'ethereum',
      id: 'reference',
      tokens: [{ contract: usdt, symbol: 'USDT', decimals: 6 }],
      confirmations: 0,
      sink: reference,
      checkpoints: memoryCheckpoints(),
      startBlock: 0,
    }).runOnce();
    const dir = mkdtempSync(join(tmpdir(), 'cordon-follow-'));
    try {
      const args = followOnce(dir, 0);
      const first = await runCordon(args);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(
        (JSON.parse(first.stdout) as { graphTransfers: number }).graphTransfers,
        reference.byId.size,
      );
      const second = await runCordon(args);
      assert.equal(second.code, 0, second.stderr);
      const again = JSON.parse(second.stdout) as { transfers: number; graphTransfers: number };
      assert.deepEqual([again.transfers, again.graphTransfers], [0, reference.byId.size]);
      const bad = await runCordon([
        '--db',
        join(dir, 'store'),
        'graph',
        'follow',
        '--once',
        '--rpc',
        anvil.url,
        '--token',
        'USDT',
      ]);
      assert.equal(bad.code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a later `cordon graph follow --once` that finds a reorg takes the orphaned transfers out of the graph', async () => {
    const [a, b, c, d] = accounts as [Address, Address, Address, Address];
    const dir = mkdtempSync(join(tmpdir(), 'cordon-follow-reorg-'));
    try {
      // from the fork point: its hash is kept, so the reorg can be walked back to it
      const args = followOnce(dir, await head());
      const heldInGraph = async (ids: string[]) => {
        const graph = createGraphService({
          segments: await openSegmentStore(join(dir, 'store', 'graph')),
          flags: { flagsOf: () => undefined, basis: () => [] },
        });
        await graph.load();
        const held = graph.seqsOf(ids.map((id) => ({ chain: 'ethereum', id }))).map((seq) => seq >= 0);
        graph.close();
        return held;
      };
      const snapshot = await testClient.snapshot();
      const orphaned = [
        ...(await sendUsdt(a, [[b, parseUnits('333', 6)]])),
        await sendEth(a, c, parseEther('0.333')),
      ];
      await testClient.mine({ blocks: 2 });
      const first = await runCordon(args);
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(await heldInGraph(orphaned), [true, true]);

      await testClient.revert({ id: snapshot });
      const replacing = [
        ...(await sendUsdt(a, [[d, parseUnits('444', 6)]])),
        await sendEth(b, d, parseEther('0.444')),
      ];
      await testClient.mine({ blocks: 4 });
      // A new process: what it knows of the orphaned blocks comes from the graph's journal.
      const second = await runCordon(args);
      assert.equal(second.code, 0, second.stderr);
      const r = JSON.parse(second.stdout) as { reorgs: { reverted: boolean }[]; transfers: number };
      assert.deepEqual(
        r.reorgs.map((x) => x.reverted),
        [true],
      );
      assert.equal(r.transfers, 2);

      assert.deepEqual(await heldInGraph(orphaned), [false, false], 'the orphaned transfers are out');
      assert.deepEqual(await heldInGraph(replacing), [true, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
