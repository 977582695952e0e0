import { Type } from 'typebox';
import type { RoutePlugin } from '../../platform/http/app.js';
import { principalOf } from '../../platform/http/auth.js';
import { STAFF_READ } from '../../shared/roles.js';
import { detectFormat, FORMATS, formatByName } from './formats.js';
import type { ActiveVersion, ImportResult, ListService, ListVersion } from './lists.service.js';
import type { SourceFile } from './model.js';

const Version = Type.Object(
  {
    id: Type.String(),
    source: Type.String(),
    format: Type.String(),
    contentHash: Type.String(),
    files: Type.Array(Type.Object({ name: Type.String(), sha256: Type.String(), bytes: Type.Integer() })),
    counts: Type.Object({
      entities: Type.Integer(),
      names: Type.Integer(),
      addresses: Type.Integer(),
      attributions: Type.Integer(),
    }),
    warnings: Type.Array(
      Type.Object({
        file: Type.String(),
        line: Type.Optional(Type.Integer()),
        element: Type.Optional(Type.String()),
        message: Type.String(),
      }),
    ),
    importedAt: Type.String({ format: 'date-time' }),
    importedBy: Type.Union([Type.String(), Type.Null()]),
    active: Type.Optional(Type.Boolean()),
    activatedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { $id: 'ListVersion' },
);

const DiffSummary = Type.Object({
  entitiesAdded: Type.Integer(),
  entitiesRemoved: Type.Integer(),
  entitiesChanged: Type.Integer(),
  addressesAdded: Type.Integer(),
  addressesRemoved: Type.Integer(),
});

const ImportResponse = Type.Object({
  status: Type.Union([Type.Literal('activated'), Type.Literal('unchanged'), Type.Literal('reactivated')]),
  version: Type.Ref('ListVersion'),
  previous: Type.Union([Type.String(), Type.Null()]),
  diff: DiffSummary,
});

const DiffEntity = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() });
const DiffAddress = Type.Object({ currency: Type.String(), address: Type.String(), entityId: Type.String() });
const Diff = Type.Object({
  source: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.String(),
  entities: Type.Object({
    added: Type.Array(DiffEntity),
    removed: Type.Array(DiffEntity),
    changed: Type.Array(DiffEntity),
  }),
  addresses: Type.Object({ added: Type.Array(DiffAddress), removed: Type.Array(DiffAddress) }),
});

const ImportBody = Type.Object(
  {
    format: Type.Optional(Type.Union(Object.keys(FORMATS).map((f) => Type.Literal(f)))),
    source: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' })),
    skipInvalidAddresses: Type.Optional(Type.Boolean()),
    files: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 200 }),
          content: Type.String({ description: 'the file, as text or base64' }),
          encoding: Type.Optional(Type.Union([Type.Literal('utf8'), Type.Literal('base64')])),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10 },
    ),
  },
  { additionalProperties: false },
);

/** `/v1/lists…` and `/v1/entities/{id}`. */
export function listsRoutes(lists: ListService, options: { maxFileBytes: number }): RoutePlugin {
  return async (app) => {
    app.addSchema(Version);

    app.get(
      '/lists',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['lists'],
          summary: 'Active list versions',
          response: { 200: Type.Object({ active: Type.Array(Type.Ref('ListVersion')) }) },
        },
      },
      async () => ({ active: (await lists.status()).map(versionJson) }),
    );

    app.get(
      '/lists/:source/versions',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['lists'],
          summary: 'Every version of a source, oldest first',
          params: Type.Object({ source: Type.String({ maxLength: 64 }) }),
          response: { 200: Type.Object({ versions: Type.Array(Type.Ref('ListVersion')) }) },
        },
      },
      async (request) => ({ versions: (await lists.versions(request.params.source)).map(versionJson) }),
    );

    app.get(
      '/lists/diff',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['lists'],
          summary: 'Entities and addresses added, removed and changed between two versions',
          querystring: Type.Object(
            {
              from: Type.Optional(Type.String()),
              to: Type.Optional(Type.String()),
              source: Type.Optional(Type.String()),
            },
            { additionalProperties: false },
          ),
          response: { 200: Diff },
        },
      },
      async (request) => {
        const { from, to, source } = request.query;
        return lists.diff(from ?? (to ? undefined : source), to, source);
      },
    );

    app.post(
      '/lists/import',
      {
        config: { allow: ['admin'] },
        bodyLimit: Math.ceil(options.maxFileBytes * 1.4) + 65_536,
        schema: {
          tags: ['lists'],
          summary: 'Import list files as a new active version (atomic)',
          body: ImportBody,
          response: { 200: ImportResponse },
        },
      },
      async (request) => {
        const files: SourceFile[] = request.body.files.map((f) => {
          const bytes =
            f.encoding === 'base64' ? Buffer.from(f.content, 'base64') : Buffer.from(f.content, 'utf8');
          return {
            name: f.name,
            open: async function* () {
              yield new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            },
          };
        });
        const format = request.body.format ? formatByName(request.body.format) : await detectFormat(files);
        const result = await lists.importFiles({
          format,
          source: request.body.source,
          files,
          importedBy: principalOf(request).keyId,
          maxFileBytes: options.maxFileBytes,
          skipInvalidAddresses: request.body.skipInvalidAddresses,
        });
        return importJson(result);
      },
    );

    app.get(
      '/entities/:id',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['lists'],
          summary: 'A listed entity in the active version of its source',
          params: Type.Object({ id: Type.String({ maxLength: 300 }) }),
          response: {
            200: Type.Object({
              versionId: Type.String(),
              entity: Type.Object({}, { additionalProperties: true }),
            }),
          },
        },
      },
      async (request) => {
        const found = await lists.getEntity(request.params.id);
        return { versionId: found.versionId, entity: found.entity as unknown as Record<string, unknown> };
      },
    );
  };
}

function versionJson(v: ListVersion | ActiveVersion | (ListVersion & { active: boolean })) {
  return {
    ...v,
    importedAt: v.importedAt.toISOString(),
    ...('activatedAt' in v ? { activatedAt: v.activatedAt.toISOString() } : {}),
  };
}

function importJson(r: ImportResult) {
  return { ...r, version: versionJson(r.version) };
}
