// Runs the benchmarks named on the command line (all when none): `npm run bench -- lists`.
// Each prints a table; copy the figures into docs/benchmarks.md with the machine they ran on.
import { cpus, totalmem } from 'node:os';

const suites: Record<string, () => Promise<void>> = {
  startup: async () => (await import('./startup.bench.js')).run(),
  lists: async () => (await import('./lists-import.bench.js')).run(),
  screening: async () => (await import('./screening.bench.js')).run(),
  'names-quality': async () => (await import('./names-quality.js')).run(),
  analyze: async () => (await import('./analyze.bench.js')).run(),
  clustering: async () => (await import('./clustering.bench.js')).run(),
  graph: async () => (await import('./graph.bench.js')).run(),
  decisions: async () => (await import('./decisions.bench.js')).run(),
  'db-write': async () => (await import('./db-write.bench.js')).run(),
  lookback: async () => (await import('./lookback.bench.js')).run(),
};

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = names.length ? names : Object.keys(suites);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
for (const name of selected) {
  const suite = suites[name];
  if (!suite) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n## ${name}`);
  await suite();
}
