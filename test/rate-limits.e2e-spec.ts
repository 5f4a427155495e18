import type { Response } from 'supertest';
import { startTestApp, TestApp } from './support/app';
import { withDatabase } from './support/database';
import { expectProblem } from './support/problem';
import { STRONG_PASSWORD, uniqueEmail } from './support/users';

const RATE_LIMITED = 'urn:fyntrix:problem:rate-limited';

/** A fresh client address per call, so that every test has IP buckets nobody else touched. */
let lastOctets = 0;
const nextIp = () => {
  lastOctets++;
  return `10.${(lastOctets >> 16) & 255}.${(lastOctets >> 8) & 255}.${lastOctets & 255}`;
};

/** A 429 problem document with a usable Retry-After and the headers of the limit that was hit. */
function expectRateLimited(res: Response, limitHeaderSuffix = ''): number {
  expectProblem(res, 429, RATE_LIMITED);
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  expect(res.headers).toMatchObject({
    [`x-ratelimit-limit${limitHeaderSuffix}`]: expect.stringMatching(/^\d+$/),
    [`x-ratelimit-remaining${limitHeaderSuffix}`]: '0',
    [`x-ratelimit-reset${limitHeaderSuffix}`]: expect.stringMatching(/^\d+$/),
  });
  return retryAfter;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition());) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Account {
  id: string;
  email: string;
  auth: string;
}

async function registerFrom(t: TestApp, ip = nextIp()): Promise<Account> {
  const email = uniqueEmail('limits');
  const res = await t
    .http()
    .post('/api/v1/auth/register')
    .set('x-forwarded-for', ip)
    .send({ email, password: STRONG_PASSWORD, name: 'Limited' })
    .expect(201);
  return { id: res.body.user.id, email, auth: `Bearer ${res.body.accessToken}` };
}

