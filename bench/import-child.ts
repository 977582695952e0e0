// One import in its own process, reporting wall time and peak resident memory (for the big-file benchmark).
import { rmSync } from 'node:fs';
import { createListRepository, createListService, formatByName } from '../src/modules/lists/index.js';
import { systemClock } from '../src/platform/clock.js';
import { openStore } from '../src/platform/db/store.js';
import { localFile } from '../src/platform/files.js';
import { freshPgliteDir } from '../test/helpers/stores.js';

const file = process.argv[2] as string;
const dir = await freshPgliteDir();
const store = await openStore({ kind: 'pglite', dir });
const lists = createListService({
  store: createListRepository(store.db),
  clock: systemClock,
  newId: (p) => `${p}_${Date.now()}`,
});
const t0 = performance.now();
const r = await lists.importFiles({
  format: formatByName('un-xml'),
  files: [localFile(file)],
  importedBy: 'bench',
  maxFileBytes: 1 << 30,
});
const ms = performance.now() - t0;
await store.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    entities: r.version.counts.entities,
  }),
);
