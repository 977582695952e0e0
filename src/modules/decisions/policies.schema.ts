import { Type } from 'typebox';

/** HTTP shapes of policy packs (they stop at the routes; inlined, see decisions.schema.ts). */
const Rule = Type.Object(
  {
    id: Type.String({ maxLength: 80 }),
    description: Type.String({ maxLength: 500 }),
    reason: Type.String({ maxLength: 4000, description: 'why the rule exists, for the compliance officer' }),
    expression: Type.String({
      maxLength: 4000,
      description: 'CEL over the decision context (docs/policies.md)',
    }),
    severity: Type.String({ description: 'low, medium, high or critical' }),
    action: Type.String({ description: 'review, hold, block or freeze' }),
    onError: Type.Optional(
      Type.String({ description: 'what the rule asks for when it cannot be evaluated' }),
    ),
    evidence: Type.Optional(
      Type.String({ maxLength: 4000, description: 'CEL whose value is recorded with a hit' }),
    ),
  },
  { additionalProperties: false },
);

/** A pack definition, as drafted or validated. */
export const PackBody = Type.Object(
  {
    id: Type.String({ maxLength: 80 }),
    name: Type.String({ maxLength: 200 }),
    jurisdiction: Type.String({ maxLength: 8, description: 'ISO 3166-1 alpha-2, EU, or * for the baseline' }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    params: Type.Optional(Type.Record(Type.String(), Type.Number())),
    rules: Type.Array(Rule, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);

/** POST /v1/policies/drafts. */
export const DraftBody = Type.Object(
  { pack: PackBody, note: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

/** A pack version as returned. */
export const VersionSchema = Type.Object({
  packId: Type.String(),
  version: Type.Integer(),
  status: Type.String({ description: 'draft or published' }),
  shadow: Type.Boolean(),
  hash: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  publishedBy: Type.Union([Type.String(), Type.Null()]),
  definition: Type.Optional(Type.Unknown()),
});

/** A pack in the list. */
export const PackSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  jurisdiction: Type.String(),
  published: Type.Union([Type.Integer(), Type.Null()]),
  drafts: Type.Array(Type.Integer()),
  shadowing: Type.Array(Type.Integer()),
});

/** Path parameters naming a version. */
export const VersionParams = Type.Object({
  packId: Type.String({ maxLength: 80 }),
  version: Type.Integer({ minimum: 1 }),
});
