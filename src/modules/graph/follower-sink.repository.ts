import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import type { TransferSink } from '../chains/index.js';
import type { GraphService } from './graph.service.js';

/** Blocks a follower can walk back (its kept hashes, 128) with room to spare. */
const KEEP_BLOCKS = 256;

interface JournalEntry {
  chain: string;
  ids: Set<string>;
}

/**
 * The follower's sink into the graph, with a journal file of the transfer ids of its recent
 * blocks, so a reorg found after a restart (or by the next `graph follow --once`) still takes the
 * orphaned blocks' transfers back out of the graph.
 *
 * A block's ids are appended to the journal before they are ingested: a crash in between leaves
 * ids the graph does not hold, which a revert skips, and the follower replays the block (its
 * checkpoint was not saved). A revert rewrites the journal without the orphaned blocks (a new file
 * renamed over the old one). Blocks more than 256 below the newest are forgotten: the follower
 * cannot walk back that far.
 *
 * Format: JSON Lines, `{"block":123,"chain":"ethereum","ids":["0xab…:native","0xcd…:4"]}`. A torn
 * last line (a crash during an append) is ignored.
 */
export async function openFollowerSink(graph: GraphService, file: string): Promise<TransferSink> {
  const blocks = new Map<number, JournalEntry>();
  let lines = 0;
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const rows = text.split('\n');
  rows.forEach((line, i) => {
    if (line === '') return;
    let row: { block: number; chain: string; ids: string[] };
    try {
      row = JSON.parse(line) as typeof row;
    } catch (err) {
      if (i === rows.length - 1) return; // torn by a crash during the append
      throw new Error(`${file}:${i + 1}: not a journal line (${(err as Error).message})`);
    }
    remember(row.block, row.chain, row.ids);
    lines++;
  });
  forgetOld();

  function remember(block: number, chain: string, ids: readonly string[]): void {
    const entry = blocks.get(block) ?? { chain, ids: new Set<string>() };
    for (const id of ids) entry.ids.add(id);
    blocks.set(block, entry);
  }

  function forgetOld(): void {
    let newest = -1;
    for (const n of blocks.keys()) if (n > newest) newest = n;
    for (const n of blocks.keys()) if (n < newest - KEEP_BLOCKS) blocks.delete(n);
  }

  async function rewrite(): Promise<void> {
    const out = [...blocks]
      .sort(([a], [b]) => a - b)
      .map(([block, { chain, ids }]) => `${JSON.stringify({ block, chain, ids: [...ids] })}\n`)
      .join('');
    await writeFile(`${file}.tmp`, out);
    await rename(`${file}.tmp`, file);
    lines = blocks.size;
  }

  return {
    async add(transfers, block) {
      const chain = (transfers[0] as { chain: string }).chain;
      const ids = transfers.map((t) => t.id);
      await appendFile(file, `${JSON.stringify({ block: block.number, chain, ids })}\n`);
      lines++;
      remember(block.number, chain, ids);
      forgetOld();
      if (lines > 2 * blocks.size + KEEP_BLOCKS) await rewrite();
      await graph.ingest(transfers);
    },
    async revert(fromBlock) {
      const orphaned: { chain: string; id: string }[] = [];
      for (const [n, { chain, ids }] of blocks) {
        if (n < fromBlock) continue;
        for (const id of ids) orphaned.push({ chain, id });
        blocks.delete(n);
      }
      const removed = await graph.remove(graph.seqsOf(orphaned).filter((s) => s >= 0));
      await rewrite();
      return removed;
    },
  };
}
