import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, ListVersionTable } from '../../platform/db/schema.js';
import type {
  DiffAddress,
  DiffEntity,
  DiffSummary,
  ListDiff,
  ListStore,
  ListVersion,
} from './lists.service.js';
import type { ListEntity } from './model.js';

const BATCH = 500;

/** List versions, entities and addresses in the store (PGlite or PostgreSQL). */
export function createListRepository(db: Kysely<Database>): ListStore {
  return {
    async findVersion(id) {
      const row = await db.selectFrom('list_versions').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toVersion(row);
    },

    async findVersionByHash(source, contentHash) {
      const row = await db
        .selectFrom('list_versions')
        .selectAll()
        .where('source', '=', source)
        .where('content_hash', '=', contentHash)
        .executeTakeFirst();
      return row && toVersion(row);
    },

    async listVersions(source) {
      const rows = await db
        .selectFrom('list_versions as v')
        .leftJoin('list_active as a', 'a.version_id', 'v.id')
        .selectAll('v')
        .select('a.source as active_source')
        .where('v.source', '=', source)
        .orderBy('v.imported_at')
        .orderBy('v.id')
        .execute();
      return rows.map((r) => ({ ...toVersion(r), active: r.active_source !== null }));
    },

    async activeVersions() {
      const rows = await db
        .selectFrom('list_active as a')
        .innerJoin('list_versions as v', 'v.id', 'a.version_id')
        .selectAll('v')
        .select(['a.activated_at', 'a.activated_by'])
        .orderBy('a.source')
        .execute();
      return rows.map((r) => ({
        ...toVersion(r),
        activatedAt: new Date(r.activated_at),
        activatedBy: r.activated_by,
      }));
    },

    async saveAndActivate(input) {
      return db.transaction().execute(async (tx) => {
        const { version } = input;
        if (input.entities) {
          await tx
            .insertInto('list_versions')
            .values({
              id: version.id,
              source: version.source,
              format: version.format,
              content_hash: version.contentHash,
              files: JSON.stringify(version.files),
              counts: JSON.stringify(version.counts),
              warnings: JSON.stringify(version.warnings),
              imported_at: version.importedAt,
              imported_by: version.importedBy,
            })
            .execute();
          for (let i = 0; i < input.entities.length; i += BATCH) {
            await tx
              .insertInto('list_entities')
              .values(
                input.entities.slice(i, i + BATCH).map((e) => ({
                  version_id: version.id,
                  entity_id: e.id,
                  kind: e.kind,
                  name: e.name,
                  hash: e.hash,
                  data: e.json,
                })),
              )
              .execute();
          }
          const addresses = input.addresses ?? [];
          for (let i = 0; i < addresses.length; i += BATCH) {
            await tx
              .insertInto('list_addresses')
              .values(
                addresses.slice(i, i + BATCH).map((a) => ({
                  version_id: version.id,
                  currency: a.currency,
                  address: a.address,
                  address_key: a.addressKey,
                  entity_id: a.entityId,
                  category: a.category,
                  confidence: a.confidence,
                  attributed_by: a.attributedBy,
                  valid_from: a.validFrom,
                  valid_to: a.validTo,
                })),
              )
              .execute();
          }
        }
        const current = await tx
          .selectFrom('list_active')
          .select('version_id')
          .where('source', '=', version.source)
          .forUpdate()
          .executeTakeFirst();
        const previous = current?.version_id ?? null;
        await tx
          .insertInto('list_active')
          .values({
            source: version.source,
            version_id: version.id,
            activated_at: input.activatedAt,
            activated_by: input.activatedBy,
          })
          .onConflict((oc) =>
            oc.column('source').doUpdateSet({
              version_id: version.id,
              activated_at: input.activatedAt,
              activated_by: input.activatedBy,
            }),
          )
          .execute();
        const diff = await diffSummary(tx, previous, version.id);
        await tx
          .insertInto('list_events')
          .values({
            id: input.eventId,
            type: 'list.changed',
            source: version.source,
            from_version: previous,
            to_version: version.id,
            summary: JSON.stringify(diff),
            created_at: input.activatedAt,
            published_at: null,
          })
          .execute();
        return { previous, diff };
      });
    },

    async diff(from, to) {
      const target = await db
        .selectFrom('list_versions')
        .select('source')
        .where('id', '=', to)
        .executeTakeFirstOrThrow();
      const f = from ?? '';
      const added = await sql<DiffEntity>`
        select n.entity_id as id, n.name, n.kind from list_entities n
        where n.version_id = ${to} and not exists (select 1 from list_entities o where o.version_id = ${f} and o.entity_id = n.entity_id)
        order by n.entity_id`.execute(db);
      const removed = await sql<DiffEntity>`
        select o.entity_id as id, o.name, o.kind from list_entities o
        where o.version_id = ${f} and not exists (select 1 from list_entities n where n.version_id = ${to} and n.entity_id = o.entity_id)
        order by o.entity_id`.execute(db);
      const changed = await sql<DiffEntity>`
        select n.entity_id as id, n.name, n.kind from list_entities n
        join list_entities o on o.version_id = ${f} and o.entity_id = n.entity_id
        where n.version_id = ${to} and n.hash <> o.hash order by n.entity_id`.execute(db);
      // Addresses compare by chain-aware key alone: an address is added or removed when the list as a
      // whole starts or stops naming it, whichever entity it is attributed to.
      const addrAdded = await sql<DiffAddress>`
        select distinct on (n.address_key) n.currency, n.address, n.entity_id as "entityId" from list_addresses n
        where n.version_id = ${to} and not exists (
          select 1 from list_addresses o where o.version_id = ${f} and o.address_key = n.address_key)
        order by n.address_key, n.entity_id`.execute(db);
      const addrRemoved = await sql<DiffAddress>`
        select distinct on (o.address_key) o.currency, o.address, o.entity_id as "entityId" from list_addresses o
        where o.version_id = ${f} and not exists (
          select 1 from list_addresses n where n.version_id = ${to} and n.address_key = o.address_key)
        order by o.address_key, o.entity_id`.execute(db);
      const diff: ListDiff = {
        source: target.source,
        from,
        to,
        entities: { added: added.rows, removed: removed.rows, changed: changed.rows },
        addresses: { added: addrAdded.rows, removed: addrRemoved.rows },
      };
      return diff;
    },

    async getEntity(entityId) {
      const row = await db
        .selectFrom('list_entities as e')
        .innerJoin('list_active as a', 'a.version_id', 'e.version_id')
        .select(['e.data', 'e.version_id'])
        .where('e.entity_id', '=', entityId)
        .executeTakeFirst();
      if (!row) return undefined;
      const data = typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
      return { entity: data as ListEntity, versionId: row.version_id };
    },
  };
}

