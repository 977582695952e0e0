// `npm run bench -- analyze`: typology detection on 120,000 generated chain-like transfers with
// planted, labelled patterns, through the compiled CLI (as users run it) and in-process, with the
// precision and recall of every detector.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createRng,
  detectTypologies,
  evaluateAlerts,
  generateTypologyData,
  type Transfer,
  type TypologyAlert,
  type TypologyLabel,
  transferToJson,
} from '../src/modules/graph/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * `node bin/cordon.js` runs dist/main/cli.js when dist/ is up to date; the bench calls that entry
 * itself, so a source file touched during the run cannot switch it to the TypeScript loader.
 */
const COMPILED_CLI = [
  '--input-type=module',
  '-e',
  `const { main } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/main/cli.js')).href)}); await main(process.argv);`,
  '--',
  'cordon',
];
const TRANSFERS = 120_000;
const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Compiles src/ when dist/ is missing or older than the sources, so the CLI runs compiled code. */
function ensureBuilt(): void {
  const stamp = join(ROOT, 'dist/.tsbuildinfo');
  const fresh =
    existsSync(stamp) &&
    !readdirSync(join(ROOT, 'src'), { recursive: true }).some(
      (f) =>
        String(f).endsWith('.ts') && statSync(join(ROOT, 'src', String(f))).mtimeMs > statSync(stamp).mtimeMs,
    );
  if (fresh) return;
  console.log('building dist/ (npm run build) …');
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

function table(title: string, alerts: readonly TypologyAlert[], labels: readonly TypologyLabel[]): void {
  console.log(`\n${title}\n`);
  console.log('| typology | planted | alerts | found | correct | recall | precision |');
  console.log('|---|---|---|---|---|---|---|');
  for (const s of evaluateAlerts(alerts, labels))
    console.log(
      `| ${s.typology} | ${s.labels} | ${s.alerts} | ${s.found} | ${s.correct} | ${s.recall.toFixed(2)} | ${s.precision.toFixed(2)} |`,
    );
}

/** Generates the data, runs the CLI and the detectors in-process, prints the tables. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-analyze-bench-'));
  try {
    const t0 = performance.now();
    const data = generateTypologyData({ rng: createRng(1), transfers: TRANSFERS });
    const input = join(dir, 'transfers.jsonl');
    writeFileSync(input, `${data.transfers.map((t) => JSON.stringify(transferToJson(t))).join('\n')}\n`);
    const bytes = statSync(input).size;
    console.log(
      `data: ${data.transfers.length} transfers (${(bytes / 2 ** 20).toFixed(1)} MiB, TRON USDT/TRX, Ethereum USDT/ETH, ledger USD), ${data.labels.length} planted patterns; generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    ensureBuilt();
    const output = join(dir, 'alerts.jsonl');
    const walls: number[] = [];
    const reads: number[] = [];
    const detectsCli: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const r = spawnSync(
        process.execPath,
        [...COMPILED_CLI, '--json', 'analyze', '--input', input, '--output', output],
        {
          encoding: 'utf8',
          maxBuffer: 64 * 2 ** 20,
        },
      );
      walls.push(performance.now() - started);
      if (r.status !== 0) throw new Error(`cordon analyze exited ${r.status}: ${r.stderr}`);
      const summary = JSON.parse(r.stdout) as { readMs: number; detectMs: number };
      reads.push(summary.readMs);
      detectsCli.push(summary.detectMs);
    }
    const cliAlerts = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TypologyAlert);

    // In-process: the detectors alone, on transfers already parsed.
    const transfers: Transfer[] = data.transfers;
    const detects: number[] = [];
    let alerts: TypologyAlert[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      alerts = detectTypologies(transfers);
      detects.push(performance.now() - started);
    }

    console.log(`\n| cordon analyze, ${data.transfers.length} transfers | median of ${RUNS} | target |`);
    console.log('|---|---|---|');
    console.log(
      `| wall time, \`cordon analyze\` (compiled dist/; process start, read and parse, detect, write) | ${(median(walls) / 1000).toFixed(2)} s (runs ${walls.map((w) => (w / 1000).toFixed(1)).join(', ')}) | ≤ 10 s |`,
    );
    console.log(`| … reading and parsing the file, in the CLI | ${(median(reads) / 1000).toFixed(2)} s | |`);
    console.log(`| … detection, in the CLI | ${(median(detectsCli) / 1000).toFixed(2)} s | |`);
    console.log(
      `| detection in-process (\`detectTypologies\`, tsx) | ${(median(detects) / 1000).toFixed(2)} s | |`,
    );
    console.log(`| alerts | ${cliAlerts.length} | |`);
    table('Through the CLI:', cliAlerts, data.labels);

    // The same size, patterns planted mostly in active users' traffic, with ordinary amounts.
    const hard = generateTypologyData({
      rng: createRng(1),
      transfers: TRANSFERS,
      plantedIn: 'busy',
      plantedAmounts: 'ordinary',
    });
    table(
      'Harder variant, in-process (patterns in busy users, ordinary amounts):',
      detectTypologies(hard.transfers),
      hard.labels,
    );
    if (JSON.stringify(alerts.map((a) => a.transfers)) !== JSON.stringify(cliAlerts.map((a) => a.transfers)))
      console.log('\nwarning: the in-process alerts differ from the CLI alerts');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
