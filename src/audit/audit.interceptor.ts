import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth-user';
import { Transactions } from '../database/transactions';
import type { AuditEntity } from './audit-event.entity';
import { AuditService, type AuditScope } from './audit.service';

export const AUDITED = 'audit:handler';

export interface AuditedOptions {
  entity: AuditEntity;
  /** The handler writes its change and its event in one statement: no transaction is needed. */
  oneStatement?: boolean;
}

/**
 * Runs an `@Audited()` handler in one transaction, and in that same transaction writes the
 * audit event of the change the handler recorded. Either both land or neither: a failed audit
 * insert rolls the change back, and a failed change leaves no event. A one-statement handler
 * gets the same guarantee from its statement, and spares the transaction's round trips.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { entity, oneStatement = false } = this.reflector.getAllAndOverride<AuditedOptions>(AUDITED, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<FastifyRequest & { user: AuthUser }>();
    const scope: AuditScope = {
      entity,
      oneStatement,
      origin: {
        actorUserId: request.user.id,
        subjectUserId: request.user.id,
        requestId: String(request.id),
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      },
    };
    const handle = () => this.audit.capture(scope, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
    if (oneStatement) return from(handle());
    return from(
      this.transactions.run(async () => {
        const result = await handle();
        if (scope.change) await this.audit.append(entity, scope.change, scope.origin);
        return result;
      }),
    );
  }
}
