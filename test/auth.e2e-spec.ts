import { createHash, randomBytes } from 'node:crypto';
import { startTestApp, TEST_WEB_CONCURRENCY, TestApp } from './support/app';
import { withDatabase } from './support/database';
import { expectProblem, stableProblem } from './support/problem';
import { registerUser, STRONG_PASSWORD, TestUser, uniqueEmail } from './support/users';

const sha256 = (token: string) => createHash('sha256').update(token).digest();

describe('auth: register, login, refresh, logout', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const register = (body: object) => t.http().post('/api/v1/auth/register').send(body);
  const login = (body: object) => t.http().post('/api/v1/auth/login').send(body);
  const refresh = (refreshToken: string) => t.http().post('/api/v1/auth/refresh').send({ refreshToken });
  const logout = (refreshToken: string) => t.http().post('/api/v1/auth/logout').send({ refreshToken });
  const me = (accessToken: string) => t.http().get('/api/v1/users/me').set('authorization', `Bearer ${accessToken}`);

  /** Every session response has exactly this shape. */
  function expectSession(body: Record<string, unknown>, email: string, name = 'Test User'): void {
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'tokenType', 'user']);
    expect(body).toMatchObject({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      // 256 random bits, base64url without padding.
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      user: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email,
        name,
        accountId: expect.stringMatching(/^FY-[0-9A-HJKMNP-TV-Z]{8}$/),
        role: 'user',
        createdAt: expect.any(String),
      },
    });
    expect(Object.keys(body.user as object).sort()).toEqual(['accountId', 'createdAt', 'email', 'id', 'name', 'role']);
  }

  describe('POST /auth/register', () => {
    it('creates the account and signs it in (201)', async () => {
      const email = uniqueEmail('register');
      const res = await register({ email, password: STRONG_PASSWORD, name: '  Priya Raman ' }).expect(201);
      expectSession(res.body, email, 'Priya Raman');
      const profile = await me(res.body.accessToken).expect(200);
      expect(profile.body).toEqual(res.body.user);
      // The refresh token works too.
      await refresh(res.body.refreshToken).expect(200);
    });

    it('stores the email lower-cased and answers 409 for the same address in another case', async () => {
      const email = uniqueEmail('Case');
      const first = await register({ email: ` ${email.toUpperCase()} `, password: STRONG_PASSWORD, name: 'A' }).expect(
        201,
      );
      expect(first.body.user.email).toBe(email.toLowerCase());
      for (const variant of [email, email.toLowerCase(), email.toUpperCase()]) {
        const res = await register({ email: variant, password: STRONG_PASSWORD, name: 'B' });
        expectProblem(res, 409, 'urn:fyntrix:problem:conflict');
      }
      const rows = await withDatabase((c) =>
        c.query('SELECT email FROM users WHERE lower(email) = lower($1)', [email]),
      );
      expect(rows.rows).toEqual([{ email: email.toLowerCase() }]);
    });

    it.each([
      ['too short (9 characters)', () => 'Xk4!pQ9#z'],
      ['too long (129 characters)', () => 'Xk4!pQ9#z7'.repeat(13).slice(0, 129)],
      ['equal to the email', (email: string) => email],
      ['equal to the email in another case', (email: string) => email.toUpperCase()],
      ['equal to the local part of the email', (email: string) => email.split('@')[0]],
      ['a common password', () => 'qwertyuiop'],
      ['a common password in another case', () => 'QwertyUiop'],
      ['a common password with digits appended', () => 'password123456'],
      ['a common numeric password', () => '1234567890'],
    ])('answers 422 when the password is %s, and creates no account', async (_name, password) => {
      const email = uniqueEmail('weak');
      const res = await register({ email, password: password(email), name: 'Weak' });
      expectProblem(res, 422, 'urn:fyntrix:problem:rule-violated');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'password', message: expect.any(String) })]);
      expect(JSON.stringify(res.body)).not.toContain(password(email));
      const rows = await withDatabase((c) => c.query('SELECT 1 FROM users WHERE email = $1', [email]));
      expect(rows.rowCount).toBe(0);
    });

    it('accepts the policy limits: exactly 10 and exactly 128 characters', async () => {
      await register({ email: uniqueEmail(), password: 'Zr8#mQ2!vT', name: 'Ten' }).expect(201);
      await register({ email: uniqueEmail(), password: 'Zr8#mQ2!vT'.repeat(13).slice(0, 128), name: 'Max' }).expect(
        201,
      );
    });

    it.each([
      ['an invalid email', { email: 'not-an-email', password: STRONG_PASSWORD, name: 'X' }, 'email'],
      ['a missing email', { password: STRONG_PASSWORD, name: 'X' }, 'email'],
      ['a missing password', { email: 'a@example.test', name: 'X' }, 'password'],
      ['a password that is not a string', { email: 'a@example.test', password: 1234567890123, name: 'X' }, 'password'],
      ['an empty name', { email: 'a@example.test', password: STRONG_PASSWORD, name: '   ' }, 'name'],
      ['an unknown field', { email: 'a@example.test', password: STRONG_PASSWORD, name: 'X', role: 'admin' }, 'role'],
    ])('answers 400 for %s', async (_name, body, field) => {
      const res = await register(body);
      expectProblem(res, 400, 'urn:fyntrix:problem:validation-failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .set('content-type', 'application/json')
        .send('{"email":');
      expectProblem(res, 400);
    });

    it('hashes the password with argon2id (OWASP parameters) and stores no plaintext', async () => {
      const user = await registerUser(t);
      const { rows } = await withDatabase((c) => c.query('SELECT password_hash FROM users WHERE id = $1', [user.id]));
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(rows[0].password_hash).not.toContain(user.password);
    });
  });

  describe('POST /auth/login', () => {
    let user: TestUser;
    beforeAll(async () => (user = await registerUser(t, { name: 'Login User' })));

    it('signs in with email and password (200, same shape as register)', async () => {
      const res = await login({ email: user.email, password: user.password }).expect(200);
      expectSession(res.body, user.email, 'Login User');
      expect(res.body.user.id).toBe(user.id);
      await me(res.body.accessToken).expect(200);
      const { rows } = await withDatabase((c) => c.query('SELECT last_login_at FROM users WHERE id = $1', [user.id]));
      expect(rows[0].last_login_at).toBeInstanceOf(Date);
    });

    it('matches the email case-insensitively', async () => {
      const res = await login({ email: ` ${user.email.toUpperCase()} `, password: user.password }).expect(200);
      expect(res.body.user.id).toBe(user.id);
    });

    it('gives a new session (refresh-token family) on every sign-in', async () => {
      const a = await login({ email: user.email, password: user.password }).expect(200);
      const b = await login({ email: user.email, password: user.password }).expect(200);
      expect(a.body.refreshToken).not.toBe(b.body.refreshToken);
      expect(a.body.accessToken).not.toBe(b.body.accessToken);
      const families = await withDatabase((c) =>
        c.query('SELECT family_id FROM refresh_tokens WHERE token_hash = ANY($1)', [
          [sha256(a.body.refreshToken), sha256(b.body.refreshToken)],
        ]),
      );
      expect(new Set(families.rows.map((r) => r.family_id)).size).toBe(2);
    });

    it('answers one and the same 401 for an unknown email and a wrong password', async () => {
      const unknown = await login({ email: uniqueEmail('nobody'), password: user.password });
      const wrong = await login({ email: user.email, password: `${user.password}!` });
      expectProblem(unknown, 401);
      expectProblem(wrong, 401);
      expect(stableProblem(wrong.body)).toEqual(stableProblem(unknown.body));
      expect(Object.keys(wrong.body).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
      // Only the failure against a real account counts towards its lock-out.
      const { rows } = await withDatabase((c) =>
        c.query('SELECT failed_login_count FROM users WHERE id = $1', [user.id]),
      );
      expect(rows[0].failed_login_count).toBe(1);
      // A success resets the count.
      await login({ email: user.email, password: user.password }).expect(200);
      const after = await withDatabase((c) =>
        c.query('SELECT failed_login_count, locked_until FROM users WHERE id = $1', [user.id]),
      );
      expect(after.rows[0]).toEqual({ failed_login_count: 0, locked_until: null });
    });

    it('answers 401 (same body) for a disabled account, even with the right password', async () => {
      const disabled = await registerUser(t);
      await withDatabase((c) => c.query(`UPDATE users SET status = 'disabled' WHERE id = $1`, [disabled.id]));
      const res = await login({ email: disabled.email, password: disabled.password });
      expectProblem(res, 401);
      const unknown = await login({ email: uniqueEmail('nobody'), password: disabled.password });
      expect(stableProblem(res.body)).toEqual(stableProblem(unknown.body));
    });

    // It spies on this process's argon2: with TEST_WEB_CONCURRENCY the service runs in other processes.
    (TEST_WEB_CONCURRENCY > 1 ? it.skip : it)(
      'runs exactly one argon2 verification for an unknown email, as for a wrong password or a disabled account',
      async () => {
        // The module object PasswordsService calls through: its named import compiles to a property read.
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module object itself, not an import's copy
        const argon2 = require('@node-rs/argon2') as typeof import('@node-rs/argon2');
        const verify = jest.spyOn(argon2, 'verify');
        const account = await registerUser(t);
        const disabled = await registerUser(t);
        await withDatabase((c) => c.query(`UPDATE users SET status = 'disabled' WHERE id = $1`, [disabled.id]));
        /** The argon2 hashes a failed sign-in verified against. */
        const verifiedHashes = async (body: object) => {
          verify.mockClear();
          expectProblem(await login(body), 401);
          return verify.mock.calls.map(([hash]) => String(hash).slice(0, 31));
        };
        try {
          const hashed = ['$argon2id$v=19$m=19456,t=2,p=1$'];
          expect(await verifiedHashes({ email: uniqueEmail('nobody'), password: account.password })).toEqual(hashed);
          expect(await verifiedHashes({ email: account.email, password: `${account.password}!` })).toEqual(hashed);
          expect(await verifiedHashes({ email: disabled.email, password: disabled.password })).toEqual(hashed);
        } finally {
          verify.mockRestore();
        }
      },
    );

    it.each([
      ['an invalid email', { email: 'nope', password: 'whatever-password' }],
      ['a missing password', { email: 'a@example.test' }],
      ['an unknown field', { email: 'a@example.test', password: 'whatever-password', remember: true }],
    ])('answers 400 for %s', async (_name, body) => {
      expectProblem(await login(body), 400, 'urn:fyntrix:problem:validation-failed');
    });
  });

  describe('POST /auth/refresh', () => {
    it('rotates: a new pair, and the presented token stops working', async () => {
      const user = await registerUser(t);
      const res = await refresh(user.refreshToken).expect(200);
      expectSession(res.body, user.email);
      expect(res.body.user.id).toBe(user.id);
      expect(res.body.refreshToken).not.toBe(user.refreshToken);
      expect(res.body.accessToken).not.toBe(user.accessToken);
      await me(res.body.accessToken).expect(200);
      // The new token carries on the same session (family).
      const { rows } = await withDatabase((c) =>
        c.query('SELECT token_hash, family_id, used_at FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at', [
          user.id,
        ]),
      );
      expect(rows).toHaveLength(2);
      expect(rows[0].family_id).toBe(rows[1].family_id);
      expect(rows[0].used_at).toBeInstanceOf(Date);
      expect(rows[1].used_at).toBeNull();
      // The rotated token is spent.
      expectProblem(await refresh(user.refreshToken), 401);
    });

    it('revokes the whole family when a rotated token is replayed, and only that family', async () => {
      const user = await registerUser(t);
      const other = await login({ email: user.email, password: user.password }).expect(200);
      const second = await refresh(user.refreshToken).expect(200);
      const third = await refresh(second.body.refreshToken).expect(200);

      // Replaying the first (already rotated) token: 401, and the newest token of the family dies too.
      const replay = await refresh(user.refreshToken);
      expectProblem(replay, 401);
      expectProblem(await refresh(third.body.refreshToken), 401);
      const family = await withDatabase((c) =>
        c.query(
          'SELECT revoked_at FROM refresh_tokens WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)',
          [sha256(user.refreshToken)],
        ),
      );
      expect(family.rows).toHaveLength(3);
      for (const row of family.rows) expect(row.revoked_at).toBeInstanceOf(Date);

      // The user's other session is untouched.
      await refresh(other.body.refreshToken).expect(200);
    });

    it('lets exactly one of two concurrent uses of one token succeed, and treats the other as a replay', async () => {
      const user = await registerUser(t);
      const results = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      const winner = results.find((r) => r.status === 200)!;
      expectProblem(await refresh(winner.body.refreshToken), 401);
    });

    it('answers 401 for an expired refresh token', async () => {
      const user = await registerUser(t);
      await withDatabase((c) =>
        c.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
          sha256(user.refreshToken),
        ]),
      );
      expectProblem(await refresh(user.refreshToken), 401);
    });

    it('answers the same 401 for an unknown token', async () => {
      const user = await registerUser(t);
      const unknown = await refresh(randomBytes(32).toString('base64url'));
      expectProblem(unknown, 401);
      await refresh(user.refreshToken).expect(200);
      const used = await refresh(user.refreshToken);
      expect(stableProblem(used.body)).toEqual(stableProblem(unknown.body));
    });

    it('answers 401 once the account is disabled, and ends that session', async () => {
      const user = await registerUser(t);
      const rotated = await refresh(user.refreshToken).expect(200);
      await withDatabase((c) => c.query(`UPDATE users SET status = 'disabled' WHERE id = $1`, [user.id]));
      expectProblem(await refresh(rotated.body.refreshToken), 401);
      const { rows } = await withDatabase((c) =>
        c.query('SELECT revoked_at FROM refresh_tokens WHERE user_id = $1', [user.id]),
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row.revoked_at).toBeInstanceOf(Date);
    });

    it.each([
      ['a missing token', {}],
      ['a token too short to be one', { refreshToken: 'short' }],
      ['a token that is not a string', { refreshToken: 42 }],
      ['an unknown field', { refreshToken: randomBytes(32).toString('base64url'), accessToken: 'x' }],
    ])('answers 400 for %s', async (_name, body) => {
      expectProblem(
        await t.http().post('/api/v1/auth/refresh').send(body),
        400,
        'urn:fyntrix:problem:validation-failed',
      );
    });

    it('stores only the SHA-256 of each refresh token, never the token', async () => {
      const user = await registerUser(t);
      const { rows } = await withDatabase((c) =>
        c.query('SELECT token_hash, row_to_json(r)::text AS raw FROM refresh_tokens r WHERE user_id = $1', [user.id]),
      );
      expect(rows).toHaveLength(1);
      expect(Buffer.compare(rows[0].token_hash, sha256(user.refreshToken))).toBe(0);
      expect(rows[0].raw).not.toContain(user.refreshToken);
      expect(rows[0].raw).not.toContain(Buffer.from(user.refreshToken, 'base64url').toString('hex'));
    });
  });

  describe('POST /auth/logout', () => {
    it("answers 204 and the session's refresh tokens stop working", async () => {
      const user = await registerUser(t);
      const rotated = await refresh(user.refreshToken).expect(200);
      const res = await logout(rotated.body.refreshToken).expect(204);
      expect(res.text).toBe('');
      expectProblem(await refresh(rotated.body.refreshToken), 401);
      const { rows } = await withDatabase((c) =>
        c.query('SELECT revoked_at FROM refresh_tokens WHERE user_id = $1', [user.id]),
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row.revoked_at).toBeInstanceOf(Date);
    });

    it('signs out only the presented session', async () => {
      const user = await registerUser(t);
      const other = await login({ email: user.email, password: user.password }).expect(200);
      await logout(user.refreshToken).expect(204);
      await refresh(other.body.refreshToken).expect(200);
    });

    it('answers 204 for an unknown or already revoked token', async () => {
      await logout(randomBytes(32).toString('base64url')).expect(204);
      const user = await registerUser(t);
      await logout(user.refreshToken).expect(204);
      await logout(user.refreshToken).expect(204);
    });

    it('needs no access token: an invalid one does not stop a logout', async () => {
      const user = await registerUser(t);
      await t
        .http()
        .post('/api/v1/auth/logout')
        .set('authorization', 'Bearer not.a.valid-token')
        .send({ refreshToken: user.refreshToken })
        .expect(204);
      expectProblem(await refresh(user.refreshToken), 401);
    });

    it.each([
      ['without a refresh token', {}],
      ['for an unknown field', { refreshToken: randomBytes(32).toString('base64url'), everywhere: true }],
    ])('answers 400 %s', async (_name, body) => {
      expectProblem(
        await t.http().post('/api/v1/auth/logout').send(body),
        400,
        'urn:fyntrix:problem:validation-failed',
      );
    });

    it('signs nobody out when the request is invalid', async () => {
      const user = await registerUser(t);
      await t
        .http()
        .post('/api/v1/auth/logout')
        .send({ refreshToken: user.refreshToken, everywhere: true })
        .expect(400);
      await refresh(user.refreshToken).expect(200);
    });
  });
});
