import { createHash } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { CordonError, invalid } from '../../shared/errors.js';
import { contextFromJson } from './context.js';
import type { PolicySource } from './decisions.service.js';
import { readPack } from './pack-format.js';
import {
  type Action,
  type CompiledPack,
  compilePack,
  evaluatePacks,
  type PackDefinition,
  type PackProblem,
  type Reason,
  validatePack,
} from './policy.js';

/** A version of a pack: drafts can be shadowed and published; published versions never change. */
export interface PolicyVersion {
  packId: string;
  version: number;
  status: 'draft' | 'published';
  definition: PackDefinition;
  /** SHA-256 of the definition's canonical JSON. */
  hash: string;
  /** A draft evaluated on live traffic, its would-be decisions recorded. */
  shadow: boolean;
  note: string | null;
  createdAt: Date;
  createdBy: string | null;
  publishedAt: Date | null;
  publishedBy: string | null;
}

/** A pack and where its versions stand. */
export interface PackSummary {
  id: string;
  name: string;
  jurisdiction: string;
  /** The version in force (the latest published), or null. */
  published: number | null;
  drafts: number[];
  shadowing: number[];
}

/** One would-be decision of a shadowed draft. */
export interface ShadowResult {
  id: string;
  decisionId: string;
  wouldAction: Action;
  actualAction: Action;
  reasons: Reason[];
  createdAt: Date;
}

/** A stored decision's context, for replaying a draft against real traffic. */
export interface RecordedContext {
  decisionId: string;
  action: Action;
  context: unknown;
}

/** What the policy service needs from storage (policies.repository.ts). */
export interface PolicyStore {
  listVersions(packId?: string): Promise<PolicyVersion[]>;
  getVersion(packId: string, version: number): Promise<PolicyVersion | undefined>;
  /** Adds the next version of a pack (creating the pack on its first version), atomically numbered. */
  addVersion(input: {
    definition: PackDefinition;
    hash: string;
    status: 'draft' | 'published';
    note: string | null;
    at: Date;
    by: string | null;
  }): Promise<PolicyVersion>;
  /** Draft → published, in one statement guarded by the draft status. */
  publish(packId: string, version: number, at: Date, by: string | null): Promise<PolicyVersion | undefined>;
  setShadow(packId: string, version: number, on: boolean): Promise<PolicyVersion | undefined>;
  shadowResults(
    packId: string,
    version: number,
    page: { after?: string; limit: number },
  ): Promise<{
    results: ShadowResult[];
    summary: { wouldAction: Action; actualAction: Action; count: number }[];
  }>;
  /** The most recent decisions of a jurisdiction (all when `*`), newest first. */
  recentContexts(jurisdiction: string, limit: number): Promise<RecordedContext[]>;
}

/** Lists, validates, drafts, shadows, tests and publishes policy packs; feeds the decision pipeline. */
export interface PolicyService extends PolicySource {
  list(): Promise<PackSummary[]>;
  versions(packId: string): Promise<PolicyVersion[]>;
  get(packId: string, version: number): Promise<PolicyVersion>;
  /** Problems of a pack (empty when it is sound); never throws for a bad pack. */
  validate(raw: unknown): PackProblem[];
  createDraft(raw: unknown, by: string | null, note?: string): Promise<PolicyVersion>;
  setShadow(packId: string, version: number, enabled: boolean): Promise<PolicyVersion>;
  shadowResults(
    packId: string,
    version: number,
    page: { after?: string; limit?: number },
  ): ReturnType<PolicyStore['shadowResults']>;
  /** Replays a version over the latest recorded decisions of its jurisdiction and compares. */
  test(packId: string, version: number, limit?: number): Promise<PolicyTestReport>;
  publish(packId: string, version: number, by: string | null): Promise<PolicyVersion>;
  /**
   * Seeds the shipped packs: a pack with no version gets the shipped one as version 1, published;
   * a shipped pack that differs from every stored version is added as a draft for the MLRO.
   */
  ensureBuiltinPacks(definitions: PackDefinition[]): Promise<{ published: string[]; drafted: string[] }>;
}

/** What replaying a version over recorded traffic found. */
export interface PolicyTestReport {
  packId: string;
  version: number;
  evaluated: number;
  changed: number;
  byAction: Record<string, number>;
  results: { decisionId: string; actualAction: Action; wouldAction: Action; rules: string[] }[];
}