describe('rate limits (in memory)', () => {
  describe('behind a trusted proxy, with low limits', () => {
    let t: TestApp;
    beforeAll(
      async () =>
        (t = await startTestApp({
          TRUST_PROXY: 'true',
          AUTH_RATE_LIMIT_MAX: '3',
          RATE_LIMIT_MAX: '8',
          LOGIN_LOCKOUT_ATTEMPTS: '3',
        })),
    );
    afterAll(() => t.close());

    const login = (ip: string, email: string, password: string) =>
      t.http().post('/api/v1/auth/login').set('x-forwarded-for', ip).send({ email, password });
    const me = (account: Account, ip = nextIp()) =>
      t.http().get('/api/v1/users/me').set('authorization', account.auth).set('x-forwarded-for', ip);

    it('limits the auth routes per client IP much more strictly, counting all of them together', async () => {
      const ip = nextIp();
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await login(ip, uniqueEmail('nobody'), STRONG_PASSWORD));
      expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
      expect(
        answers.map((r) => [r.headers['x-ratelimit-limit-auth'], r.headers['x-ratelimit-remaining-auth']]),
      ).toEqual([
        ['3', '2'],
        ['3', '1'],
        ['3', '0'],
      ]);
      const retryAfter = expectRateLimited(await login(ip, uniqueEmail('nobody'), STRONG_PASSWORD), '-auth');
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Every auth route shares the bucket.
      expectRateLimited(
        await t
          .http()
          .post('/api/v1/auth/register')
          .set('x-forwarded-for', ip)
          .send({ email: uniqueEmail(), password: STRONG_PASSWORD, name: 'X' }),
        '-auth',
      );
      expectRateLimited(
        await t
          .http()
          .post('/api/v1/auth/refresh')
          .set('x-forwarded-for', ip)
          .send({ refreshToken: 'x'.repeat(43) }),
        '-auth',
      );
    });

    it('keys anonymous callers by the forwarded client IP when TRUST_PROXY is set', async () => {
      const [exhausted, fresh] = [nextIp(), nextIp()];
      for (let i = 0; i < 3; i++) await login(exhausted, uniqueEmail('nobody'), STRONG_PASSWORD).expect(401);
      expectRateLimited(await login(exhausted, uniqueEmail('nobody'), STRONG_PASSWORD), '-auth');
      // Another client behind the same proxy has its own bucket.
      const other = await login(fresh, uniqueEmail('nobody'), STRONG_PASSWORD).expect(401);
      expect(other.headers['x-ratelimit-remaining-auth']).toBe('2');
      // The proxy appends the address it saw: the client is the leftmost one.
      await t
        .http()
        .post('/api/v1/auth/login')
        .set('x-forwarded-for', `${exhausted}, 192.0.2.1`)
        .send({ email: uniqueEmail(), password: 'x' })
        .expect(429);
    });

    it('counts an IPv6 client by its /64: rotating addresses inside it gives no fresh bucket', async () => {
      const prefix = `2001:db8:${(++lastOctets).toString(16)}:1`;
      for (const address of [`${prefix}::1`, `${prefix}::2`, `${prefix}:abcd:ef01:2345:6789`]) {
        await login(address, uniqueEmail('nobody'), STRONG_PASSWORD).expect(401);
      }
      expectRateLimited(await login(`${prefix}:ffff:ffff:ffff:ffff`, uniqueEmail('nobody'), STRONG_PASSWORD), '-auth');
      // The neighbouring /64 is another client.
      await login(`2001:db8:${lastOctets.toString(16)}:2::1`, uniqueEmail('nobody'), STRONG_PASSWORD).expect(401);
    });

    it('does not apply the auth limit to other routes: a signed-in user is counted by user id', async () => {
      const ip = nextIp();
      const account = await registerFrom(t, ip);
      for (let i = 0; i < 2; i++) await login(ip, uniqueEmail('nobody'), STRONG_PASSWORD).expect(401);
      expectRateLimited(await login(ip, uniqueEmail('nobody'), STRONG_PASSWORD), '-auth');
      const res = await me(account, ip).expect(200);
      expect(res.headers['x-ratelimit-limit-auth']).toBeUndefined();
    });

    it('limits each signed-in user in their own bucket, wherever they call from', async () => {
      const ip = nextIp();
      const [alice, bob] = [await registerFrom(t), await registerFrom(t)];
      const answers = [];
      for (let i = 0; i < 8; i++) answers.push(await me(alice, ip));
      expect(
        answers.map((r) => [r.status, r.headers['x-ratelimit-limit'], r.headers['x-ratelimit-remaining']]),
      ).toEqual([7, 6, 5, 4, 3, 2, 1, 0].map((remaining) => [200, '8', String(remaining)]));
      expect(answers.every((r) => /^\d+$/.test(r.headers['x-ratelimit-reset']))).toBe(true);

      const retryAfter = expectRateLimited(await me(alice, ip));
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Every route counts against the same per-user bucket, and a new address does not help.
      expectRateLimited(
        await t.http().get('/api/v1/preferences').set('authorization', alice.auth).set('x-forwarded-for', nextIp()),
      );
      // Bob, from the very same address, is not affected; nor is an anonymous caller there.
      const other = await me(bob, ip).expect(200);
      expect(other.headers['x-ratelimit-remaining']).toBe('7');
      await login(ip, uniqueEmail('nobody'), STRONG_PASSWORD).expect(401);
    });

    describe('account lock-out', () => {
      const accountRow = (id: string) =>
        withDatabase(
          async (c) =>
            (
              await c.query('SELECT failed_login_count, first_failed_login_at, locked_until FROM users WHERE id = $1', [
                id,
              ])
            ).rows[0],
        );

      it('locks the account after LOGIN_LOCKOUT_ATTEMPTS failures from any addresses: 429 with Retry-After, even with the right password', async () => {
        const account = await registerFrom(t);
        const other = await registerFrom(t);
        for (let i = 0; i < 3; i++) expectProblem(await login(nextIp(), account.email, 'wrong password 123'), 401);

        const locked = await login(nextIp(), account.email, STRONG_PASSWORD);
        expectProblem(locked, 429, RATE_LIMITED);
        const retryAfter = Number(locked.headers['retry-after']);
        // LOGIN_LOCKOUT_WINDOW_MS defaults to 15 minutes.
        expect(retryAfter).toBeGreaterThan(800);
        expect(retryAfter).toBeLessThanOrEqual(900);
        // The rate-limit headers of the request are there too.
        expect(locked.headers['x-ratelimit-limit-auth']).toBe('3');
        expect(locked.body.detail).not.toContain(account.email);

        const row = await accountRow(account.id);
        expect(row.failed_login_count).toBe(3);
        expect(row.locked_until.getTime()).toBeGreaterThan(Date.now() + 800_000);
        // Attempts during the lock neither succeed nor extend it.
        expectProblem(await login(nextIp(), account.email, 'wrong password 123'), 429, RATE_LIMITED);
        expect((await accountRow(account.id)).locked_until).toEqual(row.locked_until);
        // Other accounts are not affected.
        await login(nextIp(), other.email, STRONG_PASSWORD).expect(200);

        // Once the lock has expired, the right password works and the bookkeeping is reset.
        await withDatabase((c) =>
          c.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [account.id]),
        );
        await login(nextIp(), account.email, STRONG_PASSWORD).expect(200);
        expect(await accountRow(account.id)).toEqual({
          failed_login_count: 0,
          first_failed_login_at: null,
          locked_until: null,
        });
        // Counting starts over: one more failure does not lock again.
        await login(nextIp(), account.email, 'wrong password 123').expect(401);
        await login(nextIp(), account.email, STRONG_PASSWORD).expect(200);
      });

      it('answers 401, never 429, for unknown emails however often they are tried', async () => {
        const email = uniqueEmail('nobody');
        for (let i = 0; i < 5; i++) expectProblem(await login(nextIp(), email, 'wrong password 123'), 401);
      });

      it('resets the count on a successful sign-in', async () => {
        const account = await registerFrom(t);
        for (let i = 0; i < 2; i++) await login(nextIp(), account.email, 'wrong password 123').expect(401);
        await login(nextIp(), account.email, STRONG_PASSWORD).expect(200);
        for (let i = 0; i < 2; i++) await login(nextIp(), account.email, 'wrong password 123').expect(401);
        await login(nextIp(), account.email, STRONG_PASSWORD).expect(200);
      });

      it('forgets failures older than the window', async () => {
        const account = await registerFrom(t);
        for (let i = 0; i < 2; i++) await login(nextIp(), account.email, 'wrong password 123').expect(401);
        await withDatabase((c) =>
          c.query(`UPDATE users SET first_failed_login_at = now() - interval '16 minutes' WHERE id = $1`, [account.id]),
        );
        await login(nextIp(), account.email, 'wrong password 123').expect(401);
        expect(await accountRow(account.id)).toMatchObject({ failed_login_count: 1, locked_until: null });
        await login(nextIp(), account.email, STRONG_PASSWORD).expect(200);
      });

      it('counts concurrent failures from many addresses: none is lost', async () => {
        const account = await registerFrom(t);
        // Hold the account row so that the three failures queue on it, as a burst of parallel
        // guesses does: each must count on top of the one before it.
        await withDatabase(async (holder) => {
          await holder.query('BEGIN');
          await holder.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [account.id]);
          const attempts = [1, 2, 3].map(() =>
            login(nextIp(), account.email, 'wrong password 123').then((r) => r.status),
          );
          // (Polled from another session: pg_stat_activity is frozen for the rest of a transaction.)
          await withDatabase((observer) =>
            waitFor(async () => {
              const { rows } = await observer.query(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE wait_event_type = 'Lock' AND query ILIKE 'update%users%set%failed_login_count%'`,
              );
              return rows[0].n === 3;
            }),
          );
          await holder.query('COMMIT');
          expect(await Promise.all(attempts)).toEqual([401, 401, 401]);
        });
        expect(await accountRow(account.id)).toMatchObject({ failed_login_count: 3, locked_until: expect.any(Date) });
        expectProblem(await login(nextIp(), account.email, STRONG_PASSWORD), 429, RATE_LIMITED);
      });
    });
  });

  describe('with the default lock-out', () => {
    let t: TestApp;
    beforeAll(
      async () => (t = await startTestApp({ LOGIN_LOCKOUT_ATTEMPTS: undefined, LOGIN_LOCKOUT_WINDOW_MS: undefined })),
    );
    afterAll(() => t.close());

    const login = (email: string, password: string) => t.http().post('/api/v1/auth/login').send({ email, password });
    const failTimes = async (account: Account, n: number) => {
      for (let i = 0; i < n; i++) expectProblem(await login(account.email, 'wrong password 123'), 401);
    };

    it('locks an account on the 10th failed sign-in, not on the 9th', async () => {
      const nine = await registerFrom(t);
      await failTimes(nine, 9);
      await login(nine.email, STRONG_PASSWORD).expect(200);

      const ten = await registerFrom(t);
      await failTimes(ten, 10);
      expectProblem(await login(ten.email, STRONG_PASSWORD), 429, RATE_LIMITED);
    });
  });

  describe('without a trusted proxy', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ TRUST_PROXY: 'false', AUTH_RATE_LIMIT_MAX: '2' })));
    afterAll(() => t.close());

    it('ignores X-Forwarded-For: a client cannot get a fresh bucket by making up addresses', async () => {
      const login = (ip: string) =>
        t.http().post('/api/v1/auth/login').set('x-forwarded-for', ip).send({ email: uniqueEmail(), password: 'x' });
      await login(nextIp()).expect(401);
      await login(nextIp()).expect(401);
      expectRateLimited(await login(nextIp()), '-auth');
    });
  });

  describe('burst limit', () => {
    let t: TestApp;
    // A burst window as long as the default one, so that the test does not race the clock.
    beforeAll(async () => (t = await startTestApp({ RATE_LIMIT_BURST_MAX: '3', RATE_LIMIT_BURST_TTL_MS: '60000' })));
    afterAll(() => t.close());

    it('applies RATE_LIMIT_BURST_* on top of the default limit, with its own headers', async () => {
      const account = await registerFrom(t);
      const answers = [];
      for (let i = 0; i < 3; i++)
        answers.push(await t.http().get('/api/v1/users/me').set('authorization', account.auth));
      expect(
        answers.map((r) => [r.status, r.headers['x-ratelimit-limit-burst'], r.headers['x-ratelimit-remaining-burst']]),
      ).toEqual([
        [200, '3', '2'],
        [200, '3', '1'],
        [200, '3', '0'],
      ]);
      expectRateLimited(await t.http().get('/api/v1/users/me').set('authorization', account.auth), '-burst');
    });
  });

  it('exempts health probes and metrics from every limit', async () => {
    const t = await startTestApp({ RATE_LIMIT_MAX: '1', RATE_LIMIT_BURST_MAX: '1', AUTH_RATE_LIMIT_MAX: '1' });
    try {
      for (let i = 0; i < 3; i++) {
        await t.http().get('/health/live').expect(200);
        await t.http().get('/metrics').expect(200);
      }
    } finally {
      await t.close();
    }
  });
});
