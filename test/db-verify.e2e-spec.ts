import type { DataSource } from 'typeorm';
import { formatReport, verifySchema } from '../src/database/schema-verification';
import { createScratchDatabase, migrationDataSource } from './support/database';
import { runCli } from './support/process';

/** `npm run db:verify` against a stage's database, as CI runs it. */
const runVerify = (databaseUrl: string) =>
  runCli('src/cli/verify-database.ts', [], { APP_STAGE: 'test', DATABASE_URL: databaseUrl });

describe('db:verify', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    scratch = await createScratchDatabase('verify');
    dataSource = await migrationDataSource(scratch.url);
    await dataSource.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await scratch?.drop();
  });

  it('passes on a fully migrated database and lists every migration as applied', async () => {
    const report = await verifySchema(dataSource);
    expect(report.pending).toEqual([]);
    expect(report.applied).toHaveLength(dataSource.migrations.length);
    expect(report.checks.filter((c) => !c.present)).toEqual([]);
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['users', 'audit_events', 'tr_audit_events_append_only', 'ux_broker_connections_account']),
    );
    expect(report.ok).toBe(true);

    const cli = await runVerify(scratch.url);
    expect(cli.stdout).toContain('OK: the database matches the code.');
    expect(cli.code).toBe(0);
  });

  // What deploy-stage.yml gives the migration container: the stage and its database, no app secrets.
  it('runs for a deployed stage with its DATABASE_URL alone (no JWT, metrics or token keys)', async () => {
    const staging = { PATH: process.env.PATH, HOME: process.env.HOME, APP_STAGE: 'staging', DATABASE_SSL: 'disable' };
    const verifyAs = (env: NodeJS.ProcessEnv) => runCli('src/cli/verify-database.ts', [], env, { inheritEnv: false });
    const cli = await verifyAs({ ...staging, DATABASE_URL: scratch.url });
    expect(cli.stderr).not.toContain('Invalid configuration');
    expect(cli.stdout).toContain('OK: the database matches the code.');
    expect(cli.code).toBe(0);

    const withoutUrl = await verifyAs(staging);
    expect(withoutUrl.code).toBe(1);
    expect(withoutUrl.stderr).toContain('DATABASE_URL: is required when APP_STAGE=staging');
  });

  it('fails with a readable report when an index is missing', async () => {
    await dataSource.query('DROP INDEX ix_user_preferences_universe');
    try {
      const report = await verifySchema(dataSource);
      expect(report.ok).toBe(false);
      expect(formatReport(report)).toContain('MISSING index ix_user_preferences_universe (table user_preferences)');

      const cli = await runVerify(scratch.url);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain('MISSING index ix_user_preferences_universe');
      expect(cli.stdout).toContain('FAILED');
    } finally {
      await dataSource.query('CREATE INDEX ix_user_preferences_universe ON user_preferences (universe)');
    }
  });

  it('fails when the append-only trigger is gone', async () => {
    await dataSource.query('DROP TRIGGER tr_audit_events_append_only ON audit_events');
    try {
      const report = await verifySchema(dataSource);
      expect(report.ok).toBe(false);
      expect(formatReport(report)).toContain('MISSING trigger tr_audit_events_append_only');
    } finally {
      await dataSource.query(
        `CREATE TRIGGER tr_audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
           FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
      );
    }
  });

  it('fails and names the migration when one is pending', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    try {
      const report = await verifySchema(dataSource);
      expect(report.ok).toBe(false);
      expect(report.pending).toHaveLength(1);
      expect(formatReport(report)).toContain(`[ ] ${report.pending[0]}   <- PENDING`);
    } finally {
      await dataSource.runMigrations({ transaction: 'each' });
    }
  });
});
