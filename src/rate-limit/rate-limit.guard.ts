import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { ProblemException, problemTypes } from '../common/problem';
import type { AuthUser } from '../auth/auth-user';

/**
 * Rate limits per caller: the user id when the JWT guard (which runs first) identified one,
 * otherwise the client IP (behind TRUST_PROXY's proxies, the forwarded one). One bucket per
 * caller and limit across all routes, and every 429 carries `Retry-After`.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: { user?: AuthUser; ip: string }): Promise<string> {
    return request.user ? `user:${request.user.id}` : `ip:${request.ip}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `rl:${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, 'Too many requests. Retry after the time given in Retry-After.', {
      type: problemTypes.rateLimited,
      headers: { 'Retry-After': String(Math.max(1, detail.timeToBlockExpire)) },
    });
  }
}
