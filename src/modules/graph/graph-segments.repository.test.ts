import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createGraphService, type FlagSource } from './graph.service.js';
import { openSegmentStore } from './graph-segments.repository.js';
import { parseTransferLine, type Transfer } from './transfer.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'cordon-graph-'));
  dirs.push(d);
  return d;
}

const A = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const B = 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8';
const C = 'TPYmHEhy5n8TCEfYGqW2rPxsghSfzghPDn';
function t(id: string, from: string, to: string, amount: string, at: number): Transfer {
  const r = parseTransferLine(
    JSON.stringify({
      id,
      chain: 'tron',
      asset: 'USDT',
      from,
      to,
      amount,
      timestamp: 1_700_000_000 + at,
      tx: `tx-${id}`,
    }),
    1,
  );
  if (!r.ok || r.kind !== 'transfer') throw new Error(id);
  return r.transfer;
}
const flags: FlagSource = {
  flagsOf: (key) =>
    key === `tron:${A}`
      ? [
          {
            entityId: 'huione',
            entityName: 'Huione Group',
            category: 'special-measures',
            source: 'fincen-311',
          },
        ]
      : undefined,
  basis: () => ['fincen-311@1'],
};

test('graph store: ingest is durable, de-duplicated, and answers with exact amounts after a restart', async () => {
  const dir = await tempDir();
  const first = createGraphService({ segments: await openSegmentStore(dir), flags });
  await first.load();
  assert.deepEqual(await first.ingest([t('1', A, B, '100.123456', 1), t('2', B, C, '60', 2)]), {
    added: 2,
    duplicates: 0,
    seqs: [0, 1],
  });
  // The same ids again (and twice in one batch) are skipped.
  assert.deepEqual(await first.ingest([t('2', B, C, '60', 2), t('3', A, C, '1', 3), t('3', A, C, '1', 3)]), {
    added: 1,
    duplicates: 2,
    seqs: [-1, 2, -1],
  });
  first.close();

  const second = createGraphService({ segments: await openSegmentStore(dir), flags });
  assert.deepEqual(await second.load(), { segments: 2, transfers: 3 });
  const r = second.exposure({ address: `tron:${C}`, direction: 'incoming', hops: 2, method: 'haircut' });
  const d = r.directions[0];
  assert.deepEqual(d?.volume, { USDT: '61' });
  assert.equal(d?.entities[0]?.entityId, 'huione');
  assert.equal(d?.entities[0]?.minHops, 1);
  // The strongest path (haircut): 60 via B, which A paid first, not the direct 1.
  assert.deepEqual(
    d?.paths[0]?.transfers.map((x) => [x.id, x.amount, x.tx, x.from]),
    [
      ['1', '100.123456', 'tx-1', A],
      ['2', '60', 'tx-2', B],
    ],
  );
  assert.equal(second.transfer(0).amount, '100.123456');
  assert.deepEqual(await second.ingest([t('1', A, B, '100.123456', 1)]), {
    added: 0,
    duplicates: 1,
    seqs: [-1],
  });
  second.close();
});

test('graph store: small segments merge into one, and the merged folder loads the same graph', async () => {
  const dir = await tempDir();
  const svc = createGraphService({
    segments: await openSegmentStore(dir),
    flags,
    settings: { mergeWhen: 4 },
  });
  await svc.load();
  for (let i = 0; i < 6; i++) await svc.ingest([t(`m${i}`, A, B, String(i + 1), i)]);
  assert.equal(await svc.mergeSmallSegments(), 6);
  assert.deepEqual(await readdir(dir), ['000001-000006.seg']);
  assert.equal(svc.transfer(5).amount, '6');
  await svc.ingest([t('m6', B, A, '7', 7)]);
  svc.close();
  // A leftover of an interrupted merge (a covered single file) and a temporary file are ignored.
  await writeFile(join(dir, '000003.seg'), 'junk');
  await writeFile(join(dir, '.000009.seg.tmp'), 'junk');
  const again = createGraphService({ segments: await openSegmentStore(dir), flags });
  assert.deepEqual(await again.load(), { segments: 2, transfers: 7 });
  assert.deepEqual(
    [0, 6].map((s) => again.transfer(s).id),
    ['m0', 'm6'],
  );
  assert.deepEqual((await readdir(dir)).sort(), ['000001-000006.seg', '000007.seg']);
  again.close();
});

test('graph store: a damaged segment is refused with its name', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, '000001.seg'), Buffer.alloc(64));
  const svc = createGraphService({ segments: await openSegmentStore(dir), flags });
  await assert.rejects(svc.load(), /000001\.seg: not a cordon graph segment/);
});

test('graph store: transfers taken back (a reorg) carry no value, may come again, and stay removed after a restart', async () => {
  const dir = await tempDir();
  const svc = createGraphService({ segments: await openSegmentStore(dir), flags });
  await svc.load();
  const { seqs } = await svc.ingest([t('r1', A, B, '10', 1), t('r2', B, C, '10', 2)]);
  const exposureOfC = (g: typeof svc) =>
    g.exposure({ address: `tron:${C}`, direction: 'incoming', hops: 2, method: 'poison' }).directions[0]
      ?.entities.length;
  assert.equal(exposureOfC(svc), 1);
  assert.equal(await svc.remove([seqs[0] as number]), 1);
  assert.equal(await svc.remove([seqs[0] as number]), 0, 'already removed');
  assert.equal(exposureOfC(svc), 0, 'the removed transfer is no path');
  svc.close();
  const again = createGraphService({ segments: await openSegmentStore(dir), flags });
  await again.load();
  assert.equal(exposureOfC(again), 0);
  // The same id on the new fork is a new transfer, not a duplicate.
  assert.deepEqual((await again.ingest([t('r1', A, B, '10', 3)])).added, 1);
  assert.equal(exposureOfC(again), 0, 'it came after B paid C');
  again.close();
});
