import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Command } from 'commander';
import type { Output } from '../../platform/cli/output.js';
import { createProgress } from '../../platform/cli/progress.js';
import { CordonError, invalid } from '../../shared/errors.js';
import { displayAddress, parseTransferLine, type Transfer, utxoToTransfers } from './transfer.js';
import {
  alertToJson,
  DEFAULT_TYPOLOGY_CONFIG,
  detectTypologies,
  isTypology,
  parseDurationSeconds,
  parseTypologyConfig,
  TYPOLOGIES,
  type Typology,
  type TypologyConfig,
} from './typologies/index.js';

interface AnalyzeOptions {
  input?: string;
  output: string;
  strict?: boolean;
  config?: string;
  window?: string;
  minCounterparties?: string;
  minScore?: string;
  typologies?: string;
  printConfig?: boolean;
}

/** Most line errors listed in the summary (all are counted, and each is noted on stderr). */
const MAX_LISTED_ERRORS = 100;

/**
 * `cordon analyze --input TRANSFERS.jsonl --output ALERTS.jsonl`: typology detection over a
 * transfer file, no store or server needed. Reads the contract's transfer lines (and UTXO
 * transactions) of any chain or ledger, reports malformed lines with their number and goes on
 * (unless `--strict`), writes one alert per line, and prints a summary.
 */
export function analyzeCommand(output: () => Output): Command {
  return new Command('analyze')
    .description('detect typologies (fan-in/out, cycles, peel chains, structuring, …) in a transfer file')
    .option('--input <file>', 'JSON Lines transfers, as for `graph import` (- for stdin)')
    .option('--output <file>', 'JSON Lines alerts (- for stdout)', '-')
    .option('--strict', 'stop at the first malformed line instead of reporting it and going on')
    .option('--config <file>', 'JSON file with threshold overrides (see --print-config)')
    .option(
      '--window <duration>',
      'window of fan-in, fan-out, scatter-gather and gather-scatter (e.g. 24h, 3d)',
    )
    .option('--min-counterparties <n>', 'distinct senders (fan-in) or receivers (fan-out), at least')
    .option('--min-score <score>', 'drop alerts scoring below this (0 to 1)')
    .option('--typologies <list>', `comma-separated subset of: ${TYPOLOGIES.join(', ')}`)
    .option('--print-config', 'print the effective thresholds as JSON and exit')
    .action(async (opts: AnalyzeOptions) => {
      const out = output();
      const config = effectiveConfig(opts);
      if (opts.printConfig) {
        out.result(config, (c) => JSON.stringify(c, null, 2));
        return;
      }
      if (!opts.input) throw invalid('cli.usage', 'give --input FILE (and --output FILE, or - for stdout)');
      await analyze(out, opts.input, opts.output, opts.strict === true, config);
    });
}

