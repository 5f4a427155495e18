import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { MIGRATION_LOCK_KEY_SQL } from '../src/database/migration-lock';
import { createScratchDatabase, withDatabase } from './support/database';
import { type AppProcess, freePort, REPO_ROOT, runCli, spawnApp, waitUntilServing } from './support/process';

/**
 * Migrations never run twice at once on one database: `npm run migration:run` and a service that
 * migrates at start hold the same advisory lock. Each case holds that lock itself first, starts
 * two runners on an empty database, waits until both are queued on the lock, then lets them race.
 */
const MIGRATIONS = readdirSync(join(REPO_ROOT, 'migrations')).filter((f) => /^\d{4}-.+\.ts$/.test(f)).length;

/** `npm run migration:run` as CI runs it: the database settings alone, nothing of the test run's environment. */
const migrationRun = (url: string) =>
  runCli(
    'typeorm',
    ['migration:run'],
    { PATH: process.env.PATH, APP_STAGE: 'test', DATABASE_URL: url },
    { inheritEnv: false },
  );

async function appliedMigrations(url: string): Promise<string[]> {
  return withDatabase(async (c) => {
    const { rows } = await c.query<{ exists: boolean }>(
      `SELECT to_regclass('typeorm_migrations') IS NOT NULL AS exists`,
    );
    if (!rows[0].exists) return [];
    return (await c.query<{ name: string }>('SELECT name FROM typeorm_migrations ORDER BY id')).rows.map((r) => r.name);
  }, url);
}

/** Holds the migration lock on the database of `url` until `release()`. */
async function holdMigrationLock(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY_SQL})`);
  const database = new URL(url).pathname.slice(1);
  return {
    /** Waits until `count` runners have found the lock taken (they try again until it is free). */
    async waiters(count: number, ms = 60_000): Promise<void> {
      for (const deadline = Date.now() + ms; Date.now() < deadline;) {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = $1 AND application_name LIKE '%:migration-lock' AND query LIKE '%pg_try_advisory_lock%'`,
          [database],
        );
        if (rows[0].n >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`fewer than ${count} sessions waited for the migration lock within ${ms} ms`);
    },
    release: () => client.end(),
  };
}

describe('the migration lock', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const apps: AppProcess[] = [];
  beforeEach(async () => (scratch = await createScratchDatabase('migration_lock')));
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.dispose()));
    await scratch.drop();
  });

  it('lets two `migration:run` on one empty database both succeed, applying every migration once', async () => {
    const lock = await holdMigrationLock(scratch.url);
    const runs = [migrationRun(scratch.url), migrationRun(scratch.url)];
    await lock.waiters(2);
    await lock.release();
    const [first, second] = await Promise.all(runs);

    for (const run of [first, second]) {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).toContain('another process is running migrations on this database: waiting for it');
    }
    const applied = await appliedMigrations(scratch.url);
    expect(applied).toHaveLength(MIGRATIONS);
    expect(new Set(applied).size).toBe(MIGRATIONS);
    // One run applied them all (TypeORM's own output), the other found nothing left to do.
    const outputs = [first.stdout, second.stdout];
    expect(outputs.filter((o) => o.includes('No migrations are pending'))).toHaveLength(1);
    const applying = outputs.find((o) => !o.includes('No migrations are pending'))!;
    expect(applying.match(/Migration \S+ has been executed successfully/g)).toHaveLength(MIGRATIONS);
  }, 120_000);

  it('makes a service that migrates at start (MIGRATE_ON_START=true) and `migration:run` take turns', async () => {
    const lock = await holdMigrationLock(scratch.url);
    const port = await freePort();
    const app = spawnApp({
      APP_STAGE: 'test',
      DATABASE_URL: scratch.url,
      MIGRATE_ON_START: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    apps.push(app);
    const run = migrationRun(scratch.url);
    await lock.waiters(2);
    await lock.release();

    await waitUntilServing(app, `http://127.0.0.1:${port}/health/ready`, 60_000);
    expect((await run).code).toBe(0);
    const applied = await appliedMigrations(scratch.url);
    expect(applied).toHaveLength(MIGRATIONS);
    expect(new Set(applied).size).toBe(MIGRATIONS);
    expect(app.stdout).toContain('another process is running migrations on this database: waiting for it');
  }, 120_000);

  it('leaves a database of DATABASE_URL alone in dev, unless MIGRATE_ON_START=true', async () => {
    const start = async (env: Record<string, string>) => {
      const port = await freePort();
      const app = spawnApp({
        APP_STAGE: 'dev',
        DATABASE_URL: scratch.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        ...env,
      });
      apps.push(app);
      await waitUntilServing(app, `http://127.0.0.1:${port}/health/ready`, 60_000);
      return app;
    };

    const notAsked = await start({});
    expect(await appliedMigrations(scratch.url)).toEqual([]);
    await notAsked.dispose();

    await start({ MIGRATE_ON_START: 'true' });
    expect(await appliedMigrations(scratch.url)).toHaveLength(MIGRATIONS);
  }, 120_000);
});
