import { type Kysely, type Selectable, sql } from 'kysely';
import type { CustomerTable, Database } from '../../platform/db/schema.js';
import type { Customer, CustomerScreening } from './customer.js';
import type { CustomerStore, ScreeningRecord } from './customers.service.js';
import { jsonbOrder } from './decision-inputs.js';
import { isUniqueViolation, parseJson } from './decisions.repository.js';

interface Profile {
  names: Customer['names'];
  birthDate: string | null;
  nationality: string[];
  residence: string | null;
}

interface StoredRisk {
  rating: Customer['risk']['rating'];
  reasons: Customer['risk']['reasons'];
  assessedAt: string;
  signals: Customer['risk']['signals'];
}

/** Customers and their screening history in the store (PGlite or PostgreSQL). */
export function createCustomersRepository(db: Kysely<Database>): CustomerStore {
  const columns = (c: Customer) => ({
    type: c.type,
    primary_name: c.names.primary,
    profile: JSON.stringify({
      names: c.names,
      birthDate: c.birthDate,
      nationality: c.nationality,
      residence: c.residence,
    } satisfies Profile),
    legal_entity: c.legalEntity,
    jurisdiction: c.jurisdiction,
    kyc_level: c.kycLevel,
    expected_monthly_volume_usd: c.expectedMonthlyVolumeUsd,
    screening: JSON.stringify(c.screening),
    risk_rating: c.risk.rating,
    risk: JSON.stringify(c.risk),
    version: c.version,
    updated_at: c.updatedAt,
  });
  const screeningRow = (s: ScreeningRecord) => ({
    id: s.id,
    customer_id: s.customerId,
    customer_version: s.customerVersion,
    trigger: s.trigger,
    status: s.screening.status,
    versions: JSON.stringify(s.screening.versions),
    matches: JSON.stringify(s.screening.matches),
    error: s.screening.error ?? null,
    screened_at: s.screening.screenedAt ?? new Date(0),
  });

  return {
    async get(id) {
      const row = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toCustomer(row);
    },

    async findCreated({ id, idempotencyKey }) {
      let q = db.selectFrom('customers').selectAll();
      if (id) q = q.where('id', '=', id);
      else if (idempotencyKey) q = q.where('idempotency_key', '=', idempotencyKey);
      else return undefined;
      const row = await q.executeTakeFirst();
      return row && { customer: toCustomer(row), requestHash: row.request_hash };
    },

    async insert(c, meta, s) {
      try {
        await db.transaction().execute(async (tx) => {
          await tx
            .insertInto('customers')
            .values({
              id: c.id,
              ...columns(c),
              request_hash: meta.requestHash,
              idempotency_key: meta.idempotencyKey,
              created_at: c.createdAt,
            })
            .execute();
          await tx.insertInto('customer_screenings').values(screeningRow(s)).execute();
        });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    async update(c, expectedVersion, s) {
      return db.transaction().execute(async (tx) => {
        const res = await tx
          .updateTable('customers')
          .set(columns(c))
          .where('id', '=', c.id)
          .where('version', '=', expectedVersion)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return false;
        await tx.insertInto('customer_screenings').values(screeningRow(s)).execute();
        return true;
      });
    },

    async saveScreening(customerId, s, risk) {
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('customers')
          .set({
            screening: JSON.stringify(s.screening),
            risk_rating: risk.rating,
            risk: JSON.stringify(risk),
          })
          .where('id', '=', customerId)
          .execute();
        await tx.insertInto('customer_screenings').values(screeningRow(s)).execute();
      });
    },

    async saveRisk(customerId, risk) {
      await db
        .updateTable('customers')
        .set({ risk_rating: risk.rating, risk: JSON.stringify(risk) })
        .where('id', '=', customerId)
        .execute();
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('customers')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute();
      return rows.map(toCustomer);
    },

    async saveRisks(risks) {
      // One statement per 500 customers: update … from (values …), not a round trip each.
      for (let i = 0; i < risks.length; i += 500) {
        const values = risks
          .slice(i, i + 500)
          .map((r) => sql`(${r.customerId}, ${r.risk.rating}, ${JSON.stringify(r.risk)})`);
        await sql`update customers set risk_rating = v.rating, risk = v.risk::jsonb
          from (values ${sql.join(values)}) as v(id, rating, risk)
          where customers.id = v.id`.execute(db);
      }
    },

    async list({ after, limit, riskRating, jurisdiction }) {
      let q = db.selectFrom('customers').selectAll().orderBy('id').limit(limit);
      if (after) q = q.where('id', '>', after);
      if (riskRating) q = q.where('risk_rating', '=', riskRating);
      if (jurisdiction) q = q.where('jurisdiction', '=', jurisdiction);
      return (await q.execute()).map(toCustomer);
    },

    async screeningNames({ after, limit }) {
      // Only the profile and the matched entity ids: look-back reads every customer, and the full
      // records (screening evidence, risk) cost several times more to read and parse.
      let q = db
        .selectFrom('customers')
        .select([
          'id',
          'type',
          'profile',
          sql<unknown>`jsonb_path_query_array(screening, '$.matches[*].entityId')`.as('matched'),
        ])
        .orderBy('id')
        .limit(limit);
      if (after) q = q.where('id', '>', after);
      return (await q.execute()).map((row) => ({
        ...identityOf(row),
        matchedEntities: parseJson<unknown[]>(row.matched).filter((x): x is string => typeof x === 'string'),
      }));
    },

    async screenings(customerId, limit) {
      const rows = await db
        .selectFrom('customer_screenings')
        .selectAll()
        .where('customer_id', '=', customerId)
        .orderBy('screened_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        customerVersion: r.customer_version,
        trigger: r.trigger as ScreeningRecord['trigger'],
        screening: {
          status: r.status as CustomerScreening['status'],
          screenedAt: new Date(r.screened_at),
          versions: parseJson(r.versions),
          matches: parseJson(r.matches),
          ...(r.error ? { error: r.error } : {}),
        },
      }));
    },
  };
}

function toCustomer(row: Selectable<CustomerTable>): Customer {
  const s = parseJson<Omit<CustomerScreening, 'screenedAt'> & { screenedAt: string | null }>(row.screening);
  const r = parseJson<StoredRisk>(row.risk);
  return {
    ...identityOf(row),
    legalEntity: row.legal_entity,
    jurisdiction: row.jurisdiction,
    kycLevel: row.kyc_level,
    expectedMonthlyVolumeUsd:
      row.expected_monthly_volume_usd === null ? null : Number(row.expected_monthly_volume_usd),
    screening: { ...s, screenedAt: s.screenedAt ? new Date(s.screenedAt) : null },
    risk: riskOf(r),
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function riskOf(r: StoredRisk): Customer['risk'] {
  return {
    rating: r.rating,
    reasons: r.reasons,
    assessedAt: new Date(r.assessedAt),
    signals: r.signals ?? {},
  };
}

/**
 * A rating exactly as `get` reads it back once written (the `risk` column is jsonb: keys come back
 * in jsonb order, dates as ISO strings): what a cache keeps in place of a re-read.
 */
export function riskAsStored(risk: Customer['risk']): Customer['risk'] {
  return riskOf(jsonbOrder(JSON.parse(JSON.stringify(risk))) as StoredRisk);
}

/** Who a customer is, from the id, type and profile columns: what screening reads. */
function identityOf(row: { id: string; type: string; profile: unknown }) {
  const p = parseJson<Profile>(row.profile);
  return {
    id: row.id,
    type: row.type as Customer['type'],
    names: p.names,
    birthDate: p.birthDate,
    nationality: p.nationality,
    residence: p.residence,
  };
}
