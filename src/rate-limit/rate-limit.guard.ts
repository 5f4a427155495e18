import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { tooManyRequests } from '../common/problem';
import type { AuthUser } from '../auth/auth-user';
import { type RateLimitName, rateLimitHeaders } from '../docs/rate-limits';

/**
 * Rate limits per caller: the user id when the JWT guard (which runs first) identified one,
 * otherwise the client IP (behind TRUST_PROXY's proxies, the forwarded one; IPv6 by its /64).
 * One bucket per caller and limit across all routes, and every 429 carries `Retry-After` and
 * the headers of the limit that was hit.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: { user?: AuthUser; ip: string }): Promise<string> {
    // The throttler's own tracker counts an IPv6 client by its /64, which it can rotate within freely.
    return request.user ? `user:${request.user.id}` : `ip:${await super.getTracker(request)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `rl:${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = String(Math.max(1, detail.timeToBlockExpire));
    // The throttler sets a limit's X-RateLimit-* headers only when it lets the request through;
    // its name is the second part of the key above.
    const [limit, remaining, reset] = rateLimitHeaders(detail.key.split(':')[1] as RateLimitName);
    throw tooManyRequests('Too many requests. Retry after the time given in Retry-After.', {
      'Retry-After': retryAfter,
      [limit]: String(detail.limit),
      [remaining]: '0',
      [reset]: retryAfter,
    });
  }
}
