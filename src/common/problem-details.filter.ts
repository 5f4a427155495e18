import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, isUnstorableCharacter, isValueTooLarge } from '../database/database-errors';
import { JSON_TOO_DEEP } from './json-depth';
import { lingerOverUnreadBody } from './lingering-close';
import {
  boundedProblem,
  PROBLEM_CONTENT_TYPE,
  ProblemDocument,
  ProblemException,
  problemTypes,
  statusTitle,
} from './problem';
import { urlPath } from './url-path';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Fastify's own client errors (body too large, malformed JSON, wrong media type) and their wording. */
function fastifyClientError(error: unknown): { status: number; detail: string } | undefined {
  const e = error as FastifyLikeError;
  if (typeof e?.statusCode !== 'number' || e.statusCode < 400 || e.statusCode >= 500) return undefined;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, detail: 'The request body is larger than this API accepts.' };
  }
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, detail: 'Send request bodies as application/json.' };
  }
  if (e.code === JSON_TOO_DEEP.code) return { status: 400, detail: JSON_TOO_DEEP.message };
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { status: 400, detail: 'The request body is empty but declared as JSON.' };
  }
  if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { status: 400, detail: 'The request body is not valid JSON.' };
  }
  return { status: e.statusCode, detail: statusTitle(e.statusCode) };
}

/**
 * What of an error may be logged: its kind, message, code and stack — never the SQL or the
 * parameters TypeORM attaches to query errors (password hashes, tokens, personal data).
 */
function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ??
    (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, code, stack: error.stack };
}

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return statusTitle(exception.getStatus());
}

/** A problem as the filter decides it; the request gives its `instance` and `requestId`. */
export type ProblemFields = Pick<ProblemDocument, 'type' | 'title' | 'status' | 'detail' | 'errors'>;

/**
 * Sends `problem` as `application/problem+json`, with the request's path as `instance` and its id
 * (also in `X-Request-Id`), cut to PROBLEM_BOUNDS. Every error of the API leaves through here.
 */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: ProblemFields): void {
  const { type, title, status, detail, errors } = problem;
  // Only an error can be answered before the body was read (413, 415).
  lingerOverUnreadBody(request, reply);
  const document = {
    type,
    title,
    status,
    detail,
    instance: urlPath(request.url),
    requestId: String(request.id),
    ...(errors ? { errors } : {}),
  };
  void reply
    .status(status)
    .header('x-request-id', request.id)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(boundedProblem(document));
}

/**
 * Answers every error as RFC 9457 `application/problem+json` with the request id. Server-side
 * failures are logged with their stack and answered without internals (no stack, no SQL).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    // The lines carry the request's id: Nest's logger writes through the request's own logger.
    if (problem.status >= 500) {
      this.logger.error({ error: loggableError(exception) }, `request failed: ${problem.title}`);
    } else if (isValueTooLarge(exception) || isUnstorableCharacter(exception)) {
      this.logger.warn({ error: loggableError(exception) }, 'the database refused a value: validation let it through');
    }
    // A header the handler set for a success it then did not have (the ETag of a version that
    // was rolled back) must not ride on the error; a problem sets its own (412's current ETag).
    reply.removeHeader('etag');
    if (exception instanceof ProblemException) {
      for (const [name, value] of Object.entries(exception.problem.headers ?? {})) reply.header(name, value);
    }
    sendProblem(reply, request, problem);
  }

  private toProblem(exception: unknown): ProblemFields {
    if (exception instanceof ProblemException) {
      const status = exception.getStatus();
      return {
        type: exception.problemType,
        title: exception.problem.title ?? statusTitle(status),
        status,
        detail: exception.detail,
        errors: exception.problem.errors,
      };
    }
    // Nest wraps Fastify's own errors in an HttpException (the FastifyError is its cause).
    const unwrapped = exception instanceof HttpException && exception.cause ? exception.cause : exception;
    const clientError = fastifyClientError(unwrapped);
    if (clientError) {
      const type = clientError.status === 400 ? problemTypes.validation : 'about:blank';
      return { type, title: statusTitle(clientError.status), ...clientError };
    }
    const timedOut = (unwrapped as FastifyLikeError)?.code === 'FST_ERR_HANDLER_TIMEOUT';
    if (exception instanceof HttpException && !timedOut) {
      const status = exception.getStatus();
      const type = status === Number(HttpStatus.TOO_MANY_REQUESTS) ? problemTypes.rateLimited : 'about:blank';
      return { type, title: statusTitle(status), status, detail: httpExceptionDetail(exception) };
    }
    if (timedOut || isDatabaseUnavailable(exception)) {
      return {
        type: problemTypes.unavailable,
        title: statusTitle(503),
        status: 503,
        detail: 'The service could not complete the request in time or reach its database. Retry shortly.',
      };
    }
    // Values the database refused, which validation should have: the client's 400 all the same.
    const refused = (detail: string): ProblemFields => ({
      type: problemTypes.validation,
      title: statusTitle(400),
      status: 400,
      detail,
    });
    if (isValueTooLarge(exception)) return refused('A value is longer or larger than this API stores.');
    if (isUnstorableCharacter(exception)) return refused('A value holds a character this API cannot store.');
    return {
      type: 'about:blank',
      title: statusTitle(500),
      status: 500,
      detail: 'An unexpected error occurred. Quote the requestId when reporting it.',
    };
  }
}
