import { type Kysely, type Selectable, sql } from 'kysely';
import type { AlertTable, Database, DecisionTable } from '../../platform/db/schema.js';
import type { Alert, AlertKind } from './alert.js';
import { compactInputs, expandInputs } from './decision-inputs.js';
import type { DecisionHistory, WindowTransfer } from './decision-state.js';
import type { DecisionRecord, DecisionStore, StoredAnswer, StoredDecision } from './decisions.service.js';
import type { DecisionResponse } from './pipeline.js';
import type { Action } from './policy.js';
import type { TransferKind } from './transfer-input.js';

const DAY_MS = 86_400_000;
/** Between the answers of a batch sent as one text: JSON text never holds it unescaped. */
const SEPARATOR = '\u001e';
/** Most decisions written in one transaction, unless told otherwise. */
export const DEFAULT_MAX_BATCH = 200;
/**
 * How long one batch should take to write, unless told otherwise: a batch is sized from the recent
 * write time per decision so that it takes about this long. Without it, a stall of any thread (a
 * collection, the host) lets the queue grow and the next batch carries everything queued (200
 * decisions, 60–120 ms to write), while each of them waits for the last one. Not much lower: each
 * batch costs a round trip through the main thread's event loop, and at 10 ms a backlog drained
 * more slowly than in one statement (docs/benchmarks.md, decisions, 2026-11-22 (last)).
 */
export const DEFAULT_BATCH_TARGET_MS = 40;
/** The smallest batch the time target may ask for: below it, the fixed cost of a statement dominates. */
const MIN_BATCH = 8;
/** Write time per decision assumed until batches have been measured (a large batch on a busy host). */
const INITIAL_MS_PER_DECISION = 0.5;

/** One group-commit batch written in one statement: what the store was sent and how long it took. */
export interface BatchWritten {
  /** Decisions in the batch. */
  size: number;
  /** Characters of JSON sent (the row sets of every table). */
  jsonChars: number;
  /** From sending the statement to its answer, as the caller waits for it. */
  writeMs: number;
  /** Decisions still queued behind this batch when it was answered. */
  queued: number;
}

/** Whether an error is a unique-constraint violation (the same SQLSTATE on both stores). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown })?.code === '23505';
}

/** JSON columns come back parsed from PostgreSQL and PGlite alike; text is parsed here just in case. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * Transfers, decisions, shadow results and alerts in the store (PGlite or PostgreSQL). A decision
 * is written with its transfer, its inputs, its alert and the customer's new rating in one
 * transaction; the store refuses any later change to it.
 */
