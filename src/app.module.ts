import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { GracefulShutdownModule } from './common/graceful-shutdown';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { createValidationPipe } from './common/validation';
import { type AppConfig, appConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { DataRightsModule } from './data-rights/data-rights.module';
import { EventsModule } from './events/events.module';
import { FeaturesModule } from './features/features.module';
import { HealthModule } from './health/health.module';
import { InsightsModule } from './insights/insights.module';
import { LocalStorageImportModule } from './local-storage-import/local-storage-import.module';
import { MetricsModule } from './metrics/metrics.module';
import { PreferencesModule } from './preferences/preferences.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { TradingModule } from './trading/trading.module';
import { UsersModule } from './users/users.module';
import { WatchlistModule } from './watchlist/watchlist.module';

/** The configuration, parsed once at start, for every module (`@Inject(appConfig.KEY)`). */
@Global()
@Module({})
class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: appConfig.KEY, useValue: config }],
      exports: [appConfig.KEY],
    };
  }
}

@Module({
  imports: [
    GracefulShutdownModule,
    DatabaseModule,
    HealthModule,
    MetricsModule,
    RateLimitModule,
    AuditModule,
    AuthModule,
    UsersModule,
    PreferencesModule,
    FeaturesModule,
    WatchlistModule,
    InsightsModule,
    LocalStorageImportModule,
    TradingModule,
    DataRightsModule,
    EventsModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    // Guards run in this order: who is calling, then their rate limit (then, per route, their role).
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class AppModule {
  /** The application on `config`, which the caller loaded once (`loadAppConfig()`). */
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [AppConfigModule.forRoot(config)] };
  }
}
