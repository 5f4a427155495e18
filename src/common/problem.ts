import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** One offending field of a request: `{field: "tradingModes.Swing", message: "must be a boolean"}`. */
export interface FieldError {
  field: string;
  message: string;
}

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

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
