import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PATH_PARAM_MAX_LENGTH } from '../common/url-path';
import { CONFIG_BOUNDS, DEFAULT_BODY_LIMIT_BYTES } from '../config/app-config';
import { RATE_LIMITS_EXTENSION, type RateLimitName, rateLimitHeaders, ROUTE_RATE_LIMITS } from './rate-limits';
import { problemResponse } from './problem-response';

/** The version of the HTTP contract (the `v1` of `/api/v1`), not of the package. */
export const API_VERSION = '1.0.0';

/** Paths outside `/api/v1`: operational endpoints at the root. */
export const ROOT_ROUTES = ['health/live', 'health/ready', 'metrics'];

const DESCRIPTION = `
Backend of the fyntrix trading app: preferences, watchlist and dismissed insights moved out of
the browser's localStorage, the one-time import of what browsers already hold, and the trading
records (broker connections, trade intents, orders, portfolio snapshots).

Every \`/api/v1\` route needs \`Authorization: Bearer <access token>\` unless marked otherwise, and
reaches only the caller's own data (another user's ids answer 404). Errors are RFC 9457
\`application/problem+json\` documents with a \`requestId\`; validation errors list each field.

Rate limits apply per user when signed in, else per client IP: responses carry the
\`X-RateLimit-*\` headers of each limit, and a 429 says when to retry in \`Retry-After\`.
Browsers on other origins are allowed only when the deployment lists them (\`CORS_ORIGINS\`;
none by default): then \`Access-Control-Allow-Origin\` echoes the listed origin.
`.trim();

/** The security schemes: protected routes name one of the first two (see `@Authenticated()`). */
export const SECURITY_SCHEMES = { bearer: 'bearer', admin: 'admin-bearer', metrics: 'metrics-token' } as const;

const JWT_DESCRIPTION = `
An access token from \`/auth/login\`, \`/auth/register\` or \`/auth/refresh\` (or, where configured, one of
the identity provider). A signed JWT (JWS) handled as RFC8725 (JSON Web Token Best Current
Practices) asks: the algorithm is pinned per issuer (HS256 for this service's tokens, RS256 or ES256
from the identity provider's JWKS) and never taken from the token, so \`alg: none\` and algorithm
switching are refused; \`iss\`, \`aud\`, \`exp\` and \`sub\` are required and verified; tokens are
short-lived (15 minutes by default, \`JWT_ACCESS_TTL_SECONDS\`) and renewed with single-use
refresh tokens.
`.trim();

const TAGS: [string, string][] = [
  ['auth', 'Registration, sign-in, token refresh and sign-out (public, with a stricter rate limit).'],
  ['users', "The caller's account."],
  ['preferences', "The caller's trading preferences (ETag / If-Match)."],
  ['features', "The caller's feature flags."],
  ['watchlist', "The caller's watchlist (at most 500 symbols)."],
  ['insights', 'Insights the caller dismissed.'],
  ['migrations', "The one-time import of the browser's localStorage."],
  ['audit', "Changes of the caller's data."],
  ['events', "Live sync: the caller's changes as they happen, as Server-Sent Events."],
  ['trading', 'Broker connections, trade intents, orders and portfolio snapshots.'],
  ['admin', 'Administration: needs an account with the admin role.'],
  ['health', 'Liveness and readiness probes (public, not rate limited).'],
  ['metrics', 'Prometheus metrics (METRICS_TOKEN, not rate limited).'],
];

/** The OpenAPI document, with operation ids taken from method names (`getPreferences`). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('fyntrix-api')
    .setDescription(DESCRIPTION)
    .setVersion(API_VERSION)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: JWT_DESCRIPTION },
      SECURITY_SCHEMES.bearer,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: `The same kind of access token, of an account with the admin role (403 otherwise). ${JWT_DESCRIPTION}`,
      },
      SECURITY_SCHEMES.admin,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'METRICS_TOKEN' },
      SECURITY_SCHEMES.metrics,
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
  // One document for every deployment: the paths are relative to wherever it is served from.
  // `x-internal: false`: the API is for the public web app, not only for internal callers.
  document.servers = [
    { url: '/', description: 'This deployment (local, staging or production)', 'x-internal': false } as never,
  ];
  documentFrameworkErrors(document);
  documentRateLimitHeaders(document);
  return document;
}

// The package does not export its OpenAPI types by name.
type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;
type HeaderObject = { description: string; schema: object };
type ResponseObject = { headers?: Record<string, unknown> };

const LIMITS: Record<RateLimitName, string> = {
  default: 'the `default` limit (RATE_LIMIT_MAX requests per RATE_LIMIT_TTL_MS)',
  burst: 'the `burst` limit (RATE_LIMIT_BURST_MAX requests per RATE_LIMIT_BURST_TTL_MS)',
  auth: 'the per-IP `auth` limit of the auth routes (AUTH_RATE_LIMIT_MAX per AUTH_RATE_LIMIT_TTL_MS)',
  export: 'the per-user `export` limit of the data export (one per DATA_EXPORT_INTERVAL_MS)',
};

/** Who sends the X-RateLimit-* headers, and when not: OpenAPI headers are optional, and these are sometimes absent. */
const WHEN_SENT =
  'Sent when the rate limiter ran: not on a 401 of the access-token check (it runs before the limiter), nor on a ' +
  '400, 413 or 415 for a body that could not be read as JSON, nor on a 414 for a path parameter too long to route.';

