/**
 * A PostgreSQL a test can stop and start at will, run as its own process outside Jest
 * (`node scripts/run.cjs test/support/pg-controller.ts <port> <dataDir>`): it starts an
 * embedded server, creates and migrates a database, prints `ready <url>`, then obeys `stop`,
 * `start` and `exit` lines on stdin, answering `stopped`, `started`, `exited`.
 */
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { migrate } from './database';

async function main(): Promise<void> {
  const [port, dataDir] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ dataDir, port: Number(port), database: 'fyntrix_faults' });
  await migrate(server.url);
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
