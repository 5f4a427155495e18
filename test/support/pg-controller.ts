/**
 * A PostgreSQL a test can stop and start at will, run as its own process outside Jest
 * (`node scripts/run.cjs test/support/pg-controller.ts <port> <dataDir>`): it starts an
 * embedded server, creates and migrates a database, prints `ready <url>`, then obeys `stop`,
 * `start` and `exit` lines on stdin, answering `stopped`, `started`, `exited`.
 */
import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

async function main(): Promise<void> {
  const [port, dataDir] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ dataDir, port: Number(port), database: 'fyntrix_faults' });
  const options = { ...buildDataSourceOptions(loadAppConfig(), server.url), migrationsRun: false, logging: false } as const;
  const dataSource = await new DataSource({ ...options, logger: 'advanced-console' }).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  console.log(`ready ${server.url}`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'stop') {
      await server.stop();
      console.log('stopped');
    } else if (line === 'start') {
      await server.start();
      console.log('started');
    } else if (line === 'exit') {
      await server.stop();
      console.log('exited');
      process.exit(0);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
