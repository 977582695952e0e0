import type { FastifyError } from 'fastify';
import { Type } from 'typebox';
import { type CordonError, type ErrorKind, isCordonError } from '../../shared/errors.js';

/** RFC 9457 problem details as cordon sends them: `type` and `code` are stable, `detail` is for people. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  requestId?: string;
  /** For invalid input: every field at fault. */
  errors?: { field: string; message: string }[];
  details?: Record<string, unknown>;
}

/** The response schema of every error, attached to every route (and so documented in OpenAPI). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'Stable URI of the problem type: urn:cordon:problem:<code>' }),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable code, e.g. auth.missing_key' }),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    details: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Builds a problem with the conventional title for its status. */
export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `urn:cordon:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...extra,
  };
}

/** A CordonError as a problem: the status comes from its kind, the details travel along. */
export function problemFromCordonError(err: CordonError): Problem {
  const field = typeof err.details.field === 'string' ? err.details.field : undefined;
  return problem(STATUS_BY_KIND[err.kind], err.code, err.message, {
    ...(Object.keys(err.details).length ? { details: err.details } : {}),
    ...(field && err.kind === 'invalid' ? { errors: [{ field, message: err.message }] } : {}),
  });
}

/** Fastify's own errors (validation, parsing, body size, media type) as problems naming the field. */
export function problemFromFastifyError(err: FastifyError): Problem | undefined {
  if (err.validation) {
    const where = err.validationContext ?? 'body';
    const errors = err.validation.map((v) => {
      const params = v.params as Record<string, unknown>;
      const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
      const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
      const path = [
        where,
        ...v.instancePath.split('/').filter(Boolean),
        ...(missing ? [missing] : []),
        ...(extra ? [extra] : []),
      ]
        .join('.')
        .replace(/\.(\d+)(?=\.|$)/g, '[$1]');
      const message = missing ? 'is required' : extra ? 'is not allowed' : (v.message ?? 'is invalid');
      return { field: path, message };
    });
    const detail = errors.map((e) => `${e.field} ${e.message}`).join('; ');
    return problem(400, 'request.invalid', detail, { errors });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'request.unsupported_media_type', 'send the body as application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'request.too_large', 'the request body is larger than the configured limit');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'request.empty_body', 'the body is empty but Content-Type is application/json', {
        errors: [{ field: 'body', message: 'is empty' }],
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem(400, 'request.malformed', 'the body is not valid JSON', {
        errors: [{ field: 'body', message: 'is not valid JSON' }],
      });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(400, 'request.malformed', err.message, {
        errors: [{ field: 'body', message: err.message }],
      });
  }
  if (err instanceof SyntaxError || err.statusCode === 400) {
    return problem(400, 'request.malformed', `the body is not valid JSON: ${err.message}`, {
      errors: [{ field: 'body', message: 'is not valid JSON' }],
    });
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return problem(err.statusCode, `request.${(err.code ?? 'rejected').toLowerCase()}`, err.message);
  }
  return undefined;
}

/** Maps any thrown value to a problem; unknown errors become a generic 500 that leaks nothing. */
export function toProblem(err: unknown): Problem {
  if (isCordonError(err)) return problemFromCordonError(err);
  const fromFastify = problemFromFastifyError(err as FastifyError);
  if (fromFastify) return fromFastify;
  return problem(500, 'internal', 'an unexpected error occurred; the request id identifies it in the logs');
}
