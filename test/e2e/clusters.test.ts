import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type FlagView, flagSourceOf } from '../../src/main/graph-wiring.js';
import {
  clusterRoutes,
  createClusterer,
  createGraphService,
  type GraphService,
  openSegmentStore,
  parseTransferLine,
  restoreClusterer,
  utxoToTransfers,
} from '../../src/modules/graph/index.js';
import type { AddressIndex } from '../../src/modules/screening/index.js';
import { buildApp } from '../../src/platform/http/app.js';
import { createMetrics } from '../../src/platform/metrics.js';

const LISTED = '1BoatSLRHtKNngkdXEeobR76b53LETtpyT'; // stands for a sanctioned entity's published address
const FRESH = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'; // never listed
const CUSTOMER = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

/** An address index holding one listed address (the screening index's port, in memory). */
const index = {
  size: 1,
  lookupKey: (key: string) =>
    key === `bitcoin:${LISTED}`
      ? [
          {
            listedAs: LISTED,
            listedCurrency: 'XBT',
            entityId: 'ofac-sdn:1',
            entityName: 'Sanctioned Operator',
            category: 'sanctioned',
            source: 'ofac-sdn',
            versionId: 'lv_1',
            attributedBy: 'OFAC',
            confidence: 1,
          },
        ]
      : undefined,
  screen: () => {
    throw new Error('not used');
  },
} as unknown as AddressIndex;
const view = (): FlagView => ({ index, versions: { 'ofac-sdn': 'ofac-sdn@1' } });

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function openGraph(dir: string): Promise<GraphService> {
  let graph: GraphService | undefined;
  const attributions = (key: string) => index.lookupKey(key);
  graph = createGraphService({
    segments: await openSegmentStore(dir),
    flags: flagSourceOf(view, () => graph),
    clustering: (log) =>
      log === undefined ? createClusterer({ attributions }) : restoreClusterer(log, { attributions }),
  });
  await graph.load();
  return graph;
}

test('a fresh address that co-spends with a listed one inherits its entity, in clusters and exposure, until the merge is undone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-clusters-'));
  dirs.push(dir);
  const line = parseTransferLine(
    JSON.stringify({
      tx: 'cospend',
      chain: 'bitcoin',
      timestamp: 1_700_000_000,
      inputs: [
        { address: LISTED, amount: '0.5' },
        { address: FRESH, amount: '0.5' },
      ],
      outputs: [
        { address: CUSTOMER, amount: '0.9' },
        { address: LISTED, amount: '0.09' },
      ],
    }),
    1,
  );
  assert.ok(line.ok && line.kind === 'utxo');
  const graph = await openGraph(dir);
  await graph.ingest(utxoToTransfers(line.utxo), [line.utxo]);
  const exposure = (g: GraphService) =>
    g
      .exposure({ address: `bitcoin:${CUSTOMER}`, direction: 'incoming', hops: 1, method: 'haircut' })
      .directions[0]?.entities.map((e) => [e.entityId, e.share, e.sources.join(',')]);
  // Half came from the listed address itself, half from its co-spender: all of it is the entity's.
  assert.deepEqual(exposure(graph), [['ofac-sdn:1', 1, 'cluster:ofac-sdn,ofac-sdn']]);

  const app = await buildApp({
    logger: false,
    metrics: createMetrics({ defaultMetrics: false }),
    authenticate: async (token) =>
      token === 'mlro'
        ? { keyId: 'k1', name: 'mlro one', role: 'mlro' }
        : token === 'ana'
          ? { keyId: 'k2', name: 'analyst', role: 'analyst' }
          : null,
    checks: {},
    bodyLimitBytes: 1_000_000,
    version: 'test',
    routes: [clusterRoutes(graph)],
  });
  try {
    const view = await app.inject({
      method: 'GET',
      url: `/v1/clusters/bitcoin/${FRESH}`,
      headers: { authorization: 'Bearer ana' },
    });
    assert.equal(view.statusCode, 200);
    const body = view.json() as {
      size: number;
      attributions: {
        entityId: string;
        confidence: number;
        via: { id: number; heuristic: string; tx: string }[];
      }[];
    };
    assert.equal(body.size, 2);
    assert.equal(body.attributions[0]?.entityId, 'ofac-sdn:1');
    assert.equal(body.attributions[0]?.confidence, 0.95);
    assert.deepEqual(
      body.attributions[0]?.via.map((m) => [m.heuristic, m.tx]),
      [['common-input', 'cospend']],
    );
    const mergeId = body.attributions[0]?.via[0]?.id;
    const forbidden = await app.inject({
      method: 'POST',
      url: `/v1/clusters/merges/${mergeId}/undo`,
      headers: { authorization: 'Bearer ana' },
      payload: { reason: 'shared custodial wallet' },
    });
    assert.equal(forbidden.statusCode, 403);
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/clusters/merges/999/undo',
      headers: { authorization: 'Bearer mlro' },
      payload: { reason: 'no such merge' },
    });
    assert.equal(missing.statusCode, 404);
    const undo = await app.inject({
      method: 'POST',
      url: `/v1/clusters/merges/${mergeId}/undo`,
      headers: { authorization: 'Bearer mlro' },
      payload: { reason: 'shared custodial wallet' },
    });
    assert.equal(undo.statusCode, 200, undo.body);
    assert.equal((undo.json() as { parts: number }).parts, 2);
  } finally {
    await app.close();
  }
  assert.deepEqual(exposure(graph), [['ofac-sdn:1', 0.5, 'ofac-sdn']]);
  graph.close();

  // The merge log survived: after a restart the undo still holds and the merge is not re-created.
  const again = await openGraph(dir);
  assert.deepEqual(exposure(again), [['ofac-sdn:1', 0.5, 'ofac-sdn']]);
  assert.equal(again.clusterer?.merges({ status: 'undone' }).length, 1);
  again.close();
});
