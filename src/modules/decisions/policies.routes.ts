import { Type } from 'typebox';
import type { RoutePlugin } from '../../platform/http/app.js';
import { principalOf } from '../../platform/http/auth.js';
import { invalid } from '../../shared/errors.js';
import { STAFF_READ } from '../../shared/roles.js';
import { DraftBody, PackBody, PackSummarySchema, VersionParams, VersionSchema } from './policies.schema.js';
import type { PolicyService, PolicyVersion } from './policies.service.js';

const AUTHORS = ['mlro', 'admin'] as const;

/**
 * `/v1/policies`: list, read, validate, draft, shadow, test and publish policy packs. Publishing
 * is the MLRO's alone.
 */
export function policiesRoutes(policies: PolicyService): RoutePlugin {
  return async (app) => {
    app.get(
      '/policies',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['policies'],
          summary: 'Policy packs and the version of each in force',
          response: { 200: Type.Object({ packs: Type.Array(PackSummarySchema) }) },
        },
      },
      async () => ({ packs: await policies.list() }),
    );

    app.get(
      '/policies/:packId',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['policies'],
          summary: 'Every version of a pack, oldest first',
          params: Type.Object({ packId: Type.String({ maxLength: 80 }) }),
          response: { 200: Type.Object({ versions: Type.Array(VersionSchema) }) },
        },
      },
      async (request) => ({
        versions: (await policies.versions(request.params.packId)).map((v) => versionJson(v, false)),
      }),
    );

    app.get(
      '/policies/:packId/versions/:version',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['policies'],
          summary: 'One version with its rules',
          params: VersionParams,
          response: { 200: VersionSchema },
        },
      },
      async (request) => versionJson(await policies.get(request.params.packId, request.params.version), true),
    );

    app.post(
      '/policies/validate',
      {
        config: { allow: [...AUTHORS, 'analyst'] },
        schema: {
          tags: ['policies'],
          summary: 'Check a pack: every expression parsed and type-checked against the decision context',
          description: 'A sound pack is a 200; a bad one is a 400 naming each rule, field and position.',
          body: PackBody,
          response: { 200: Type.Object({ valid: Type.Literal(true), rules: Type.Integer() }) },
        },
      },
      async (request) => {
        const problems = policies.validate(request.body);
        const first = problems[0];
        if (first) {
          const where = first.position
            ? ` at line ${first.position.line}, column ${first.position.column}`
            : '';
          throw invalid(
            'policies.invalid_pack',
            `${first.field}${first.ruleId ? ` (rule ${first.ruleId})` : ''}${where}: ${first.message}`,
            {
              field: first.field,
              ...(first.ruleId ? { ruleId: first.ruleId } : {}),
              ...(first.position ? { position: first.position } : {}),
              problems,
            },
          );
        }
        return { valid: true as const, rules: request.body.rules.length };
      },
    );

    app.post(
      '/policies/drafts',
      {
        config: { allow: AUTHORS },
        schema: {
          tags: ['policies'],
          summary: 'Add a pack version as a draft (validated first)',
          body: DraftBody,
          response: { 201: VersionSchema },
        },
      },
      async (request, reply) => {
        const v = await policies.createDraft(
          request.body.pack,
          principalOf(request).keyId,
          request.body.note,
        );
        reply.code(201);
        return versionJson(v, true);
      },
    );

    app.post(
      '/policies/:packId/versions/:version/shadow',
      {
        config: { allow: AUTHORS },
        schema: {
          tags: ['policies'],
          summary:
            'Run a draft in shadow on live traffic (its would-be decisions are recorded, never acted on)',
          params: VersionParams,
          body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
          response: { 200: VersionSchema },
        },
      },
      async (request) =>
        versionJson(
          await policies.setShadow(request.params.packId, request.params.version, request.body.enabled),
          false,
        ),
    );

    app.get(
      '/policies/:packId/versions/:version/shadow-results',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['policies'],
          summary: 'What a shadowed draft would have decided, against what was decided',
          params: VersionParams,
          querystring: Type.Object(
            {
              after: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              summary: Type.Array(
                Type.Object({
                  wouldAction: Type.String(),
                  actualAction: Type.String(),
                  count: Type.Integer(),
                }),
              ),
              results: Type.Array(
                Type.Object({
                  id: Type.String(),
                  decisionId: Type.String(),
                  wouldAction: Type.String(),
                  actualAction: Type.String(),
                  reasons: Type.Unknown(),
                  createdAt: Type.String({ format: 'date-time' }),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const r = await policies.shadowResults(request.params.packId, request.params.version, request.query);
        return {
          summary: r.summary,
          results: r.results.map((x) => ({ ...x, createdAt: x.createdAt.toISOString() })),
        };
      },
    );

    app.post(
      '/policies/:packId/versions/:version/test',
      {
        config: { allow: [...AUTHORS, 'analyst'] },
        schema: {
          tags: ['policies'],
          summary: 'Replay a version over the latest recorded decisions of its jurisdiction and compare',
          params: VersionParams,
          querystring: Type.Object(
            { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              packId: Type.String(),
              version: Type.Integer(),
              evaluated: Type.Integer(),
              changed: Type.Integer(),
              byAction: Type.Record(Type.String(), Type.Integer()),
              results: Type.Array(
                Type.Object({
                  decisionId: Type.String(),
                  actualAction: Type.String(),
                  wouldAction: Type.String(),
                  rules: Type.Array(Type.String()),
                }),
              ),
            }),
          },
        },
      },
      async (request) => policies.test(request.params.packId, request.params.version, request.query.limit),
    );

    app.post(
      '/policies/:packId/versions/:version/publish',
      {
        config: { allow: ['mlro'] },
        schema: {
          tags: ['policies'],
          summary: 'Publish a draft: it takes effect at once and never changes again (MLRO only)',
          params: VersionParams,
          response: { 200: VersionSchema },
        },
      },
      async (request) =>
        versionJson(
          await policies.publish(request.params.packId, request.params.version, principalOf(request).keyId),
          true,
        ),
    );
  };
}

function versionJson(v: PolicyVersion, withDefinition: boolean) {
  return {
    packId: v.packId,
    version: v.version,
    status: v.status,
    shadow: v.shadow,
    hash: v.hash,
    note: v.note,
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdBy,
    publishedAt: v.publishedAt?.toISOString() ?? null,
    publishedBy: v.publishedBy,
    ...(withDefinition ? { definition: v.definition } : {}),
  };
}
