import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, ListVersionTable } from '../../platform/db/schema.js';
import type { Store } from '../../platform/db/store.js';
import type {
  DiffAddress,
  DiffEntity,
  DiffSummary,
  ListDiff,
  ListStore,
  ListVersion,
  StagedAddress,
} from './lists.service.js';
import type { ListEntity } from './model.js';

/**
 * List versions, entities and addresses in the store (PGlite or PostgreSQL). Rows reference a
 * version by its internal id; the outside world names versions by label (`source@hash16`).
 */
export function createListRepository(store: Pick<Store, 'db' | 'bulkInsert'>): ListStore {
  const { db } = store;
  const ready = () => db.selectFrom('list_versions').selectAll().where('state', '=', 'ready');

  async function internalId(q: Kysely<Database> | Transaction<Database>, label: string): Promise<string> {
    const row = await q
      .selectFrom('list_versions')
      .select('id')
      .where('label', '=', label)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  return {
    async findVersion(label) {
      const row = await ready().where('label', '=', label).executeTakeFirst();
      return row && toVersion(row);
    },

    async findVersionByHash(source, contentHash) {
      const row = await ready()
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
        .where('v.state', '=', 'ready')
        .orderBy('v.seq')
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

    async beginStaging(input) {
      const id = `lv_${randomUUID()}`;
      await db
        .insertInto('list_versions')
        .values({
          id,
          label: null,
          state: 'staging',
          source: input.source,
          format: input.format,
          content_hash: null,
          files: '[]',
          counts: '{}',
          warnings: '[]',
          imported_at: input.importedAt,
          imported_by: input.importedBy,
        })
        .execute();
      return id;
    },

    async stage(stagingId, entities, addresses) {
      // Staged rows are invisible until the version is sealed, so each batch can go in on its own.
      await store.bulkInsert(
        'list_entities',
        [
          { name: 'version_id', type: 'text' },
          { name: 'entity_id', type: 'text' },
          { name: 'kind', type: 'text' },
          { name: 'name', type: 'text' },
          { name: 'hash', type: 'text' },
          { name: 'data', type: 'text' },
        ],
        entities.map((e) => [stagingId, e.id, e.kind, e.name, e.hash, e.json]),
      );
      await store.bulkInsert(
        'list_addresses',
        [
          { name: 'version_id', type: 'text' },
          { name: 'currency', type: 'text' },
          { name: 'address', type: 'text' },
          { name: 'address_key', type: 'text' },
          { name: 'entity_id', type: 'text' },
          { name: 'category', type: 'text' },
          { name: 'confidence', type: 'real' },
          { name: 'attributed_by', type: 'text' },
          { name: 'valid_from', type: 'text' },
          { name: 'valid_to', type: 'text' },
        ],
        addresses.map((a) => [
          stagingId,
          a.currency,
          a.address,
          a.addressKey,
          a.entityId,
          a.category,
          a.confidence,
          a.attributedBy,
          a.validFrom,
          a.validTo,
        ]),
      );
    },

    async discardStaging(stagingId) {
      await db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom('list_versions')
          .select('state')
          .where('id', '=', stagingId)
          .executeTakeFirst();
        if (row?.state !== 'staging') return;
        await tx.deleteFrom('list_addresses').where('version_id', '=', stagingId).execute();
        await tx.deleteFrom('list_entities').where('version_id', '=', stagingId).execute();
        await tx.deleteFrom('list_versions').where('id', '=', stagingId).execute();
      });
    },

    async discardStaleStaging(since) {
      const stale = await db
        .selectFrom('list_versions')
        .select('id')
        .where('state', '=', 'staging')
        .where('imported_at', '<', since)
        .execute();
      for (const { id } of stale) await this.discardStaging(id);
      return stale.length;
    },

    async activate(input) {
      return db.transaction().execute(async (tx) => {
        const { version } = input;
        let id: string;
        if (input.stagingId) {
          id = input.stagingId;
          const sealed = await tx
            .updateTable('list_versions')
            .set({
              label: version.id,
              state: 'ready',
              content_hash: version.contentHash,
              files: JSON.stringify(version.files),
              counts: JSON.stringify(version.counts),
              warnings: JSON.stringify(version.warnings),
            })
            .where('id', '=', id)
            .where('state', '=', 'staging')
            .executeTakeFirst();
          if (Number(sealed.numUpdatedRows) !== 1)
            throw new Error(`staging version ${id} vanished before it was sealed`);
        } else {
          id = await internalId(tx, version.id);
        }
        const current = await tx
          .selectFrom('list_active as a')
          .innerJoin('list_versions as v', 'v.id', 'a.version_id')
          .select(['a.version_id', 'v.label'])
          .where('a.source', '=', version.source)
          .forUpdate()
          .executeTakeFirst();
        await tx
          .insertInto('list_active')
          .values({
            source: version.source,
            version_id: id,
            activated_at: input.activatedAt,
            activated_by: input.activatedBy,
          })
          .onConflict((oc) =>
            oc.column('source').doUpdateSet({
              version_id: id,
              activated_at: input.activatedAt,
              activated_by: input.activatedBy,
            }),
          )
          .execute();
        const diff = await diffSummary(tx, current?.version_id ?? null, id);
        const previous = current?.label ?? null;
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

    async diff(fromLabel, toLabel) {
      const to = await db
        .selectFrom('list_versions')
        .select(['id', 'source'])
        .where('label', '=', toLabel)
        .executeTakeFirstOrThrow();
      const f = fromLabel ? await internalId(db, fromLabel) : '';
      const t = to.id;
      // Full joins (hash or merge joins, never a nested loop on stale statistics), as in diffSummary.
      const entities = await sql<DiffEntity & { change: 'added' | 'removed' | 'changed' }>`
        select coalesce(n.entity_id, o.entity_id) as id, coalesce(n.name, o.name) as name,
               coalesce(n.kind, o.kind) as kind,
               case when o.entity_id is null then 'added' when n.entity_id is null then 'removed' else 'changed' end as change
        from (select entity_id, name, kind, hash from list_entities where version_id = ${t}) n
        full join (select entity_id, name, kind, hash from list_entities where version_id = ${f}) o
          on o.entity_id = n.entity_id
        where o.entity_id is null or n.entity_id is null or n.hash <> o.hash
        order by 1`.execute(db);
      const pick = (change: string) =>
        entities.rows.filter((e) => e.change === change).map(({ id, name, kind }) => ({ id, name, kind }));
      // Addresses compare by chain-aware key alone: an address is added or removed when the list as a
      // whole starts or stops naming it, whichever entity it is attributed to.
      const addresses = await sql<DiffAddress & { added: boolean }>`
        select coalesce(n.currency, o.currency) as currency, coalesce(n.address, o.address) as address,
               coalesce(n.entity_id, o.entity_id) as "entityId", o.address_key is null as added
        from (select distinct on (address_key) address_key, currency, address, entity_id from list_addresses
              where version_id = ${t} order by address_key, entity_id) n
        full join (select distinct on (address_key) address_key, currency, address, entity_id from list_addresses
              where version_id = ${f} order by address_key, entity_id) o on o.address_key = n.address_key
        where n.address_key is null or o.address_key is null
        order by coalesce(n.address_key, o.address_key)`.execute(db);
      const addressList = (added: boolean) =>
        addresses.rows
          .filter((x) => x.added === added)
          .map(({ currency, address, entityId }) => ({ currency, address, entityId }));
      const diff: ListDiff = {
        source: to.source,
        from: fromLabel,
        to: toLabel,
        entities: { added: pick('added'), removed: pick('removed'), changed: pick('changed') },
        addresses: { added: addressList(true), removed: addressList(false) },
      };
      return diff;
    },

    async getEntity(entityId) {
      const row = await db
        .selectFrom('list_entities as e')
        .innerJoin('list_active as a', 'a.version_id', 'e.version_id')
        .innerJoin('list_versions as v', 'v.id', 'e.version_id')
        .select(['e.data', 'v.label'])
        .where('e.entity_id', '=', entityId)
        .executeTakeFirst();
      if (!row) return undefined;
      return { entity: parseJson<ListEntity>(row.data), versionId: row.label ?? '' };
    },
  };
}

async function diffSummary(tx: Transaction<Database>, from: string | null, to: string): Promise<DiffSummary> {
  const f = from ?? '';
  // Full joins: PostgreSQL runs them as hash or merge joins only, so the counts stay linear even
  // when the statistics do not know the just-staged version yet (an anti-join planned as a nested
  // loop on stale statistics took minutes over two 15,000-entity versions).
  const { rows } = await sql<Record<keyof DiffSummary, string>>`
    select e."entitiesAdded", e."entitiesRemoved", e."entitiesChanged", a."addressesAdded", a."addressesRemoved"
    from (
      select count(*) filter (where o.entity_id is null) as "entitiesAdded",
             count(*) filter (where n.entity_id is null) as "entitiesRemoved",
             count(*) filter (where n.hash <> o.hash) as "entitiesChanged"
      from (select entity_id, hash from list_entities where version_id = ${to}) n
      full join (select entity_id, hash from list_entities where version_id = ${f}) o on o.entity_id = n.entity_id
    ) e, (
      select count(*) filter (where o.address_key is null) as "addressesAdded",
             count(*) filter (where n.address_key is null) as "addressesRemoved"
      from (select distinct address_key from list_addresses where version_id = ${to}) n
      full join (select distinct address_key from list_addresses where version_id = ${f}) o on o.address_key = n.address_key
    ) a
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
    id: row.label ?? row.id,
    source: row.source,
    format: row.format,
    contentHash: row.content_hash ?? '',
    files: parseJson(row.files),
    counts: parseJson(row.counts),
    warnings: parseJson(row.warnings),
    importedAt: new Date(row.imported_at),
    importedBy: row.imported_by,
  };
}

/** One address row of an active list version, as screening indexes it. */
export interface ActiveAddressRow extends StagedAddress {
  versionId: string;
  source: string;
}

/** Read access to everything active, for building in-memory screening indexes. */
export interface ActiveListReader {
  /** Active version labels by source: a change here means the indexes are stale. */
  activeLabels(): Promise<Record<string, string>>;
  entities(): AsyncIterable<{ entity: ListEntity; versionId: string }>;
  addresses(): Promise<ActiveAddressRow[]>;
}

/** Reads the active versions of every source (entities streamed in pages, so memory stays flat). */
export function createActiveListReader(db: Kysely<Database>): ActiveListReader {
  return {
    async activeLabels() {
      const rows = await db
        .selectFrom('list_active as a')
        .innerJoin('list_versions as v', 'v.id', 'a.version_id')
        .select(['a.source', 'v.label'])
        .execute();
      return Object.fromEntries(rows.map((r) => [r.source, r.label ?? '']));
    },
    async *entities() {
      let after = '';
      for (;;) {
        const page = await db
          .selectFrom('list_entities as e')
          .innerJoin('list_active as a', 'a.version_id', 'e.version_id')
          .innerJoin('list_versions as v', 'v.id', 'e.version_id')
          .select(['e.entity_id', 'e.data', 'v.label'])
          .where('e.entity_id', '>', after)
          .orderBy('e.entity_id')
          .limit(5000)
          .execute();
        for (const row of page)
          yield { entity: JSON.parse(row.data) as ListEntity, versionId: row.label ?? '' };
        const last = page.at(-1);
        if (!last || page.length < 5000) return;
        after = last.entity_id;
      }
    },
    async addresses() {
      const rows = await db
        .selectFrom('list_addresses as l')
        .innerJoin('list_active as a', 'a.version_id', 'l.version_id')
        .innerJoin('list_versions as v', 'v.id', 'l.version_id')
        .select([
          'v.label',
          'v.source',
          'l.currency',
          'l.address',
          'l.address_key',
          'l.entity_id',
          'l.category',
          'l.confidence',
          'l.attributed_by',
          'l.valid_from',
          'l.valid_to',
        ])
        .execute();
      return rows.map((r) => ({
        versionId: r.label ?? '',
        source: r.source,
        currency: r.currency,
        address: r.address,
        addressKey: r.address_key,
        entityId: r.entity_id,
        category: r.category,
        confidence: Number(r.confidence),
        attributedBy: r.attributed_by,
        validFrom: r.valid_from,
        validTo: r.valid_to,
      }));
    },
  };
}
