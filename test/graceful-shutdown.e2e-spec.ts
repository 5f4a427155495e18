import { randomUUID } from 'node:crypto';
import { withDatabase } from './support/database';
import { TEST_WEB_CONCURRENCY } from './support/app';
import { freePort, runEntry } from './support/process';

interface Outcome {
  requestId: string;
  /** Date.now() when the request was started. */
  startedAt: number;
  status?: number;
  /** The answer's Connection header. */
  connection?: string | null;
  error?: string;
}

/**
 * SIGTERM while 32 clients hammer the service over keep-alive connections (Node's fetch), as a
 * load balancer's pool does. The clients act as the load balancer does: they keep sending until a
 * reaction time after the readiness probe first answers 503, then send elsewhere (ALB: health
 * check interval × unhealthy threshold; Kubernetes: endpoint propagation). SHUTDOWN_DRAIN_MS is
 * set longer than that, as the README asks. No request may fail: each is answered 200, those of
 * the drain with `Connection: close`; the process then stops accepting, closes the idle pooled
 * connections, and exits 0 within drain and grace.
 *
 * (A client that opens a connection in the very instant the listener closes can always be reset
 * by the kernel, whose accept queue no process can drain: that is what the drain is for.)
 */
const PASSWORD = 'correct horse battery staple 42';
const CLIENTS = 32;

/** The real entry point on a free port, with the given shutdown settings, and its base URL. */
async function startService(env: { SHUTDOWN_GRACE_MS: string; SHUTDOWN_DRAIN_MS?: string }) {
  const port = await freePort();
  const service = runEntry('src/main.ts', [], {
    APP_STAGE: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN_MS: '0',
    // TEST_WEB_CONCURRENCY: the primary of a cluster, whose workers drain and stop together.
    WEB_CONCURRENCY: String(TEST_WEB_CONCURRENCY),
    ...env,
  });
  return { service, base: `http://127.0.0.1:${port}` };
}

async function register(
  base: string,
  email: string,
  name: string,
): Promise<{ accessToken: string; user: { id: string } }> {
  const res = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, name }),
  });
  expect(res.status).toBe(201);
  return res.json() as Promise<{ accessToken: string; user: { id: string } }>;
}

/** When the service logged its first line matching `pattern` (Date.now() scale). */
function loggedAt(lines: string[], pattern: RegExp): number {
  const line = lines.find((l) => pattern.test(l));
  if (!line) throw new Error(`no log line matches ${pattern}:\n${lines.join('\n')}`);
  return Date.parse((JSON.parse(line) as { time: string }).time);
}

