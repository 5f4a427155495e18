import { createOpenApiDocument } from '../src/docs/openapi';
import { startTestApp, TestApp } from './support/app';
import { withDatabase } from './support/database';
import { expectProblem } from './support/problem';
import { runCli } from './support/process';
import { decodeJwt } from './support/tokens';
import { registerUser, TestUser, uniqueEmail } from './support/users';

const USER_FIELDS = ['accountId', 'createdAt', 'email', 'id', 'name', 'role'];

/** `npm run user:promote -- <email>`, as an operator runs it, against the test database. */
const promote = (email?: string) =>
  runCli('src/cli/promote-user.ts', email ? [email] : [], { APP_STAGE: 'test', LOG_LEVEL: 'silent' });

describe('users: /users/me, roles and user:promote', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const getMe = (user: TestUser) => t.http().get('/api/v1/users/me').set('authorization', user.auth);
  const patchMe = (user: TestUser, body: object) =>
    t.http().patch('/api/v1/users/me').set('authorization', user.auth).send(body);
  const profileEvents = (user: TestUser) =>
    withDatabase(
      async (c) =>
        (
          await c.query(
            `SELECT * FROM audit_events WHERE subject_user_id = $1 AND entity = 'profile' ORDER BY occurred_at`,
            [user.id],
          )
        ).rows,
    );

  describe('GET /users/me', () => {
    it('returns exactly the whitelisted fields of the caller', async () => {
      const user = await registerUser(t, { name: 'Priya Raman' });
      const res = await getMe(user).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(USER_FIELDS);
      expect(res.body).toEqual({
        id: user.id,
        email: user.email,
        name: 'Priya Raman',
        accountId: expect.stringMatching(/^FY-[0-9A-HJKMNP-TV-Z]{8}$/),
        role: 'user',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    });

    it('shows no lock-out bookkeeping, even while it is set', async () => {
      const user = await registerUser(t);
      await withDatabase((c) =>
        c.query(
          `UPDATE users SET failed_login_count = 3, first_failed_login_at = now(), last_login_at = now() WHERE id = $1`,
          [user.id],
        ),
      );
      expect(Object.keys((await getMe(user).expect(200)).body).sort()).toEqual(USER_FIELDS);
    });

    it('answers 404 (documented) when the account was deleted since the token was issued', async () => {
      const user = await registerUser(t);
      await withDatabase((c) => c.query('UPDATE users SET deleted_at = now() WHERE id = $1', [user.id]));
      expectProblem(await getMe(user), 404);
      expectProblem(await patchMe(user, { name: 'Ghost' }), 404);
      // Both routes document it.
      const path = createOpenApiDocument(t.app).paths['/api/v1/users/me'];
      expect([path.get?.responses['404'], path.patch?.responses['404']]).toEqual([
        expect.anything(),
        expect.anything(),
      ]);
    });
  });

  describe('PATCH /users/me', () => {
    it('renames the caller, trimmed, and audits the change once', async () => {
      const user = await registerUser(t, { name: 'Old Name' });
      const res = await patchMe(user, { name: '  New Name  ' }).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(USER_FIELDS);
      expect(res.body).toMatchObject({ id: user.id, name: 'New Name', email: user.email });
      expect((await getMe(user).expect(200)).body.name).toBe('New Name');

      const events = await profileEvents(user);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        entity: 'profile',
        action: 'update',
        actor_user_id: user.id,
        subject_user_id: user.id,
        changed_fields: ['name'],
        before: expect.objectContaining({ name: 'Old Name' }),
        after: expect.objectContaining({ name: 'New Name' }),
        request_id: res.headers['x-request-id'],
      });
      // The caller sees it in their own history too.
      const history = await t
        .http()
        .get('/api/v1/audit/events?entity=profile')
        .set('authorization', user.auth)
        .expect(200);
      expect(history.body.items).toEqual([expect.objectContaining({ entity: 'profile', changedFields: ['name'] })]);
    });

    it('writes no audit event when the name does not change', async () => {
      const user = await registerUser(t, { name: 'Same Name' });
      await patchMe(user, { name: 'Same Name' }).expect(200);
      await patchMe(user, { name: ' Same Name ' }).expect(200);
      expect(await profileEvents(user)).toEqual([]);
      await patchMe(user, { name: 'Other Name' }).expect(200);
      await patchMe(user, { name: 'Other Name' }).expect(200);
      expect(await profileEvents(user)).toHaveLength(1);
    });

    it('accepts 100 characters', async () => {
      const user = await registerUser(t);
      expect((await patchMe(user, { name: 'n'.repeat(100) }).expect(200)).body.name).toHaveLength(100);
    });

    // PostgreSQL counts code points; class-validator's Length would not count U+FE0F and let
    // 200 of them through to varchar(100) (a 500).
    it('counts the name in code points, as the column does, on PATCH /users/me and POST /auth/register', async () => {
      const name = 'a\uFE0F'.repeat(50);
      const tooLong = [{ field: 'name', message: 'name must be shorter than or equal to 100 characters' }];
      const user = await registerUser(t, { name: 'Unchanged' });
      expect((await patchMe(user, { name }).expect(200)).body.name).toBe(name);
      expect((await patchMe(user, { name: `${name}b` }).expect(400)).body.errors).toEqual(tooLong);
      expect((await patchMe(user, { name: 'a\uFE0F'.repeat(100) }).expect(400)).body.errors).toEqual(tooLong);
      expect((await getMe(user).expect(200)).body.name).toBe(name);

      expect((await registerUser(t, { name })).id).toEqual(expect.any(String));
      const email = uniqueEmail('long-name');
      const refused = await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email, password: 'correct horse battery staple 42', name: 'a\uFE0F'.repeat(100) });
      expectProblem(refused, 400, 'urn:fyntrix:problem:validation-failed');
      expect(refused.body.errors).toEqual(tooLong);
      expect(
        await withDatabase(async (c) => (await c.query('SELECT 1 FROM users WHERE email = $1', [email])).rowCount),
      ).toBe(0);
    });

    it.each([
      ['an empty name', { name: '' }, 'name'],
      ['a blank name', { name: '    ' }, 'name'],
      ['a name of 101 characters', { name: 'n'.repeat(101) }, 'name'],
      ['a name that is not a string', { name: 42 }, 'name'],
      ['no name', {}, 'name'],
      ['an email (not changeable here)', { name: 'X', email: 'new@example.test' }, 'email'],
      ['a role (never changeable by the user)', { name: 'X', role: 'admin' }, 'role'],
    ])('answers 400 for %s and changes nothing', async (_name, body, field) => {
      const user = await registerUser(t, { name: 'Unchanged' });
      const res = await patchMe(user, body);
      expectProblem(res, 400, 'urn:fyntrix:problem:validation-failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect((await getMe(user).expect(200)).body).toMatchObject({
        name: 'Unchanged',
        role: 'user',
        email: user.email,
      });
      expect(await profileEvents(user)).toEqual([]);
    });

    it('keeps every rename of concurrent requests, each audited', async () => {
      const user = await registerUser(t, { name: 'Start' });
      const names = ['One', 'Two', 'Three', 'Four'];
      const results = await Promise.all(names.map((name) => patchMe(user, { name })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const events = await profileEvents(user);
      expect(events).toHaveLength(4);
      // Each event starts from the name the previous one left (no lost update): they form one chain.
      const next = new Map(events.map((e) => [e.before.name, e.after.name]));
      const chain: string[] = [];
      for (let name = next.get('Start'); name !== undefined; name = next.get(name)) chain.push(name);
      expect([...chain].sort()).toEqual([...names].sort());
      expect((await getMe(user)).body.name).toBe(chain[3]);
    });
  });

  describe('roles', () => {
    it('answers 403 problem+json on an admin route to a user', async () => {
      const user = await registerUser(t);
      const res = await t.http().get('/api/v1/admin/audit/events').set('authorization', user.auth);
      expectProblem(res, 403);
    });

    it('user:promote makes an admin, audited as the system; new tokens carry the role', async () => {
      const user = await registerUser(t);
      const result = await promote(user.email.toUpperCase());
      expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('is now an admin') });

      const { rows } = await withDatabase((c) => c.query('SELECT role FROM users WHERE id = $1', [user.id]));
      expect(rows[0].role).toBe('admin');
      const events = await profileEvents(user);
      expect(events).toEqual([
        expect.objectContaining({
          action: 'role-change',
          actor_user_id: null,
          subject_user_id: user.id,
          changed_fields: ['role'],
          before: expect.objectContaining({ role: 'user' }),
          after: expect.objectContaining({ role: 'admin' }),
        }),
      ]);

      // The access token in hand still says "user" until it is renewed.
      expectProblem(await t.http().get('/api/v1/admin/audit/events').set('authorization', user.auth), 403);
      const refreshed = await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(200);
      expect(refreshed.body.user.role).toBe('admin');
      expect(decodeJwt(refreshed.body.accessToken).payload.role).toBe('admin');
      const admin = `Bearer ${refreshed.body.accessToken}`;
      const list = await t
        .http()
        .get(`/api/v1/admin/audit/events?userId=${user.id}`)
        .set('authorization', admin)
        .expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({
          entity: 'profile',
          action: 'role-change',
          subjectUserId: user.id,
          actorUserId: null,
        }),
      ]);
      // A fresh sign-in carries it too.
      const login = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      await t
        .http()
        .get('/api/v1/admin/audit/events')
        .set('authorization', `Bearer ${login.body.accessToken}`)
        .expect(200);

      // Promoting an admin again changes nothing and audits nothing.
      expect((await promote(user.email)).code).toBe(0);
      expect(await profileEvents(user)).toHaveLength(1);
    }, 120_000);

    it('user:promote fails for an unknown email and without one', async () => {
      const unknown = await promote(uniqueEmail('nobody'));
      expect(unknown).toMatchObject({ code: 1, stdout: expect.stringContaining('no account with email') });
      expect((await promote()).code).toBe(2);
    }, 120_000);
  });
});
