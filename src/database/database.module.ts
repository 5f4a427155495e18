import { Global, Module } from '@nestjs/common';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { type AppConfig, appConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { EmbeddedDatabaseService } from './embedded-database.service';

@Global()
@Module({
  providers: [EmbeddedDatabaseService],
  exports: [EmbeddedDatabaseService],
})
class EmbeddedDatabaseModule {}

/**
 * TypeORM on PostgreSQL, built from the same options as `ormconfig.ts`, plus the transaction
 * context: services reach the database through `TransactionHost.tx`, which is the current
 * request's transaction when one is open (AsyncLocalStorage, via nestjs-cls) and the pool
 * otherwise, so a write joins its caller's transaction without passing a manager around.
 */
@Module({
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      inject: [appConfig.KEY, EmbeddedDatabaseService],
      useFactory: async (config: AppConfig, embedded: EmbeddedDatabaseService) =>
        buildDataSourceOptions(config, await embedded.resolveUrl()),
    }),
    ClsModule.forRoot({
      global: true,
      middleware: { mount: true },
      plugins: [
        new ClsPluginTransactional({
          imports: [TypeOrmModule],
          adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
        }),
      ],
    }),
  ],
})
export class DatabaseModule {}
