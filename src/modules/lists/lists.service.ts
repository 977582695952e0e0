import { createHash } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { CordonError, invalid } from '../../shared/errors.js';
import { normalizeAddress } from '../chains/index.js';
import { canonicalJson, contentHash, entityHash, sha256Hex } from './canonical.js';
import type { ListFormat } from './formats.js';
import type { ListEntity, ParseWarning, SourceFile } from './model.js';

/** One imported, immutable snapshot of a source. */
export interface ListVersion {
  /** `<source>@<first 16 hex of the content hash>` */
  id: string;
  source: string;
  format: string;
  contentHash: string;
  files: { name: string; sha256: string; bytes: number }[];
  counts: { entities: number; names: number; addresses: number; attributions: number };
  warnings: ParseWarning[];
  importedAt: Date;
  importedBy: string | null;
}

/** A version that is (or was) active, with when it became so. */
export interface ActiveVersion extends ListVersion {
  activatedAt: Date;
  activatedBy: string | null;
}

/** An address row as stored for a version: list addresses and attributions alike. */
export interface StagedAddress {
  currency: string;
  address: string;
  addressKey: string;
  entityId: string;
  category: string;
  confidence: number;
  attributedBy: string | null;
  validFrom: string | null;
  validTo: string | null;
}

/** An entity as stored: its canonical JSON and hash. */
export interface StagedEntity {
  id: string;
  kind: string;
  name: string;
  hash: string;
  json: string;
}

/** What changed between two versions of a source. */
export interface ListDiff {
  source: string;
  from: string | null;
  to: string;
  entities: { added: DiffEntity[]; removed: DiffEntity[]; changed: DiffEntity[] };
  addresses: { added: DiffAddress[]; removed: DiffAddress[] };
}
export interface DiffEntity {
  id: string;
  name: string;
  kind: string;
}
export interface DiffAddress {
  currency: string;
  address: string;
  entityId: string;
}

/** The outcome of an import. */
export interface ImportResult {
  status: 'activated' | 'unchanged' | 'reactivated';
  version: ListVersion;
  previous: string | null;
  diff: DiffSummary;
}

/** Counts of a diff, as carried by the `list.changed` event. */
export interface DiffSummary {
  entitiesAdded: number;
  entitiesRemoved: number;
  entitiesChanged: number;
  addressesAdded: number;
  addressesRemoved: number;
}

/** The storage the list service needs (implemented by lists.repository.ts). Versions are named by their label. */
export interface ListStore {
  findVersion(label: string): Promise<ListVersion | undefined>;
  findVersionByHash(source: string, contentHash: string): Promise<ListVersion | undefined>;
  listVersions(source: string): Promise<(ListVersion & { active: boolean })[]>;
  activeVersions(): Promise<ActiveVersion[]>;
  /** Opens a staging version: rows written to it are invisible to readers until it is sealed. */
  beginStaging(input: {
    source: string;
    format: string;
    importedAt: Date;
    importedBy: string | null;
  }): Promise<string>;
  /** Appends a batch of entities and addresses to a staging version (one short transaction). */
  stage(stagingId: string, entities: StagedEntity[], addresses: StagedAddress[]): Promise<void>;
  /** Deletes a staging version and everything written to it. */
  discardStaging(stagingId: string): Promise<void>;
  /** Deletes staging versions left by imports that crashed before `since`. */
  discardStaleStaging(since: Date): Promise<number>;
  /**
   * In ONE transaction: seal the staging version as `version` (or, when `stagingId` is null, take
   * the existing version `version.id`), point the source's active version at it, and record a
   * `list.changed` event with the diff against the previous active version. Readers see the old
   * version or the new one, never a mix.
   */
  activate(input: {
    stagingId: string | null;
    version: ListVersion;
    activatedAt: Date;
    activatedBy: string | null;
    eventId: string;
  }): Promise<{ previous: string | null; diff: DiffSummary }>;
  diff(from: string | null, to: string): Promise<ListDiff>;
  getEntity(entityId: string): Promise<{ entity: ListEntity; versionId: string } | undefined>;
}