export function createDecisionsRepository(
  db: Kysely<Database>,
  options: {
    /** Told when a batch could not be written at once and went the conflict-aware way (a racing repeat…). */
    onBatchFallback?: (error: unknown, size: number) => void;
    /** Most decisions in one batch (one statement, one transaction). */
    maxBatch?: number;
    /** How long one batch should take to write (0: no time cap, only `maxBatch`). */
    batchTargetMs?: number;
    /** Told after each batch written in one statement (for metrics). */
    onBatchWritten?: (batch: BatchWritten) => void;
    /**
     * Batches sent before the answer to the first has come back (1: each waits for the one before).
     * More than 1 pays only on a store that runs statements in the order sent (the embedded store:
     * the database thread then has the next batch at hand while this thread reads an answer).
     * Elsewhere a batch that overtakes the one before it writes nothing and is sent again.
     */
    inFlight?: number;
  } = {},
): DecisionStore & DecisionHistory {
  async function findAnswer(kind: TransferKind, clientId: string) {
    // By the transfers' unique key (kind, client id); a decision belongs to one transfer.
    const row = await db
      .selectFrom('transfers')
      .innerJoin('decisions', 'decisions.transfer_id', 'transfers.id')
      .select(['transfers.request_hash', 'decisions.response'])
      .where('transfers.kind', '=', kind)
      .where('transfers.client_id', '=', clientId)
      .executeTakeFirst();
    return row ? { requestHash: row.request_hash, response: row.response } : undefined;
  }

  type Pending = {
    r: DecisionRecord;
    resolve: (v: { ok: true } | { ok: false; existing: StoredAnswer }) => void;
    reject: (e: unknown) => void;
  };
  const queue: Pending[] = [];
  let flushing = false;
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const batchTargetMs = options.batchTargetMs ?? DEFAULT_BATCH_TARGET_MS;
  // Write time per decision, smoothed over the recent batches of at least MIN_BATCH (a smaller
  // batch measures mostly the statement's fixed cost and the main thread's delay in reading the answer).
  let msPerDecision = INITIAL_MS_PER_DECISION;
  const nextBatchSize = () =>
    batchTargetMs > 0
      ? Math.min(maxBatch, Math.max(MIN_BATCH, Math.floor(batchTargetMs / msPerDecision)))
      : maxBatch;

  /** Writes records in one transaction; returns the transfer ids that were new (the others were repeats). */
  async function writeBatch(records: readonly DecisionRecord[]): Promise<Set<string>> {
    return db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('transfers')
        .values(
          records.map((r) => ({
            ...transferRow(r),
            counterparties: JSON.stringify(r.transfer.counterparties),
          })),
        )
        .onConflict((oc) => oc.columns(['kind', 'client_id']).doNothing())
        .returning('id')
        .execute();
      const fresh = new Set(inserted.map((x) => x.id));
      const written = records.filter((x) => fresh.has(x.transfer.id));
      if (written.length === 0) return fresh;
      await tx.insertInto('transfer_addresses').values(written.flatMap(addressRows)).execute();
      await tx
        .insertInto('decisions')
        .values(
          written.map((r) => {
            const { i: _, ...row } = decisionRow(r, 0, r.decision.response);
            return { ...row, response: r.decision.response, inputs: JSON.stringify(row.inputs) };
          }),
        )
        .execute();
      const shadows = written.flatMap((r) =>
        shadowRows(r).map((x) => ({ ...x, reasons: JSON.stringify(x.reasons) })),
      );
      if (shadows.length > 0) await tx.insertInto('shadow_results').values(shadows).execute();
      for (const { alert } of written) if (alert) await insertAlert(tx, alert);
      for (const { customerRisk } of written)
        if (customerRisk)
          await tx
            .updateTable('customers')
            .set({ risk_rating: customerRisk.risk.rating, risk: JSON.stringify(customerRisk.risk) })
            .where('id', '=', customerRisk.customerId)
            .execute();
      return fresh;
    });
  }

  /**
   * Writes new records in ONE statement (data-modifying CTEs over JSON row sets), so a batch is a
   * single round trip to the store and commits atomically on its own. Plain inserts: a (kind,
   * client id) already taken fails the whole statement with a unique violation, and the caller falls
   * back to the conflict-aware path, so nothing is half-applied.
   *
   * `after`: the first transfer of the batch sent just before this one, still unanswered when this
   * one was sent. The statement writes nothing unless that transfer is in the store, so a batch
   * queued behind one that failed does not commit ahead of the failed batch's fallback (the
   * caller sends it again after). Returns the transfers written (0: held back) and the JSON sent.
   *
   * The answers (`response`, JSON text already) go as one text, separated by a character that
   * JSON text from `JSON.stringify` never holds (U+001E), rather than as strings inside the rows'
   * JSON: not escaped again here, nor parsed again by the store. An answer that does hold the
   * separator goes inside its row instead.
   */
  async function writeBatchAtOnce(
    records: readonly DecisionRecord[],
    after: string | null,
  ): Promise<{ written: number; jsonChars: number }> {
    const shadows: unknown[] = [];
    const alerts: unknown[] = [];
    const risks = new Map<string, unknown>();
    const addresses: unknown[] = [];
    const responses: string[] = [];
    const decisionRows: unknown[] = [];
    for (const r of records) {
      const { alert, customerRisk } = r;
      addresses.push(...addressRows(r));
      shadows.push(...shadowRows(r));
      if (alert) alerts.push(alertValues(alert));
      // Several decisions of one customer in a batch: the last rating wins, as written in order.
      if (customerRisk) {
        risks.delete(customerRisk.customerId);
        risks.set(customerRisk.customerId, {
          id: customerRisk.customerId,
          risk_rating: customerRisk.risk.rating,
          risk: customerRisk.risk,
        });
      }
      const response = r.decision.response;
      const inText = !response.includes(SEPARATOR);
      responses.push(inText ? response : '');
      decisionRows.push(decisionRow(r, responses.length, inText ? undefined : response));
    }
    // A separator after the last answer too: an empty text would otherwise split into no parts.
    responses.push('');
    const responseText = responses.join(SEPARATOR);
    const transfers = JSON.stringify(records.map(transferRow));
    const decisions = JSON.stringify(decisionRows);
    const addressSet = JSON.stringify(addresses);
    const shadowSet = JSON.stringify(shadows);
    const alertSet = JSON.stringify(alerts);
    const riskSet = JSON.stringify([...risks.values()]);
    const { rows } = await sql<{ transfers: string | number }>`
      with g as (
        select 1 where ${after}::text is null or exists (select 1 from transfers where id = ${after}::text)
      ), t as (
        insert into transfers (id, kind, client_id, request_hash, customer_id, chain, asset, amount_base,
          decimals, amount_usd, price_usd, near_threshold, counterparties, own_address, tx, action, received_at)
        select * from jsonb_to_recordset(${transfers}::jsonb) as x(id text, kind text, client_id text,
          request_hash text, customer_id text, chain text, asset text, amount_base numeric, decimals integer,
          amount_usd double precision, price_usd text, near_threshold boolean, counterparties jsonb,
          own_address text, tx text, action text, received_at timestamptz)
        where exists (select 1 from g)
        returning 1
      ), a as (
        insert into transfer_addresses (transfer_id, address_key, address, customer_id, kind, received_at)
        select * from jsonb_to_recordset(${addressSet}::jsonb) as x(transfer_id text,
          address_key text, address text, customer_id text, kind text, received_at timestamptz)
        where exists (select 1 from g)
        returning 1
      ), d as (
        insert into decisions (id, transfer_id, kind, client_id, customer_id, action, risk_score, inputs,
          response, decided_at)
        select x.id, x.transfer_id, x.kind, x.client_id, x.customer_id, x.action, x.risk_score, x.inputs,
          coalesce(x.response, r.response), x.decided_at
        from jsonb_to_recordset(${decisions}::jsonb) as x(i bigint, id text, transfer_id text, kind text,
          client_id text, customer_id text, action text, risk_score integer, inputs jsonb, response text,
          decided_at timestamptz)
        join string_to_table(${responseText}::text, chr(30)) with ordinality as r(response, i) on r.i = x.i
        where exists (select 1 from g)
        returning 1
      ), s as (
        insert into shadow_results (id, pack_id, version, decision_id, would_action, actual_action, reasons,
          created_at)
        select * from jsonb_to_recordset(${shadowSet}::jsonb) as x(id text, pack_id text,
          version integer, decision_id text, would_action text, actual_action text, reasons jsonb,
          created_at timestamptz)
        where exists (select 1 from g)
        returning 1
      ), al as (
        insert into alerts (id, kind, customer_id, transfer_id, decision_id, reason, evidence, status,
          dedup_key, created_at)
        select * from jsonb_to_recordset(${alertSet}::jsonb) as x(id text, kind text,
          customer_id text, transfer_id text, decision_id text, reason text, evidence jsonb, status text,
          dedup_key text, created_at timestamptz)
        where exists (select 1 from g)
        returning 1
      ), c as (
        update customers set risk_rating = x.risk_rating, risk = x.risk
        from jsonb_to_recordset(${riskSet}::jsonb) as x(id text, risk_rating text,
          risk jsonb)
        where customers.id = x.id and exists (select 1 from g)
        returning 1
      )
      select (select count(*) from t) as transfers, (select count(*) from d) as decisions`.execute(db);
    return {
      written: Number(rows[0]?.transfers ?? 0),
      jsonChars:
        transfers.length +
        decisions.length +
        responseText.length +
        addressSet.length +
        shadowSet.length +
        alertSet.length +
        riskSet.length,
    };
  }

  async function settle(batch: readonly Pending[], fresh: Set<string>) {
    for (const p of batch) {
      if (fresh.has(p.r.transfer.id)) {
        p.resolve({ ok: true });
        continue;
      }
      const existing = await findAnswer(p.r.transfer.kind, p.r.transfer.clientId);
      if (existing) p.resolve({ ok: false, existing });
      else p.reject(new Error(`transfer ${p.r.transfer.clientId} was neither written nor found`));
    }
  }

  /** A batch sent and the outcome of its one-statement write (never rejects). */
  type Sent = {
    batch: Pending[];
    /** When its statement could start: sent, or the batch before it answered, whichever is later. */
    startedAt: number;
    outcome: Promise<{ written: number; jsonChars: number } | { error: unknown }>;
  };
  const inFlight = Math.max(1, options.inFlight ?? 1);

  /**
   * Group commit: records that arrive while a batch is being written go into the next batch, so
   * under load one transaction carries many decisions (each caller still waits for its commit). A
   * batch takes at most `maxBatch` records, and about as many as the recent write time per
   * decision lets be written in `batchTargetMs`; the rest wait for the next batch, in order.
   * Up to `inFlight` batches are sent before the first is answered; they commit in the order sent.
   * A batch that fails is retried record by record, so one bad record fails alone; the batches
   * sent behind it write nothing (see `writeBatchAtOnce`) and go back to the head of the queue,
   * so they still commit after it.
   */
  async function flush() {
    flushing = true;
    const sent: Sent[] = [];
    const send = (batch: Pending[]) => {
      const previous = sent.at(-1);
      const after = previous?.batch[0]?.r.transfer.id ?? null;
      const outcome = writeBatchAtOnce(
        batch.map((p) => p.r),
        after,
      ).catch((error: unknown) => ({ error }));
      sent.push({ batch, startedAt: performance.now(), outcome });
    };
    /** Resolves a batch sent behind a failed one if it was written whole after all; true when it was. */
    const written = (s: Sent, o: { written: number } | { error: unknown }) => {
      if (!('written' in o) || o.written !== s.batch.length) return false;
      for (const p of s.batch) p.resolve({ ok: true });
      return true;
    };
    try {
      while (queue.length > 0 || sent.length > 0) {
        while (queue.length > 0 && sent.length < inFlight) send(queue.splice(0, nextBatchSize()));
        const head = sent.shift() as Sent;
        const o = await head.outcome;
        const now = performance.now();
        const next = sent[0];
        if (next && next.startedAt < now) next.startedAt = now;
        if ('written' in o && o.written === head.batch.length) {
          const writeMs = now - head.startedAt;
          const size = head.batch.length;
          if (size >= MIN_BATCH) msPerDecision += 0.2 * (writeMs / size - msPerDecision);
          options.onBatchWritten?.({ size, jsonChars: o.jsonChars, writeMs, queued: queue.length });
          for (const p of head.batch) p.resolve({ ok: true });
          continue;
        }
        // Behind it: batches already sent. Each wrote nothing (held back by this one's failure)
        // and goes back to the head of the queue, in order, to be sent after the fallback.
        const behind = sent.splice(0);
        const again: Pending[] = [];
        for (const s of behind) if (!written(s, await s.outcome)) again.push(...s.batch);
        queue.unshift(...again);
        if ('written' in o && o.written === 0) {
          // Held back itself (it overtook the batch before it): sent again, in its place.
          queue.unshift(...head.batch);
          continue;
        }
        // A repeat that raced its first request (or any other failure): the conflict-aware path.
        options.onBatchFallback?.(
          'error' in o ? o.error : new Error('batch partly written'),
          head.batch.length,
        );
        const records = head.batch.map((p) => p.r);
        try {
          await settle(head.batch, await writeBatch(records));
        } catch {
          for (const p of head.batch) {
            try {
              await settle([p], await writeBatch([p.r]));
            } catch (err) {
              p.reject(err);
            }
          }
        }
      }
    } finally {
      flushing = false;
    }
  }

  return {
    findAnswer,

    async recentTransfers(customerId, fromMs) {
      const rows = await db
        .selectFrom('transfers')
        .select(['id', 'kind', 'amount_usd', 'near_threshold', 'received_at'])
        .where('customer_id', '=', customerId)
        .where('received_at', '>', new Date(fromMs))
        .where('action', 'not in', ['block', 'freeze'])
        .orderBy('received_at')
        .execute();
      return rows.map(
        (r): WindowTransfer => ({
          id: r.id,
          atMs: new Date(r.received_at).getTime(),
          kind: r.kind as TransferKind,
          usd: r.amount_usd === null ? null : Number(r.amount_usd),
          near: r.near_threshold,
        }),
      );
    },

    async clientIds(after, limit) {
      let q = db.selectFrom('transfers').select(['id', 'kind', 'client_id']).orderBy('id').limit(limit);
      if (after !== null) q = q.where('id', '>', after);
      return (await q.execute()).map((r) => ({
        id: r.id,
        kind: r.kind as TransferKind,
        clientId: r.client_id,
      }));
    },

    async aggregates({ customerId, now, passThroughWindowMs }) {
      const t = now.getTime();
      const d1 = new Date(t - DAY_MS);
      const d7 = new Date(t - 7 * DAY_MS);
      const pt = new Date(t - passThroughWindowMs);
      const from = new Date(Math.min(t - 30 * DAY_MS, pt.getTime()));
      const d30 = new Date(t - 30 * DAY_MS);
      const { rows } = await sql<Record<string, string | number | null>>`
        select
          count(*) filter (where kind = 'deposit' and received_at > ${d1}) as dc1,
          coalesce(sum(amount_usd) filter (where kind = 'deposit' and received_at > ${d1}), 0) as ds1,
          count(*) filter (where kind = 'deposit' and received_at > ${d7}) as dc7,
          coalesce(sum(amount_usd) filter (where kind = 'deposit' and received_at > ${d7}), 0) as ds7,
          coalesce(sum(amount_usd) filter (where kind = 'deposit' and received_at > ${d30}), 0) as ds30,
          count(*) filter (where kind = 'withdrawal' and received_at > ${d1}) as wc1,
          coalesce(sum(amount_usd) filter (where kind = 'withdrawal' and received_at > ${d1}), 0) as ws1,
          count(*) filter (where kind = 'withdrawal' and received_at > ${d7}) as wc7,
          coalesce(sum(amount_usd) filter (where kind = 'withdrawal' and received_at > ${d7}), 0) as ws7,
          coalesce(sum(amount_usd) filter (where kind = 'withdrawal' and received_at > ${d30}), 0) as ws30,
          count(*) filter (where near_threshold and received_at > ${d1}) as n1,
          count(*) filter (where near_threshold and received_at > ${d7}) as n7,
          coalesce(sum(amount_usd) filter (where kind = 'deposit' and received_at > ${pt}), 0) as ptd,
          coalesce(sum(amount_usd) filter (where kind = 'withdrawal' and received_at > ${pt}), 0) as ptw
        from transfers
        where customer_id = ${customerId} and received_at > ${from} and received_at <= ${now}
          and action not in ('block', 'freeze')`.execute(db);
      const r = rows[0] ?? {};
      const n = (k: string) => Number(r[k] ?? 0);
      return {
        deposits: {
          count24h: n('dc1'),
          sumUsd24h: n('ds1'),
          count7d: n('dc7'),
          sumUsd7d: n('ds7'),
          sumUsd30d: n('ds30'),
        },
        withdrawals: {
          count24h: n('wc1'),
          sumUsd24h: n('ws1'),
          count7d: n('wc7'),
          sumUsd7d: n('ws7'),
          sumUsd30d: n('ws30'),
        },
        nearThreshold24h: n('n1'),
        nearThreshold7d: n('n7'),
        passThroughDepositsUsd: n('ptd'),
        passThroughWithdrawalsUsd: n('ptw'),
      };
    },

    record(r) {
      return new Promise((resolve, reject) => {
        queue.push({ r, resolve, reject });
        // Records handed over in the same turn of the event loop go out together.
        if (!flushing) {
          flushing = true;
          queueMicrotask(() => void flush());
        }
      });
    },

    async getDecision(id) {
      const row = await db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toDecision(row);
    },

    async listDecisions({ customerId, after, limit }) {
      let q = db.selectFrom('decisions').selectAll().orderBy('id').limit(limit);
      if (customerId) q = q.where('customer_id', '=', customerId);
      if (after) q = q.where('id', '>', after);
      return (await q.execute()).map(toDecision);
    },

    async listAlerts({ kind, customerId, status, after, limit }) {
      let q = db.selectFrom('alerts').selectAll().orderBy('id').limit(limit);
      if (kind) q = q.where('kind', '=', kind);
      if (customerId) q = q.where('customer_id', '=', customerId);
      if (status) q = q.where('status', '=', status);
      if (after) q = q.where('id', '>', after);
      return (await q.execute()).map(toAlert);
    },
  };
}