async function diffSummary(tx: Transaction<Database>, from: string | null, to: string): Promise<DiffSummary> {
  const f = from ?? '';
  const { rows } = await sql<Record<keyof DiffSummary, string>>`
    select
      (select count(*) from list_entities n where n.version_id = ${to}
         and not exists (select 1 from list_entities o where o.version_id = ${f} and o.entity_id = n.entity_id)) as "entitiesAdded",
      (select count(*) from list_entities o where o.version_id = ${f}
         and not exists (select 1 from list_entities n where n.version_id = ${to} and n.entity_id = o.entity_id)) as "entitiesRemoved",
      (select count(*) from list_entities n join list_entities o on o.version_id = ${f} and o.entity_id = n.entity_id
         where n.version_id = ${to} and n.hash <> o.hash) as "entitiesChanged",
      (select count(distinct n.address_key) from list_addresses n where n.version_id = ${to}
         and not exists (select 1 from list_addresses o where o.version_id = ${f} and o.address_key = n.address_key)) as "addressesAdded",
      (select count(distinct o.address_key) from list_addresses o where o.version_id = ${f}
         and not exists (select 1 from list_addresses n where n.version_id = ${to} and n.address_key = o.address_key)) as "addressesRemoved"
  `.execute(tx);
  const r = rows[0];
  return {
    entitiesAdded: Number(r?.entitiesAdded ?? 0),
    entitiesRemoved: Number(r?.entitiesRemoved ?? 0),
    entitiesChanged: Number(r?.entitiesChanged ?? 0),
    addressesAdded: Number(r?.addressesAdded ?? 0),
    addressesRemoved: Number(r?.addressesRemoved ?? 0),
  };
}

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function toVersion(row: Selectable<ListVersionTable>): ListVersion {
  return {
    id: row.id,
    source: row.source,
    format: row.format,
    contentHash: row.content_hash,
    files: parseJson(row.files),
    counts: parseJson(row.counts),
    warnings: parseJson(row.warnings),
    importedAt: new Date(row.imported_at),
    importedBy: row.imported_by,
  };
}
