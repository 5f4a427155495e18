import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';

/** The database every e2e spec of one run shares; recreated by the global setup. */
export const TEST_DATABASE = 'fyntrix_e2e';

export function adminUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  return url.toString();
}

export function testDatabaseUrl(serverUrl: string, database = TEST_DATABASE): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates `database` afresh on the server of `serverUrl` (any database URL of it) and applies
 * the real migrations; answers its URL. The global setup makes the run's database this way;
 * a spec that must own every row (e.g. one running a CLI over a whole table) makes its own.
 */
export async function createMigratedDatabase(serverUrl: string, database: string): Promise<string> {
  await withDatabase(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
  }, adminUrl(serverUrl));
  const url = testDatabaseUrl(serverUrl, database);
  await migrate(url);
  return url;
}

/**
 * A connected DataSource on the database of `url` with the service's own options (entities,
 * migrations), which does not migrate by itself: the caller runs or undoes migrations on it.
 */
export function migrationDataSource(url: string): Promise<DataSource> {
  const options = {
    ...buildDataSourceOptions(loadAppConfig(), url),
    migrationsRun: false,
    logger: 'advanced-console',
    logging: false,
  } as const;
  return new DataSource(options).initialize();
}

/** Applies the real migrations (each in its own transaction) to the database of `url`. */
export async function migrate(url: string): Promise<void> {
  const dataSource = await migrationDataSource(url);
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

export function dropDatabase(serverUrl: string, database: string): Promise<void> {
  return withDatabase(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }, adminUrl(serverUrl));
}

/** A plain pg client on the test database, for assertions on what was really stored. */
export async function withDatabase<T>(fn: (client: Client) => Promise<T>, url = process.env.DATABASE_URL): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A brand-new empty database on the embedded server, for specs that must own their schema
 * (migration round trips, schema verification). Drop it with the returned function.
 */
export async function createScratchDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = process.env.DATABASE_URL!;
  const name = `fyntrix_${label}_${process.pid}_${Date.now()}`.toLowerCase();
  await withDatabase((c) => c.query(`CREATE DATABASE ${name}`), adminUrl(server));
  return { url: testDatabaseUrl(server, name), drop: () => dropDatabase(server, name) };
}
