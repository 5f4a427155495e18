import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ChangeListener } from './change-listener';
import { ChangeStreamsService } from './change-streams.service';
import { EventsController } from './events.controller';

/** Live sync: each user's changes as Server-Sent Events, fed across instances by PostgreSQL notifications. */
@Module({
  imports: [AuditModule, AuthModule],
  controllers: [EventsController],
  providers: [ChangeStreamsService, ChangeListener],
})
export class EventsModule {}