describe('graceful shutdown', () => {
  it('drains behind a load balancer: no request fails, each drained answer closes its connection, exit 0', async () => {
    const drainMs = 2_000;
    const graceMs = 5_000;
    /** How long after the first 503 of the readiness probe the clients stop sending. */
    const reactionMs = 500;
    const { service, base } = await startService({
      SHUTDOWN_DRAIN_MS: String(drainMs),
      SHUTDOWN_GRACE_MS: String(graceMs),
    });
    await service.waitForLine(/"ready in/, 60_000);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const { accessToken } = await register(base, `shutdown-${Date.now()}@example.test`, 'Shutdown');

    let notReadySince: number | undefined;
    let stop = false;
    const routedHere = () => !stop && (notReadySince === undefined || Date.now() < notReadySince + reactionMs);
    const outcomes: Outcome[] = [];
    const client = async (id: number) => {
      for (let n = 0; routedHere(); n++) {
        const outcome: Outcome = { requestId: `shutdown-${id}-${n}`, startedAt: Date.now() };
        try {
          const res = await fetch(`${base}/api/v1/preferences`, {
            method: n % 2 ? 'PATCH' : 'GET',
            headers: {
              'x-request-id': outcome.requestId,
              'content-type': 'application/json',
              authorization: `Bearer ${accessToken}`,
            },
            body: n % 2 ? JSON.stringify({ riskProfile: ['Aggressive', 'Moderate'][id % 2] }) : undefined,
          });
          outcome.status = res.status;
          outcome.connection = res.headers.get('connection');
          await res.arrayBuffer();
        } catch (error) {
          outcome.error = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
        }
        outcomes.push(outcome);
      }
    };
    // The load balancer's health check, on a connection of its own.
    const readiness: { at: number; status: number }[] = [];
    const probe = async () => {
      while (!stop) {
        const at = Date.now();
        const status = await fetch(`${base}/health/ready`).then(
          async (res) => (await res.arrayBuffer(), res.status),
          () => 0,
        );
        if (status) readiness.push({ at, status });
        if (status === 503) notReadySince ??= Date.now();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const clients = [...Array.from({ length: CLIENTS }, (_, i) => client(i)), probe()];

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    const exitCode = await exited;
    const tookMs = Date.now() - signalledAt;
    stop = true;
    await Promise.all(clients);

    expect(exitCode).toBe(0);
    expect(tookMs).toBeLessThan(drainMs + graceMs);
    const drainingAt = loggedAt(service.lines, /SIGTERM: draining for 2000 ms/);
    const closedAt = loggedAt(service.lines, /stopped accepting connections/);
    expect(closedAt - drainingAt).toBeGreaterThanOrEqual(drainMs - 20);

    // Readiness answers 503 from the moment the service took the signal, and the clients saw it in time.
    expect(readiness.filter((r) => r.at > drainingAt).length).toBeGreaterThan(0);
    expect(readiness.filter((r) => r.at > drainingAt && r.status !== 503)).toEqual([]);
    expect(notReadySince! + reactionMs).toBeLessThan(closedAt);

    // Every request was answered; those of the drain closed their connections.
    expect(outcomes.filter((o) => o.error || o.status !== 200)).toEqual([]);
    const drained = outcomes.filter((o) => o.startedAt > drainingAt);
    expect(drained.length).toBeGreaterThan(CLIENTS);
    expect(drained.filter((o) => o.connection !== 'close')).toEqual([]);
    // And each was answered as the service logged it.
    const logged = new Map<string, number>();
    for (const line of service.lines) {
      const entry = JSON.parse(line) as { requestId?: string; statusCode?: number };
      if (entry.requestId?.startsWith('shutdown-') && entry.statusCode) logged.set(entry.requestId, entry.statusCode);
    }
    expect(outcomes.filter((o) => logged.get(o.requestId) !== o.status)).toEqual([]);
  }, 120_000);

  it('cuts a request that outlasts SHUTDOWN_GRACE_MS and still exits 0, within the grace', async () => {
    const graceMs = 300;
    const { service, base } = await startService({ SHUTDOWN_GRACE_MS: String(graceMs) });
    const suffix = randomUUID().replaceAll('-', '');
    const fn = `test_slow_update_${suffix}`;
    let sleeper: number | undefined;
    try {
      await service.waitForLine(/"ready in/, 60_000);
      const { accessToken, user } = await register(base, `shutdown-slow-${suffix}@example.test`, 'Slow');
      // Only this user's updates sleep (in the database, as a slow statement would): other specs go on.
      await withDatabase(async (c) => {
        await c.query(
          `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$`,
        );
        await c.query(
          `CREATE TRIGGER ${fn} BEFORE UPDATE ON users FOR EACH ROW WHEN (OLD.id = '${user.id}') EXECUTE FUNCTION ${fn}()`,
        );
      });
      const slow = fetch(`${base}/api/v1/users/me`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Never saved' }),
      }).then(
        (res) => `answered ${res.status}`,
        (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
      );
      sleeper = await waitForSleepingUpdate(fn);

      const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
      const signalledAt = Date.now();
      service.child.kill('SIGTERM');
      const exitCode = await exited;
      const tookMs = Date.now() - signalledAt;

      expect(exitCode).toBe(0);
      // No drain (SHUTDOWN_DRAIN_MS=0), the grace, then closing the pool: not the 30 s sleep.
      expect(tookMs).toBeGreaterThanOrEqual(graceMs);
      expect(tookMs).toBeLessThan(graceMs + 2_000);
      expect(service.lines.join('\n')).toContain(
        `requests still running after ${graceMs} ms: closing their connections`,
      );
      // The client saw its connection closed, not an answer.
      expect(await slow).not.toMatch(/^answered/);
      const [row] = await withDatabase((c) =>
        c.query('SELECT name FROM users WHERE id = $1', [user.id]).then((r) => r.rows),
      );
      expect(row.name).toBe('Slow');
    } finally {
      service.child.kill('SIGKILL');
      await withDatabase(async (c) => {
        // The database does not notice the client left while it sleeps; its lock would hold DROP TRIGGER.
        if (sleeper) await c.query('SELECT pg_terminate_backend($1)', [sleeper]);
        await c.query(`DROP TRIGGER IF EXISTS ${fn} ON users`);
        await c.query(`DROP FUNCTION IF EXISTS ${fn}()`);
      });
    }
  }, 120_000);
});

/** Waits until an UPDATE of users sleeps in `fn`'s trigger (the request is then surely in flight); answers its backend's pid. */
async function waitForSleepingUpdate(fn: string): Promise<number> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    const [sleeping] = await withDatabase((c) =>
      c
        .query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query ILIKE 'UPDATE%users%' AND datname = current_database()`,
        )
        .then((r) => r.rows),
    );
    if (sleeping) return sleeping.pid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no UPDATE of users sleeping in ${fn} within 10 s`);
}
