import { Module } from '@nestjs/common';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { AuditModule } from '../audit/audit.module';
import { FeaturesModule } from '../features/features.module';
import { InsightsModule } from '../insights/insights.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { UsersModule } from '../users/users.module';
import { WatchlistModule } from '../watchlist/watchlist.module';
import { AdminImportStatsController, LocalStorageImportController } from './local-storage-import.controller';
import { IMPORT_KEYS_METRIC, IMPORTS_METRIC, LocalStorageImportService } from './local-storage-import.service';
import { LocalStorageImportsRepository } from './local-storage-imports.repository';

@Module({
  imports: [AuditModule, FeaturesModule, PreferencesModule, WatchlistModule, InsightsModule, UsersModule],
  controllers: [LocalStorageImportController, AdminImportStatsController],
  exports: [LocalStorageImportService],
  providers: [
    LocalStorageImportService,
    LocalStorageImportsRepository,
    makeCounterProvider({
      name: IMPORTS_METRIC,
      help: 'localStorage import attempts by status',
      labelNames: ['status'],
    }),
    makeCounterProvider({
      name: IMPORT_KEYS_METRIC,
      help: 'localStorage keys imported, by outcome',
      labelNames: ['outcome'],
    }),
  ],
})
export class LocalStorageImportModule {}
