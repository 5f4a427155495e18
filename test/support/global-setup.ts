import { loadAppConfig } from '../../src/config/app-config';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { createMigratedDatabase, TEST_DATABASE } from './database';

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

  process.env.DATABASE_URL = await createMigratedDatabase(server.url, TEST_DATABASE);
}
