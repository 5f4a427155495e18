import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ProblemException } from '../common/problem';
import { IS_PUBLIC } from './auth.decorators';
import type { AuthUser } from './auth-user';

/**
 * The global guard: every route needs a valid bearer token unless it is marked `@Public()`.
 * It runs before the rate-limit guard, so limits are counted per user, not per IP.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic || super.canActivate(context);
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false): TUser {
    if (error || !user) {
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'A valid access token is required.', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    return user;
  }
}
