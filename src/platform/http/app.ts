import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type Options as AjvOptions } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type RouteOptions,
} from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { type Authenticate, installAuth } from './auth.js';
import { type HealthCheck, healthRoutes } from './health.routes.js';
import { ProblemSchema, problem, toProblem } from './problem.js';

/** The Fastify instance type every route plugin receives: TypeBox schemas give typed requests. */
export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A capability's routes, mounted under `/v1`; each receives its services through its closure. */
export type RoutePlugin = FastifyPluginAsync<
  Record<never, never>,
  import('node:http').Server,
  TypeBoxTypeProvider
>;

/** What the HTTP app is built from. Everything is passed in, so tests build it with fakes. */
export interface AppDeps {
  logger: Logger | false;
  metrics: Metrics;
  authenticate: Authenticate;
  /** Readiness checks by name (the store, later the bus); each throws when its dependency is down. */
  checks: Record<string, HealthCheck>;
  bodyLimitBytes: number;
  version: string;
  routes: RoutePlugin[];
}

function createAjv(options: Pick<AjvOptions, 'coerceTypes'>): Ajv {
  const ajv = new Ajv({
    ...options,
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the HTTP application: validation from TypeBox schemas, problem+json errors, API-key
 * authentication with per-route roles, Prometheus metrics, health checks and the OpenAPI document.
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger === false ? undefined : (deps.logger as FastifyBaseLogger),
    logger: deps.logger === false ? false : undefined,
    bodyLimit: deps.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // One log line per request would flood the logs at thousands of decisions a second; metrics count them.
    logController: new Fastify.LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Bodies are validated strictly (a string is never silently turned into a number); the query
    // string, path and headers are text by nature, so there types are coerced. A factory, not
    // `setValidatorCompiler`: a plugin that adds shared schemas gets its own compiler from it, so
    // its routes keep the same rules.
    schemaController: {
      compilersFactory: {
        buildValidator: ((externalSchemas: Record<string, unknown>) => {
          const strict = createAjv({ coerceTypes: false });
          const coercing = createAjv({ coerceTypes: 'array' });
          for (const schema of Object.values(externalSchemas ?? {})) {
            strict.addSchema(schema as object);
            coercing.addSchema(schema as object);
          }
          return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
            (httpPart === 'body' ? strict : coercing).compile(schema);
          // Fastify calls the compiler with the route's schema and part; its types only know Ajv's.
        }) as never,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // Only JSON bodies: anything else is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');

  app.addSchema(ProblemSchema);

  // Every route documents and serialises its errors as problems.
  app.addHook('onRoute', (route: RouteOptions) => {
    route.schema ??= {};
    route.schema.response ??= {};
    const response = route.schema.response as Record<string, unknown>;
    response['4xx'] ??= { $ref: 'Problem#' };
    response['5xx'] ??= { $ref: 'Problem#' };
  });
  installAuth(app as unknown as FastifyInstance, deps.authenticate);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cordon',
        version: deps.version,
        description:
          'Real-time AML screening, exposure and decisions for crypto exchanges. Errors are RFC 9457 problem details.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'cordon API key' } },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });

  // Callback hooks, not async ones: nothing here waits, and an async hook costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    deps.metrics.httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500)
      request.log.warn({ reqId: request.id, status: reply.statusCode }, 'request failed');
    done();
  });

  app.setErrorHandler((err, request, reply) => {
    const p = toProblem(err);
    if (p.status >= 500) request.log.error({ err, reqId: request.id }, 'unhandled error');
    return reply
      .code(p.status)
      .type('application/problem+json')
      .send({ ...p, instance: request.url.split('?')[0], requestId: request.id });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send(
        problem(404, 'route.not_found', `no route ${request.method} ${request.url.split('?')[0]}`, {
          instance: request.url.split('?')[0],
          requestId: request.id,
        }),
      ),
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
  await app.register(healthRoutes, { checks: deps.checks, version: deps.version });
  await app.register(
    async (v1) => {
      for (const plugin of deps.routes) await v1.register(plugin);
    },
    { prefix: '/v1' },
  );
  return app;
}
