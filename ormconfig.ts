import type { DataSource } from 'typeorm';
import { loadDatabaseConfig } from './src/config/app-config';
import { buildDataSourceOptions } from './src/database/data-source-options';
import { locateDatabase } from './src/database/embedded-postgres';
import { MigratingDataSource } from './src/database/migration-lock';

/**
 * The DataSource of the TypeORM CLI (`npm run migration:*`), built from the same options as
 * the app. Without DATABASE_URL (dev/test) it uses the embedded PostgreSQL, starting it when
 * it is not already running. It reads the database settings alone (`loadDatabaseConfig`): a
 * stage's migrations need its DATABASE_URL, not its JWT, metrics or token keys. `migration:run`
 * and `migration:revert` hold the migration lock (`MigratingDataSource`), as the app does when
 * it migrates at start: two runs on one database never overlap.
 */
async function createCliDataSource(): Promise<DataSource> {
  const config = loadDatabaseConfig();
  const { url, handle } = await locateDatabase(config);
  // The CLI reports to the terminal in TypeORM's own format (it prints the SQL it runs).
  const dataSource = new MigratingDataSource({
    ...buildDataSourceOptions(config, url),
    migrationsRun: false,
    logger: 'advanced-console',
  });
  // Every command ends by destroying the DataSource; `migration:revert`, unlike `run`, then waits
  // for the process to have nothing left to do, which an embedded server started here prevented.
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    await destroy();
    await handle?.stop();
  };
  return dataSource;
}

export const dataSource = createCliDataSource();
