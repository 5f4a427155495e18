import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { forEachConcurrently, type BenchUser } from './scenario';

const root = join(__dirname, '..', '..');

/** Where the benchmarked service keeps its embedded PostgreSQL (and dev secrets). */
export const BENCH_DATA_DIR = join(root, '.data', 'bench');

/**
 * The environment of the compiled service that `startService` starts: dev stage, its own
 * embedded PostgreSQL under .data/bench, rate limits raised so that they do not cap the load.
 * A CLI run with it (`serviceCli`) reaches the same database.
 */
function serviceEnv(port: number, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    APP_STAGE: 'dev',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: BENCH_DATA_DIR,
    EMBEDDED_PG_PORT: process.env.BENCH_PG_PORT ?? '54340',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '1000000',
    RATE_LIMIT_BURST_MAX: '100000',
    AUTH_RATE_LIMIT_MAX: '100000',
    ...env,
  };
}

/**
 * The compiled service (`node dist/src/main.js`, `npm run build` first), see `serviceEnv`.
 * Its stderr is shown; stdout (the access log at warn level is empty) is not.
 */
export function startService(port: number, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: serviceEnv(port, env),
  });
}

/**
 * Runs one of the CLIs (`npm run user:promote`, …) to its end, from the compiled build, against
 * the database of the service `startService(port, env)` started; or, without a port, with this
 * process's environment (a service started elsewhere: its database env must be set here).
 * Rejects with its output when it fails.
 */
export function runServiceCli(
  entry: string,
  args: string[],
  service?: { port: number; env?: NodeJS.ProcessEnv },
): Promise<string> {
  const env = service ? { ...serviceEnv(service.port, service.env ?? {}), RUN_FROM_DIST: '1' } : process.env;
  const child = spawn(process.execPath, [join(root, 'scripts', 'run.cjs'), entry, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${entry} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

export async function waitUntilReady(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the service at ${baseUrl} did not become ready`);
}

/** Registers users a few at a time (argon2 is deliberately slow), keeping their tokens. */
export async function registerUsers(baseUrl: string, count: number): Promise<BenchUser[]> {
  const registered: BenchUser[] = [];
  const run = `${Date.now()}`;
  const indexes = Array.from({ length: count }, (_, i) => i);
  await forEachConcurrently(8, indexes, async (i) => {
    const password = `bench password ${i} ${run}`;
    const res = await fetch(`${baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `bench-${run}-${i}-${randomUUID()}@example.test`, password, name: `Bench ${i}` }),
    });
    if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as {
      accessToken: string;
      refreshToken: string;
      user: { id: string; email: string };
    };
    registered.push({
      id: body.user.id,
      email: body.user.email,
      password,
      refreshToken: body.refreshToken,
      authorization: `Bearer ${body.accessToken}`,
    });
  });
  return registered;
}