/** Limits and switches for an import. */
export interface ImportOptions {
  format: ListFormat;
  source?: string;
  files: SourceFile[];
  importedBy: string | null;
  /** Files larger than this are refused before parsing. */
  maxFileBytes: number;
  /** Keep going when a listed address fails its checksum (it is skipped with a warning). */
  skipInvalidAddresses?: boolean;
  onProgress?: (records: number) => void;
}

/** Imports, activates, rolls back and diffs list versions. */
export interface ListService {
  importFiles(options: ImportOptions): Promise<ImportResult>;
  activate(versionId: string, by: string | null): Promise<ImportResult>;
  status(): Promise<ActiveVersion[]>;
  versions(source: string): Promise<(ListVersion & { active: boolean })[]>;
  diff(from: string | undefined, to: string | undefined, source?: string): Promise<ListDiff>;
  getEntity(id: string): Promise<{ entity: ListEntity; versionId: string }>;
  /** Removes what imports interrupted by a crash left in staging (older than `olderThanMs`). */
  discardInterruptedImports(olderThanMs: number): Promise<number>;
}

const STAGE_BATCH = 2000;

/** Builds the list service over its store. */
export function createListService(deps: {
  store: ListStore;
  clock: Clock;
  newId: (prefix: string) => string;
}): ListService {
  const { store, clock } = deps;

  async function resolveVersion(ref: string, source?: string): Promise<ListVersion> {
    const exact = await store.findVersion(ref);
    if (exact) return exact;
    // A bare source name means its active version; `source@prefix` a version by hash prefix.
    const active = await store.activeVersions();
    const bySource = active.find((v) => v.source === ref);
    if (bySource) return bySource;
    const [src, prefix] = ref.includes('@') ? (ref.split('@', 2) as [string, string]) : [source ?? '', ref];
    if (src && prefix) {
      const candidates = (await store.listVersions(src)).filter((v) => v.contentHash.startsWith(prefix));
      if (candidates.length === 1 && candidates[0]) return candidates[0];
      if (candidates.length > 1)
        throw invalid('lists.ambiguous_version', `${ref} matches ${candidates.length} versions`, {
          field: 'version',
        });
    }
    throw new CordonError('not_found', 'lists.version_not_found', `no list version ${ref}`, { version: ref });
  }

  /**
   * Streams the parser's records into the staging version in batches, validating addresses and
   * ids on the way. Only ids and hashes stay in memory, so a file of any size imports in bounded memory.
   */
  async function stageRecords(stagingId: string, source: string, options: ImportOptions) {
    const warnings: ParseWarning[] = [];
    const warn = (w: ParseWarning) => {
      if (warnings.length < 1000) warnings.push(w);
    };
    const entityHashes = new Map<string, string>();
    const attributionHashes: string[] = [];
    const seenAddress = new Set<string>();
    let entities: StagedEntity[] = [];
    let addresses: StagedAddress[] = [];
    let names = 0;
    let addressCount = 0;
    let records = 0;
    const fileLabel = options.files.map((f) => f.name).join(', ');

    const flush = async () => {
      if (entities.length === 0 && addresses.length === 0) return;
      await store.stage(stagingId, entities, addresses);
      entities = [];
      addresses = [];
    };
    const addAddress = (row: StagedAddress) => {
      const k = `${row.addressKey} ${row.entityId}`;
      if (seenAddress.has(k)) return;
      seenAddress.add(k);
      addresses.push(row);
      addressCount++;
    };
    const checkAddress = (currency: string, address: string, where: string): string | undefined => {
      const result = normalizeAddress(address, currency);
      if (result.ok) return result.key;
      const message = `${where}: ${currency} address ${JSON.stringify(address)} ${result.reason}`;
      if (options.skipInvalidAddresses) {
        warn({ file: fileLabel, message: `${message} (skipped)` });
        return undefined;
      }
      throw new CordonError('invalid', result.code, `${fileLabel}: ${message}`, {
        file: fileLabel,
        address,
        currency,
      });
    };

    for await (const record of options.format.parse(options.files, warn)) {
      records++;
      if (records % 1000 === 0) options.onProgress?.(records);
      if (record.type === 'entity') {
        const entity = { ...record.entity, source, id: `${source}:${record.entity.sourceId}` };
        entity.relations = entity.relations.map((r) => ({
          ...r,
          target: retarget(r.target, record.entity.source, source),
        }));
        if (entityHashes.has(entity.id)) {
          throw invalid('lists.duplicate_id', `${fileLabel}: duplicate entity id ${entity.sourceId}`, {
            file: fileLabel,
            id: entity.sourceId,
          });
        }
        const primary = entity.names.find((n) => n.kind === 'primary') ?? entity.names[0];
        const { json, hash } = entityHash(entity);
        entityHashes.set(entity.id, hash);
        entities.push({ id: entity.id, kind: entity.kind, name: primary?.value ?? '', hash, json });
        names += entity.names.length;
        for (const ca of entity.cryptoAddresses) {
          const key = checkAddress(ca.currency, ca.address, `entity ${entity.sourceId}`);
          if (key) {
            addAddress({
              currency: ca.currency,
              address: ca.address,
              addressKey: key,
              entityId: entity.id,
              category: categoryOf(entity),
              confidence: 1,
              attributedBy: source,
              validFrom: entity.listedOn ?? null,
              validTo: entity.delistedOn ?? null,
            });
          }
        }
      } else {
        const a = record.attribution;
        const key = checkAddress(a.chain, a.address, `attribution to ${a.entity}`);
        attributionHashes.push(sha256Hex(canonicalJson(a)));
        if (key) {
          addAddress({
            currency: a.chain,
            address: a.address,
            addressKey: key,
            entityId: a.entity,
            category: a.category,
            confidence: a.confidence,
            attributedBy: a.source,
            validFrom: a.validFrom ?? null,
            validTo: a.validTo ?? null,
          });
        }
      }
      if (entities.length + addresses.length >= STAGE_BATCH) await flush();
    }
    await flush();
    options.onProgress?.(records);
    return {
      fileLabel,
      warnings,
      entities: entityHashes.size,
      names,
      addresses: addressCount,
      attributions: attributionHashes.length,
      contentHash: contentHash(entityHashes, attributionHashes),
    };
  }

  return {
    async importFiles(options) {
      if (options.files.length === 0)
        throw invalid('lists.no_files', 'give at least one file', { field: 'files' });
      const source = options.source ?? options.format.defaultSource;
      if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(source)) {
        throw invalid('lists.invalid_source', 'source must be 1-64 lower-case letters, digits, . _ -', {
          field: 'source',
          value: source,
        });
      }
      const files = await hashFiles(options.files, options.maxFileBytes);
      const importedAt = new Date(clock.nowMs());
      const stagingId = await store.beginStaging({
        source,
        format: options.format.name,
        importedAt,
        importedBy: options.importedBy,
      });
      try {
        const staged = await stageRecords(stagingId, source, options);
        if (staged.entities === 0 && staged.attributions === 0) {
          throw invalid('lists.empty', `${staged.fileLabel}: no entities or attributions found`, {
            file: staged.fileLabel,
          });
        }
        const existing = await store.findVersionByHash(source, staged.contentHash);
        const active = (await store.activeVersions()).find((v) => v.source === source);
        if (existing) await store.discardStaging(stagingId);
        if (existing && active?.id === existing.id) {
          return { status: 'unchanged', version: existing, previous: existing.id, diff: emptySummary() };
        }
        const version: ListVersion = existing ?? {
          id: `${source}@${staged.contentHash.slice(0, 16)}`,
          source,
          format: options.format.name,
          contentHash: staged.contentHash,
          files,
          counts: {
            entities: staged.entities,
            names: staged.names,
            addresses: staged.addresses,
            attributions: staged.attributions,
          },
          warnings: staged.warnings,
          importedAt,
          importedBy: options.importedBy,
        };
        const { previous, diff } = await store.activate({
          stagingId: existing ? null : stagingId,
          version,
          activatedAt: new Date(clock.nowMs()),
          activatedBy: options.importedBy,
          eventId: deps.newId('lev'),
        });
        return { status: existing ? 'reactivated' : 'activated', version, previous, diff };
      } catch (err) {
        await store.discardStaging(stagingId).catch(() => {});
        throw err;
      }
    },

    async activate(versionId, by) {
      const version = await resolveVersion(versionId);
      const active = (await store.activeVersions()).find((v) => v.source === version.source);
      if (active?.id === version.id)
        return { status: 'unchanged', version, previous: version.id, diff: emptySummary() };
      const { previous, diff } = await store.activate({
        stagingId: null,
        version,
        activatedAt: new Date(clock.nowMs()),
        activatedBy: by,
        eventId: deps.newId('lev'),
      });
      return { status: 'reactivated', version, previous, diff };
    },

    status: () => store.activeVersions(),

    discardInterruptedImports: (olderThanMs) =>
      store.discardStaleStaging(new Date(clock.nowMs() - olderThanMs)),

    versions: (source) => store.listVersions(source),

    async diff(from, to, source) {
      if (!from && !to)
        throw invalid('lists.diff_needs_version', 'name a version or a source to diff', { field: 'to' });
      if (from && !to) {
        // One argument: that version against the version that was active before it, or a source's active version against its predecessor.
        const target = await resolveVersion(from, source);
        const history = await store.listVersions(target.source);
        const idx = history.findIndex((v) => v.id === target.id);
        const before = idx > 0 ? history[idx - 1] : undefined;
        return store.diff(before?.id ?? null, target.id);
      }
      const a = await resolveVersion(from as string, source);
      const b = await resolveVersion(to as string, source ?? a.source);
      return store.diff(a.id, b.id);
    },

    async getEntity(id) {
      const found = await store.getEntity(id);
      if (!found)
        throw new CordonError('not_found', 'lists.entity_not_found', `no entity ${id} in the active lists`, {
          id,
        });
      return found;
    },
  };
}

