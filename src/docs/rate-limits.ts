/**
 * The named limits of RateLimitModule (`src/rate-limit/`); every route but the exempt ones has
 * `default` and `burst`; `auth` and `export` only the routes marked for them.
 */
export const RATE_LIMIT_NAMES = ['default', 'burst', 'auth', 'export'] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];
export const ROUTE_RATE_LIMITS: readonly RateLimitName[] = ['default', 'burst'];

/**
 * The headers that carry a limit's state, named as the throttler names them: `X-RateLimit-Limit`,
 * `-Remaining` and `-Reset`, suffixed with the limit's name except for `default`.
 */
export function rateLimitHeaders(name: RateLimitName): [limit: string, remaining: string, reset: string] {
  const suffix = name === 'default' ? '' : `-${name}`;
  return [`X-RateLimit-Limit${suffix}`, `X-RateLimit-Remaining${suffix}`, `X-RateLimit-Reset${suffix}`];
}

/**
 * Which limits a route has, for the OpenAPI document: `createOpenApiDocument` documents their
 * `X-RateLimit-*` headers on the route's responses from this (routes without it have
 * ROUTE_RATE_LIMITS), and removes the extension.
 */
export const RATE_LIMITS_EXTENSION = 'x-rate-limits';
