import { Type } from 'typebox';

/** HTTP shapes of customers (they stop at the routes; inlined, see decisions.schema.ts). */
const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' });
const profile = {
  type: Type.Union([Type.Literal('person'), Type.Literal('organization')]),
  names: Type.Object(
    {
      primary: Type.String({ minLength: 1, maxLength: 300 }),
      aliases: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 50 })),
    },
    { additionalProperties: false },
  ),
  birthDate: Type.Optional(
    Type.Union([Type.String({ pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$' }), Type.Null()], {
      description: 'date of birth (person) or incorporation (organisation): YYYY, YYYY-MM or YYYY-MM-DD',
    }),
  ),
  nationality: Type.Optional(
    Type.Array(Country, { maxItems: 10, description: 'nationalities, or country of incorporation' }),
  ),
  residence: Type.Optional(
    Type.Union([Country, Type.Null()], { description: 'residence or main operations' }),
  ),
  legalEntity: Type.String({
    minLength: 1,
    maxLength: 64,
    description:
      "the exchange's legal entity serving the customer (decides the jurisdiction), e.g. cordon-us",
  }),
  kycLevel: Type.Integer({
    minimum: 0,
    maximum: 3,
    description: '0 none, 1 basic, 2 verified identity, 3 enhanced due diligence',
  }),
  expectedMonthlyVolumeUsd: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.Null()])),
};

/** POST /v1/customers. */
export const CreateCustomerBody = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._:@-]{1,128}$',
        description: 'your id for the customer (idempotency key)',
      }),
    ),
    ...profile,
  },
  { additionalProperties: false },
);

/** PUT /v1/customers/{id}: the whole profile. */
export const ReplaceCustomerBody = Type.Object(profile, { additionalProperties: false });

/** PATCH /v1/customers/{id}: the fields to change. */
export const PatchCustomerBody = Type.Object(
  {
    type: Type.Optional(profile.type),
    names: Type.Optional(profile.names),
    birthDate: profile.birthDate,
    nationality: profile.nationality,
    residence: profile.residence,
    legalEntity: Type.Optional(profile.legalEntity),
    kycLevel: Type.Optional(profile.kycLevel),
    expectedMonthlyVolumeUsd: profile.expectedMonthlyVolumeUsd,
  },
  { additionalProperties: false, minProperties: 1 },
);

const Match = Type.Object({
  entityId: Type.String(),
  name: Type.String(),
  matchedName: Type.String(),
  queryName: Type.String(),
  source: Type.String(),
  versionId: Type.String(),
  score: Type.Number(),
  decision: Type.String(),
  programs: Type.Array(Type.String()),
});

/** Screening as returned. */
export const ScreeningSchema = Type.Object({
  status: Type.String({ description: 'unscreened, clear, review (possible match), match or failed' }),
  screenedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  versions: Type.Record(Type.String(), Type.String()),
  matches: Type.Array(Match),
  error: Type.Optional(Type.String()),
});

/** A customer as returned. */
export const CustomerSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  names: Type.Object({ primary: Type.String(), aliases: Type.Array(Type.String()) }),
  birthDate: Type.Union([Type.String(), Type.Null()]),
  nationality: Type.Array(Type.String()),
  residence: Type.Union([Type.String(), Type.Null()]),
  legalEntity: Type.String(),
  jurisdiction: Type.String(),
  kycLevel: Type.Integer(),
  expectedMonthlyVolumeUsd: Type.Union([Type.Number(), Type.Null()]),
  screening: ScreeningSchema,
  risk: Type.Object({
    rating: Type.String({ description: 'low, medium, high or prohibited' }),
    reasons: Type.Array(
      Type.Object({
        factor: Type.String(),
        code: Type.String(),
        rating: Type.String(),
        detail: Type.String(),
      }),
    ),
    assessedAt: Type.String({ format: 'date-time' }),
  }),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