const integer = (minimum: number, maximum: number) => ({ type: 'integer', format: 'int32', minimum, maximum }) as const;

function rateLimitHeaderObjects(): Record<string, HeaderObject> {
  const maxSeconds = CONFIG_BOUNDS.rateLimitTtlMs / 1_000;
  const headers: Record<string, HeaderObject> = {
    'Retry-After': {
      description:
        'Seconds until the request may be retried: the limit that was hit resets, or a locked sign-in unlocks.',
      schema: integer(1, CONFIG_BOUNDS.lockoutWindowMs / 1_000),
    },
  };
  for (const [name, what] of Object.entries(LIMITS) as [RateLimitName, string][]) {
    const [limit, remaining, reset] = rateLimitHeaders(name);
    headers[limit] = {
      description: `Requests allowed per window by ${what}. ${WHEN_SENT}`,
      schema: integer(1, CONFIG_BOUNDS.rateLimitMax),
    };
    headers[remaining] = {
      description: `Requests left in the current window of ${what}.`,
      schema: integer(0, CONFIG_BOUNDS.rateLimitMax),
    };
    headers[reset] = {
      description: `Seconds until the current window of ${what} ends.`,
      schema: integer(0, maxSeconds),
    };
  }
  return headers;
}

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/**
 * The rate-limit headers, documented once in `components.headers` and referenced from every
 * 2xx and 4xx response of each rate-limited operation (429s also get `Retry-After`). Which
 * limits an operation has comes from `@AuthRateLimit()` / `@NoRateLimit()`.
 */
function documentRateLimitHeaders(document: OpenAPIObject): void {
  document.components = {
    ...document.components,
    headers: { ...document.components?.headers, ...rateLimitHeaderObjects() },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of OPERATION_METHODS) {
      const operation: (OperationObject & { [RATE_LIMITS_EXTENSION]?: RateLimitName[] }) | undefined = item[method];
      if (!operation) continue;
      const limits: readonly RateLimitName[] = operation[RATE_LIMITS_EXTENSION] ?? ROUTE_RATE_LIMITS;
      delete operation[RATE_LIMITS_EXTENSION];
      if (limits.length === 0) continue;
      const names = limits.flatMap(rateLimitHeaders);
      for (const [status, response] of Object.entries(operation.responses) as [string, ResponseObject][]) {
        if (!/^[24]/.test(status)) continue;
        const added: string[] = status === '429' ? ['Retry-After', ...names] : names;
        // A copy: the routes of one controller share its class-level responses (the 429), and their limits differ.
        const headers = { ...response.headers, ...Object.fromEntries(added.map((name) => [name, headerRef(name)])) };
        operation.responses[status] = { ...response, headers } as (typeof operation.responses)[string];
      }
    }
  }
}

/**
 * Fastify's own errors, on every operation they can happen to: 413 and 415 where a JSON body is
 * read, 414 where a path parameter is routed. A description an operation gives itself (the
 * import's 413) stays. They are answered before the rate limiter runs: their rate-limit headers,
 * optional like all of them, say so (WHEN_SENT).
 */
function documentFrameworkErrors(document: OpenAPIObject): void {
  const body: [number, string][] = [
    [
      413,
      `The request body is larger than this deployment accepts (BODY_LIMIT_BYTES, ${DEFAULT_BODY_LIMIT_BYTES / 1024} KB by default).`,
    ],
    [415, 'The request body is not sent as `application/json`.'],
  ];
  const path: [number, string][] = [[414, `A path parameter is longer than ${PATH_PARAM_MAX_LENGTH} characters.`]];
  for (const item of Object.values(document.paths)) {
    for (const method of OPERATION_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const hasPathParameter = operation.parameters?.some((parameter) => 'in' in parameter && parameter.in === 'path');
      const errors = [...(operation.requestBody ? body : []), ...(hasPathParameter ? path : [])];
      for (const [status, description] of errors) operation.responses[status] ??= problemResponse(description);
    }
  }
}

/** Swagger UI at `/docs` (the bearer token survives reloads), the JSON document at `/docs-json`. */
export function setupSwaggerUi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'fyntrix-api',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}

/** JSON with every object's keys sorted, so the committed file diffs cleanly. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}
