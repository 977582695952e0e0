import { Type } from 'typebox';
import { ROLES } from '../../shared/roles.js';

/** HTTP shapes of the keys API (they stop at the routes). */
export const RoleSchema = Type.Union(
  ROLES.map((r) => Type.Literal(r)),
  { description: 'admin, mlro, analyst, auditor (read-only) or service (the exchange platform)' },
);

export const ApiKeySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    role: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.Union([Type.String(), Type.Null()]),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'ApiKey' },
);

export const CreateKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'who or what uses the key' }),
    role: RoleSchema,
  },
  { additionalProperties: false },
);

export const CreatedKey = Type.Object({
  key: Type.Ref('ApiKey'),
  token: Type.String({ description: 'the key itself; shown once, never stored' }),
});

export const Whoami = Type.Object({ keyId: Type.String(), name: Type.String(), role: Type.String() });
