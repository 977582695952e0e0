// One import in its own process, on the compiled code (no TypeScript loader in the way), reporting
// wall time and peak resident memory. Usage: node bench/import-child.mjs FILE pglite|postgres
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createListRepository, createListService, formatByName } from '../dist/modules/lists/index.js';
import { openStore } from '../dist/platform/db/store.js';
import { localFile } from '../dist/platform/files.js';

const [file, kind = 'pglite', template] = process.argv.slice(2);
const baseMb = process.memoryUsage().rss / 1048576;
let store;
let cleanup;
if (kind === 'postgres') {
  const name = `cordon_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`create database ${name}`);
  store = await openStore({ kind: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${name}` });
  cleanup = async () => {
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  };
} else {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-bench-store-'));
  cpSync(template, join(dir, 'pgdata'), { recursive: true });
  store = await openStore({ kind: 'pglite', dir });
  cleanup = async () => rmSync(dir, { recursive: true, force: true });
}
const afterOpenMb = process.memoryUsage().rss / 1048576;
const lists = createListService({
  store: createListRepository(store),
  clock: { nowMs: () => Date.now() },
  newId: (p) => `${p}_${Date.now()}`,
});
const t0 = performance.now();
const r = await lists.importFiles({
  format: formatByName('un-xml'),
  files: [localFile(file)],
  importedBy: 'bench',
  maxFileBytes: 2 ** 30,
});
const ms = performance.now() - t0;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
await store.close();
await cleanup();
console.log(JSON.stringify({ kind, ms, maxRssMb, baseMb, afterOpenMb, entities: r.version.counts.entities }));
