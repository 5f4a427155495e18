import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth-user';
import type { AuditEntity } from '../../domain/audit';
import { AuditService } from './audit.service';

export const AUDITED = 'audit:entity';

/**
 * The one place that decides which requests are audited: an `@Audited(entity)` handler runs as
 * an audited unit, whose changes the services record with the caller as actor and subject and
 * the request's id, IP and user agent. The services make each change and its event atomic
 * (`AuditService.record` asks for the transaction; a one-statement write carries its event).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const entity = this.reflector.getAllAndOverride<AuditEntity>(AUDITED, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<FastifyRequest & { user: AuthUser }>();
    const origin = {
      actorUserId: request.user.id,
      subjectUserId: request.user.id,
      requestId: String(request.id),
      ip: request.ip,
      userAgent: request.headers['user-agent'],
    };
    return from(this.audit.runAudited(entity, origin, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
