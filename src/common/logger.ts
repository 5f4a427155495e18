import { AsyncLocalStorage } from 'node:async_hooks';
import cluster from 'node:cluster';
import type { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { LogController } from 'fastify';
import pino, { type Logger, type LevelWithSilent } from 'pino';
import type { AppConfig } from '../config/app-config';
import { ROOT_ROUTES } from '../docs/openapi';
import { urlPath } from './url-path';

let root: Logger | undefined;

/**
 * The process's one pino logger: Fastify writes the access log through it (natively, without
 * per-request middleware) and Nest's Logger writes into it (`nestLogger`). JSON lines; anything
 * that looks like a credential is redacted.
 */
export function rootLogger(config: AppConfig): Logger {
  root ??= pino({
    level: config.logLevel,
    // In a cluster (WEB_CONCURRENCY > 1), each worker's lines name it.
    base: {
      service: 'fyntrix-api',
      stage: config.stage,
      ...(cluster.worker ? { worker: cluster.worker.id, pid: process.pid } : {}),
    },
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

/** The logger of the request being handled: Fastify's child of the root, bound to its `requestId`. */
const requestLogger = new AsyncLocalStorage<FastifyBaseLogger>();

/**
 * A Fastify `preHandler` hook: Nest's log lines written while the request is handled (guards,
 * services, the exception filter, the slow-query warning) go through the request's own logger,
 * so they carry its `requestId`. Entered after the body is parsed: the parser's stream callbacks
 * would not keep the context.
 */
export function bindRequestLogger(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  requestLogger.run(request.log, done);
}

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
const PINO_LEVELS: Record<NestLevel, LevelWithSilent> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/** `error(message, stack, context)`: Nest's exception handler passes a stack this way. */
const looksLikeStack = (value: unknown) => typeof value === 'string' && /\n\s+at /.test(value);

/**
 * Nest's logger on the same pino instance, given to `NestFactory.create()`: JSON from the first
 * line of startup. Nest calls it as `logger.warn(message, ...params, context)`: the context is
 * the last parameter; an object message is merged into the line and the next parameter is its
 * text, as pino takes them.
 */
export function nestLogger(config: AppConfig): LoggerService {
  const root = rootLogger(config);
  const write =
    (level: NestLevel) =>
    (message: unknown, ...params: unknown[]): void => {
      const logger = requestLogger.getStore() ?? root;
      const log: (fields: object, ...rest: unknown[]) => void = logger[PINO_LEVELS[level]].bind(logger);
      const fields: Record<string, unknown> = params.length > 0 ? { context: params.pop() } : {};
      if (message instanceof Error) log({ ...fields, err: message }, message.message, ...params);
      else if (message !== null && typeof message === 'object') log({ ...fields, ...message }, ...params);
      else if (level === 'error' && looksLikeStack(params[0])) log({ ...fields, stack: params[0] }, String(message));
      else log(fields, String(message), ...params);
    };
  return {
    log: write('log'),
    error: write('error'),
    warn: write('warn'),
    debug: write('debug'),
    verbose: write('verbose'),
    fatal: write('fatal'),
  };
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
