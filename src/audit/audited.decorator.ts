import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { AuditEntity } from './audit-event.entity';
import { AUDITED, AuditInterceptor, type AuditedOptions } from './audit.interceptor';

/**
 * Marks a handler that changes user data: it runs in a transaction together with the one
 * audit event of its change (see `AuditService.record`). With `oneStatement`, the handler
 * writes its change and event in one statement itself (`AuditService.inlineEvent`), and no
 * transaction is opened around it.
 */
export const Audited = (entity: AuditEntity, options: Omit<AuditedOptions, 'entity'> = {}) =>
  applyDecorators(SetMetadata(AUDITED, { entity, ...options }), UseInterceptors(AuditInterceptor));
