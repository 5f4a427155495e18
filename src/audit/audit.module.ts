import { Module } from '@nestjs/common';
import { AdminAuditController, AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** The append-only audit trail. Other modules write to it only through `AuditService` / `@Audited()`. */
@Module({
  controllers: [AuditController, AdminAuditController],
  providers: [AuditService, AuditRepository, AuditInterceptor],
  exports: [AuditService, AuditInterceptor],
})
export class AuditModule {}