function effectiveConfig(opts: AnalyzeOptions): TypologyConfig {
  let config = DEFAULT_TYPOLOGY_CONFIG;
  if (opts.config !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(opts.config, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw invalid(
        'cli.unreadable_config',
        `${opts.config}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
        { file: opts.config },
      );
    }
    config = parseTypologyConfig(json, config);
  }
  const override: Record<string, unknown> = {};
  if (opts.window !== undefined) {
    const windowSeconds = parseDurationSeconds(opts.window, '--window');
    for (const k of ['fanIn', 'fanOut', 'scatterGather', 'gatherScatter'] as const)
      override[k] = { ...config[k], windowSeconds };
  }
  if (opts.minCounterparties !== undefined) {
    const n = Number(opts.minCounterparties);
    override.fanIn = { ...(override.fanIn ?? config.fanIn), minCounterparties: n };
    override.fanOut = { ...(override.fanOut ?? config.fanOut), minCounterparties: n };
  }
  if (opts.minScore !== undefined) override.minScore = Number(opts.minScore);
  if (opts.typologies !== undefined) {
    const names = opts.typologies
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = names.filter((n) => !isTypology(n));
    if (unknown.length > 0 || names.length === 0)
      throw invalid(
        'cli.usage',
        `--typologies: unknown ${unknown.join(', ') || '(empty)'}; known: ${TYPOLOGIES.join(', ')}`,
      );
    override.typologies = names as Typology[];
  }
  return parseTypologyConfig(override, config);
}

interface LineIssue {
  line: number;
  code: string;
  field?: string;
  message: string;
}

async function analyze(out: Output, input: string, output: string, strict: boolean, config: TypologyConfig) {
  const started = performance.now();
  const stream = await openInput(input);
  const transfers: Transfer[] = [];
  const seen = new Set<string>();
  /** The input's own spelling of an address, where it differs from the canonical one. */
  const spelling = new Map<string, string>();
  const checked = new Set<string>();
  const issues: LineIssue[] = [];
  let issueCount = 0;
  let uncheckedLines = 0;
  let line = 0;
  const progress = createProgress('analyze', 0, { json: out.json });
  const report = (issue: LineIssue) => {
    if (strict)
      throw invalid(issue.code, `${input}:${issue.line}: ${issue.message.replace(/^line \d+: /, '')}`, {
        line: issue.line,
        field: issue.field,
      });
    issueCount++;
    if (issues.length < MAX_LISTED_ERRORS) issues.push(issue);
    out.note(`${input}:${issue.line}: ${issue.message.replace(/^line \d+: /, '')} (skipped)`);
  };
  try {
    for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      line++;
      if (line % 10_000 === 0) progress.update(line, line);
      const r = parseTransferLine(text, line, { unknownAssetDecimals: 18, keepInvalidAddresses: true });
      if (!r.ok) {
        report({ line: r.line, code: r.code, field: r.field, message: r.message });
        continue;
      }
      if (r.kind === 'blank') continue;
      if (r.kind === 'transfer' && r.unchecked !== undefined) {
        // Kept as given: flows have the same shape with a made-up address. Said once, counted always.
        if (uncheckedLines === 0) {
          out.note(
            `${input}:${line}: ${r.unchecked.join(' and ')} not a valid ${r.transfer.chain} address; analysed as given (further such lines are only counted)`,
          );
        }
        uncheckedLines++;
      }
      const batch = r.kind === 'transfer' ? [r.transfer] : utxoToTransfers(r.utxo);
      const duplicate = batch.find((t) => seen.has(`${t.chain}\u0000${t.id}`));
      if (duplicate) {
        report({
          line,
          code: 'transfer.duplicate_id',
          field: 'id',
          message: `line ${line}: id: "${duplicate.id}" already appeared on ${duplicate.chain}`,
        });
        continue;
      }
      for (const t of batch) {
        seen.add(`${t.chain}\u0000${t.id}`);
        transfers.push(t);
      }
      if (r.kind === 'transfer') rememberSpelling(spelling, checked, text, r.transfer);
    }
  } finally {
    progress.stop();
    if (stream !== process.stdin) stream.destroy();
  }
  const readMs = performance.now() - started;

  const alerts = detectTypologies(transfers, config, {
    display: (key) => spelling.get(key) ?? displayAddress(key),
  });
  const detectMs = performance.now() - started - readMs;
  await writeLines(
    output,
    alerts.map((a) => JSON.stringify(alertToJson(a))),
  );

  const byTypology = Object.fromEntries(config.typologies.map((t) => [t, 0])) as Record<string, number>;
  for (const a of alerts) byTypology[a.typology] = (byTypology[a.typology] ?? 0) + 1;
  const summary = {
    input,
    output,
    lines: line,
    transfers: transfers.length,
    skipped: issueCount,
    errors: issues,
    uncheckedAddressLines: uncheckedLines,
    alerts: alerts.length,
    byTypology,
    readMs: Math.round(readMs),
    detectMs: Math.round(detectMs),
  };
  const human = (s: typeof summary) =>
    [
      `read ${s.lines} line(s): ${s.transfers} transfer(s)${s.skipped ? `, ${s.skipped} line(s) skipped` : ''}${s.uncheckedAddressLines ? `, ${s.uncheckedAddressLines} with addresses not valid for their chain (kept as given)` : ''}`,
      `${s.alerts} alert(s) written to ${s.output === '-' ? 'stdout' : s.output} (read ${(s.readMs / 1000).toFixed(1)} s, detect ${(s.detectMs / 1000).toFixed(1)} s)`,
      ...Object.entries(s.byTypology).map(([t, n]) => `  ${t.padEnd(20)} ${n}`),
    ].join('\n');
  if (output === '-') {
    // Alerts own stdout: the summary goes to stderr.
    process.stderr.write(`${out.json ? JSON.stringify(summary) : human(summary)}\n`);
  } else out.result(summary, human);
}

function openInput(input: string): Promise<Readable> {
  if (input === '-') return Promise.resolve(process.stdin);
  const stream = createReadStream(input, { encoding: 'utf8' });
  return new Promise((resolve, reject) => {
    stream.once('open', () => resolve(stream));
    stream.once('error', (err) =>
      reject(
        invalid(
          'cli.unreadable_input',
          `${input}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : err.message}`,
          { file: input },
        ),
      ),
    );
  });
}

/**
 * Keeps how the input first spelled an address when that is not the canonical form (an EVM
 * checksum, TRON hex), so alerts name it the way the input did. `checked` holds the keys done.
 */
function rememberSpelling(spelling: Map<string, string>, checked: Set<string>, text: string, t: Transfer) {
  for (const [key, field] of [
    [t.from, 'from'],
    [t.to, 'to'],
  ] as const) {
    if (checked.has(key)) continue;
    checked.add(key);
    const shown = displayAddress(key);
    if (text.includes(`"${shown}"`)) continue;
    const raw = (JSON.parse(text) as Record<string, unknown>)[field];
    if (typeof raw === 'string' && raw.trim() !== shown) spelling.set(key, raw.trim());
  }
}

async function writeLines(output: string, lines: string[]) {
  const sink = output === '-' ? process.stdout : createWriteStream(output);
  const failed = new Promise<never>((_, reject) =>
    sink.once('error', (err: Error) =>
      reject(
        err instanceof CordonError
          ? err
          : invalid('cli.unwritable_output', `${output}: ${err.message}`, { file: output }),
      ),
    ),
  );
  failed.catch(() => {});
  const write = async () => {
    for (const l of lines) if (!sink.write(`${l}\n`)) await once(sink, 'drain');
    if (sink !== process.stdout) {
      sink.end();
      await once(sink, 'finish');
    }
  };
  await Promise.race([write(), failed]);
}
