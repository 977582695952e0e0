/**
 * The one error type of cordon. The domain speaks of kinds, never of HTTP statuses or exit codes:
 * each edge (HTTP, CLI, message consumers) maps the kind once.
 *
 * @example
 * throw new CordonError('invalid', 'config.invalid_port', 'port must be 1-65535', { field: 'port', value: 'x' });
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unavailable';

/** Structured details carried by an error: the field, line or value at fault. */
export type ErrorDetails = Record<string, unknown>;

/** An expected failure with a stable machine-readable `code` (dotted, e.g. `auth.missing_key`). */
export class CordonError extends Error {
  override readonly name = 'CordonError';
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Type guard used at the edges to tell expected errors from bugs. */
export function isCordonError(value: unknown): value is CordonError {
  return value instanceof CordonError;
}

/** Shorthand for the most common kind: bad input, naming the field at fault. */
export function invalid(code: string, message: string, details: ErrorDetails = {}): CordonError {
  return new CordonError('invalid', code, message, details);
}
