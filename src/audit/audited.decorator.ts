import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { AuditEntity } from '../../domain/audit';
import { AUDITED, AuditInterceptor } from './audit.interceptor';

/** Marks a handler that changes user data: its changes are recorded as `entity` changes (`AuditInterceptor`). */
export const Audited = (entity: AuditEntity) =>
  applyDecorators(SetMetadata(AUDITED, entity), UseInterceptors(AuditInterceptor));
