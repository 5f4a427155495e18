import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { AuditEntity } from './audit-event.entity';
import { AUDITED_ENTITY, AuditInterceptor } from './audit.interceptor';

/**
 * Marks a handler that changes user data: it runs in a transaction together with the one
 * audit event of its change (see `AuditService.record`).
 */
export const Audited = (entity: AuditEntity) =>
  applyDecorators(SetMetadata(AUDITED_ENTITY, entity), UseInterceptors(AuditInterceptor));
