import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { register } from 'prom-client';
import request from 'supertest';
import { createApp } from '../../src/app';
import { freePort, spawnApp, waitUntilServing } from './process';

export interface TestApp {
  /** The application, when it runs in this process (not with TEST_WEB_CONCURRENCY). */
  app: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  /** Makes it listen on a real socket (so that concurrent requests are really in flight at once). */
  listen: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * With `TEST_WEB_CONCURRENCY=n` (n > 1), `startTestApp` runs the service as a cluster of n workers in
 * its own process (`WEB_CONCURRENCY`), on the run's database, and the spec talks to it over HTTP:
 * the specs that matter across processes (auth, concurrent writes, shutdown) run this way in CI too.
 */
export const TEST_WEB_CONCURRENCY = Number(process.env.TEST_WEB_CONCURRENCY ?? 1);

/**
 * Boots the real application (same factory as `main.ts`) on the run's migrated database.
 * `env` overrides environment variables for this app only.
 */
export async function startTestApp(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  if (TEST_WEB_CONCURRENCY > 1) return startClusterApp(env);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  // prom-client's default registry is process-wide; each app registers its metrics afresh.
  register.clear();
  try {
    const app = await createApp();
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return {
      app,
      http: () => request(app.getHttpServer()),
      listen: async () => {
        await app.listen(0, '127.0.0.1');
      },
      close: () => app.close(),
    };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The service as `node src/main.ts` with WEB_CONCURRENCY workers, on the run's database. */
async function startClusterApp(env: Record<string, string | undefined>): Promise<TestApp> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        /^(APP_STAGE|DATABASE_URL|.*RATE_LIMIT.*|LOG_LEVEL)$/.test(entry[0]) && !!entry[1],
    ),
  );
  const overrides = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
  const service = spawnApp({
    ...inherited,
    ...overrides,
    PORT: String(port),
    HOST: '127.0.0.1',
    WEB_CONCURRENCY: String(TEST_WEB_CONCURRENCY),
  });
  await waitUntilServing(service, `${base}/health/ready`, 60_000);
  return {
    get app(): NestFastifyApplication {
      throw new Error('the app runs in a cluster of its own processes (TEST_WEB_CONCURRENCY): use http()');
    },
    http: () => request(base),
    listen: () => Promise.resolve(),
    close: () => service.dispose(),
  };
}
