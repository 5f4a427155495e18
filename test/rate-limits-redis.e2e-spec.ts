import Redis from 'ioredis';
import { startTestApp, TestApp } from './support/app';
import { withDatabase } from './support/database';
import { expectProblem } from './support/problem';
import { findRedisServer, RedisServer, startRedisServer } from './support/redis';
import { STRONG_PASSWORD, uniqueEmail } from './support/users';

const RATE_LIMITED = 'urn:fyntrix:problem:rate-limited';
const redisServer = findRedisServer();
const redisRequired = Boolean(process.env.CI || process.env.REQUIRE_REDIS);
if (!redisServer && !redisRequired) {
  console.warn(
    'redis-server is not on PATH: skipping the Redis rate-limit spec (CI=1 or REQUIRE_REDIS=1 make this a failure).',
  );
}

let lastOctet = 0;
const nextIp = () => `10.200.${(++lastOctet >> 8) & 255}.${lastOctet & 255}`;

(redisServer || redisRequired ? describe : describe.skip)('two instances sharing one PostgreSQL and one Redis', () => {
  let redis: RedisServer | undefined;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    if (!redisServer) {
      throw new Error(
        'redis-server is not on PATH, and CI/REQUIRE_REDIS require this spec to run: install it (apt-get install redis-server).',
      );
    }
    redis = await startRedisServer(redisServer);
    const env = {
      REDIS_URL: redis.url,
      TRUST_PROXY: 'true',
      RATE_LIMIT_MAX: '5',
      AUTH_RATE_LIMIT_MAX: '3',
      LOGIN_LOCKOUT_ATTEMPTS: '3',
    };
    // Two instances of the service in this process, as behind a load balancer.
    a = await startTestApp(env);
    b = await startTestApp(env);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  async function register(app: TestApp) {
    const email = uniqueEmail('redis');
    const res = await app
      .http()
      .post('/api/v1/auth/register')
      .set('x-forwarded-for', nextIp())
      .send({ email, password: STRONG_PASSWORD, name: 'Shared' })
      .expect(201);
    return {
      id: res.body.user.id as string,
      email,
      auth: `Bearer ${res.body.accessToken}`,
      refreshToken: res.body.refreshToken as string,
    };
  }

  it("holds a user's limit across both instances", async () => {
    const user = await register(a);
    const me = (app: TestApp) => app.http().get('/api/v1/users/me').set('authorization', user.auth);
    const answers = [await me(a), await me(a), await me(a), await me(b), await me(b)];
    expect(answers.map((r) => [r.status, r.headers['x-ratelimit-remaining']])).toEqual([
      [200, '4'],
      [200, '3'],
      [200, '2'],
      [200, '1'],
      [200, '0'],
    ]);
    // The sixth request is refused whichever instance it reaches.
    for (const app of [a, b]) {
      const res = await me(app);
      expectProblem(res, 429, RATE_LIMITED);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.headers['x-ratelimit-remaining']).toBe('0');
    }
    // Another user is unaffected on either.
    const other = await register(b);
    await a.http().get('/api/v1/users/me').set('authorization', other.auth).expect(200);
  });

  it('holds the per-IP auth limit across both instances', async () => {
    const ip = nextIp();
    const login = (app: TestApp) =>
      app.http().post('/api/v1/auth/login').set('x-forwarded-for', ip).send({ email: uniqueEmail(), password: 'x' });
    const statuses = [(await login(a)).status, (await login(b)).status, (await login(a)).status];
    expect(statuses).toEqual([401, 401, 401]);
    for (const app of [a, b]) {
      const res = await login(app);
      expectProblem(res, 429, RATE_LIMITED);
      expect(res.headers['x-ratelimit-limit-auth']).toBe('3');
    }
  });

  it('keeps the counters in Redis', async () => {
    const user = await register(a);
    await b.http().get('/api/v1/users/me').set('authorization', user.auth).expect(200);
    const client = new Redis(redis!.url);
    try {
      const keys = await client.keys(`*rl:default:user:${user.id}*`);
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });

  it('rotates refresh tokens consistently: a token rotated on one instance is a replay on the other', async () => {
    const user = await register(a);
    const refresh = (app: TestApp, refreshToken: string) =>
      app.http().post('/api/v1/auth/refresh').set('x-forwarded-for', nextIp()).send({ refreshToken });
    const rotated = await refresh(a, user.refreshToken).expect(200);
    expectProblem(await refresh(b, user.refreshToken), 401);
    // The replay revoked the family: the newest token is dead on both instances.
    expectProblem(await refresh(b, rotated.body.refreshToken), 401);
    expectProblem(await refresh(a, rotated.body.refreshToken), 401);
  });

  it("honours one instance's ETag on the other (the version lives in the database)", async () => {
    const user = await register(a);
    const written = await a
      .http()
      .patch('/api/v1/preferences')
      .set('authorization', user.auth)
      .send({ riskProfile: 'Aggressive' })
      .expect(200);
    expect(written.headers.etag).toBe('"1"');
    const replaced = await b
      .http()
      .patch('/api/v1/preferences')
      .set('authorization', user.auth)
      .set('if-match', written.headers.etag)
      .send({ universe: 'NIFTYBANK' })
      .expect(200);
    expect(replaced.headers.etag).toBe('"2"');
    // The first ETag is stale everywhere now.
    const stale = await a
      .http()
      .patch('/api/v1/preferences')
      .set('authorization', user.auth)
      .set('if-match', '"1"')
      .send({ universe: 'NIFTY50' });
    expectProblem(stale, 412);
    expect(stale.headers.etag).toBe('"2"');
  });

  it('locks an account out on both instances, whichever one counted the failures', async () => {
    const user = await register(a);
    const login = (app: TestApp, password: string) =>
      app.http().post('/api/v1/auth/login').set('x-forwarded-for', nextIp()).send({ email: user.email, password });
    await login(a, 'wrong password 123').expect(401);
    await login(b, 'wrong password 123').expect(401);
    await login(a, 'wrong password 123').expect(401);
    for (const app of [b, a]) {
      const res = await login(app, STRONG_PASSWORD);
      expectProblem(res, 429, RATE_LIMITED);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    const { rows } = await withDatabase((c) =>
      c.query('SELECT failed_login_count FROM users WHERE id = $1', [user.id]),
    );
    expect(rows[0].failed_login_count).toBe(3);
  });
});
