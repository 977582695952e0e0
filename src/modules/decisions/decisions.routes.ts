import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { RoutePlugin } from '../../platform/http/app.js';
import { invalid } from '../../shared/errors.js';
import { STAFF_READ } from '../../shared/roles.js';
import type { Alert } from './alert.js';
import {
  AlertQuerySchema,
  AlertSchema,
  DecisionSchema,
  DepositBody,
  StoredDecisionSchema,
  WithdrawalBody,
} from './decisions.schema.js';
import type { DecisionAnswer, DecisionService, StoredDecision } from './decisions.service.js';

/** Largest decision request accepted (a deposit with 100 senders fits with room to spare). */
const BODY_LIMIT = 64 * 1024;

/**
 * The client id of a mutating request: the body's `id`, or the `Idempotency-Key` header; both may
 * be given only if they agree.
 */
export function clientIdOf(request: FastifyRequest, bodyId: string | undefined): string | undefined {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (bodyId !== undefined && key !== undefined && key !== bodyId)
    throw invalid('request.id_mismatch', 'the body id and the Idempotency-Key header differ', {
      field: 'id',
    });
  return bodyId ?? key;
}

function send(reply: FastifyReply, answer: DecisionAnswer) {
  // The stored bytes go out as they are: a retry sees exactly what the first call saw.
  reply.code(201).type('application/json; charset=utf-8');
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return reply.send(answer.body);
}

/** `/v1/transfers`, `/v1/withdrawal-attempts`, `/v1/decisions` and `/v1/alerts`. */
export function decisionsRoutes(decisions: DecisionService): RoutePlugin {
  return async (app) => {
    app.post(
      '/transfers',
      {
        config: { allow: ['service', 'admin'] },
        bodyLimit: BODY_LIMIT,
        schema: {
          tags: ['decisions'],
          summary: 'Decide a deposit before it is credited',
          description:
            'Screens the senders, traces the source of funds, applies the policy of the customer’s jurisdiction and answers allow, review, hold, block or freeze with the reasons. The decision is stored before the answer leaves; a repeat with the same id returns it unchanged, a different request with the same id is a 409.',
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128 })) }),
          body: DepositBody,
          response: { 201: DecisionSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const clientId = clientIdOf(request, b.id);
        if (clientId === undefined)
          throw invalid('request.missing_id', 'send an id in the body or an Idempotency-Key header', {
            field: 'id',
          });
        const answer = await decisions.decide({
          kind: 'deposit',
          clientId,
          customerId: b.customerId,
          chain: b.chain,
          asset: b.asset,
          amount: b.amount,
          counterparties: b.from,
          ...(b.to ? { ownAddress: b.to } : {}),
          tx: b.tx,
          ...(b.priceUsd !== undefined ? { priceUsd: b.priceUsd } : {}),
        });
        return send(reply, answer);
      },
    );

    app.post(
      '/withdrawal-attempts',
      {
        config: { allow: ['service', 'admin'] },
        bodyLimit: BODY_LIMIT,
        schema: {
          tags: ['decisions'],
          summary: 'Decide a withdrawal before it is broadcast',
          description:
            'Screens the destination, traces where its funds go, applies the policy and answers before anything is sent. Idempotent like /v1/transfers.',
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128 })) }),
          body: WithdrawalBody,
          response: { 201: DecisionSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const clientId = clientIdOf(request, b.id);
        if (clientId === undefined)
          throw invalid('request.missing_id', 'send an id in the body or an Idempotency-Key header', {
            field: 'id',
          });
        const answer = await decisions.decide({
          kind: 'withdrawal',
          clientId,
          customerId: b.customerId,
          chain: b.chain,
          asset: b.asset,
          amount: b.amount,
          counterparties: [b.to],
          ...(b.from ? { ownAddress: b.from } : {}),
          ...(b.priceUsd !== undefined ? { priceUsd: b.priceUsd } : {}),
        });
        return send(reply, answer);
      },
    );

    app.get(
      '/decisions/:id',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['decisions'],
          summary: 'A decision and the inputs it was made from',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: StoredDecisionSchema },
        },
      },
      async (request) => storedJson(await decisions.getDecision(request.params.id)),
    );

    app.get(
      '/decisions',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['decisions'],
          summary: 'Decisions, oldest first (page with `after`)',
          querystring: Type.Object(
            {
              customerId: Type.Optional(Type.String({ maxLength: 128 })),
              after: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ decisions: Type.Array(DecisionSchema) }) },
        },
      },
      async (request) => ({
        decisions: (await decisions.listDecisions(request.query)).map((d) => d.response),
      }),
    );

    app.get(
      '/alerts',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['alerts'],
          summary: 'Alerts opened by decisions and look-back, oldest first (page with `after`)',
          querystring: AlertQuerySchema,
          response: { 200: Type.Object({ alerts: Type.Array(AlertSchema) }) },
        },
      },
      async (request) => ({ alerts: (await decisions.listAlerts(request.query)).map(alertJson) }),
    );
  };
}

function storedJson(d: StoredDecision) {
  return { decision: d.response, inputs: d.inputs };
}

/** An alert as JSON. */
export function alertJson(a: Alert) {
  const { dedupKey: _key, ...rest } = a;
  return { ...rest, createdAt: a.createdAt.toISOString() };
}
