import { type CordonError, type ErrorKind, isCordonError } from '../../shared/errors.js';

/** How command results reach the user: human text, or one JSON document with `--json`. */
export interface Output {
  readonly json: boolean;
  /** Prints a command's result: `value` as JSON, or `human(value)` as text. */
  result<T>(value: T, human: (value: T) => string): void;
  /** A side note for people (never mixed into JSON output): goes to stderr. */
  note(text: string): void;
}

/** Output on the process's stdout/stderr. */
export function createOutput(json: boolean, streams = { out: process.stdout, err: process.stderr }): Output {
  return {
    json,
    result(value, human) {
      streams.out.write(json ? `${JSON.stringify(value)}\n` : `${human(value)}\n`);
    },
    note(text) {
      if (!json) streams.err.write(`${text}\n`);
    },
  };
}

/** Exit codes by error kind, documented in the README; 1 is reserved for bugs. */
export const EXIT_CODES: Record<ErrorKind | 'internal', number> = {
  internal: 1,
  invalid: 2,
  not_found: 3,
  conflict: 4,
  unauthenticated: 5,
  forbidden: 5,
  unavailable: 6,
};

/** Turns any error into one line on stderr (JSON with `--json`) and the exit code for its kind. */
export function reportError(
  err: unknown,
  json: boolean,
  stderr: NodeJS.WritableStream = process.stderr,
): number {
  if (isCordonError(err)) {
    stderr.write(json ? `${JSON.stringify({ error: describe(err) })}\n` : `cordon: ${err.message}\n`);
    return EXIT_CODES[err.kind];
  }
  const message = err instanceof Error ? err.message : String(err);
  stderr.write(
    json
      ? `${JSON.stringify({ error: { kind: 'internal', code: 'internal', message } })}\n`
      : `cordon: internal error: ${message}\n`,
  );
  return EXIT_CODES.internal;
}

function describe(err: CordonError) {
  return { kind: err.kind, code: err.code, message: err.message, details: err.details };
}
