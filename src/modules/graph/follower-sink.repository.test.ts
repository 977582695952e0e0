import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openFollowerSink } from './follower-sink.repository.js';
import { createGraphService, type FlagSource, type GraphService } from './graph.service.js';
import { openSegmentStore } from './graph-segments.repository.js';
import { parseTransferLine, type Transfer } from './transfer.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const flags: FlagSource = { flagsOf: () => undefined, basis: () => [] };

function t(id: string, amount = '1'): Transfer {
  const r = parseTransferLine(
    JSON.stringify({ id, chain: 'ethereum', asset: 'ETH', from: A, to: B, amount, timestamp: 1_700_000_000 }),
    1,
  );
  if (!r.ok || r.kind !== 'transfer') throw new Error(id);
  return r.transfer;
}

async function openGraph(dir: string): Promise<GraphService> {
  const g = createGraphService({ segments: await openSegmentStore(dir), flags });
  await g.load();
  return g;
}

const block = (number: number) => ({ number, hash: `0x${number.toString(16).padStart(64, '0')}` });
const live = (g: GraphService, ids: string[]) =>
  g.seqsOf(ids.map((id) => ({ chain: 'ethereum', id }))).map((s) => s >= 0);

test('a reorg found after a restart still takes the orphaned blocks’ transfers out of the graph', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cordon-follow-sink-'));
  dirs.push(dir);
  const journal = join(dir, 'follow-ethereum.journal');
  const first = await openGraph(dir);
  const sink = await openFollowerSink(first, journal);
  await sink.add([t('a:native'), t('a:1')], block(10));
  await sink.add([t('b:native')], block(11));
  await sink.add([t('c:3')], block(12));
  assert.deepEqual(live(first, ['a:native', 'a:1', 'b:native', 'c:3', 'never']), [
    true,
    true,
    true,
    true,
    false,
  ]);
  first.close();
  // A crash tore the last append.
  await appendFile(journal, '{"block":13,"chain":"ethe');

  // After a restart: blocks 11 and up were orphaned.
  const second = await openGraph(dir);
  const reopened = await openFollowerSink(second, journal);
  assert.equal(await reopened.revert?.(11), 2);
  assert.deepEqual(live(second, ['a:native', 'a:1', 'b:native', 'c:3']), [true, true, false, false]);
  assert.deepEqual(
    (await readFile(journal, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { block: number }).block),
    [10],
  );
  // The same transaction mined again on the new fork is ingested again, with a new seq.
  const before = second.stats().transfers;
  await reopened.add([t('b:native', '2')], block(11));
  const [seq] = second.seqsOf([{ chain: 'ethereum', id: 'b:native' }]);
  assert.equal(seq, before);
  // Reverting twice (a crash before the checkpoint moved) takes nothing more.
  assert.equal(await reopened.revert?.(12), 0);
  second.close();
});

test('a journal line that is not JSON, other than the last, is an error naming the line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cordon-follow-sink-'));
  dirs.push(dir);
  const journal = join(dir, 'follow-ethereum.journal');
  await appendFile(journal, 'garbage\n{"block":1,"chain":"ethereum","ids":["x"]}\n');
  const g = await openGraph(dir);
  await assert.rejects(openFollowerSink(g, journal), /follow-ethereum\.journal:1: not a journal line/);
  g.close();
});
