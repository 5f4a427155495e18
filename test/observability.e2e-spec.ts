import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from './support/app';
import { adminUrl, createScratchDatabase, withDatabase } from './support/database';
import { AppProcess, freePort, spawnApp, waitUntilServing } from './support/process';
import { beforeUserUpdates, withUserTrigger } from './support/triggers';
import { registerUser, STRONG_PASSWORD, uniqueEmail } from './support/users';

const METRIC = 'http_request_duration_seconds';

/** The latency histogram's bucket lines for one route label. */
function bucketLines(metrics: string, route: string): string[] {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith(`${METRIC}_bucket{`) && line.includes(`route="${route}"`));
}

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('live: 200 {status: "ok"}, public', async () => {
    const res = await t.http().get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('ready: 200 with the database up', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
  });
});

describe('readiness when the database refuses connections', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const database = () => new URL(scratch.url).pathname.slice(1);
  const serverUrl = adminUrl(process.env.DATABASE_URL!);
  let t: TestApp | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase('ready');
    t = await startTestApp({ DATABASE_URL: scratch.url });
  });
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await scratch?.drop();
  });

  it('answers 503 problem+json, while liveness stays 200', async () => {
    await t!.http().get('/health/ready').expect(200);
    await withDatabase(async (admin) => {
      await admin.query(`ALTER DATABASE ${database()} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database()]);
    }, serverUrl);
    const res = await t!.http().get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 503, instance: '/health/ready', requestId: res.headers['x-request-id'] });
    expect(res.headers['cache-control']).toContain('no-store');
    await t!.http().get('/health/live').expect(200, { status: 'ok' });
  });
});

describe('metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ METRICS_TOKEN: undefined })));
  afterAll(() => t.close());

  it('observes latency per route template, with method and status', async () => {
    const user = await registerUser(t);
    await t.http().get('/api/v1/users/me').set('authorization', user.auth).expect(200);
    await t.http().get('/api/v1/audit/events?limit=5&entity=profile').set('authorization', user.auth).expect(200);
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain(`# TYPE ${METRIC} histogram`);

    const me = bucketLines(res.text, '/api/v1/users/me');
    expect(me.length).toBeGreaterThan(0);
    expect(me.find((l) => l.includes('le="+Inf"'))).toMatch(/method="GET".*status_code="200"\} [1-9]\d*$/);
    // The label is the route, not the URL as sent: no query string.
    expect(bucketLines(res.text, '/api/v1/audit/events').length).toBeGreaterThan(0);
    expect(res.text).not.toContain('limit=5');
  });

  it('puts every unmatched URL under one label', async () => {
    const probe = `/api/v1/scanner-${randomUUID()}`;
    await t.http().get(probe).expect(404);
    const res = await t.http().get('/metrics').expect(200);
    expect(
      bucketLines(res.text, 'unmatched').find((l) => l.includes('le="+Inf"') && l.includes('status_code="404"')),
    ).toBeDefined();
    expect(res.text).not.toContain(probe);
  });
});

describe('metrics with METRICS_TOKEN', () => {
  const token = `metrics-${randomUUID()}`;
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ METRICS_TOKEN: token })));
  afterAll(() => t.close());

  it.each([
    ['no token', undefined],
    ['a wrong token', 'Bearer not-the-metrics-token'],
    ['the right token under another scheme', `Basic ${token}`],
    ['a prefix of the token', `Bearer ${token.slice(0, -1)}`],
  ])('401 problem+json with %s', async (_label, authorization) => {
    const req = t.http().get('/metrics');
    if (authorization) req.set('authorization', authorization);
    const res = await req;
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, instance: '/metrics', requestId: res.headers['x-request-id'] });
    expect(res.text).not.toContain(METRIC);
  });

  it('200 text/plain with the right token', async () => {
    const res = await t.http().get('/metrics').set('authorization', `Bearer ${token}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain(`# TYPE ${METRIC} histogram`);
  });

  it('leaves health public', async () => {
    await t.http().get('/health/live').expect(200);
  });
});

describe('logs of the real process', () => {
  let app: AppProcess;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = spawnApp({
      APP_STAGE: 'test',
      DATABASE_URL: process.env.DATABASE_URL!,
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    await waitUntilServing(app, `${base}/health/live`, 60_000);
  }, 90_000);
  afterAll(() => app?.dispose());

  it('writes JSON lines carrying the request id (the error line of a 500 too), with credentials redacted, and stops cleanly on SIGTERM', async () => {
    const secret = `secret-looking-value-${randomUUID()}`;
    const res = await fetch(`${base}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${secret}`, 'x-request-id': 'trace-123', cookie: `session=${secret}` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBe('trace-123');

    const json = { 'content-type': 'application/json' };
    const registered = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: uniqueEmail('log-500'), password: STRONG_PASSWORD, name: 'Log User' }),
    });
    expect(registered.status).toBe(201);
    const { user, accessToken } = (await registered.json()) as { user: { id: string }; accessToken: string };
    await withUserTrigger(user.id, beforeUserUpdates(`RAISE EXCEPTION 'failing on purpose'`), async () => {
      const failed = await fetch(`${base}/api/v1/users/me`, {
        method: 'PATCH',
        headers: { ...json, authorization: `Bearer ${accessToken}`, 'x-request-id': 'trace-500' },
        body: JSON.stringify({ name: 'Renamed' }),
      });
      expect(failed.status).toBe(500);
    });

    // The access-log line is written when the response completes, so it may trail the response.
    const deadline = Date.now() + 10_000;
    const logged = () =>
      app.stdout.includes('"requestId":"trace-123"') && app.stdout.includes('"requestId":"trace-500"');
    while (!logged() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    app.child.kill('SIGTERM');
    const exit = await app.exit(20_000);
    // Through process.exit(0), so pino's buffered lines are flushed (see createApp).
    expect(exit).toEqual({ code: 0, signal: null });

    const lines = app.stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(0);
    const entries = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
    for (const entry of entries)
      expect(entry).toMatchObject({ level: expect.any(Number), time: expect.any(String), msg: expect.any(String) });

    const access = entries.filter((e) => e.requestId === 'trace-123');
    expect(access).toEqual([
      expect.objectContaining({ msg: 'request completed', method: 'GET', url: '/api/v1/users/me', statusCode: 401 }),
    ]);
    // The exception filter's error line names the request, so a reported requestId finds its stack.
    const failure = entries.filter((e) => e.requestId === 'trace-500');
    expect(failure).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'request failed: Internal Server Error',
        error: expect.objectContaining({ message: expect.stringContaining('failing on purpose') }),
      }),
      expect.objectContaining({ msg: 'request completed', method: 'PATCH', url: '/api/v1/users/me', statusCode: 500 }),
    ]);
    // The probe of waitUntilServing is not logged (health and metrics stay out of the access log).
    expect(entries.filter((e) => e.url === '/health/live')).toEqual([]);
    expect(app.stdout + app.stderr).not.toContain(secret);
    expect(app.stderr).toBe('');
  }, 60_000);
});
