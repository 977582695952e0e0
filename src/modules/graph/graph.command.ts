import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import type { Output } from '../../platform/cli/output.js';
import { createProgress } from '../../platform/cli/progress.js';
import { CordonError } from '../../shared/errors.js';
import {
  assetsOf,
  type CheckpointStore,
  createEvmFollower,
  type FollowerToken,
  isChain,
} from '../chains/index.js';
import type { ExposureDirection, ExposureMethod } from './exposure-model.js';
import { openFollowerSink } from './follower-sink.repository.js';
import type { GraphService } from './graph.service.js';
import { resolveSubject } from './subject.js';
import { parseTransferLine, type Transfer, type UtxoTransaction, utxoToTransfers } from './transfer.js';

type Run = <T>(use: (graph: GraphService, out: Output) => Promise<T>) => Promise<T>;

/**
 * What `graph follow` needs besides the graph: the checkpoint store of the opened database and the
 * graph's folder (for the follower's journal of recent blocks).
 */
type RunFollow = <T>(
  use: (graph: GraphService, checkpoints: CheckpointStore, out: Output, graphDir: string) => Promise<T>,
) => Promise<T>;

/** Transfers per written segment during a file import. */
const IMPORT_BATCH = 200_000;
/** Malformed lines printed one by one before only counting them. */
const MAX_PRINTED_ERRORS = 50;

