import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BenchUser } from './scenario';

const root = join(__dirname, '..', '..');

/**
 * The compiled service (`node dist/src/main.js`, `npm run build` first) on its own embedded
 * PostgreSQL under .data/bench, with rate limits raised so that they do not cap the load.
 * Its stderr is shown; stdout (the access log at warn level is empty) is not.
 */
export function startService(port: number, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      APP_STAGE: 'dev',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(root, '.data', 'bench'),
      EMBEDDED_PG_PORT: process.env.BENCH_PG_PORT ?? '54340',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_BURST_MAX: '100000',
      AUTH_RATE_LIMIT_MAX: '100000',
      ...env,
    },
  });
}

export async function waitUntilReady(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await fetch(`${baseUrl}/health/ready`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the service at ${baseUrl} did not become ready`);
}

/** Registers users a few at a time (argon2 is deliberately slow), keeping their tokens. */
export async function registerUsers(baseUrl: string, count: number): Promise<BenchUser[]> {
  const registered: BenchUser[] = [];
  const run = `${Date.now()}`;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${baseUrl}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `bench-${run}-${i}-${randomUUID()}@example.test`,
          password: `bench password ${i} ${run}`,
          name: `Bench ${i}`,
        }),
      });
      if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { accessToken: string; refreshToken: string; user: { id: string; email: string } };
      registered.push({
        id: body.user.id,
        email: body.user.email,
        password: `bench password ${i} ${run}`,
        refreshToken: body.refreshToken,
        authorization: `Bearer ${body.accessToken}`,
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return registered;
}
