import { Type } from 'typebox';
import type { RoutePlugin } from '../../platform/http/app.js';
import { STAFF_READ } from '../../shared/roles.js';
import type { Customer, CustomerScreening } from './customer.js';
import {
  CreateCustomerBody,
  CustomerSchema,
  PatchCustomerBody,
  ReplaceCustomerBody,
  ScreeningSchema,
} from './customers.schema.js';
import type { CustomerService } from './customers.service.js';
import { clientIdOf } from './decisions.routes.js';

const WRITE = ['service', 'admin'] as const;
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** `/v1/customers`: create (idempotent), replace, update, read, list, re-screen. */
export function customersRoutes(customers: CustomerService): RoutePlugin {
  return async (app) => {
    app.post(
      '/customers',
      {
        config: { allow: WRITE },
        schema: {
          tags: ['customers'],
          summary: 'Create a customer; screened and rated at once',
          description:
            'Send your own `id` or an Idempotency-Key header: a repeat returns the customer (200), a different request with the same id or key is a 409.',
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128 })) }),
          body: CreateCustomerBody,
          response: { 200: CustomerSchema, 201: CustomerSchema },
        },
      },
      async (request, reply) => {
        const { id: bodyId, ...input } = request.body;
        const header = request.headers['idempotency-key'];
        const key = Array.isArray(header) ? header[0] : header;
        const id = bodyId ?? undefined;
        // With a body id the id is the key; a header alone keys a server-chosen id.
        if (bodyId !== undefined) clientIdOf(request, bodyId);
        const { customer, created } = await customers.create(input, {
          ...(id !== undefined ? { id } : {}),
          ...(id === undefined && key !== undefined ? { idempotencyKey: key } : {}),
        });
        reply.code(created ? 201 : 200);
        if (!created) reply.header('idempotent-replayed', 'true');
        return customerJson(customer);
      },
    );

    app.put(
      '/customers/:id',
      {
        config: { allow: WRITE },
        schema: {
          tags: ['customers'],
          summary: 'Replace a customer’s profile; screened and rated again',
          params: IdParams,
          body: ReplaceCustomerBody,
          response: { 200: CustomerSchema },
        },
      },
      async (request) => customerJson(await customers.replace(request.params.id, request.body)),
    );

    app.patch(
      '/customers/:id',
      {
        config: { allow: WRITE },
        schema: {
          tags: ['customers'],
          summary: 'Change some of a customer’s profile; screened and rated again',
          params: IdParams,
          body: PatchCustomerBody,
          response: { 200: CustomerSchema },
        },
      },
      async (request) => customerJson(await customers.update(request.params.id, request.body)),
    );

    app.get(
      '/customers/:id',
      {
        config: { allow: [...STAFF_READ, 'service'] },
        schema: {
          tags: ['customers'],
          summary: 'A customer',
          params: IdParams,
          response: { 200: CustomerSchema },
        },
      },
      async (request) => customerJson(await customers.get(request.params.id)),
    );

    app.get(
      '/customers',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['customers'],
          summary: 'Customers by id (page with `after`)',
          querystring: Type.Object(
            {
              riskRating: Type.Optional(
                Type.Union([
                  Type.Literal('low'),
                  Type.Literal('medium'),
                  Type.Literal('high'),
                  Type.Literal('prohibited'),
                ]),
              ),
              jurisdiction: Type.Optional(Type.String({ maxLength: 8 })),
              after: Type.Optional(Type.String({ maxLength: 128 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ customers: Type.Array(CustomerSchema) }) },
        },
      },
      async (request) => ({
        customers: (
          await customers.list({
            ...request.query,
          })
        ).map(customerJson),
      }),
    );

    app.get(
      '/customers/:id/screenings',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['customers'],
          summary: 'Every screening of a customer, newest first',
          params: IdParams,
          response: {
            200: Type.Object({
              screenings: Type.Array(
                Type.Object({
                  id: Type.String(),
                  customerVersion: Type.Integer(),
                  trigger: Type.String(),
                  screening: ScreeningSchema,
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        screenings: (await customers.screenings(request.params.id)).map((s) => ({
          id: s.id,
          customerVersion: s.customerVersion,
          trigger: s.trigger,
          screening: screeningJson(s.screening),
        })),
      }),
    );

    app.post(
      '/customers/:id/screen',
      {
        config: { allow: ['admin', 'mlro', 'analyst', 'service'] },
        schema: {
          tags: ['customers'],
          summary: 'Screen a customer again against the lists active now',
          params: IdParams,
          response: { 200: CustomerSchema },
        },
      },
      async (request) => customerJson(await customers.rescreen(request.params.id)),
    );
  };
}

function screeningJson(s: CustomerScreening) {
  return { ...s, screenedAt: s.screenedAt?.toISOString() ?? null };
}

/** A customer as JSON (risk signals stay internal). */
export function customerJson(c: Customer) {
  return {
    ...c,
    screening: screeningJson(c.screening),
    risk: { rating: c.risk.rating, reasons: c.risk.reasons, assessedAt: c.risk.assessedAt.toISOString() },
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
