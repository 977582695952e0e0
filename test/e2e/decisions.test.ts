import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { activeFlagView, type FlagView, flagSourceOf } from '../../src/main/graph-wiring.js';
import {
  cachingCustomerStore,
  createCustomerService,
  createCustomersRepository,
  createDecisionService,
  createDecisionState,
  createDecisionsRepository,
  createLookbackRepository,
  createLookbackService,
  createPoliciesRepository,
  createPolicyService,
  customersRoutes,
  DEFAULT_RISK_SETTINGS,
  decisionsRoutes,
  ensureBuiltinPacks,
  type LookbackService,
  lookbackRoutes,
  policiesRoutes,
} from '../../src/modules/decisions/index.js';
import {
  createGraphService,
  type GraphService,
  openSegmentStore,
  parseTransferLine,
  type Transfer,
} from '../../src/modules/graph/index.js';
import {
  createActiveListReader,
  createListRepository,
  createListService,
  ensureBuiltinLists,
  formatByName,
  type ListService,
} from '../../src/modules/lists/index.js';
import {
  buildAddressIndex,
  createScreeningService,
  DEFAULT_SCREENING_SETTINGS,
} from '../../src/modules/screening/index.js';
import { localFile } from '../../src/platform/files.js';
import { type App, buildApp } from '../../src/platform/http/app.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { createFixedClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import type { Principal } from '../../src/shared/roles.js';
import { STORES, type TestStore } from '../helpers/stores.js';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const OFAC_LISTED = 'TA3rH2A7iHnm6pKH8gr9cK1EZnShnmZdFg'; // ISIL Khorasan in the OFAC crypto-address file
const HUIONE_ATTRIBUTED = 'TPW4KJSVKQMea3noY7xSUxhPWcVBj8ujAr';
const NEAR_HAOWANG = 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8';
// On the chain: Haowang's wallet pays a mule, the mule and a clean source pay NEAR_HAOWANG.
const HAOWANG_WALLET = 'TYMT7eHzCePV6UaDRKy32dPm2YVY9YNeQ6';
const MULE = 'TVfCpJPG4F2gDhKK3JKdEyd3J3GiZGYJXN';
const CLEAN_SOURCE = 'TLaWh8tSGwBtHD8pH9uH5gdV3MruWSutWq';
const CLEAN = 'TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk58';
const KEYS: Record<string, Principal> = {
  svc: { keyId: 'key_svc', name: 'platform', role: 'service' },
  mlro: { keyId: 'key_mlro', name: 'mlro', role: 'mlro' },
  analyst: { keyId: 'key_analyst', name: 'analyst', role: 'analyst' },
};

function csvFile(name: string, text: string) {
  const bytes = new TextEncoder().encode(text);
  return {
    name,
    open: async function* () {
      yield bytes;
    },
  };
}

const ATTRIBUTIONS_V1 = `chain,address,entity,category,source,confidence
tron,${HUIONE_ATTRIBUTED},fincen-311-huione:huione-pay-plc,special-measures,investigation 2025-17,0.95
tron,${HAOWANG_WALLET},fincen-311-huione:haowang-guarantee,special-measures,investigation 2025-17,0.9
`;

/** Transfers in the contract's JSON Lines format: [id, from, to, USDT, ISO time]. */
function chainTransfers(rows: [string, string, string, string, string][]): Transfer[] {
  return rows.map(([id, from, to, amount, timestamp], i) => {
    const line = JSON.stringify({ id, chain: 'tron', asset: 'USDT', from, to, amount, timestamp, tx: id });
    const r = parseTransferLine(line, i + 1);
    if (!r.ok || r.kind !== 'transfer') throw new Error(`test transfer ${id}: ${JSON.stringify(r)}`);
    return r.transfer;
  });
}
const ATTRIBUTIONS_V2 = `${ATTRIBUTIONS_V1}tron,${CLEAN},fincen-311-huione:haowang-guarantee,special-measures,investigation 2026-02,0.9
`;

