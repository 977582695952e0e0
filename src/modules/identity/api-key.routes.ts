import { Type } from 'typebox';
import type { RoutePlugin } from '../../platform/http/app.js';
import { principalOf } from '../../platform/http/auth.js';
import { ANY_ROLE } from '../../shared/roles.js';
import type { ApiKey } from './api-key.js';
import { ApiKeySchema, CreatedKey, CreateKeyBody, Whoami } from './api-key.schema.js';
import type { ApiKeyService } from './api-key.service.js';

/** `/v1/keys` (admin) and `/v1/whoami` (any key). */
export function apiKeyRoutes(keys: ApiKeyService): RoutePlugin {
  return async (app) => {
    app.addSchema(ApiKeySchema);

    app.get(
      '/whoami',
      {
        config: { allow: ANY_ROLE },
        schema: { tags: ['identity'], summary: 'The caller behind the API key', response: { 200: Whoami } },
      },
      async (request) => principalOf(request),
    );

    app.get(
      '/keys',
      {
        config: { allow: ['admin'] },
        schema: {
          tags: ['identity'],
          summary: 'List API keys (never their secrets)',
          querystring: Type.Object(
            { includeRevoked: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ keys: Type.Array(Type.Ref('ApiKey')) }) },
        },
      },
      async (request) => ({
        keys: (await keys.list({ includeRevoked: request.query.includeRevoked ?? false })).map(toJson),
      }),
    );

    app.post(
      '/keys',
      {
        config: { allow: ['admin'] },
        schema: {
          tags: ['identity'],
          summary: 'Create an API key; the token is returned once',
          body: CreateKeyBody,
          response: { 201: CreatedKey },
        },
      },
      async (request, reply) => {
        const created = await keys.create({ ...request.body, createdBy: principalOf(request).keyId });
        reply.code(201);
        return { key: toJson(created.key), token: created.token };
      },
    );

    app.delete(
      '/keys/:id',
      {
        config: { allow: ['admin'] },
        schema: {
          tags: ['identity'],
          summary: 'Revoke an API key',
          params: Type.Object({ id: Type.String({ pattern: '^key_[0-9a-z]{26}$' }) }),
          response: { 200: Type.Ref('ApiKey') },
        },
      },
      async (request) => toJson(await keys.revoke(request.params.id)),
    );
  };
}

function toJson(key: ApiKey) {
  return {
    ...key,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
