import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FieldError } from '../../domain/field-error';

/** An RFC 9457 problem document, as every error of this API is answered. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The most a problem document holds. Some of it echoes the request — the path in `instance`
 * and `Cannot GET …`, unknown field names in `errors` — so it is cut to these bounds: an
 * error answer never grows with the input (a body of 15,000 unknown keys gets 100 errors).
 */
export const PROBLEM_BOUNDS = {
  type: 64,
  title: 64,
  detail: 1024,
  instance: 1024,
  errors: 100,
  field: 256,
  message: 512,
} as const;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The document within PROBLEM_BOUNDS: long texts end in `…`, errors beyond the bound are left out. */
export function boundedProblem(problem: ProblemDocument): ProblemDocument {
  const bounded: ProblemDocument = {
    ...problem,
    type: cut(problem.type, PROBLEM_BOUNDS.type),
    title: cut(problem.title, PROBLEM_BOUNDS.title),
    detail: cut(problem.detail, PROBLEM_BOUNDS.detail),
    instance: cut(problem.instance, PROBLEM_BOUNDS.instance),
  };
  if (problem.errors) {
    bounded.errors = problem.errors.slice(0, PROBLEM_BOUNDS.errors).map(({ field, message }) => ({
      field: cut(field, PROBLEM_BOUNDS.field),
      message: cut(message, PROBLEM_BOUNDS.message),
    }));
  }
  return bounded;
}

/**
 * An error the API answers on purpose, with a stable `type` for clients to branch on.
 * Services throw these (or Nest's HttpExceptions); the filter renders them.
 */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly detail: string,
    readonly problem: { type?: string; title?: string; errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail, status);
  }

  get problemType(): string {
    return this.problem.type ?? 'about:blank';
  }
}

export const problemTypes = {
  validation: 'urn:fyntrix:problem:validation-failed',
  rule: 'urn:fyntrix:problem:rule-violated',
  stale: 'urn:fyntrix:problem:stale-version',
  conflict: 'urn:fyntrix:problem:conflict',
  rateLimited: 'urn:fyntrix:problem:rate-limited',
  unavailable: 'urn:fyntrix:problem:service-unavailable',
  featureDisabled: 'urn:fyntrix:problem:feature-disabled',
  reauthenticationRequired: 'urn:fyntrix:problem:reauthentication-required',
} as const;

/** 400: the request's shape is wrong (unknown field, wrong type, malformed header). */
export function badRequest(detail: string, errors?: FieldError[]): ProblemException {
  return new ProblemException(HttpStatus.BAD_REQUEST, detail, { type: problemTypes.validation, errors });
}

/** 422: well-formed, but breaks a rule of the resource (cross-field rules, limits, duplicates). */
export function ruleViolation(detail: string, errors?: FieldError[]): ProblemException {
  return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, detail, { type: problemTypes.rule, errors });
}

export function notFound(detail: string): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, detail);
}

export function conflict(detail: string): ProblemException {
  return new ProblemException(HttpStatus.CONFLICT, detail, { type: problemTypes.conflict });
}

/** 401: no valid credentials; `headers` such as `WWW-Authenticate` go out with it. */
export function unauthorized(detail: string, headers?: Record<string, string>): ProblemException {
  return new ProblemException(HttpStatus.UNAUTHORIZED, detail, { headers });
}

/** 403: the caller must sign in again first (a sensitive action needs a recent sign-in). */
export function reauthenticationRequired(detail: string): ProblemException {
  return new ProblemException(HttpStatus.FORBIDDEN, detail, { type: problemTypes.reauthenticationRequired });
}

/** 429: a limit was hit; `Retry-After` says when to try again (with the limit's own headers, if any). */
export function tooManyRequests(
  detail: string,
  headers: { 'Retry-After': string } & Record<string, string>,
): ProblemException {
  return new ProblemException(HttpStatus.TOO_MANY_REQUESTS, detail, { type: problemTypes.rateLimited, headers });
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
