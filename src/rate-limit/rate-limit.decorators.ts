import { applyDecorators, SetMetadata } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';

export const AUTH_RATE_LIMITED = 'rateLimit:auth';

/** Adds the much stricter per-IP `auth` limit (AUTH_RATE_LIMIT_*) to a route or controller. */
export const AuthRateLimit = () => SetMetadata(AUTH_RATE_LIMITED, true);

/** For probes and scrapes only: exempt from every limit. */
export const NoRateLimit = () => applyDecorators(SkipThrottle({ default: true, burst: true, auth: true }));
