import { Type } from 'typebox';

/**
 * HTTP shapes of decisions, transfers and alerts (they stop at the routes). Shared shapes are
 * inlined rather than registered with addSchema: a plugin-level addSchema swaps in Fastify's
 * default (coercing) body validator.
 */
const ClientId = Type.String({
  pattern: '^[A-Za-z0-9._:@-]{1,128}$',
  description: 'your id for this transfer: the idempotency key (or send an Idempotency-Key header)',
});
const Address = Type.String({ minLength: 1, maxLength: 130 });
const Amount = Type.Union([Type.String({ minLength: 1, maxLength: 80 }), Type.Number()], {
  description: 'decimal string (preferred) or number, in whole units of the asset',
});
const Price = Type.Union(
  [Type.String({ minLength: 1, maxLength: 40 }), Type.Number({ exclusiveMinimum: 0 })],
  {
    description: 'USD price of one unit of the asset',
  },
);

/** POST /v1/transfers: a deposit, before it is credited. */
export const DepositBody = Type.Object(
  {
    id: Type.Optional(ClientId),
    customerId: Type.String({ minLength: 1, maxLength: 128 }),
    chain: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'chain id (tron, ethereum, …) or code (TRX)',
    }),
    asset: Type.String({ minLength: 1, maxLength: 20, description: 'asset symbol on the chain (USDT)' }),
    amount: Amount,
    from: Type.Array(Address, { minItems: 1, maxItems: 100, description: 'the sending addresses' }),
    to: Type.Optional(Type.String({ maxLength: 130, description: "the exchange's deposit address" })),
    tx: Type.String({ minLength: 1, maxLength: 200, description: 'the deposit transaction hash' }),
    priceUsd: Type.Optional(Price),
  },
  { additionalProperties: false },
);

/** POST /v1/withdrawal-attempts: a withdrawal, before it is broadcast. */
export const WithdrawalBody = Type.Object(
  {
    id: Type.Optional(ClientId),
    customerId: Type.String({ minLength: 1, maxLength: 128 }),
    chain: Type.String({ minLength: 1, maxLength: 40 }),
    asset: Type.String({ minLength: 1, maxLength: 20 }),
    amount: Amount,
    to: Type.String({ minLength: 1, maxLength: 130, description: 'the destination address' }),
    from: Type.Optional(Type.String({ maxLength: 130, description: 'the hot wallet sending it' })),
    priceUsd: Type.Optional(Price),
  },
  { additionalProperties: false },
);

/** One reason of a decision. */
export const ReasonSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('rule'), Type.Literal('rule_error'), Type.Literal('dependency')]),
    code: Type.String(),
    packId: Type.Optional(Type.String()),
    packVersion: Type.Optional(Type.Integer()),
    ruleId: Type.Optional(Type.String()),
    action: Type.String(),
    severity: Type.String(),
    description: Type.String(),
    why: Type.Optional(Type.String({ description: 'why the rule exists' })),
    evidence: Type.Unknown({ description: 'what the rule read, and the exposure paths' }),
  },
  { description: 'a rule hit with its evidence, a rule that could not be evaluated, or a failed dependency' },
);

/** The decision, as answered and as stored. */
export const DecisionSchema = Type.Object(
  {
    decisionId: Type.String(),
    transferId: Type.String(),
    id: Type.String({ description: 'your id of the transfer' }),
    kind: Type.Union([Type.Literal('deposit'), Type.Literal('withdrawal')]),
    customerId: Type.String(),
    decision: Type.Union(
      [
        Type.Literal('allow'),
        Type.Literal('review'),
        Type.Literal('hold'),
        Type.Literal('block'),
        Type.Literal('freeze'),
      ],
      {
        description:
          'allow; review (allow, an alert is opened); hold (do not credit or send until an analyst decides); block (reject); freeze (block and freeze the customer’s assets)',
      },
    ),
    riskScore: Type.Integer({ minimum: 0, maximum: 100 }),
    reasons: Type.Array(ReasonSchema),
    policies: Type.Array(Type.Object({ packId: Type.String(), version: Type.Integer() })),
    listVersions: Type.Record(Type.String(), Type.String()),
    transfer: Type.Object({
      chain: Type.String(),
      asset: Type.String(),
      amount: Type.String(),
      amountUsd: Type.Union([Type.Number(), Type.Null()]),
      counterparties: Type.Array(Type.String()),
      tx: Type.Union([Type.String(), Type.Null()]),
    }),
    decidedAt: Type.String({ format: 'date-time' }),
  },
  { description: 'a decision on a deposit or a withdrawal attempt' },
);

/** A stored decision with its recorded inputs. */
export const StoredDecisionSchema = Type.Object({
  decision: DecisionSchema,
  inputs: Type.Unknown({ description: 'the decision context, screening answers and exposure reports used' }),
});

/** An alert. */
export const AlertSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    customerId: Type.Union([Type.String(), Type.Null()]),
    transferId: Type.Union([Type.String(), Type.Null()]),
    decisionId: Type.Union([Type.String(), Type.Null()]),
    reason: Type.String(),
    evidence: Type.Unknown(),
    status: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { description: 'something an analyst must look at' },
);

/** Query of the alert list. */
export const AlertQuerySchema = Type.Object(
  {
    kind: Type.Optional(
      Type.Union([
        Type.Literal('decision'),
        Type.Literal('lookback.transfer'),
        Type.Literal('lookback.customer'),
      ]),
    ),
    customerId: Type.Optional(Type.String({ maxLength: 128 })),
    status: Type.Optional(Type.Literal('open')),
    after: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
