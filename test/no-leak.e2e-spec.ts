import type { Response, Test } from 'supertest';
import { startTestApp, TestApp } from './support/app';
import { withDatabase } from './support/database';
import { localClaims, signJwt, tamperJwt, TEST_SIGNING_KEY } from './support/tokens';
import { STRONG_PASSWORD, uniqueEmail } from './support/users';

interface Recorded {
  label: string;
  status: number;
  /** Status line, every header and the body, as the client received them. */
  text: string;
  /** The tokens this response issued to its caller: the only ones it may contain. */
  issued: string[];
}

describe("no response leaks a password, a hash or somebody else's token", () => {
  let t: TestApp;
  const recorded: Recorded[] = [];
  beforeAll(async () => (t = await startTestApp({ JWT_SIGNING_KEY: TEST_SIGNING_KEY })));
  afterAll(() => t.close());

  async function record(label: string, request: Test): Promise<Response> {
    const res = await request;
    const issued = [res.body?.accessToken, res.body?.refreshToken].filter((v): v is string => typeof v === 'string');
    recorded.push({
      label,
      status: res.status,
      text: `${res.status}\n${JSON.stringify(res.headers)}\n${res.text}`,
      issued,
    });
    return res;
  }

  it('holds over a scripted session of two users, including every error path', async () => {
    const http = () => t.http();
    const alice = { email: uniqueEmail('alice'), password: STRONG_PASSWORD };
    const bob = { email: uniqueEmail('bob'), password: 'a different passphrase for bob 77' };
    const weakPassword = 'qwertyuiop';
    const bearer = (token: string) => `Bearer ${token}`;

    const aliceSession = await record(
      'register alice',
      http()
        .post('/api/v1/auth/register')
        .send({ ...alice, name: 'Alice' }),
    );
    const bobSession = await record(
      'register bob',
      http()
        .post('/api/v1/auth/register')
        .send({ ...bob, name: 'Bob' }),
    );
    expect([aliceSession.status, bobSession.status]).toEqual([201, 201]);
    await record(
      'register duplicate',
      http()
        .post('/api/v1/auth/register')
        .send({ ...alice, email: alice.email.toUpperCase(), name: 'A' }),
    );
    await record(
      'register weak',
      http().post('/api/v1/auth/register').send({ email: uniqueEmail(), password: weakPassword, name: 'W' }),
    );
    await record(
      'register unknown field',
      http()
        .post('/api/v1/auth/register')
        .send({ ...alice, name: 'A', passwordHash: 'x' }),
    );
    await record(
      'register bad email',
      http().post('/api/v1/auth/register').send({ email: alice.password, password: alice.password, name: 'A' }),
    );

    const login = await record('login alice', http().post('/api/v1/auth/login').send(alice));
    await record(
      'login wrong password',
      http().post('/api/v1/auth/login').send({ email: alice.email, password: bob.password }),
    );
    await record(
      'login unknown',
      http().post('/api/v1/auth/login').send({ email: uniqueEmail(), password: alice.password }),
    );
    await record(
      'login bad body',
      http().post('/api/v1/auth/login').send({ email: alice.email, password: alice.password, extra: 1 }),
    );

    const aliceToken = aliceSession.body.accessToken as string;
    const bobToken = bobSession.body.accessToken as string;
    await record('me alice', http().get('/api/v1/users/me').set('authorization', bearer(aliceToken)));
    await record('me bob', http().get('/api/v1/users/me').set('authorization', bearer(bobToken)));
    await record(
      'rename alice',
      http().patch('/api/v1/users/me').set('authorization', bearer(aliceToken)).send({ name: 'Alice R' }),
    );
    await record(
      'rename bad',
      http()
        .patch('/api/v1/users/me')
        .set('authorization', bearer(aliceToken))
        .send({ name: '', password: alice.password }),
    );
    await record('audit alice', http().get('/api/v1/audit/events').set('authorization', bearer(aliceToken)));
    const admin = bearer(signJwt(localClaims(bobSession.body.user.id, { role: 'admin' }), TEST_SIGNING_KEY));
    await record('admin audit', http().get('/api/v1/admin/audit/events').set('authorization', admin));

    const rotated = await record(
      'refresh alice',
      http().post('/api/v1/auth/refresh').send({ refreshToken: aliceSession.body.refreshToken }),
    );
    expect(rotated.status).toBe(200);
    await record(
      'refresh replay',
      http().post('/api/v1/auth/refresh').send({ refreshToken: aliceSession.body.refreshToken }),
    );
    await record(
      'refresh bob',
      http().post('/api/v1/auth/refresh').send({ refreshToken: bobSession.body.refreshToken }),
    );
    await record('logout alice', http().post('/api/v1/auth/logout').send({ refreshToken: login.body.refreshToken }));
    await record(
      'refresh after logout',
      http().post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }),
    );

    await record('me without token', http().get('/api/v1/users/me'));
    await record(
      'me tampered',
      http()
        .get('/api/v1/users/me')
        .set('authorization', bearer(tamperJwt(aliceToken, { sub: bobSession.body.user.id }))),
    );
    await record(
      'me with a refresh token',
      http().get('/api/v1/users/me').set('authorization', bearer(rotated.body.refreshToken)),
    );
    await record(
      'user on admin route',
      http().get('/api/v1/admin/audit/events').set('authorization', bearer(bobToken)),
    );
    await record('metrics', http().get('/metrics'));

    // Everything secret: passwords, every token issued to anybody, and what the database stores.
    const issued = recorded.flatMap((r) => r.issued);
    expect(issued.length).toBeGreaterThanOrEqual(10);
    const stored = await withDatabase(async (c) => {
      const users = await c.query('SELECT id, password_hash FROM users WHERE email = ANY($1)', [
        [alice.email, bob.email],
      ]);
      const tokens = await c.query('SELECT token_hash FROM refresh_tokens WHERE user_id = ANY($1)', [
        users.rows.map((u) => u.id),
      ]);
      return [
        ...users.rows.map((u) => u.password_hash as string),
        ...tokens.rows.flatMap((r) => [
          (r.token_hash as Buffer).toString('hex'),
          (r.token_hash as Buffer).toString('base64'),
        ]),
      ];
    });
    const secrets = [...new Set(['$argon2', alice.password, bob.password, weakPassword, ...issued, ...stored])];

    const leaks = recorded.flatMap((r) =>
      secrets
        .filter((secret) => !r.issued.includes(secret) && r.text.includes(secret))
        .map((secret) => `${r.label}: ${secret.slice(0, 12)}…`),
    );
    expect(leaks).toEqual([]);
    // The session really exercised the error paths.
    expect(recorded.map((r) => r.status)).toEqual(expect.arrayContaining([400, 401, 403, 409, 422, 204]));
  });
});