function emptySummary(): DiffSummary {
  return { entitiesAdded: 0, entitiesRemoved: 0, entitiesChanged: 0, addressesAdded: 0, addressesRemoved: 0 };
}

/** Relations point at `<parser source>:<id>`; re-home them when the import names another source. */
function retarget(target: string, parserSource: string, source: string): string {
  return parserSource !== source && target.startsWith(`${parserSource}:`)
    ? `${source}:${target.slice(parserSource.length + 1)}`
    : target;
}

/** The category a listed entity's addresses carry: sanctions lists → sanctioned, 311 → special measures. */
function categoryOf(entity: ListEntity): string {
  return entity.programs.some((p) => p.startsWith('FinCEN-311')) ? 'special-measures' : 'sanctioned';
}

/** Reads every file once: SHA-256, byte count, and the size limit (checked before any parsing). */
async function hashFiles(files: SourceFile[], maxBytes: number): Promise<ListVersion['files']> {
  const out: ListVersion['files'] = [];
  for (const file of files) {
    const h = createHash('sha256');
    let bytes = 0;
    for await (const chunk of file.open()) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        throw invalid('lists.file_too_large', `${file.name}: larger than the limit of ${maxBytes} bytes`, {
          file: file.name,
          limit: maxBytes,
        });
      }
      h.update(chunk);
    }
    if (bytes === 0)
      throw invalid('lists.parse_error', `${file.name}: the file is empty`, { file: file.name });
    out.push({ name: file.name, sha256: h.digest('hex'), bytes });
  }
  return out;
}
