import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { TEST_DATABASE, adminUrl, testDatabaseUrl } from './database';

/**
 * Once per `npm test`: start the embedded PostgreSQL, give the run a brand-new database,
 * migrate it with the real migrations, and hand its URL to every test worker.
 */
export default async function globalSetup(): Promise<void> {
  process.env.APP_STAGE = 'test';
  process.env.LOG_LEVEL ??= 'silent';
  // Every spec signs up users from 127.0.0.1; the rate-limit specs set their own low limits.
  process.env.AUTH_RATE_LIMIT_MAX ??= '100000';
  process.env.RATE_LIMIT_MAX ??= '100000';
  process.env.RATE_LIMIT_BURST_MAX ??= '100000';
  const config = loadAppConfig();
  const server = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.database.embeddedPort,
    database: 'postgres',
  });
  (globalThis as { __EMBEDDED_PG__?: unknown }).__EMBEDDED_PG__ = server;

  const admin = new Client({ connectionString: adminUrl(server.url) });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEST_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEST_DATABASE}`);
  await admin.end();

  const url = testDatabaseUrl(server.url);
  const options = { ...buildDataSourceOptions(config, url), migrationsRun: false, logger: 'advanced-console', logging: false } as const;
  const dataSource = await new DataSource(options).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  process.env.DATABASE_URL = url;
}
