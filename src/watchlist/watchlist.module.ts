import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WatchlistController } from './watchlist.controller';
import { WatchlistRepository } from './watchlist.repository';
import { WatchlistService } from './watchlist.service';

@Module({
  imports: [AuditModule],
  controllers: [WatchlistController],
  providers: [WatchlistService, WatchlistRepository],
  exports: [WatchlistService],
})
export class WatchlistModule {}
