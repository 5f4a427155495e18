import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { InsightsModule } from '../insights/insights.module';
import { LocalStorageImportModule } from '../local-storage-import/local-storage-import.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { TradingModule } from '../trading/trading.module';
import { UsersModule } from '../users/users.module';
import { WatchlistModule } from '../watchlist/watchlist.module';
import { AccountErasureService } from './account-erasure.service';
import { DataExportService } from './data-export.service';
import { DataRightsController } from './data-rights.controller';

/**
 * The users' data rights over everything the service holds about them: a copy of it
 * (`GET /users/me/export`) and its erasure (`DELETE /users/me`, `npm run user:erase`). It owns
 * no table: it reaches every module's data through that module's service.
 */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    UsersModule,
    PreferencesModule,
    WatchlistModule,
    InsightsModule,
    LocalStorageImportModule,
    TradingModule,
  ],
  controllers: [DataRightsController],
  providers: [AccountErasureService, DataExportService],
  exports: [AccountErasureService],
})
export class DataRightsModule {}
