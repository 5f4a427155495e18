import type { LoggerService } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogController } from 'fastify';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino, { type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { ROOT_ROUTES } from '../docs/openapi';
import { urlPath } from './url-path';

let root: Logger | undefined;

/**
 * The process's one pino logger: Fastify writes the access log through it (natively, without
 * per-request middleware) and nestjs-pino routes Nest's Logger into it. JSON lines; anything
 * that looks like a credential is redacted.
 */
export function rootLogger(config: AppConfig): Logger {
  root ??= pino({
    level: config.logLevel,
    base: { service: 'fyntrix-api', stage: config.stage },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.accessToken',
        '*.refreshToken',
      ],
      censor: '[redacted]',
    },
  });
  return root;
}

/**
 * Nest's logger on the same pino instance, given to `NestFactory.create()`: JSON from the first
 * line of startup. (Buffering until the app is built would hold back a failing start's lines,
 * such as the database connection retries, and then print them in Nest's text format.)
 */
export function nestLogger(config: AppConfig): LoggerService {
  const params = { pinoHttp: { logger: rootLogger(config) } };
  return new NestPinoLogger(new PinoLogger(params), params);
}

/** Probes and scrapes (the routes outside /api/v1) would drown the access log. */
const QUIET_ROUTES = new Set(ROOT_ROUTES.map((route) => `/${route}`));

/**
 * One access-log line per request, when it completes, carrying the request id (Fastify binds
 * it to `request.log`): method, path without the query string, status and duration.
 */
export class AccessLogController extends LogController {
  override isLogDisabled(request: FastifyRequest): boolean {
    return QUIET_ROUTES.has(request.routeOptions.url ?? '');
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = {
      method: request.method,
      url: urlPath(request.url),
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
