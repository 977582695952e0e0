// The whole test command: services, build, format and lint, types, architecture, then every test
// file through node's test runner (its summary is the last thing printed).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const started = performance.now();

function step(name, cmd, args, env = {}) {
  const t0 = performance.now();
  process.stderr.write(`\n▶ ${name}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    process.stderr.write(`\n✖ ${name} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
  process.stderr.write(`✔ ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}

const bin = (name) => join(root, 'node_modules/.bin', name);

step('services', 'bash', ['scripts/services.sh']);
step('build', bin('tsc'), ['-p', 'tsconfig.build.json']);
step('format and lint (biome)', bin('biome'), ['check', '.']);
step('types (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
step('architecture', process.execPath, ['--import', 'tsx', 'tools/arch/cli.ts']);

const template = join(tmpdir(), 'cordon-test-pglite-template');
step(
  'embedded store template',
  process.execPath,
  ['--import', 'tsx', '-e', "import('./test/helpers/stores.ts').then((m) => m.pgliteTemplate())"],
  { CORDON_TEST_PGLITE_TEMPLATE: template },
);

const files = [];
for (const dir of ['src', 'test', 'tools']) {
  for (const f of readdirSync(join(root, dir), { recursive: true })) {
    const file = String(f);
    if (file.endsWith('.test.ts') && !file.includes('testdata')) files.push(join(dir, file));
  }
}
files.sort();
process.stderr.write(`\n▶ tests: ${files.length} files\n`);
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CORDON_TEST_PGLITE_TEMPLATE: template } },
);
process.stderr.write(`\nwhole test command: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
process.exit(r.status ?? 1);
