import { withDatabase } from './support/database';
import { AppProcess, freePort, spawnApp, waitUntilServing } from './support/process';

/** The trace of an uncaught error: `    at fn (file:line:col)`. */
const STACK_FRAME = /^\s+at .+[:(]/m;

describe('startup through the real entry point', () => {
  const started: AppProcess[] = [];
  const start = (env: Record<string, string>) => {
    const app = spawnApp(env);
    started.push(app);
    return app;
  };
  afterAll(() => Promise.all(started.map((a) => a.dispose())));

  it.each(['staging', 'prod'])(
    'APP_STAGE=%s without DATABASE_URL and secrets exits 1, naming each missing variable',
    async (stage) => {
      const app = start({ APP_STAGE: stage });
      expect(await app.exit(20_000)).toEqual({ code: 1, signal: null });
      const output = app.stdout + app.stderr;
      expect(output).toContain('Invalid configuration:');
      for (const name of ['DATABASE_URL', 'JWT_SIGNING_KEY', 'METRICS_TOKEN', 'TOKEN_ENCRYPTION_KEYS']) {
        expect(output).toContain(`${name}: is required when APP_STAGE=${stage}`);
      }
      expect(output).not.toMatch(STACK_FRAME);
      expect(output).not.toContain('ConfigValidationError');
    },
    30_000,
  );

  it('an invalid value stops the start the same way', async () => {
    const app = start({ APP_STAGE: 'test', PORT: 'abc', DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    expect(await app.exit(20_000)).toEqual({ code: 1, signal: null });
    expect(app.stderr).toMatch(/Invalid configuration:\n {2}- PORT: /);
    expect(app.stdout + app.stderr).not.toMatch(STACK_FRAME);
  }, 30_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'dev without DATABASE_URL: starts its embedded PostgreSQL, migrates it, serves, and on %s stops it and exits 0',
    async (signal) => {
      const [port, pgPort] = [await freePort(), await freePort()];
      const app = start({ APP_STAGE: 'dev', PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: 'info' });
      await waitUntilServing(app, `http://127.0.0.1:${port}/health/ready`, 90_000);
      const url = `postgres://postgres:postgres@127.0.0.1:${pgPort}/fyntrix_dev`;
      const applied = await withDatabase((c) => c.query('SELECT name FROM typeorm_migrations ORDER BY id'), url);
      expect(applied.rows.map((r) => r.name)).toEqual(
        expect.arrayContaining(['TradingTables1764000000001', 'AuditEvents1764000000006']),
      );

      app.child.kill(signal);
      expect(await app.exit(30_000)).toEqual({ code: 0, signal: null });
      expect(app.stdout).toContain('"msg":"stopped embedded PostgreSQL"');
      await expect(withDatabase((c) => c.query('SELECT 1'), url)).rejects.toThrow(/ECONNREFUSED/);
    },
    150_000,
  );
});