/** The row of an alert, its evidence as given (JSON text for a column, a value inside the rows' JSON). */
function alertColumns<E>(a: Alert, evidence: E) {
  return {
    id: a.id,
    kind: a.kind,
    customer_id: a.customerId,
    transfer_id: a.transferId,
    decision_id: a.decisionId,
    reason: a.reason,
    evidence,
    status: a.status,
    dedup_key: a.dedupKey,
    created_at: a.createdAt,
  };
}

/** The row of an alert. */
export function alertRow(a: Alert) {
  return alertColumns(a, JSON.stringify(a.evidence));
}

/** Inserts an alert unless one with the same dedup key exists; true when it was new. */
export async function insertAlert(db: Kysely<Database>, a: Alert): Promise<boolean> {
  const res = await db
    .insertInto('alerts')
    .values(alertRow(a))
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

function toDecision(row: Selectable<DecisionTable>): StoredDecision {
  const response = JSON.parse(row.response) as DecisionResponse;
  return {
    id: row.id,
    transferId: row.transfer_id,
    kind: row.kind as TransferKind,
    clientId: row.client_id,
    customerId: row.customer_id,
    action: row.action as Action,
    riskScore: row.risk_score,
    response,
    inputs: expandInputs(parseJson(row.inputs), response.listVersions ?? {}),
    decidedAt: new Date(row.decided_at),
  };
}

/** An alert's row for the one-statement write: its evidence as a value (sent inside the rows' JSON). */
function alertValues(a: Alert) {
  return alertColumns(a, a.evidence);
}

/** Maps an alert row to the domain type. */
export function toAlert(row: Selectable<AlertTable>): Alert {
  return {
    id: row.id,
    kind: row.kind as AlertKind,
    customerId: row.customer_id,
    transferId: row.transfer_id,
    decisionId: row.decision_id,
    reason: row.reason,
    evidence: parseJson(row.evidence),
    status: 'open',
    createdAt: new Date(row.created_at),
    dedupKey: row.dedup_key,
  };
}

/** A record's row of `transfers`, its JSON column as a value (the one-statement write sends rows as JSON). */
function transferRow({ transfer: t, decision: d }: DecisionRecord) {
  return {
    id: t.id,
    kind: t.kind,
    client_id: t.clientId,
    request_hash: t.requestHash,
    customer_id: t.customerId,
    chain: t.chain,
    asset: t.asset,
    amount_base: t.amountBase.toString(),
    decimals: t.decimals,
    amount_usd: t.amountUsd,
    price_usd: t.priceUsd,
    near_threshold: t.nearThreshold,
    counterparties: t.counterparties,
    own_address: t.ownAddress?.key ?? null,
    tx: t.tx,
    action: d.action,
    received_at: t.receivedAt,
  };
}

/** A record's rows of `transfer_addresses`, one per counterparty address. */
function addressRows({ transfer: t }: DecisionRecord) {
  return t.counterparties.map((c) => ({
    transfer_id: t.id,
    address_key: c.key,
    address: c.address,
    customer_id: t.customerId,
    kind: t.kind,
    received_at: t.receivedAt,
  }));
}

/**
 * A record's row of `decisions`, JSON columns as values: the inputs in their compact stored form;
 * the reasons, packs and list versions only in the stored answer (`response`), which has them all.
 * `i`: the answer's place in the batch's text of answers; `response` only when it is not there.
 */
function decisionRow({ transfer: t, decision: d }: DecisionRecord, i: number, response?: string) {
  return {
    i,
    id: d.id,
    transfer_id: t.id,
    kind: t.kind,
    client_id: t.clientId,
    customer_id: t.customerId,
    action: d.action,
    risk_score: d.riskScore,
    inputs: compactInputs(d.inputs, d.listVersions),
    response,
    decided_at: d.decidedAt,
  };
}

/** A record's rows of `shadow_results`, one per shadow pack evaluated. */
function shadowRows({ decision: d, shadow }: DecisionRecord) {
  return shadow.map((x) => ({
    id: x.id,
    pack_id: x.packId,
    version: x.version,
    decision_id: d.id,
    would_action: x.wouldAction,
    actual_action: d.action,
    reasons: x.reasons,
    created_at: d.decidedAt,
  }));
}
