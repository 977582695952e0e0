import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';

/** A readiness check: resolves when its dependency answers, throws otherwise. */
export type HealthCheck = () => Promise<void>;

const CheckResult = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  latencyMs: Type.Number(),
  error: Type.Optional(Type.String()),
});

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  version: Type.String(),
  uptimeS: Type.Number(),
  checks: Type.Record(Type.String(), CheckResult),
});

/**
 * `/health`: readiness (every dependency answers; 503 otherwise), for load balancers deciding where
 * to send traffic. `/health/live`: liveness (the process serves HTTP), for restarts.
 */
export const healthRoutes: FastifyPluginAsync<{
  checks: Record<string, HealthCheck>;
  version: string;
}> = async (app, { checks, version }) => {
  const startedMs = performance.now();
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the store and other dependencies answer',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const results: Record<string, { status: 'ok' | 'unavailable'; latencyMs: number; error?: string }> = {};
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          const t0 = performance.now();
          try {
            await withTimeout(check(), 2000);
            results[name] = { status: 'ok', latencyMs: round(performance.now() - t0) };
          } catch (err) {
            results[name] = {
              status: 'unavailable',
              latencyMs: round(performance.now() - t0),
              error: (err as Error).message,
            };
          }
        }),
      );
      const ok = Object.values(results).every((r) => r.status === 'ok');
      reply.code(ok ? 200 : 503);
      return {
        status: ok ? 'ok' : 'unavailable',
        version,
        uptimeS: round((performance.now() - startedMs) / 1000),
        checks: results,
      } as const;
    },
  );
  app.get(
    '/health/live',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers HTTP',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
};

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
