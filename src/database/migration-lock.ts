import { DataSource, type Migration } from 'typeorm';
import { dedicatedClient } from './dedicated-client';
type MigrationRunOptions = Parameters<DataSource['runMigrations']>[0];
type MigrationUndoOptions = Parameters<DataSource['undoLastMigration']>[0];

/**
 * The name of the PostgreSQL advisory lock every migration run of this service holds. Advisory
 * locks belong to one database, so runs on different databases of one server never wait for each other.
 */
export const MIGRATION_LOCK = 'fyntrix-api:migrations';
/** The lock's 64-bit key, computed by the server from the name (the same for every process it serves). */
export const MIGRATION_LOCK_KEY_SQL = `hashtextextended('${MIGRATION_LOCK}', 0)`;

/** How often a runner that found the lock taken tries again. */
const RETRY_MS = 250;

/**
 * Runs `migrate` while holding the migration lock, taken on a connection of its own (not one of
 * the pool, which may be a single connection and is what the migrations run on): a second runner
 * waits for the first, then finds nothing left to do. TypeORM has no lock of its own. The lock is
 * a session lock, so it goes with its connection if the process dies.
 *
 * A waiting runner tries again every RETRY_MS rather than blocking in `pg_advisory_lock`: a
 * statement blocked there keeps a snapshot open, and `CREATE INDEX CONCURRENTLY` in the running
 * migrations waits for every older snapshot to end: the two would wait for each other.
 */
async function withMigrationLock<T>(dataSource: DataSource, migrate: () => Promise<T>): Promise<T> {
  const client = dedicatedClient(dataSource, 'migration-lock');
  // A dropped connection releases the lock; the migrations, on the same database, fail by themselves.
  client.on('error', (error) => {
    dataSource.logger.log('warn', `migration lock connection lost: ${error.message}`);
  });
  await client.connect();
  try {
    const tryLock = async () =>
      (await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY_SQL}) AS locked`))
        .rows[0].locked;
    if (!(await tryLock())) {
      dataSource.logger.logMigration('another process is running migrations on this database: waiting for it');
      while (!(await tryLock())) await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    return await migrate();
  } finally {
    // Ending the session releases the lock, whatever happened to the migrations.
    await client.end();
  }
}

/**
 * A DataSource whose migration runs hold the migration lock: the app's (which migrates at start
 * when `migrationsRun` is set, through `runMigrations`) and the TypeORM CLI's (`ormconfig.ts`:
 * `migration:run`, `migration:revert` keep their own behaviour and output).
 */
export class MigratingDataSource extends DataSource {
  override runMigrations(options?: MigrationRunOptions): Promise<Migration[]> {
    return withMigrationLock(this, () => super.runMigrations(options));
  }

  override undoLastMigration(options?: MigrationUndoOptions): Promise<void> {
    return withMigrationLock(this, () => super.undoLastMigration(options));
  }
}
