import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TlsOptions } from 'node:tls';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { TypeOrmLogger } from './typeorm-logger';

/** Where the numbered migrations live, relative to this file in `src/` and in `dist/src/` alike. */
const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

/**
 * Every entity, found by its file name (`<module>/<name>.entity.ts`) so that this module imports
 * no feature module; the app and the migration CLI load the same set, and the drift check
 * (`npm run migration:check`) compares the migrations against all of them.
 */
const ENTITIES_GLOB = join(__dirname, '..', '**', '*.entity.{ts,js}');

export function sslOptions(db: DatabaseConfig['database']): boolean | TlsOptions {
  switch (db.ssl) {
    case 'disable':
      return false;
    case 'require':
      // Encrypted, server certificate not verified (only for networks you trust).
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, ca: db.sslCaFile ? readFileSync(db.sslCaFile, 'utf8') : undefined };
  }
}

/**
 * The one set of TypeORM options: the Nest app and `ormconfig.ts` (the CLI) both build their
 * DataSource from here, so they cannot drift apart.
 */
export function buildDataSourceOptions(config: DatabaseConfig, url: string): DataSourceOptions {
  const db = config.database;
  return {
    type: 'postgres',
    url,
    ssl: sslOptions(db),
    entities: [ENTITIES_GLOB],
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    // dev's embedded database is migrated when the app starts (MigratingDataSource: under the
    // migration lock); databases of a DATABASE_URL are migrated from CI unless MIGRATE_ON_START=true.
    migrationsRun: config.database.migrateOnStart,
    synchronize: false,
    logging: ['migration', 'warn'],
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: 1_000,
    applicationName: `fyntrix-api-${config.stage}`,
    // Migrations own the schema, extensions included (gen_random_uuid() is built in).
    installExtensions: false,
    poolSize: db.poolSize,
    connectTimeoutMS: db.connectTimeoutMs,
    extra: {
      // A statement that runs away is cancelled by the server, not left holding the pool.
      statement_timeout: db.statementTimeoutMs,
      idle_in_transaction_session_timeout: db.statementTimeoutMs * 2,
      // The client-side bound: a query is abandoned if the server does not answer at all.
      query_timeout: db.statementTimeoutMs + 1_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
    },
  };
}
