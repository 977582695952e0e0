import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Output } from '../../platform/cli/output.js';
import { CordonError } from '../../shared/errors.js';
import { analyzeCommand } from './analyze.command.js';

const dir = mkdtempSync(join(tmpdir(), 'cordon-analyze-'));
const T0 = 1_709_251_200;
/** A checksummed (EIP-55) address: alerts must name it as the input spelled it. */
const HUB = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

function line(
  id: string,
  from: string,
  to: string,
  amount: string,
  at: number,
  chain = 'ethereum',
  asset = 'USDT',
) {
  return JSON.stringify({ id, chain, asset, from, to, amount, timestamp: T0 + at });
}

/** A fan-in into HUB on day 5 (seven senders), and a month of unrelated payments around it. */
function fanInFile(extra: string[] = []): string {
  const lines: string[] = [];
  for (let i = 0; i < 7; i++)
    lines.push(
      line(`f${i}`, `0x${String(i + 1).padStart(40, 'a')}`, HUB, `${1000 + i}`, 5 * 86_400 + i * 3600),
    );
  for (let i = 0; i < 30; i++)
    lines.push(line(`b${i}`, `acct-${i}`, `acct-${i + 1}`, `${20 + i}.5`, i * 86_400, 'ledger', 'USD'));
  const file = join(dir, `in-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, `${[...lines.slice(0, 3), ...extra, ...lines.slice(3)].join('\n')}\n`);
  return file;
}

function fakeOutput() {
  const results: unknown[] = [];
  const notes: string[] = [];
  const out: Output = {
    json: false,
    result: (value) => {
      results.push(value);
    },
    note: (text) => {
      notes.push(text);
    },
  };
  return { out, results, notes };
}

async function run(args: string[]) {
  const o = fakeOutput();
  await analyzeCommand(() => o.out)
    .exitOverride()
    .parseAsync(args, { from: 'user' });
  return o;
}

const readAlerts = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('cordon analyze', () => {
  test('a malformed line is reported with its number and the rest is analysed', async () => {
    const input = fanInFile(['{"id": "broken"', line('neg', 'acct-1', 'acct-2', '-5', 100, 'ledger', 'USD')]);
    const output = join(dir, 'alerts.jsonl');
    const { results, notes } = await run(['--input', input, '--output', output]);
    assert.equal(notes.length, 2);
    assert.match(notes[0] ?? '', /^.*in-\w+\.jsonl:4: not JSON \(.*\) \(skipped\)$/);
    assert.equal(notes[1], `${input}:5: amount: amount is negative (skipped)`);
    const summary = results[0] as {
      lines: number;
      transfers: number;
      skipped: number;
      alerts: number;
      byTypology: Record<string, number>;
    };
    assert.equal(summary.lines, 39);
    assert.equal(summary.transfers, 37);
    assert.equal(summary.skipped, 2);
    assert.equal(summary.byTypology['fan-in'], 1);
    const [alert, ...rest] = readAlerts(output);
    assert.equal(rest.length, 0);
    assert.deepEqual(Object.keys(alert ?? {}).slice(0, 5), [
      'subject',
      'typology',
      'score',
      'transfers',
      'explanation',
    ]);
    assert.equal(alert?.subject, HUB);
    assert.equal(alert?.typology, 'fan-in');
    assert.deepEqual(alert?.transfers, ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6']);
    assert.deepEqual(alert?.window, { start: '2024-03-06T00:00:00Z', end: '2024-03-06T06:00:00Z' });
  });

  test('--strict stops at the first malformed line, naming it', async () => {
    const input = fanInFile(['{"id": "broken"']);
    await assert.rejects(
      run(['--input', input, '--output', join(dir, 'strict.jsonl'), '--strict']),
      (e: unknown) => e instanceof CordonError && e.kind === 'invalid' && /:4: not JSON/.test(e.message),
    );
  });

  test('a repeated id is reported as a bad line, not counted twice', async () => {
    const input = fanInFile([line('f0', `0x${'b'.repeat(40)}`, HUB, '5', 10)]);
    const { notes, results } = await run(['--input', input, '--output', join(dir, 'dup.jsonl')]);
    assert.match(notes[0] ?? '', /:4: id: "f0" already appeared on ethereum \(skipped\)/);
    assert.equal((results[0] as { transfers: number }).transfers, 37);
  });

  test('thresholds come from --config and options, and --print-config shows them', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ fanIn: { minCounterparties: 8 } }));
    const output = join(dir, 'cfg.jsonl');
    await run(['--input', fanInFile(), '--output', output, '--config', config]);
    assert.deepEqual(readAlerts(output), []);
    await run(['--input', fanInFile(), '--output', output, '--config', config, '--min-counterparties', '7']);
    assert.equal(readAlerts(output).length, 1);
    await run(['--input', fanInFile(), '--output', output, '--typologies', 'cycle,fan-out']);
    assert.deepEqual(readAlerts(output), []);
    const { results } = await run(['--print-config', '--config', config, '--window', '2d']);
    const printed = results[0] as { fanIn: { minCounterparties: number; windowSeconds: number } };
    assert.deepEqual(printed.fanIn, { minCounterparties: 8, windowSeconds: 172_800 });
  });

  test('bad options and files are one clear error each', async () => {
    const config = join(dir, 'bad-config.json');
    writeFileSync(config, JSON.stringify({ fanIn: { minimum: 3 } }));
    const cases: [string[], RegExp][] = [
      [['--output', 'x'], /give --input/],
      [['--input', join(dir, 'missing.jsonl')], /missing\.jsonl: no such file/],
      [['--input', fanInFile(), '--config', config], /fanIn\.minimum is not a setting/],
      [['--input', fanInFile(), '--config', join(dir, 'nope.json')], /nope\.json: no such file/],
      [['--input', fanInFile(), '--typologies', 'smurfing'], /--typologies: unknown smurfing/],
      [['--input', fanInFile(), '--window', 'soon'], /--window: "soon" is not a duration/],
    ];
    for (const [args, message] of cases)
      await assert.rejects(
        run(args),
        (e: unknown) => e instanceof CordonError && message.test(e.message),
        args.join(' '),
      );
  });
});
