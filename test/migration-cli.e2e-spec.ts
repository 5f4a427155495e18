import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runCli } from './support/process';

/**
 * The TypeORM CLI on the dev stage's embedded PostgreSQL, which the command starts itself: each
 * command ends (TypeORM's `migration:revert` does not exit by itself, and the server it started
 * kept the process alive until killed).
 */
describe('npm run migration:* on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fyntrix-migration-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs, reverts the last migration and runs it again, each command ending by itself', async () => {
    const env = {
      PATH: process.env.PATH,
      APP_STAGE: 'dev',
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
    };
    // Killed (code null) if it does not end within the time.
    const typeorm = (command: string) => runCli('typeorm', [command], env, { inheritEnv: false, timeoutMs: 90_000 });

    const run = await typeorm('migration:run');
    expect(run.code).toBe(0);
    const reverted = await typeorm('migration:revert');
    expect(reverted.code).toBe(0);
    const last = /Migration (\w+) has been reverted successfully/.exec(reverted.stdout)?.[1];
    expect(last).toBeDefined();
    const again = await typeorm('migration:run');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Migration ${last} has been executed successfully`);
  }, 300_000);
});
