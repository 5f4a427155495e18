import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { exceedsJsonDepth } from '../domain/json-depth';
import { AppModule } from './app.module';
import { JSON_TOO_DEEP } from './common/json-depth';
import { AccessLogController, bindRequestLogger, nestLogger, rootLogger } from './common/logger';
import { badRequest, PROBLEM_CONTENT_TYPE, problemTypes, statusTitle } from './common/problem';
import { sendProblem } from './common/problem-details.filter';
import { requestIdFor } from './common/request-id';
import { unacceptableInput } from './common/request-input';
import { PATH_PARAM_MAX_LENGTH } from './common/url-path';
import { type AppConfig, loadAppConfig } from './config/app-config';
import { createOpenApiDocument, ROOT_ROUTES, setupSwaggerUi } from './docs/openapi';
import metadata from './metadata';
import { RATE_LIMIT_NAMES, rateLimitHeaders } from './docs/rate-limits';

export interface CreateAppOptions {
  /** Nest preview mode: routes and docs without connecting to anything (`npm run openapi`). */
  preview?: boolean;
  /** The configuration `main.ts` already loaded; loaded from the environment otherwise. */
  config?: AppConfig;
}

/**
 * Security headers by helmet, computed once: with these options they are the same on every
 * answer, so helmet's middleware runs here a single time against a stand-in response and its
 * headers are copied onto each answer — by a Fastify hook for routed requests, by hand for the
 * errors Fastify and Node answer before routing (`frameworkError`, `clientError`), which no hook
 * sees. (@fastify/helmet rebuilt the middleware for every request: half the throughput of a bare
 * route.) Swagger UI is the only HTML served; it needs its inline styles.
 */
function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => (headers[name] = String(value)),
    removeHeader: () => undefined,
  };
  const middleware = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // TLS ends at the load balancer; Swagger UI must also load over plain http://localhost.
        upgradeInsecureRequests: null,
      },
    },
  });
  middleware({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

const SECURITY_HEADERS = securityHeaders();

/**
 * Fastify's own answers to a URL it cannot route — a malformed percent-encoding (`%zz`, 400), a
 * path parameter beyond maxParamLength (414) — as problem documents like every other error
 * (Fastify's default is its own JSON, naming its error codes).
 */
function frameworkError(error: { statusCode?: number }, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode === 414 ? 414 : 400;
  const detail =
    status === 414
      ? 'A path parameter is longer than this API accepts.'
      : 'The URL is not valid: it has a malformed percent-encoding.';
  reply.headers(SECURITY_HEADERS);
  sendProblem(reply, request, { type: problemTypes.validation, title: statusTitle(status), status, detail });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers or URL over 16 KB: 431;
 * malformed HTTP: 400), answered as problem documents. There is no request to take an id from,
 * so the answer gets a fresh one, logged with the error.
 */
function clientError(
  this: { log: { debug: (o: object, m: string) => void } },
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const requestId = randomUUID();
  this.log.debug({ requestId, code: error.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify({
      type: 'about:blank',
      title: statusTitle(status),
      status,
      detail:
        status === 431
          ? 'The request line or headers are larger than this API accepts.'
          : 'The request could not be read.',
      requestId,
    });
    const headers = Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(
      `HTTP/1.1 ${status} ${statusTitle(status)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n${headers.join('')}Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

const tooDeep = () => Object.assign(new Error(JSON_TOO_DEEP.message), JSON_TOO_DEEP);

/**
 * Fastify's JSON parser gives one error for malformed JSON and for a `__proto__` or
 * `constructor.prototype` key. JSON that plain JSON.parse reads (making such keys own properties,
 * harmlessly) was refused for such a key: its keys are named then, like every other unknown field.
 */
function unreadableJson(error: Error, text: string): Error {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return error;
  }
  return exceedsJsonDepth(value) ? tooDeep() : badRequest('The request is not valid.', unacceptableInput(value));
}

function createAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    loggerInstance: rootLogger(config),
    logController: new AccessLogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: config.bodyLimitBytes,
    // A request still unanswered after this gets a 503 instead of hanging (e.g. database down).
    handlerTimeout: config.requestTimeoutMs,
    routerOptions: { maxParamLength: PATH_PARAM_MAX_LENGTH },
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    trustProxy: config.trustProxy,
    genReqId: requestIdFor,
    requestIdHeader: false,
    // At close, keep-alive connections between requests are closed (busy ones after their answer).
    forceCloseConnections: 'idle',
    // During shutdown, requests already on a connection are served, not answered 503
    // (GracefulShutdown asks those clients to reconnect elsewhere with `Connection: close`).
    return503OnClosing: false,
  });
  // JSON only: with Nest's body parsers off (they add form bodies) and Fastify's text/plain one
  // removed, any other media type is a 415 instead of a body the DTOs misread.
  const fastify = adapter.getInstance();
  fastify.removeContentTypeParser('text/plain');
  // Fastify's own JSON parser (which refuses `__proto__` and `constructor.prototype` keys), then
  // a bound on nesting: class-transformer walks bodies recursively and would exhaust the stack.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parseJson(request, body as string, (error, value) => {
      if (error) return done(unreadableJson(error, body as string), undefined);
      if (exceedsJsonDepth(value)) return done(tooDeep(), undefined);
      done(null, value);
    }),
  );
  return adapter;
}

/**
 * Builds the whole HTTP application exactly as it runs: `main.ts`, the e2e tests and the
 * OpenAPI generator all come through here.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const config = options.config ?? loadAppConfig();
  // The Swagger CLI plugin's output (src/metadata.ts, regenerated by `npm run openapi`).
  await SwaggerModule.loadPluginMetadata(metadata);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createAdapter(config), {
    logger: nestLogger(config),
    bodyParser: false,
    preview: options.preview,
    abortOnError: false,
  });
  app.setGlobalPrefix('api/v1', { exclude: ROOT_ROUTES });
  // Ends with process.exit(), not a re-raised signal: that runs the exit handlers which flush
  // pino's asynchronous stdout, so the shutdown's own log lines are not lost.
  app.enableShutdownHooks([], { useProcessExit: true });

  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id).headers(SECURITY_HEADERS);
      done();
    })
    .addHook('preHandler', bindRequestLogger);
  // Browsers on other origins are allowed only when CORS_ORIGINS lists them.
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      // Last-Event-ID: a change stream resumed by `fetch` (not CORS-safelisted).
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Last-Event-ID', 'X-Request-Id'],
      // Every header a script may need to read: the version, the request id, every limit's state.
      exposedHeaders: ['ETag', 'Retry-After', 'X-Request-Id', ...RATE_LIMIT_NAMES.flatMap(rateLimitHeaders)],
      maxAge: 600,
    });
  }
  setupSwaggerUi(app, createOpenApiDocument(app));
  return app;
}
