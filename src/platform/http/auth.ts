import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { CordonError } from '../../shared/errors.js';
import type { Principal, Role } from '../../shared/roles.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The roles allowed to call this route. Every `/v1` route must declare it (an empty list is
     * allowed only for public routes outside `/v1`); registration fails otherwise.
     */
    allow?: readonly Role[];
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Resolves a bearer token to its principal (the identity module provides it). */
export type Authenticate = (token: string) => Promise<Principal | null>;

/** Throws unless the request carries a principal (for handlers behind `allow`). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new CordonError('unauthenticated', 'auth.missing_key', 'authentication required');
  return request.principal;
}

/**
 * Bearer-key authentication and role checks for every `/v1` route, decided in one place from the
 * route's own `config.allow`. Runs before the body is parsed, so an unauthenticated caller learns
 * nothing about the input it sent. A route under `/v1` that forgets `allow` fails at start-up.
 */
export function installAuth(app: FastifyInstance, authenticate: Authenticate): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/v1')) return;
    const allow = route.config?.allow;
    if (!Array.isArray(allow) || allow.length === 0) {
      throw new Error(`route ${route.method} ${route.url} must declare config.allow (the roles it allows)`);
    }
    route.schema = {
      ...route.schema,
      security: [{ bearerAuth: [] }],
      description: `${route.schema?.description ? `${route.schema.description}\n\n` : ''}Roles: ${allow.join(', ')}.`,
    };
  });

  app.addHook('onRequest', async (request) => {
    const allow = request.routeOptions.config?.allow;
    if (!allow) return; // public route (health, metrics, docs) or no route at all (404)
    const header = request.headers.authorization;
    if (!header) {
      throw new CordonError(
        'unauthenticated',
        'auth.missing_key',
        'send an API key as "Authorization: Bearer <key>"',
      );
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      throw new CordonError(
        'unauthenticated',
        'auth.malformed_header',
        'the Authorization header must be "Bearer <key>"',
      );
    }
    const principal = await authenticate(m[1] as string);
    if (!principal)
      throw new CordonError('unauthenticated', 'auth.invalid_key', 'the API key is unknown or revoked');
    request.principal = principal;
    if (!allow.includes(principal.role)) {
      throw new CordonError(
        'forbidden',
        'auth.role_not_allowed',
        `role ${principal.role} may not call ${request.method} ${request.routeOptions.url}; allowed: ${allow.join(', ')}`,
        { role: principal.role, allowed: [...allow] },
      );
    }
  });
}
