import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createListRepository, createListService, formatByName } from '../src/modules/lists/index.js';
import { systemClock } from '../src/platform/clock.js';
import { openStore } from '../src/platform/db/store.js';
import { localFile } from '../src/platform/files.js';
import { freshPgliteDir, pgliteTemplate } from '../test/helpers/stores.js';
import { writeScaledUnXml } from './scaled-un-xml.js';

const DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));
const OFAC = [
  'sdn_2024-05-03.csv',
  'add_2025-12-24.csv',
  'alt_2025-12-24.csv',
  'sdn_comments_2025-12-24.csv',
].map((f) => join(DATA, 'ofac_sdn', f));
const UN = join(DATA, 'un', 'UN_consolidated_2026-02-27.xml');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function parseOnly(format: string, paths: string[]): Promise<number> {
  const f = formatByName(format);
  const t0 = performance.now();
  let n = 0;
  for await (const _ of f.parse(paths.map(localFile), () => {})) n++;
  if (n === 0) throw new Error('parsed nothing');
  return performance.now() - t0;
}

/** Parse + validate + hash + store + activate, into the embedded store. */
export async function run(): Promise<void> {
  const dir = await freshPgliteDir();
  const store = await openStore({ kind: 'pglite', dir });
  let seq = 0;
  const lists = createListService({
    store: createListRepository(store),
    clock: systemClock,
    newId: (p) => `${p}_${Date.now()}_${++seq}`,
  });
  const rows: string[][] = [];
  const cases: [label: string, format: string, paths: string[]][] = [
    ['OFAC SDN CSV family (sdn 2024 + add/alt/comments 2025)', 'ofac-csv', OFAC],
    ['UN consolidated XML (1,003 entries)', 'un-xml', [UN]],
  ];
  for (const [label, format, paths] of cases) {
    const bytes = paths.reduce((s, p) => s + statSync(p).size, 0);
    const parse: number[] = [];
    for (let i = 0; i < 5; i++) parse.push(await parseOnly(format, [...paths]));
    const full: number[] = [];
    let entities = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await lists.importFiles({
        format: formatByName(format),
        source: `bench-${format}-${i}`,
        files: paths.map(localFile),
        importedBy: 'bench',
        maxFileBytes: 1 << 30,
        skipInvalidAddresses: true, // OFAC's own two malformed addresses, as `lists update` does
      });
      full.push(performance.now() - t0);
      entities = r.version.counts.entities;
    }
    rows.push([
      label,
      `${(bytes / 1e6).toFixed(1)} MB`,
      String(entities),
      `${median(parse).toFixed(0)} ms`,
      `${median(full).toFixed(0)} ms`,
    ]);
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    '| list | size | entities | parse only (median of 5) | full import into embedded store (median of 3) |',
  );
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);

  // The 150 MB file: a separate process, so its peak memory is the import's alone.
  const tmp = mkdtempSync(join(tmpdir(), 'cordon-bench-'));
  const big = join(tmp, 'un-scaled.xml');
  const target = Number(process.env.BENCH_BIG_XML_MB ?? 150) * 1e6;
  const { bytes, records } = await writeScaledUnXml(UN, big, target);
  console.log(
    '\n| scaled UN XML | store | import | peak RSS of the importing process | RSS with the store open, before the import | entities |',
  );
  console.log('|---|---|---|---|---|---|');
  const runs: [kind: string, flags: string[]][] = [
    ['postgres', []],
    ['postgres', ['--max-old-space-size=96', '--max-semi-space-size=4']],
    ['pglite', []],
    ['pglite', ['--max-old-space-size=96', '--max-semi-space-size=4']],
  ];
  for (const [kind, flags] of runs) {
    // The child runs the compiled code (npm run build) so no TypeScript loader sits in its memory.
    const script = fileURLToPath(new URL('./import-child.mjs', import.meta.url));
    const child = spawnSync(process.execPath, [...flags, script, big, kind, await pgliteTemplate()], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`big import failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
      ms: number;
      maxRssMb: number;
      afterOpenMb: number;
      entities: number;
    };
    console.log(
      `| ${(bytes / 1e6).toFixed(0)} MB, ${records} records | ${kind}${flags.length ? ` (node ${flags.join(' ')})` : ''} | ${(r.ms / 1000).toFixed(1)} s | ${r.maxRssMb.toFixed(0)} MB | ${r.afterOpenMb.toFixed(0)} MB | ${r.entities} |`,
    );
  }
  rmSync(tmp, { recursive: true, force: true });
}