for (const { label, open } of STORES) {
  describe(`real-time decisions through HTTP on ${label}`, () => {
    let t: TestStore;
    let app: App;
    let lists: ListService;
    let lookback: LookbackService;
    // The real transfer graph, flagged from the store's active lists as `cordon serve` does.
    let graphDir: string;
    let graph: GraphService;
    let flagView: FlagView = { index: buildAddressIndex([], () => undefined), versions: {} };
    const clock = createFixedClock(Date.parse('2026-03-02T09:00:00Z'));

    async function build() {
      const db = t.store.db;
      lists = createListService({
        store: createListRepository(t.store),
        clock,
        newId: (p) => newId(p, clock.nowMs()),
      });
      const screening = createScreeningService({
        source: createActiveListReader(db),
        settings: DEFAULT_SCREENING_SETTINGS,
        yieldNow: async () => {},
        now: () => performance.now(),
      });
      const ids = (p: string) => newId(p, clock.nowMs());
      const policies = createPolicyService({ store: createPoliciesRepository(db), clock });
      await ensureBuiltinPacks(policies);
      // As `cordon serve` wires them by default: customers cached, decision state in memory.
      const customerStore = cachingCustomerStore(createCustomersRepository(db), {
        ttlMs: 10_000,
        now: () => clock.nowMs(),
      });
      const decisionsRepository = createDecisionsRepository(db);
      const state = createDecisionState(decisionsRepository, decisionsRepository, {
        riskCommitted: (id, risk) => customerStore.riskCommitted(id, risk),
      });
      await state.load();
      const customers = createCustomerService({
        store: customerStore,
        screener: screening,
        clock,
        newId: ids,
      });
      const decisions = createDecisionService({
        store: state.store,
        customers,
        screening,
        exposure: graph,
        policies,
        clock,
        newId: ids,
        riskSettings: DEFAULT_RISK_SETTINGS,
      });
      lookback = createLookbackService({
        store: createLookbackRepository(db),
        lists,
        screening,
        customers,
        clock,
        newId: ids,
        yieldNow: async () => {},
        settings: { addressBatch: 1, customerBatch: 1 },
      });
      app = await buildApp({
        logger: false,
        metrics: createMetrics({ defaultMetrics: false }),
        authenticate: async (token) => KEYS[token] ?? null,
        checks: {},
        bodyLimitBytes: 1_000_000,
        version: 'test',
        routes: [
          decisionsRoutes(decisions),
          customersRoutes(customers),
          policiesRoutes(policies),
          lookbackRoutes(lookback),
        ],
      });
    }

    before(async () => {
      t = await open();
      graphDir = await mkdtemp(join(tmpdir(), 'cordon-decisions-graph-'));
      graph = createGraphService({
        segments: await openSegmentStore(graphDir),
        flags: flagSourceOf(() => flagView),
      });
      await graph.load();
      await graph.ingest(
        chainTransfers([
          ['hw-1', HAOWANG_WALLET, MULE, '4000', '2026-02-20T10:00:00Z'],
          ['cs-1', CLEAN_SOURCE, MULE, '6000', '2026-02-20T11:00:00Z'],
          ['mu-1', MULE, NEAR_HAOWANG, '10000', '2026-02-21T09:00:00Z'],
          ['cs-2', CLEAN_SOURCE, NEAR_HAOWANG, '5000', '2026-02-22T09:00:00Z'],
        ]),
      );
      await build();
      await ensureBuiltinLists(lists, 1e6);
      await lists.importFiles({
        format: formatByName('ofac-crypto'),
        files: [localFile(join(DATA, 'ofac_crypto', 'ofac_sdn_crypto_addresses_2026-09-18_nonBTC.csv'))],
        importedBy: 'test',
        maxFileBytes: 1e8,
      });
      await lists.importFiles({
        format: formatByName('attribution-csv'),
        files: [csvFile('attributions.csv', ATTRIBUTIONS_V1)],
        importedBy: 'test',
        maxFileBytes: 1e6,
      });
      await lookback.runPending(); // the initial imports: nothing to look back on yet
      flagView = await activeFlagView(t.store);
    });
    after(async () => {
      await app?.close();
      graph?.close();
      await t?.dispose();
      if (graphDir) await rm(graphDir, { recursive: true, force: true });
    });

    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: unknown) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload ? { payload: payload as object } : {}),
      });

    const deposit = (id: string, from: string, amount = '1000') =>
      call('POST', '/v1/transfers', 'svc', {
        id,
        customerId: 'cust-1',
        chain: 'tron',
        asset: 'USDT',
        amount,
        from: [from],
        tx: `tx-${id}`,
        priceUsd: '1',
      });

    test('a customer of cordon-us is created, screened and rated; a repeat returns it', async () => {
      const body = {
        id: 'cust-1',
        type: 'person',
        names: { primary: 'Dara Sok', aliases: ['Sok Dara'] },
        birthDate: '1988-04-12',
        nationality: ['KH'],
        residence: 'US',
        legalEntity: 'cordon-us',
        kycLevel: 2,
        expectedMonthlyVolumeUsd: 20000,
      };
      assert.equal(
        (await call('POST', '/v1/customers', 'svc', { ...body, legalEntity: 'cordon-mars' })).statusCode,
        400,
      );
      const res = await call('POST', '/v1/customers', 'svc', body);
      assert.equal(res.statusCode, 201, res.body);
      const c = res.json() as {
        jurisdiction: string;
        screening: { status: string };
        risk: { rating: string };
      };
      assert.equal(c.jurisdiction, 'US');
      assert.equal(c.screening.status, 'clear');
      assert.equal(c.risk.rating, 'low');
      const again = await call('POST', '/v1/customers', 'svc', body);
      assert.equal(again.statusCode, 200);
      assert.equal((await call('POST', '/v1/customers', 'svc', { ...body, kycLevel: 3 })).statusCode, 409);
    });

    test('a clean deposit is allowed', async () => {
      const res = await deposit('dep-clean', CLEAN);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal((res.json() as { decision: string }).decision, 'allow');
    });

    test('a deposit from a Huione-attributed address is blocked under the US pack, and the reasons say why', async () => {
      const res = await deposit('dep-huione', HUIONE_ATTRIBUTED);
      assert.equal(res.statusCode, 201, res.body);
      const d = res.json() as {
        decision: string;
        policies: { packId: string; version: number }[];
        listVersions: Record<string, string>;
        reasons: {
          ruleId: string;
          why: string;
          evidence: { detail: { entityName: string; source: string }[] };
        }[];
      };
      assert.equal(d.decision, 'block');
      const r = d.reasons.find((x) => x.ruleId === 'us.fincen-311-huione-direct');
      assert.ok(r, res.body);
      assert.match(r.why, /primary money laundering concern/);
      assert.deepEqual(
        r.evidence.detail.map((h) => [h.entityName, h.source]),
        [['Huione Pay PLC', 'attributions']],
      );
      assert.ok(d.policies.some((p) => p.packId === 'us' && p.version === 1));
      assert.match(d.listVersions.attributions ?? '', /^attributions@/);
    });

    test('a deposit two hops from Haowang Guarantee is held', async () => {
      // NEAR_HAOWANG received 10,000 from the mule and 5,000 from a clean source; 4,000 of the
      // mule's 10,000 came from Haowang's wallet. Haircut: 10,000 × 0.4 / 15,000 = 4/15 of the funds.
      const res = await deposit('dep-haowang', NEAR_HAOWANG);
      const d = res.json() as {
        decision: string;
        reasons: {
          ruleId: string;
          evidence: { detail: { entityId: string; direct: boolean; minHops: number; share: number }[] };
        }[];
      };
      assert.equal(d.decision, 'hold', res.body);
      assert.deepEqual(
        d.reasons.map((r) => r.ruleId),
        ['us.fincen-311-huione-indirect'],
      );
      const [entity] = d.reasons[0]?.evidence.detail ?? [];
      assert.equal(entity?.entityId, 'fincen-311-huione:haowang-guarantee', res.body);
      assert.equal(entity?.direct, false);
      // hops in the decision context count from the exchange: the sender is hop 1, the mule hop 2
      assert.equal(entity?.minHops, 3);
      assert.ok(Math.abs((entity?.share ?? 0) - 4 / 15) < 5e-7, `share ${entity?.share}`); // shares carry 6 decimals
    });

    test('a withdrawal to an OFAC-listed address is refused before broadcast', async () => {
      const res = await call('POST', '/v1/withdrawal-attempts', 'svc', {
        id: 'wd-ofac',
        customerId: 'cust-1',
        chain: 'tron',
        asset: 'USDT',
        amount: '300',
        to: OFAC_LISTED,
      });
      const d = res.json() as { decision: string; reasons: { ruleId: string }[] };
      assert.equal(d.decision, 'freeze', res.body);
      assert.ok(d.reasons.some((r) => r.ruleId === 'us.ofac-sdn-direct'));
    });

    test('repeats return the first decision; a conflicting repeat is a 409; decisions survive a restart', async () => {
      const first = await deposit('dep-repeat', CLEAN, '42');
      const again = await deposit('dep-repeat', CLEAN, '42.00');
      assert.equal(again.body, first.body);
      assert.equal((await deposit('dep-repeat', CLEAN, '43')).statusCode, 409);

      await app.close();
      await t.store.close();
      await t.reopen();
      await build();
      const afterRestart = await deposit('dep-repeat', CLEAN, '42');
      assert.equal(afterRestart.body, first.body);
      const customer = await call('GET', '/v1/customers/cust-1', 'analyst');
      assert.equal(
        (customer.json() as { risk: { rating: string } }).risk.rating,
        'high',
        'the refusals raised the rating',
      );
    });

    test('a new list version opens look-back alerts for past transfers now linked to Huione', async () => {
      await lists.importFiles({
        format: formatByName('attribution-csv'),
        files: [csvFile('attributions.csv', ATTRIBUTIONS_V2)],
        importedBy: 'test',
        maxFileBytes: 1e6,
      });
      const jobs = await lookback.runPending();
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0]?.status, 'done', jobs[0]?.error ?? '');
      assert.equal(jobs[0]?.progress.addressesTotal, 1);
      const res = await call('GET', '/v1/alerts?kind=lookback.transfer', 'analyst');
      assert.equal(res.statusCode, 200);
      const alerts = (
        res.json() as { alerts: { transferId: string; reason: string; evidence: { entityId: string } }[] }
      ).alerts;
      // the clean deposit and the repeated one both came from the newly attributed address
      assert.equal(alerts.length, 2, res.body);
      assert.ok(alerts.every((a) => a.evidence.entityId === 'fincen-311-huione:haowang-guarantee'));
      assert.match(alerts[0]?.reason ?? '', /linked to Haowang Guarantee \(special-measures\)/);

      // running again finds the job done and opens nothing new
      assert.deepEqual(await lookback.runPending(), []);
      const list = await call('GET', '/v1/lookbacks', 'analyst');
      assert.equal((list.json() as { jobs: { status: string }[] }).jobs[0]?.status, 'done');
    });

    test('policies: listed and read by staff; a bad draft is a 400 naming the rule; publishing is the MLRO’s', async () => {
      const packs = await call('GET', '/v1/policies', 'analyst');
      assert.deepEqual(
        (packs.json() as { packs: { id: string; published: number }[] }).packs.map((p) => [
          p.id,
          p.published,
        ]),
        [
          ['eu', 1],
          ['global', 1],
          ['uk', 1],
          ['us', 1],
        ],
      );
      const us = (await call('GET', '/v1/policies/us/versions/1', 'analyst')).json() as {
        definition: { id: string; rules: { id: string; expression: string }[] };
      };
      const bad = {
        ...us.definition,
        rules: [
          ...us.definition.rules,
          { ...us.definition.rules[0], id: 'us.typo', expression: 'customer.kyclevel < 2' },
        ],
      };
      const v = await call('POST', '/v1/policies/validate', 'mlro', bad);
      assert.equal(v.statusCode, 400);
      const p = v.json() as {
        errors: { field: string }[];
        details: { ruleId: string; position: { column: number } };
      };
      assert.equal(p.details.ruleId, 'us.typo');
      assert.equal(p.details.position.column, 10);
      assert.equal(p.errors[0]?.field, `rules[${us.definition.rules.length}].expression`);

      const draft = await call('POST', '/v1/policies/drafts', 'mlro', {
        pack: us.definition,
        note: 'same rules',
      });
      assert.equal(draft.statusCode, 201, draft.body);
      const version = (draft.json() as { version: number }).version;
      assert.equal(
        (await call('POST', `/v1/policies/us/versions/${version}/publish`, 'analyst')).statusCode,
        403,
      );
      const shadow = await call('POST', `/v1/policies/us/versions/${version}/shadow`, 'mlro', {
        enabled: true,
      });
      assert.equal(shadow.statusCode, 200);
      await deposit('dep-shadowed', CLEAN, '5');
      const results = await call('GET', `/v1/policies/us/versions/${version}/shadow-results`, 'analyst');
      assert.equal((results.json() as { results: unknown[] }).results.length, 1);
      const published = await call('POST', `/v1/policies/us/versions/${version}/publish`, 'mlro');
      assert.equal(published.statusCode, 200, published.body);
      assert.equal((published.json() as { status: string }).status, 'published');
      assert.equal(
        (await call('POST', `/v1/policies/us/versions/${version}/publish`, 'mlro')).statusCode,
        409,
      );
    });
  });
}
