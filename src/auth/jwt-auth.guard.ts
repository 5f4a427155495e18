import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { unauthorized } from '../common/problem';
import { IS_PUBLIC } from './auth.decorators';
import type { AuthUser } from './auth-user';
import { bearerToken } from '../common/bearer-token';
import { VerifiedTokens } from './verified-tokens';
import { UsersService } from '../users/users.service';

const tokenRejected = () => unauthorized('A valid access token is required.', { 'WWW-Authenticate': 'Bearer' });

/**
 * The global guard: every route needs a valid bearer token unless it is marked `@Public()`.
 * It runs before the rate-limit guard, so limits are counted per user, not per IP. A token is
 * verified by the JWT strategy the first time this process sees it, and remembered for
 * AUTH_TOKEN_CACHE_MS (a minute by default), never past its expiry.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly verified: VerifiedTokens,
    private readonly users: UsersService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const token = bearerToken(request.headers.authorization);
    const known = token && this.verified.get(token);
    if (known) {
      request.user = known;
      return true;
    }
    const allowed = (await super.canActivate(context)) as boolean;
    if (!allowed || !token || !request.user) return allowed;
    // An erased account's tokens stop working: a verified token is remembered for
    // AUTH_TOKEN_CACHE_MS at most, and the erasure makes every instance forget the user's.
    if (await this.users.isErased(request.user.id)) throw tokenRejected();
    this.verified.remember(token, request.user);
    return true;
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false): TUser {
    if (error || !user) throw tokenRejected();
    return user;
  }
}
