import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DismissedInsightsRepository } from './dismissed-insights.repository';
import { InsightsController } from './insights.controller';
import { InsightsService } from './insights.service';

@Module({
  imports: [AuditModule],
  controllers: [InsightsController],
  providers: [InsightsService, DismissedInsightsRepository],
  exports: [InsightsService],
})
export class InsightsModule {}