/** `cordon graph import FILE.jsonl`, `cordon graph stats`, `cordon graph follow`. */
export function graphCommand(run: Run, runFollow: RunFollow): Command {
  const graph = new Command('graph').description('the transfer graph: import transfers, show its size');
  graph
    .command('import')
    .description(
      'add on-chain transfers (JSON Lines, CONTRACT.md; UTXO transactions per docs/graph.md) to the graph',
    )
    .argument('<file>', 'JSON Lines file of transfers')
    .option('--strict', 'stop at the first malformed line (nothing from the file is added)')
    .action((file: string, opts: { strict?: boolean }) =>
      run((g, out) => importFile(g, out, file, opts.strict === true)),
    );
  graph
    .command('stats')
    .description('addresses, transfers, segments and memory of the graph')
    .action(() =>
      run(async (g, out) => {
        const s = g.stats();
        out.result(
          s,
          (v) =>
            `${v.addresses} addresses, ${v.transfers} transfers in ${v.segments} segments; ` +
            `${(v.graphBytes / 2 ** 20).toFixed(1)} MiB in memory (${v.bytesPerTransfer} bytes per transfer)`,
        );
      }),
    );
  graph
    .command('follow')
    .description('follow an EVM JSON-RPC node (native coin and ERC-20 tokens) into the graph, resumably')
    .requiredOption('--rpc <url>', 'JSON-RPC endpoint (http or https)')
    .option(
      '--chain <chain>',
      'ethereum, bsc, polygon, arbitrum, optimism, base, avalanche or tron',
      'ethereum',
    )
    .option(
      '--token <symbol=contract[:decimals]>',
      'a token to read (repeatable; default: the registry tokens of the chain)',
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option('--confirmations <n>', 'blocks to stay behind the head')
    .option('--start-block <n>', 'first block when there is no checkpoint (default: the confirmed head)')
    .option('--once', 'catch up once and stop (default: keep following until interrupted)')
    .action(
      (opts: {
        rpc: string;
        chain: string;
        token: string[];
        confirmations?: string;
        startBlock?: string;
        once?: boolean;
      }) =>
        runFollow(async (g, checkpoints, out, graphDir) => {
          const chain = opts.chain.trim().toLowerCase();
          if (!isChain(chain))
            throw new CordonError('invalid', 'cli.invalid_chain', `unknown chain "${opts.chain}"`);
          const tokens =
            opts.token.length > 0
              ? opts.token.map(parseTokenOption)
              : assetsOf(chain).flatMap((a) =>
                  a.contract === undefined
                    ? []
                    : [{ symbol: a.symbol, contract: a.contract, decimals: a.decimals }],
                );
          const int = (v: string | undefined, name: string): number | undefined => {
            if (v === undefined) return undefined;
            const n = Number(v);
            if (!Number.isInteger(n) || n < 0)
              throw new CordonError(
                'invalid',
                'cli.invalid_number',
                `--${name} must be a whole number, not "${v}"`,
              );
            return n;
          };
          const confirmations = int(opts.confirmations, 'confirmations');
          const startBlock = int(opts.startBlock, 'start-block');
          const follower = createEvmFollower({
            rpcUrl: opts.rpc,
            chain,
            tokens,
            sink: await openFollowerSink(g, join(graphDir, `follow-${chain}.journal`)),
            checkpoints,
            logger: {
              info: (d, m) => out.note(`${m} ${JSON.stringify(d)}`),
              warn: (d, m) => out.note(`warning: ${m} ${JSON.stringify(d)}`),
            },
            ...(confirmations === undefined ? {} : { confirmations }),
            ...(startBlock === undefined ? {} : { startBlock }),
          });
          if (opts.once) {
            const r = await follower.runOnce();
            out.result(
              { ...r, transfers: r.transfers, graphTransfers: g.stats().transfers },
              (v) =>
                `blocks ${v.fromBlock ?? '-'}..${v.toBlock ?? '-'} read (${v.blocks}), ${v.transfers} transfers; confirmed head ${v.confirmedHead}; the graph holds ${v.graphTransfers} transfers`,
            );
            return;
          }
          follower.start();
          out.note(`following ${chain} at ${opts.rpc}; Ctrl-C to stop`);
          await new Promise<void>((resolve) => {
            const stop = () => resolve();
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
          await follower.stop();
        }),
    );
  return graph;
}

/** `USDT=0xdac1…:6` → a follower token (decimals from the registry when omitted). */
function parseTokenOption(value: string): FollowerToken {
  const m = /^([A-Za-z0-9._-]{1,20})=([^:\s]+)(?::(\d{1,2}))?$/.exec(value.trim());
  if (m === null)
    throw new CordonError(
      'invalid',
      'cli.invalid_token',
      `--token "${value}": expected SYMBOL=CONTRACT[:DECIMALS]`,
    );
  const decimals = m[3] === undefined ? 6 : Number(m[3]);
  return { symbol: (m[1] as string).toUpperCase(), contract: m[2] as string, decimals };
}

/** `cordon exposure ADDRESS [--chain C] [--hops N] [--method poison|haircut] [--direction D]`. */
export function exposureCommand(run: Run): Command {
  return new Command('exposure')
    .description('direct and indirect exposure of an address to flagged entities (docs/exposure.md)')
    .argument('<address>')
    .option('--chain <chain>', 'chain id, code or label (inferred from the address when absent)')
    .option('--hops <n>', 'hops to trace (1 = direct counterparties)', '3')
    .addOption(
      new Option('--method <method>', 'attribution method').choices(['poison', 'haircut']).default('haircut'),
    )
    .addOption(
      new Option('--direction <direction>', 'incoming = source of funds, outgoing = destination')
        .choices(['incoming', 'outgoing', 'both'])
        .default('both'),
    )
    .option('--asset <symbol>', 'only this asset')
    .option('--paths <n>', 'evidence paths per direction', '3')
    .action(
      (
        address: string,
        opts: {
          chain?: string;
          hops: string;
          method: string;
          direction: string;
          asset?: string;
          paths: string;
        },
      ) =>
        run(async (g, out) => {
          const hops = Number(opts.hops);
          if (!Number.isInteger(hops) || hops < 1 || hops > 6) {
            throw new CordonError(
              'invalid',
              'cli.invalid_hops',
              `--hops must be an integer from 1 to 6, not "${opts.hops}"`,
            );
          }
          const subject = resolveSubject(opts.chain, address);
          const report = g.exposure({
            address: subject.key,
            hops,
            method: opts.method as ExposureMethod,
            direction: opts.direction as ExposureDirection,
            asset: opts.asset,
            maxPaths: Math.max(0, Math.min(50, Number(opts.paths) || 0)),
          });
          out.result({ ...report, address: subject.display, chain: subject.chain }, (r) => {
            const lines = [
              `${r.address} (${r.chain}), ${r.method}, ${r.hops} hops${r.self ? `; itself ${r.self.category}: ${r.self.entityName}` : ''}`,
            ];
            for (const d of r.directions) {
              const vol =
                Object.entries(d.volume)
                  .map(([a, v]) => `${v} ${a}`)
                  .join(', ') || 'none';
              lines.push(
                `${d.direction === 'incoming' ? 'source of funds' : 'destination of funds'} (volume ${vol}):`,
              );
              if (d.entities.length === 0) lines.push('  no exposure to flagged entities');
              for (const e of d.entities) {
                const amounts = Object.entries(e.amounts)
                  .map(([a, v]) => `${v} ${a}`)
                  .join(', ');
                lines.push(
                  `  ${(e.share * 100).toFixed(2).padStart(6)}%  ${e.category.padEnd(22)} ${e.entityName}  ${e.direct ? 'direct' : `${e.minHops} hops`}  ${amounts}`,
                );
              }
              for (const p of d.paths) {
                lines.push(
                  `  path to ${p.entityId} (${p.hops} hops): ${p.transfers.map((t) => `${t.from} -${t.amount} ${t.asset}-> ${t.to} [${t.id}]`).join('  ')}`,
                );
              }
            }
            if (r.truncated) lines.push('(the trace reached its edge budget: figures are lower bounds)');
            return lines.join('\n');
          });
        }),
    );
}

/** Streams a transfer file into the graph in batches; bad lines are reported and skipped. */
async function importFile(g: GraphService, out: Output, file: string, strict: boolean): Promise<void> {
  const size = (await stat(file).catch(() => undefined))?.size;
  if (size === undefined) throw new CordonError('not_found', 'file.not_found', `${file}: no such file`);
  const progress = createProgress('import', size, { json: out.json });
  const started = performance.now();
  let batch: Transfer[] = [];
  let utxos: UtxoTransaction[] = [];
  let lines = 0;
  let added = 0;
  let duplicates = 0;
  let bytes = 0;
  const errors: { line: number; code: string; field?: string; message: string }[] = [];
  let errorCount = 0;
  const strictBatch: [Transfer[], UtxoTransaction[]][] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    if (strict) strictBatch.push([batch, utxos]);
    else {
      const r = await g.ingest(batch, utxos);
      added += r.added;
      duplicates += r.duplicates;
    }
    batch = [];
    utxos = [];
  };
  const input = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const text of input) {
    lines++;
    bytes += text.length + 1;
    const r = parseTransferLine(text, lines);
    if (!r.ok) {
      if (strict) {
        input.close();
        throw new CordonError('invalid', r.code, `${file}: ${r.message}`, { line: r.line, field: r.field });
      }
      errorCount++;
      if (errors.length < MAX_PRINTED_ERRORS) {
        errors.push(
          r.field === undefined
            ? { line: r.line, code: r.code, message: r.message }
            : { line: r.line, code: r.code, field: r.field, message: r.message },
        );
        out.note(`${file}: ${r.message}`);
      }
      continue;
    }
    if (r.kind === 'transfer') batch.push(r.transfer);
    else if (r.kind === 'utxo') {
      batch.push(...utxoToTransfers(r.utxo));
      utxos.push(r.utxo);
    }
    if (batch.length >= IMPORT_BATCH) {
      await flush();
      progress.update(bytes);
    }
  }
  await flush();
  // --strict: the whole file was valid, so add it now (all of it or, on a bad line, none).
  for (const [b, u] of strictBatch) {
    const r = await g.ingest(b, u);
    added += r.added;
    duplicates += r.duplicates;
  }
  await g.mergeSmallSegments();
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  out.result(
    {
      file,
      lines,
      added,
      duplicates,
      errors: errorCount,
      firstErrors: errors,
      seconds: Math.round(seconds * 100) / 100,
      transfers: g.stats().transfers,
    },
    (v) =>
      `${v.file}: ${v.added} transfers added, ${v.duplicates} already there, ${v.errors} bad lines (${v.lines} lines, ${v.seconds} s); ` +
      `the graph holds ${v.transfers} transfers`,
  );
}
