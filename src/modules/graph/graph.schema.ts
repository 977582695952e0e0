import { Type } from 'typebox';

/** HTTP shapes of the graph and exposure API (they stop at the routes). */

const Amounts = Type.Record(Type.String(), Type.String(), {
  description: 'per asset symbol, decimal strings',
});

/** One transfer as the contract defines it; checked in depth by the transfer reader. */
export const TransferJson = Type.Object(
  {
    id: Type.Union([Type.String(), Type.Integer()]),
    chain: Type.String(),
    asset: Type.String(),
    from: Type.String(),
    to: Type.String(),
    amount: Type.Union([Type.String(), Type.Number()]),
    timestamp: Type.Union([Type.String(), Type.Number()]),
    tx: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export const IngestBody = Type.Object(
  {
    transfers: Type.Array(TransferJson, { minItems: 1, maxItems: 10_000 }),
    skipInvalid: Type.Optional(
      Type.Boolean({
        description: 'load the valid transfers and report the others (default: reject the request)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const IngestResponse = Type.Object({
  added: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(
    Type.Object({ index: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() }),
  ),
  transfers: Type.Integer({ description: 'transfers in the graph afterwards' }),
});

export const ExposureParams = Type.Object({
  chain: Type.String({ minLength: 1, maxLength: 40 }),
  address: Type.String({ minLength: 1, maxLength: 200 }),
});

export const ExposureQueryString = Type.Object(
  {
    hops: Type.Optional(Type.Integer({ minimum: 1, maximum: 6, default: 3 })),
    direction: Type.Optional(
      Type.Union([Type.Literal('incoming'), Type.Literal('outgoing'), Type.Literal('both')], {
        default: 'both',
      }),
    ),
    method: Type.Optional(
      Type.Union([Type.Literal('poison'), Type.Literal('haircut')], { default: 'haircut' }),
    ),
    asset: Type.Optional(Type.String({ maxLength: 20 })),
    paths: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, default: 5 })),
  },
  { additionalProperties: false },
);

const PathTransfer = Type.Object({
  id: Type.String(),
  chain: Type.String(),
  asset: Type.String(),
  from: Type.String(),
  to: Type.String(),
  amount: Type.String(),
  timestamp: Type.String(),
  tx: Type.Optional(Type.String()),
});

const Direction = Type.Object({
  direction: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]),
  volume: Amounts,
  entities: Type.Array(
    Type.Object({
      entityId: Type.String(),
      entityName: Type.String(),
      category: Type.String(),
      sources: Type.Array(Type.String()),
      direct: Type.Boolean(),
      minHops: Type.Integer(),
      amounts: Amounts,
      share: Type.Number(),
    }),
  ),
  categories: Type.Array(
    Type.Object({
      category: Type.String(),
      direct: Type.Boolean(),
      minHops: Type.Integer(),
      amounts: Amounts,
      share: Type.Number(),
    }),
  ),
  paths: Type.Array(
    Type.Object({
      entityId: Type.String(),
      category: Type.String(),
      hops: Type.Integer(),
      share: Type.Number(),
      transfers: Type.Array(PathTransfer),
    }),
  ),
});

export const ExposureResponse = Type.Object({
  address: Type.String(),
  chain: Type.String(),
  method: Type.String(),
  hops: Type.Integer(),
  self: Type.Optional(
    Type.Object({ entityId: Type.String(), entityName: Type.String(), category: Type.String() }),
  ),
  directions: Type.Array(Direction),
  basis: Type.Array(Type.String()),
  graphTransfers: Type.Integer(),
  truncated: Type.Boolean(),
  hubsSkipped: Type.Integer({ description: 'unflagged high-degree addresses where the trace stopped' }),
  tookMs: Type.Number(),
});

export const GraphStatsResponse = Type.Object({
  addresses: Type.Integer(),
  transfers: Type.Integer(),
  bufferedTransfers: Type.Integer(),
  segments: Type.Integer(),
  graphBytes: Type.Integer(),
  bytesPerTransfer: Type.Number(),
  dedupeBytes: Type.Integer(),
});
