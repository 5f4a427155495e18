/** The named limits of RateLimitModule (`src/rate-limit/`); every route but the exempt ones has `default` and `burst`. */
export type RateLimitName = 'default' | 'burst' | 'auth';
export const ROUTE_RATE_LIMITS: readonly RateLimitName[] = ['default', 'burst'];

/**
 * Which limits a route has, for the OpenAPI document: `createOpenApiDocument` documents their
 * `X-RateLimit-*` headers on the route's responses from this (routes without it have
 * ROUTE_RATE_LIMITS), and removes the extension.
 */
export const RATE_LIMITS_EXTENSION = 'x-rate-limits';
