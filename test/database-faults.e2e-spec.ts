import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from './support/app';
import { readAllPages } from './support/pagination';
import { REPO_ROOT, startControllablePostgres } from './support/process';
import { registerUser, TestUser } from './support/users';

const REQUEST_TIMEOUT_MS = 2_000;

/**
 * The database goes away under a write load and comes back. While it is down the API answers
 * 503 problem+json promptly (never a 500, never a hang), readiness fails while liveness holds,
 * the service recovers by itself, and every write that was answered 2xx is there afterwards.
 */
describe('database outage under write load', () => {
  const dataDir = join(REPO_ROOT, '.data', `faults-${process.pid}`);
  let pg: Awaited<ReturnType<typeof startControllablePostgres>>;
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    pg = await startControllablePostgres(dataDir);
    t = await startTestApp({
      DATABASE_URL: pg.url,
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
    });
    user = await registerUser(t);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await pg?.exit();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 while down, recovers by itself, and loses no acknowledged write', async () => {
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let slowest = 0;
    let running = true;

    // Four writers renaming the user; each acknowledged rename must have its audit event.
    const writer = async (id: number) => {
      for (let n = 0; running; n++) {
        const name = `writer ${id} #${n}`;
        const started = Date.now();
        const res = await t.http().patch('/api/v1/users/me').set('authorization', user.auth).send({ name });
        slowest = Math.max(slowest, Date.now() - started);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200) acknowledged.push(name);
        else {
          expect(res.status).toBe(503);
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.body).toMatchObject({ status: 503, type: 'urn:fyntrix:problem:service-unavailable' });
          expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|terminating|postgres|SELECT|UPDATE/i);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const writers = [1, 2, 3, 4].map(writer);

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await pg.stop();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await t.http().get('/health/ready').expect(503);
      await t.http().get('/health/live').expect(200, { status: 'ok' });
      const down = await t.http().get('/api/v1/preferences').set('authorization', user.auth);
      expect(down.status).toBe(503);
    } finally {
      await pg.start();
    }

    // Recovery without a restart: a write succeeds within 5 seconds of the database's return.
    const back = Date.now();
    let recovered = false;
    while (!recovered && Date.now() - back < 5_000) {
      const res = await t
        .http()
        .patch('/api/v1/users/me')
        .set('authorization', user.auth)
        .send({ name: 'recovery probe' });
      recovered = res.status === 200;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(recovered).toBe(true);
    await t.http().get('/health/ready').expect(200);

    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    await Promise.all(writers);

    expect([...statuses.keys()].sort()).toEqual([200, 503]);
    // No request hung: each was answered within the request timeout (plus scheduling slack).
    expect(slowest).toBeLessThan(REQUEST_TIMEOUT_MS + 1_500);

    const { items: events } = await readAllPages<{ after: { name: string } }>((cursor) =>
      t
        .http()
        .get('/api/v1/audit/events')
        .query({ entity: 'profile', limit: 100, cursor })
        .set('authorization', user.auth),
    );
    const stored = new Set(events.map((event) => event.after.name));
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
  }, 120_000);
});
