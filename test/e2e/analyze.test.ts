import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import {
  createRng,
  evaluateAlerts,
  generateTypologyData,
  type TypologyAlert,
  type TypologyLabel,
  transferToJson,
} from '../../src/modules/graph/index.js';
import { runCordon } from '../helpers/cli.js';

describe('cordon analyze (the real CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-analyze-e2e-'));
  const input = join(dir, 'transfers.jsonl');
  let labels: TypologyLabel[] = [];
  let badLine = 0;

  before(() => {
    const data = generateTypologyData({ rng: createRng(42), transfers: 8000 });
    labels = data.labels;
    const lines = data.transfers.map((t) => JSON.stringify(transferToJson(t)));
    badLine = 1235;
    lines.splice(badLine - 1, 0, '{"id": "cut-off", "chain": "tron", "amount": ');
    writeFileSync(input, `${lines.join('\n')}\n`);
  });

  test('writes alerts, reports the bad line by number and analyses the rest', async () => {
    const output = join(dir, 'alerts.jsonl');
    const r = await runCordon(['analyze', '--input', input, '--output', output]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`transfers\\.jsonl:${badLine}: not JSON .*\\(skipped\\)`));
    assert.match(r.stdout, /1 line\(s\) skipped/);
    const alerts = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TypologyAlert);
    for (const a of alerts) {
      assert.equal(typeof a.subject, 'string');
      assert.ok(a.score >= 0 && a.score <= 1);
      assert.ok(a.transfers.length > 0 && typeof a.explanation === 'string');
    }
    // A few planted patterns per typology in a file this small: judge the whole, and that each is found.
    const scores = evaluateAlerts(alerts, labels);
    for (const s of scores) assert.ok(s.found > 0, `${s.typology}: none of ${s.labels} found`);
    const sum = (f: (s: (typeof scores)[number]) => number) => scores.reduce((n, s) => n + f(s), 0);
    assert.ok(sum((s) => s.found) >= 0.9 * sum((s) => s.labels), 'recall');
    assert.ok(sum((s) => s.correct) >= 0.8 * sum((s) => s.alerts), 'precision');
  });

  test('--json prints the summary as one JSON document', async () => {
    const output = join(dir, 'alerts-json.jsonl');
    const r = await runCordon(['--json', 'analyze', '--input', input, '--output', output]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { skipped: number; errors: { line: number }[]; alerts: number };
    assert.equal(summary.skipped, 1);
    assert.equal(summary.errors[0]?.line, badLine);
    assert.ok(summary.alerts > 0);
  });

  test('--strict exits 2 naming the line', async () => {
    const r = await runCordon([
      'analyze',
      '--input',
      input,
      '--output',
      join(dir, 'strict.jsonl'),
      '--strict',
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^cordon: .*transfers\\.jsonl:${badLine}: not JSON`));
  });
});
