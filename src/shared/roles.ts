/**
 * Who may do what. Every `/v1` route names the roles it allows; these are all the roles there are.
 * - admin: operates cordon (keys, list imports, configuration)
 * - mlro: the compliance officer (publishes policies, approves sensitive actions)
 * - analyst: works alerts and cases
 * - auditor: read-only, for internal audit and the independent monitor
 * - service: the exchange's platform, asking for decisions
 */
export const ROLES = ['admin', 'mlro', 'analyst', 'auditor', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** Type guard for role names coming from users or the store. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The authenticated caller of a request or command. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

/** Common role sets, so route declarations read as intent. */
export const ANY_ROLE: readonly Role[] = ROLES;
export const STAFF_READ: readonly Role[] = ['admin', 'mlro', 'analyst', 'auditor'];
