import { randomUUID } from 'node:crypto';
import { withDatabase } from './support/database';
import { freePort, runEntry } from './support/process';

interface Outcome {
  requestId: string;
  startedBeforeSignal: boolean;
  status?: number;
  error?: string;
}

/**
 * SIGTERM while clients hammer the service over keep-alive connections. Every request the
 * service accepted (it appears in its access log) was answered, and never with a 5xx; a
 * request that failed on the client never reached the service (it came after the service
 * stopped listening); every request sent before the signal is answered 2xx; the process exits
 * 0 after closing its pool.
 */
const PASSWORD = 'correct horse battery staple 42';

/** The real entry point on a free port, with SHUTDOWN_GRACE_MS=`graceMs`, and its base URL. */
async function startService(graceMs: number) {
  const port = await freePort();
  const service = runEntry('src/main.ts', [], {
    APP_STAGE: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_MS: String(graceMs),
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
    body: JSON.stringify({ email, password: 'correct horse battery staple 42', name }),
  });
  expect(res.status).toBe(201);
  return res.json() as Promise<{ accessToken: string; user: { id: string } }>;
}

describe('graceful shutdown', () => {
  it('lets accepted requests finish and exits cleanly', async () => {
    const { service, base } = await startService(5_000);
    await service.waitForLine(/"ready in/, 60_000);
    const email = `shutdown-${Date.now()}@example.test`;
    const { accessToken } = await register(base, email, 'Shutdown');

    let signalled = false;
    let stop = false;
    const outcomes: Outcome[] = [];
    const client = async (id: number) => {
      for (let n = 0; !stop; n++) {
        const outcome: Outcome = { requestId: `shutdown-${id}-${n}`, startedBeforeSignal: !signalled };
        const headers = { 'x-request-id': outcome.requestId, 'content-type': 'application/json' };
        try {
          // Reads, writes and (slow, argon2) sign-ins, so that requests of every kind are in flight.
          const res =
            n % 5 === 4
              ? await fetch(`${base}/api/v1/auth/login`, {
                  method: 'POST',
                  headers,
                  body: JSON.stringify({ email, password: PASSWORD }),
                })
              : await fetch(`${base}/api/v1/preferences`, {
                  method: n % 2 ? 'PATCH' : 'GET',
                  headers: { ...headers, authorization: `Bearer ${accessToken}` },
                  body: n % 2 ? JSON.stringify({ riskProfile: ['Aggressive', 'Moderate'][id % 2] }) : undefined,
                });
          outcome.status = res.status;
          await res.arrayBuffer();
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause;
          outcome.error = cause?.code ?? String(error);
          if (!outcome.startedBeforeSignal) stop = true;
        }
        outcomes.push(outcome);
      }
    };
    const clients = Array.from({ length: 12 }, (_, i) => client(i));

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
    signalled = true;
    service.child.kill('SIGTERM');
    const exitCode = await exited;
    stop = true;
    await Promise.all(clients);

    const accepted = new Map<string, number>();
    for (const line of service.lines) {
      const entry = JSON.parse(line) as { msg?: string; requestId?: string; statusCode?: number };
      if (entry.requestId?.startsWith('shutdown-') && entry.statusCode) accepted.set(entry.requestId, entry.statusCode);
    }
    const before = outcomes.filter((o) => o.startedBeforeSignal);
    expect(before.length).toBeGreaterThan(50);
    expect(outcomes.filter((o) => !o.startedBeforeSignal).length).toBeGreaterThan(0);
    expect(before.filter((o) => o.error || (o.status ?? 0) >= 300)).toEqual([]);
    expect(outcomes.filter((o) => (o.status ?? 0) >= 500)).toEqual([]);
    // Failures on the client are connections the service never took a request from.
    expect(outcomes.filter((o) => o.error && accepted.has(o.requestId))).toEqual([]);
    // And everything it took was answered as it logged.
    expect([...accepted].filter(([id, status]) => outcomes.find((o) => o.requestId === id)?.status !== status)).toEqual(
      [],
    );
    expect(exitCode).toBe(0);
    expect(service.lines.join('\n')).toContain('SIGTERM: draining in-flight requests');
  }, 120_000);

  it('cuts a request that outlasts SHUTDOWN_GRACE_MS and still exits 0, within the grace', async () => {
    const graceMs = 300;
    const { service, base } = await startService(graceMs);
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
        (error: { cause?: { code?: string } }) => error.cause?.code ?? String(error),
      );
      sleeper = await waitForSleepingUpdate(fn);

      const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
      const signalledAt = Date.now();
      service.child.kill('SIGTERM');
      const exitCode = await exited;
      const tookMs = Date.now() - signalledAt;

      expect(exitCode).toBe(0);
      // The lame-duck moment (≤ the grace), the grace, then closing the pool: not the 30 s sleep.
      expect(tookMs).toBeGreaterThanOrEqual(graceMs);
      expect(tookMs).toBeLessThan(graceMs * 2 + 2_000);
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
