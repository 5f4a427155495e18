import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type AppConfig, appConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { EmbeddedDatabaseService } from './embedded-database.service';
import { Database } from './database';
import { MigratingDataSource } from './migration-lock';

@Global()
@Module({
  providers: [EmbeddedDatabaseService],
  exports: [EmbeddedDatabaseService],
})
class EmbeddedDatabaseModule {}

/**
 * TypeORM on PostgreSQL, built from the same options as `ormconfig.ts` (it owns the pool, the
 * migrations and the health check), and `Database`, through which every repository queries it.
 */
@Global()
@Module({
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      inject: [appConfig.KEY, EmbeddedDatabaseService],
      useFactory: async (config: AppConfig, embedded: EmbeddedDatabaseService) =>
        buildDataSourceOptions(config, await embedded.resolveUrl()),
      // Migrating at start (migrationsRun) takes the same lock as `npm run migration:run`.
      dataSourceFactory: (options) => new MigratingDataSource(options!).initialize(),
    }),
  ],
  providers: [Database],
  exports: [Database],
})
export class DatabaseModule {}