/** Canonical JSON: sorted keys at every level, no spaces. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** The hash that identifies a definition's content. */
export function packHash(definition: PackDefinition): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}

function describeProblem(p: PackProblem): string {
  const where = p.position ? ` at line ${p.position.line}, column ${p.position.column}` : '';
  return `${p.field}${p.ruleId ? ` (rule ${p.ruleId})` : ''}${where}: ${p.message}`;
}

/**
 * Builds the policy service. Each version is compiled once and kept; the set of packs in force is
 * cached and reloaded in the background every `refreshMs` (at once after a change in this process),
 * so the decision path never waits on the store for its packs.
 */
export function createPolicyService(deps: {
  store: PolicyStore;
  clock: Clock;
  refreshMs?: number;
}): PolicyService {
  const { store, clock } = deps;
  const refreshMs = deps.refreshMs ?? 5000;
  const compiled = new Map<string, CompiledPack>();
  let state: { loadedMs: number; published: CompiledPack[]; shadow: CompiledPack[] } | undefined;
  let loading: Promise<void> | undefined;

  function compiledOf(v: PolicyVersion): CompiledPack {
    const key = `${v.packId}@${v.version}`;
    let c = compiled.get(key);
    if (!c) {
      c = compilePack(v.definition, v.version);
      compiled.set(key, c);
    }
    return c;
  }

  async function load(): Promise<void> {
    const all = await store.listVersions();
    const latest = new Map<string, PolicyVersion>();
    for (const v of all)
      if (v.status === 'published' && (latest.get(v.packId)?.version ?? 0) < v.version)
        latest.set(v.packId, v);
    state = {
      loadedMs: clock.nowMs(),
      published: [...latest.values()].map(compiledOf),
      shadow: all.filter((v) => v.status === 'draft' && v.shadow).map(compiledOf),
    };
  }

  function reload(): Promise<void> {
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  async function current() {
    if (!state) await reload();
    else if (clock.nowMs() - state.loadedMs > refreshMs) void reload().catch(() => {});
    return state as NonNullable<typeof state>;
  }

  function parse(raw: unknown): { pack?: PackDefinition; problems: PackProblem[] } {
    const read = readPack(raw);
    if (!read.ok) return { problems: read.problems };
    return { pack: read.pack, problems: validatePack(read.pack) };
  }

  async function mustGet(packId: string, version: number): Promise<PolicyVersion> {
    const v = await store.getVersion(packId, version);
    if (!v)
      throw new CordonError('not_found', 'policies.not_found', `no version ${version} of pack ${packId}`, {
        packId,
        version,
      });
    return v;
  }

  const inForce = (packs: CompiledPack[], jurisdiction: string) =>
    packs.filter((p) => p.jurisdiction === jurisdiction || p.jurisdiction === '*');

  return {
    async packsFor(jurisdiction) {
      const s = await current();
      return {
        active: inForce(s.published, jurisdiction),
        shadow: inForce(s.shadow, jurisdiction),
      };
    },

    async list() {
      const all = await store.listVersions();
      const packs = new Map<string, PackSummary>();
      for (const v of all) {
        const p = packs.get(v.packId) ?? {
          id: v.packId,
          name: v.definition.name,
          jurisdiction: v.definition.jurisdiction,
          published: null,
          drafts: [],
          shadowing: [],
        };
        if (v.status === 'published' && (p.published ?? 0) < v.version) {
          p.published = v.version;
          p.name = v.definition.name;
        }
        if (v.status === 'draft') p.drafts.push(v.version);
        if (v.status === 'draft' && v.shadow) p.shadowing.push(v.version);
        packs.set(v.packId, p);
      }
      return [...packs.values()].sort((a, b) => a.id.localeCompare(b.id));
    },

    async versions(packId) {
      const vs = await store.listVersions(packId);
      if (vs.length === 0)
        throw new CordonError('not_found', 'policies.not_found', `no pack ${packId}`, { packId });
      return vs;
    },

    get: mustGet,

    validate: (raw) => parse(raw).problems,

    async createDraft(raw, by, note) {
      const { pack, problems } = parse(raw);
      if (!pack || problems.length > 0) {
        const first = problems[0] as PackProblem;
        throw invalid('policies.invalid_pack', describeProblem(first), {
          field: first.field,
          ...(first.ruleId ? { ruleId: first.ruleId } : {}),
          ...(first.position ? { position: first.position } : {}),
          problems,
        });
      }
      const existing = await store.listVersions(pack.id);
      const jurisdiction = existing[0]?.definition.jurisdiction;
      if (jurisdiction !== undefined && jurisdiction !== pack.jurisdiction)
        throw invalid(
          'policies.jurisdiction_changed',
          `pack ${pack.id} serves ${jurisdiction}; a new jurisdiction needs a new pack id`,
          { field: 'jurisdiction' },
        );
      const v = await store.addVersion({
        definition: pack,
        hash: packHash(pack),
        status: 'draft',
        note: note ?? null,
        at: new Date(clock.nowMs()),
        by,
      });
      return v;
    },

    async setShadow(packId, version, enabled) {
      const v = await mustGet(packId, version);
      if (v.status !== 'draft')
        throw new CordonError(
          'conflict',
          'policies.not_a_draft',
          `${packId} v${version} is published; only drafts run in shadow`,
          {
            packId,
            version,
          },
        );
      const updated = await store.setShadow(packId, version, enabled);
      if (!updated)
        throw new CordonError(
          'conflict',
          'policies.not_a_draft',
          `${packId} v${version} is no longer a draft`,
        );
      await reload();
      return updated;
    },

    async shadowResults(packId, version, page) {
      await mustGet(packId, version);
      return store.shadowResults(packId, version, {
        after: page.after,
        limit: Math.min(Math.max(page.limit ?? 100, 1), 1000),
      });
    },

    async test(packId, version, limit = 200) {
      const v = await mustGet(packId, version);
      const draft = compiledOf(v);
      const s = await current();
      const recorded = await store.recentContexts(
        v.definition.jurisdiction,
        Math.min(Math.max(limit, 1), 5000),
      );
      const report: PolicyTestReport = {
        packId,
        version,
        evaluated: 0,
        changed: 0,
        byAction: {},
        results: [],
      };
      for (const r of recorded) {
        const ctx = contextFromJson(r.context);
        const others = inForce(s.published, ctx.customer.jurisdiction).filter(
          (p) => p.id !== draft.id && p.jurisdiction !== draft.jurisdiction,
        );
        const verdict = evaluatePacks([...others, draft], ctx);
        report.evaluated++;
        report.byAction[verdict.action] = (report.byAction[verdict.action] ?? 0) + 1;
        if (verdict.action !== r.action) report.changed++;
        report.results.push({
          decisionId: r.decisionId,
          actualAction: r.action,
          wouldAction: verdict.action,
          rules: verdict.reasons.filter((x) => x.packId === draft.id).map((x) => x.ruleId ?? x.code),
        });
      }
      return report;
    },

    async publish(packId, version, by) {
      const v = await mustGet(packId, version);
      if (v.status === 'published')
        throw new CordonError(
          'conflict',
          'policies.already_published',
          `${packId} v${version} is already published`,
          {
            packId,
            version,
          },
        );
      const newer = (await store.listVersions(packId)).find(
        (x) => x.status === 'published' && x.version > version,
      );
      if (newer)
        throw new CordonError(
          'conflict',
          'policies.superseded',
          `${packId} v${newer.version} is already published; draft a new version instead`,
          { packId, version, published: newer.version },
        );
      compilePack(v.definition, v.version);
      const published = await store.publish(packId, version, new Date(clock.nowMs()), by);
      if (!published)
        throw new CordonError(
          'conflict',
          'policies.already_published',
          `${packId} v${version} was published meanwhile`,
        );
      await reload();
      return published;
    },

    async ensureBuiltinPacks(definitions) {
      const out = { published: [] as string[], drafted: [] as string[] };
      for (const def of definitions) {
        const problems = validatePack(def);
        if (problems.length > 0)
          throw new Error(
            `shipped pack ${def.id} is invalid: ${describeProblem(problems[0] as PackProblem)}`,
          );
        const hash = packHash(def);
        const existing = await store.listVersions(def.id);
        if (existing.some((v) => v.hash === hash)) continue;
        const status = existing.some((v) => v.status === 'published') ? 'draft' : 'published';
        const v = await store.addVersion({
          definition: def,
          hash,
          status,
          note:
            status === 'draft' ? 'shipped with a newer cordon: review, then publish' : 'shipped with cordon',
          at: new Date(clock.nowMs()),
          by: 'builtin',
        });
        (status === 'published' ? out.published : out.drafted).push(`${v.packId}@${v.version}`);
      }
      if (out.published.length + out.drafted.length > 0) await reload();
      return out;
    },
  };
}
