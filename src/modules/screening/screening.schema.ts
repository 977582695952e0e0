import { Type } from 'typebox';

/** HTTP shapes of the screening API (they stop at the routes). */
const Dob = Type.String({
  pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$',
  description: 'YYYY, YYYY-MM or YYYY-MM-DD',
});
const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' });
const EntityType = Type.Union([Type.Literal('person'), Type.Literal('organization')]);

export const EntityQuery = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 200 })),
    name: Type.String({ minLength: 1, maxLength: 500, description: 'the name to screen' }),
    type: Type.Optional(EntityType),
    country: Type.Optional(Country),
    dob: Type.Optional(Dob),
    identifiers: Type.Optional(
      Type.Array(
        Type.Object({
          type: Type.Optional(Type.String({ maxLength: 50 })),
          value: Type.String({ minLength: 1, maxLength: 100 }),
        }),
        {
          maxItems: 20,
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ScreenEntitiesBody = Type.Object(
  {
    queries: Type.Array(EntityQuery, { minItems: 1, maxItems: 1000 }),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 50, description: 'matches per query (default 10)' }),
    ),
  },
  { additionalProperties: false },
);

/** How the tokens of two names were paired, shared by match explanations and /v1/match. */
const NameAlignment = {
  aligned: Type.Array(
    Type.Object({
      query: Type.String(),
      candidate: Type.String(),
      similarity: Type.Number(),
      how: Type.String(),
    }),
  ),
  unmatchedQuery: Type.Array(Type.String()),
  unmatchedCandidate: Type.Array(Type.String()),
};

const Related = Type.Object({
  id: Type.String(),
  name: Type.String(),
  relation: Type.String(),
  programs: Type.Array(Type.String()),
});

export const Match = Type.Object({
  entityId: Type.String(),
  list: Type.String({ description: 'the list source' }),
  versionId: Type.String(),
  kind: Type.String(),
  name: Type.String({ description: 'the entity’s primary name' }),
  matchedName: Type.String(),
  matchedNameKind: Type.String(),
  score: Type.Number(),
  decision: Type.Union([Type.Literal('match'), Type.Literal('review')]),
  programs: Type.Array(Type.String()),
  related: Type.Array(Related, { description: 'parent group, rebrands, owners — with their measures' }),
  explanation: Type.Object({
    nameScore: Type.Number(),
    ...NameAlignment,
    features: Type.Array(Type.Object({ name: Type.String(), value: Type.Number(), detail: Type.String() })),
    notes: Type.Array(Type.String()),
  }),
});

export const ScreenEntitiesResponse = Type.Object({
  versions: Type.Record(Type.String(), Type.String(), { description: 'active list version per source' }),
  results: Type.Array(
    Type.Object({ id: Type.Union([Type.String(), Type.Null()]), matches: Type.Array(Match) }),
  ),
});

export const ScreenAddressesBody = Type.Object(
  {
    addresses: Type.Array(
      Type.Object(
        {
          address: Type.String({ minLength: 1, maxLength: 200 }),
          chain: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 40,
              description: 'chain or currency code; inferred when omitted',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10_000 },
    ),
    skipInvalid: Type.Optional(
      Type.Boolean({
        description: 'return invalid addresses as per-item errors instead of refusing the request',
      }),
    ),
  },
  { additionalProperties: false },
);

const Hit = Type.Object({
  entityId: Type.String(),
  entityName: Type.String(),
  category: Type.String(),
  list: Type.String(),
  versionId: Type.String(),
  attributedBy: Type.Union([Type.String(), Type.Null()]),
  confidence: Type.Number(),
  listedAs: Type.String(),
  listedCurrency: Type.String(),
  validFrom: Type.Union([Type.String(), Type.Null()]),
  validTo: Type.Union([Type.String(), Type.Null()]),
});

export const ScreenAddressesResponse = Type.Object({
  versions: Type.Record(Type.String(), Type.String()),
  results: Type.Array(
    Type.Object({
      address: Type.String(),
      chain: Type.Optional(Type.String()),
      normalized: Type.Optional(Type.String()),
      hits: Type.Array(Hit),
      error: Type.Optional(Type.Object({ code: Type.String(), reason: Type.String() })),
    }),
  ),
});

export const MatchBody = Type.Object(
  {
    a: Type.String({ minLength: 1, maxLength: 500 }),
    b: Type.String({ minLength: 1, maxLength: 500 }),
    type: Type.Optional(EntityType),
  },
  { additionalProperties: false },
);

export const MatchResponse = Type.Object({
  score: Type.Number(),
  match: Type.Boolean(),
  review: Type.Boolean(),
  explanation: Type.Object({
    ...NameAlignment,
    notes: Type.Array(Type.String()),
  }),
});
