import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { RATE_LIMITS_EXTENSION, ROUTE_RATE_LIMITS } from '../docs/rate-limits';

export const AUTH_RATE_LIMITED = 'rateLimit:auth';

/** Adds the much stricter per-IP `auth` limit (AUTH_RATE_LIMIT_*) to a route or controller. */
export const AuthRateLimit = () =>
  applyDecorators(
    SetMetadata(AUTH_RATE_LIMITED, true),
    ApiExtension(RATE_LIMITS_EXTENSION, [...ROUTE_RATE_LIMITS, 'auth']),
  );

export const EXPORT_RATE_LIMITED = 'rateLimit:export';

/** Adds the `export` limit (one per user per DATA_EXPORT_INTERVAL_MS) to a route. */
export const ExportRateLimit = () =>
  applyDecorators(
    SetMetadata(EXPORT_RATE_LIMITED, true),
    ApiExtension(RATE_LIMITS_EXTENSION, [...ROUTE_RATE_LIMITS, 'export']),
  );

/** For probes and scrapes only: exempt from every limit. */
export const NoRateLimit = () =>
  applyDecorators(
    SkipThrottle({ default: true, burst: true, auth: true, export: true }),
    ApiExtension(RATE_LIMITS_EXTENSION, []),
  );
