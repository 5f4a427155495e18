import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth-user';
import { Transactions } from '../database/transactions';
import type { AuditEntity } from './audit-event.entity';
import { AuditService } from './audit.service';

export const AUDITED_ENTITY = 'audit:entity';

/**
 * Runs an `@Audited()` handler in one transaction, and in that same transaction writes the
 * audit event of the change the handler recorded. Either both land or neither: a failed audit
 * insert rolls the change back, and a failed change leaves no event.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const entity = this.reflector.getAllAndOverride<AuditEntity>(AUDITED_ENTITY, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<FastifyRequest & { user: AuthUser }>();
    return from(
      this.transactions.run(async () => {
        const { result, change } = await this.audit.capture(() => lastValueFrom(next.handle(), { defaultValue: undefined }));
        if (change) {
          await this.audit.append(entity, change, {
            actorUserId: request.user.id,
            subjectUserId: request.user.id,
            requestId: String(request.id),
            ip: request.ip,
            userAgent: request.headers['user-agent'],
          });
        }
        return result;
      }),
    );
  }
}
