import { Type } from 'typebox';
import type { RoutePlugin } from '../../platform/http/app.js';
import { principalOf } from '../../platform/http/auth.js';
import { invalid } from '../../shared/errors.js';
import { STAFF_READ } from '../../shared/roles.js';
import type { LookbackJob, LookbackService } from './lookback.service.js';

const JobSchema = Type.Object({
  id: Type.String(),
  triggerId: Type.String(),
  source: Type.String(),
  fromVersion: Type.Union([Type.String(), Type.Null()]),
  toVersion: Type.String(),
  since: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.String({ description: 'pending, running, done or failed' }),
  phase: Type.String({ description: 'addresses (past transfers), customers, done' }),
  progress: Type.Object({
    addressesTotal: Type.Integer(),
    addressesDone: Type.Integer(),
    transfersLinked: Type.Integer(),
    customersScreened: Type.Integer(),
    customersLinked: Type.Integer(),
    alertsOpened: Type.Integer(),
  }),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** `/v1/lookbacks`: look-back jobs and their progress; start one by hand for a list version. */
export function lookbackRoutes(lookback: LookbackService): RoutePlugin {
  return async (app) => {
    app.get(
      '/lookbacks',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['alerts'],
          summary: 'Look-back jobs, newest first, with their progress',
          querystring: Type.Object(
            { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ jobs: Type.Array(JobSchema) }) },
        },
      },
      async (request) => ({ jobs: (await lookback.jobs(request.query.limit)).map(jobJson) }),
    );

    app.get(
      '/lookbacks/:id',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['alerts'],
          summary: 'One look-back job',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: JobSchema },
        },
      },
      async (request) => jobJson(await lookback.job(request.params.id)),
    );

    app.post(
      '/lookbacks',
      {
        config: { allow: ['mlro', 'admin', 'analyst'] },
        schema: {
          tags: ['alerts'],
          summary: 'Look back over past transfers and customers for what a list version added',
          description:
            'E.g. "any deposits or withdrawals linked to Huione since 2024-01-01": name the version and the date. Runs in the background; follow it at /v1/lookbacks/{id}.',
          body: Type.Object(
            {
              version: Type.String({
                minLength: 3,
                maxLength: 200,
                description: 'list version label, source@hash',
              }),
              since: Type.Optional(
                Type.String({ format: 'date', description: 'only transfers from this date' }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 202: JobSchema },
        },
      },
      async (request, reply) => {
        const { version, since } = request.body;
        const at = version.indexOf('@');
        if (at <= 0)
          throw invalid('lookback.invalid_version', 'version must be a label like source@hash', {
            field: 'version',
          });
        const job = await lookback.request({
          toVersion: version,
          source: version.slice(0, at),
          since: since ? new Date(`${since}T00:00:00Z`) : null,
          by: principalOf(request).keyId,
        });
        void lookback.runPending().catch((err) => request.log.warn({ err }, 'look-back failed'));
        reply.code(202);
        return jobJson(job);
      },
    );
  };
}

function jobJson(j: LookbackJob) {
  return {
    id: j.id,
    triggerId: j.triggerId,
    source: j.source,
    fromVersion: j.fromVersion,
    toVersion: j.toVersion,
    since: j.since?.toISOString() ?? null,
    status: j.status,
    phase: j.phase,
    progress: j.progress,
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}
