import { startTestApp, type TestApp } from './support/app';
import { findEverywhere, seedEveryTable, type SeededUser } from './support/data-rights';
import { createScratchDatabase, migrationDataSource, withDatabase } from './support/database';
import { runCli } from './support/process';
import { readAllPages } from './support/pagination';
import { expectProblem } from './support/problem';
import { registerAdmin, registerUser, type TestUser } from './support/users';

const ME = '/api/v1/users/me';

describe("users' data rights", () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ TRUST_PROXY: 'true' })));
  afterAll(() => t.close());

  const erase = (user: TestUser, body: object = { password: user.password }) =>
    t.http().delete(ME).set('authorization', user.auth).send(body);

  describe('GET /users/me/export', () => {
    let alice: SeededUser;
    let bob: SeededUser;
    let res: Awaited<ReturnType<typeof exportOf>>;
    const exportOf = (user: TestUser) => t.http().get(`${ME}/export`).set('authorization', user.auth);
    beforeAll(async () => {
      [alice, bob] = await Promise.all([seedEveryTable(t), seedEveryTable(t)]);
      res = await exportOf(alice).expect(200);
    });

    it("holds every table's rows of the caller, as the API shows them, and nothing of another user", () => {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const doc = JSON.parse(res.text);
      expect(Object.keys(doc)).toEqual([
        'schemaVersion',
        'exportedAt',
        'account',
        'preferences',
        'watchlist',
        'dismissedInsights',
        'localStorageImports',
        'brokerConnections',
        'tradeIntents',
        'orders',
        'portfolioSnapshots',
        'auditEvents',
      ]);
      expect(doc).toMatchObject({
        schemaVersion: 1,
        account: { id: alice.id, email: alice.email, name: alice.name },
        preferences: { riskProfile: 'Aggressive' },
        dismissedInsights: [{ insightId: alice.insightId }],
        localStorageImports: [{ deviceId: alice.deviceId, status: expect.any(String) }],
        brokerConnections: [{ accountRef: alice.accountRef, status: 'active' }],
        tradeIntents: [{ symbol: alice.symbols.intent }],
        orders: [{ status: expect.any(String) }],
        portfolioSnapshots: [{ holdings: [{ symbol: alice.symbols.snapshot }] }],
      });
      expect(doc.watchlist.map((item: { symbol: string }) => item.symbol).sort()).toEqual(
        [alice.symbols.watchlist, alice.symbols.imported].sort(),
      );
      expect(doc.localStorageImports[0].results).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: 'arise_watchlist' })]),
      );
      const own = doc.auditEvents.filter((event: { ip: string | null }) => event.ip === alice.ip);
      expect(own.length).toBeGreaterThanOrEqual(4);
      expect(own[0].userAgent).toBe(alice.userAgent);
      expect(new Set(doc.auditEvents.map((event: { entity: string }) => event.entity))).toEqual(
        new Set([
          'account',
          'profile',
          'preferences',
          'watchlist',
          'insights',
          'import',
          'broker_connection',
          'trade_intent',
        ]),
      );
      for (const marker of [...bob.markers, bob.id, alice.brokerAccessToken, 'passwordHash', 'tokenHash', 'argon2']) {
        expect({ marker, found: res.text.includes(marker) }).toEqual({ marker, found: false });
      }
    });

    it('is rate limited to one per user, itself audited without the data, and needs a token', async () => {
      const again = expectProblem(await exportOf(alice), 429);
      expect(again.type).toBe('urn:fyntrix:problem:rate-limited');
      await exportOf(bob).expect(200);
      const events = await t
        .http()
        .get('/api/v1/audit/events')
        .query({ entity: 'account' })
        .set('authorization', alice.auth)
        .expect(200);
      expect(events.body.items).toEqual([
        expect.objectContaining({ entity: 'account', action: 'export', before: null, after: null }),
      ]);
      expectProblem(await t.http().get(`${ME}/export`), 401);
    });
  });

  describe('DELETE /users/me', () => {
    let erased: SeededUser;
    let kept: SeededUser;
    let admin: TestUser;
    beforeAll(async () => {
      [erased, kept, admin] = await Promise.all([seedEveryTable(t), seedEveryTable(t), registerAdmin(t)]);
      // The access token is verified and remembered before the erasure: it must still stop working.
      await t.http().get(ME).set('authorization', erased.auth).expect(200);
      await erase(erased).expect(204);
    });

    it("leaves nothing readable of the person in any column of any table, and the other user's data whole", async () => {
      await withDatabase(async (db) => {
        for (const marker of erased.markers)
          expect({ marker, found: await findEverywhere(db, marker) }).toEqual({ marker, found: [] });
        // The scan finds what is there: the other user's values, where they are kept.
        expect(await findEverywhere(db, kept.email)).toEqual(expect.arrayContaining(['users.email']));
        expect(await findEverywhere(db, kept.symbols.watchlist)).toEqual(
          expect.arrayContaining(['audit_events.after', 'user_watchlists.symbol']),
        );
        expect(await findEverywhere(db, kept.userAgent)).toEqual(['audit_events.user_agent']);
        expect(await findEverywhere(db, kept.accountRef)).toEqual(
          expect.arrayContaining(['broker_connections.account_ref']),
        );

        const counts = await db.query<{ table: string; n: number }>(
          `SELECT 'broker_connections' AS table, count(*)::int AS n FROM broker_connections WHERE user_id = $1
           UNION ALL SELECT 'broker_tokens', count(*)::int FROM broker_tokens t JOIN broker_connections c ON c.id = t.connection_id WHERE c.user_id = $1
           UNION ALL SELECT 'trade_intents', count(*)::int FROM trade_intents WHERE user_id = $1
           UNION ALL SELECT 'broker_orders', count(*)::int FROM broker_orders WHERE user_id = $1
           UNION ALL SELECT 'portfolio_snapshots', count(*)::int FROM portfolio_snapshots WHERE user_id = $1
           UNION ALL SELECT 'user_preferences', count(*)::int FROM user_preferences WHERE user_id = $1
           UNION ALL SELECT 'user_watchlists', count(*)::int FROM user_watchlists WHERE user_id = $1
           UNION ALL SELECT 'user_dismissed_insights', count(*)::int FROM user_dismissed_insights WHERE user_id = $1
           UNION ALL SELECT 'local_storage_imports', count(*)::int FROM local_storage_imports WHERE user_id = $1
           UNION ALL SELECT 'live refresh_tokens', count(*)::int FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`,
          [erased.id],
        );
        expect(counts.rows.filter((row) => row.n > 0)).toEqual([]);
        const otherCounts = await db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM user_watchlists WHERE user_id = $1)
                + (SELECT count(*) FROM broker_orders WHERE user_id = $1)
                + (SELECT count(*) FROM portfolio_snapshots WHERE user_id = $1)
                + (SELECT count(*) FROM user_preferences WHERE user_id = $1)
                + (SELECT count(*) FROM local_storage_imports WHERE user_id = $1) AS n`,
          [kept.id],
        );
        expect(Number(otherCounts.rows[0].n)).toBeGreaterThanOrEqual(5);

        const { rows: account } = await db.query(
          `SELECT u.status, u.email, u.name, u.password_hash, u.external_subject, u.deleted_at IS NOT NULL AS deleted,
                  e.account_id = u.account_id AS listed
             FROM users u LEFT JOIN erased_accounts e ON e.user_id = u.id WHERE u.id = $1`,
          [erased.id],
        );
        expect(account).toEqual([
          {
            status: 'erased',
            email: null,
            name: '',
            password_hash: null,
            external_subject: null,
            deleted: true,
            listed: true,
          },
        ]);
      });
    });

    it("stops the erased user's access token at once, and their refresh token, password and second erasure", async () => {
      expectProblem(await t.http().get(ME).set('authorization', erased.auth), 401);
      expectProblem(await t.http().get('/api/v1/watchlist').set('authorization', erased.auth), 401);
      expectProblem(await t.http().post('/api/v1/auth/refresh').send({ refreshToken: erased.refreshToken }), 401);
      expectProblem(
        await t.http().post('/api/v1/auth/login').send({ email: erased.email, password: erased.password }),
        401,
      );
      expectProblem(await erase(erased), 401);
      // The other user goes on as before.
      const watchlist = await t.http().get('/api/v1/watchlist').set('authorization', kept.auth).expect(200);
      expect(watchlist.body.items.map((item: { symbol: string }) => item.symbol)).toContain(kept.symbols.watchlist);
    });

    it('shows the erased events as erased, with their skeleton, and the erasure without personal data; the list still pages', async () => {
      const { items } = await readAllPages<Record<string, unknown>>((cursor) =>
        t
          .http()
          .get('/api/v1/admin/audit/events')
          .query({ userId: erased.id, limit: 2, ...(cursor ? { cursor } : {}) })
          .set('authorization', admin.auth),
      );
      const [erasure, ...history] = items;
      expect(erasure).toMatchObject({
        entity: 'account',
        action: 'erase',
        actorUserId: erased.id,
        subjectUserId: erased.id,
        before: null,
        after: null,
        changedFields: [],
        requestId: null,
        ip: null,
        userAgent: null,
        erased: false,
      });
      expect(history.length).toBeGreaterThanOrEqual(8);
      for (const event of history) {
        expect(event).toMatchObject({
          before: null,
          after: null,
          requestId: null,
          ip: null,
          userAgent: null,
          erased: true,
        });
      }
      const watchlistEvent = history.find((event) => event.entity === 'watchlist' && event.action === 'add');
      expect(watchlistEvent?.changedFields).toEqual(expect.arrayContaining(['symbol']));
      expect(new Set(history.map((event) => event.entity))).toEqual(
        new Set(['profile', 'preferences', 'watchlist', 'insights', 'import', 'broker_connection', 'trade_intent']),
      );
    });
  });

  describe('asks who is calling again', () => {
    it('answers 401 for a wrong password, counted as a failed sign-in, 400 for none, and erases nothing', async () => {
      const user = await registerUser(t);
      expectProblem(await erase(user, { password: 'not the password at all' }), 401);
      expectProblem(await erase(user, {}), 400);
      const { rows } = await withDatabase((db) =>
        db.query(`SELECT status, failed_login_count FROM users WHERE id = $1`, [user.id]),
      );
      expect(rows).toEqual([{ status: 'active', failed_login_count: 1 }]);
      await t.http().get(ME).set('authorization', user.auth).expect(200);
    });

    it('validates the body and needs a token', async () => {
      const user = await registerUser(t);
      expectProblem(await erase(user, { password: user.password, extra: true }), 400);
      expectProblem(await erase(user, { password: 42 }), 400);
      expectProblem(await t.http().delete(ME).send({ password: user.password }), 401);
      await t.http().get(ME).set('authorization', user.auth).expect(200);
    });
  });

  describe('the audit trail stays append-only', () => {
    const attempt = (sql: string, params: unknown[] = []) =>
      withDatabase(async (db) => {
        await db.query('BEGIN');
        try {
          await db.query(sql, params);
          return 'allowed';
        } catch (error) {
          return (error as { code?: string }).code;
        } finally {
          await db.query('ROLLBACK');
        }
      });
    /**
     * TRUNCATE waits for an exclusive lock, and every other session's use of the table would queue
     * behind it (the whole suite shares this database): it waits 50 ms at a time, until it gets
     * the lock and meets the trigger.
     */
    const attemptTruncate = async (prefix = '') => {
      for (let tries = 0; tries < 200; tries++) {
        const outcome = await attempt(`SET LOCAL lock_timeout = '50ms'; ${prefix} TRUNCATE audit_events`);
        if (outcome !== '55P03') return outcome;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return 'never got the lock';
    };
    let user: TestUser;
    let other: TestUser;
    beforeAll(async () => {
      [user, other] = await Promise.all([registerUser(t), registerUser(t)]);
      for (const u of [user, other]) {
        await t.http().patch(ME).set('authorization', u.auth).send({ name: 'Renamed Person' }).expect(200);
      }
    });
    const erasing = (id: string) => `SELECT set_config('fyntrix.erasing_user', '${id}', true);`;
    const REDACT = `UPDATE audit_events SET before = NULL, after = NULL, request_id = NULL, ip = NULL, user_agent = NULL,
                      changed_fields = ARRAY(SELECT DISTINCT split_part(f, '.', 1) FROM unnest(changed_fields) f ORDER BY 1),
                      erased_at = now()`;

    it('refuses every UPDATE, DELETE and TRUNCATE but the redaction of the user being erased', async () => {
      const denied = 'insufficient_privilege'.length && '42501';
      expect(await attempt(`UPDATE audit_events SET ip = NULL WHERE subject_user_id = $1`, [user.id])).toBe(denied);
      expect(await attempt(`${REDACT} WHERE subject_user_id = $1`, [user.id])).toBe(denied);
      expect(await attempt(`DELETE FROM audit_events WHERE subject_user_id = $1`, [user.id])).toBe(denied);
      expect(await attemptTruncate()).toBe(denied);
      // While erasing `user`: another user's events, half a redaction, a changed action, a delete.
      expect(await attempt(`${erasing(user.id)} ${REDACT} WHERE subject_user_id = '${other.id}'`)).toBe(denied);
      expect(
        await attempt(
          `${erasing(user.id)} UPDATE audit_events SET ip = NULL, erased_at = now() WHERE subject_user_id = '${user.id}'`,
        ),
      ).toBe(denied);
      expect(
        await attempt(`${erasing(user.id)} ${REDACT}, action = 'other' WHERE subject_user_id = '${user.id}'`),
      ).toBe(denied);
      expect(await attempt(`${erasing(user.id)} DELETE FROM audit_events WHERE subject_user_id = '${user.id}'`)).toBe(
        denied,
      );
      expect(await attemptTruncate(erasing(user.id))).toBe(denied);
      expect(await attempt(`${erasing(user.id)} ${REDACT} WHERE subject_user_id = '${user.id}'`)).toBe('allowed');
    });
  });

  describe('for support staff and after a restore', () => {
    const cli = (entry: string, args: string[] = []) => runCli(entry, args, { APP_STAGE: 'test', LOG_LEVEL: 'silent' });
    const adminView = (admin: TestUser, id: string) =>
      t.http().get(`/api/v1/admin/users/${id}`).set('authorization', admin.auth);

    it('user:erase erases by account id or email, as the system; the admin view shows the account as erased', async () => {
      const [byAccountId, byEmail, admin] = await Promise.all([registerUser(t), registerUser(t), registerAdmin(t)]);
      const before = await adminView(admin, byAccountId.id).expect(200);
      expect(before.body).toMatchObject({
        id: byAccountId.id,
        email: byAccountId.email,
        status: 'active',
        erasedAt: null,
      });

      const accountId: string = before.body.accountId;
      const run = await cli('src/cli/erase-user.ts', [accountId.toLowerCase()]);
      expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining(`erased account ${accountId}`) });
      expect((await cli('src/cli/erase-user.ts', [byEmail.email.toUpperCase()])).code).toBe(0);
      expect((await cli('src/cli/erase-user.ts', ['nobody@example.test'])).code).toBe(1);
      expect((await cli('src/cli/erase-user.ts')).code).toBe(2);

      for (const user of [byAccountId, byEmail]) {
        const after = await adminView(admin, user.id).expect(200);
        expect(after.body).toEqual({
          id: user.id,
          accountId: expect.stringMatching(/^FY-/),
          email: null,
          name: '',
          role: 'user',
          status: 'erased',
          createdAt: expect.any(String),
          erasedAt: expect.any(String),
        });
        expectProblem(await t.http().get(ME).set('authorization', user.auth), 401);
      }
      const events = await t
        .http()
        .get('/api/v1/admin/audit/events')
        .query({ userId: byAccountId.id, entity: 'account' })
        .set('authorization', admin.auth)
        .expect(200);
      expect(events.body.items).toEqual([
        expect.objectContaining({ action: 'erase', actorUserId: null, ip: null, userAgent: null }),
      ]);
    });

    it('the admin view is for administrators, answers 404 for an unknown id and 400 for a malformed one', async () => {
      const [user, admin] = await Promise.all([registerUser(t), registerAdmin(t)]);
      expectProblem(await adminView(user, user.id), 403);
      expectProblem(await adminView(admin, '3f0c6d0e-8a0b-4c43-9a53-5f8f0a6f1b2c'), 404);
      expectProblem(await adminView(admin, 'not-a-uuid'), 400);
    });

    it('erasure:reapply erases again what a restored backup brought back', async () => {
      const user = await seedEveryTable(t);
      await erase(user).expect(204);
      // A restore of a backup taken before the erasure: the account and its rows as they were.
      await withDatabase(async (db) => {
        await db.query(`UPDATE users SET email = $2, name = $3, status = 'active', deleted_at = NULL WHERE id = $1`, [
          user.id,
          user.email,
          user.name,
        ]);
        await db.query(`INSERT INTO user_watchlists (user_id, symbol, position, notes) VALUES ($1, $2, 0, $3)`, [
          user.id,
          user.symbols.watchlist,
          user.notes,
        ]);
        await db.query(
          `INSERT INTO audit_events (subject_user_id, actor_user_id, entity, action, after, ip, user_agent)
           VALUES ($1, $1, 'watchlist', 'add', $2, $3, $4)`,
          [user.id, JSON.stringify({ symbol: user.symbols.watchlist }), user.ip, user.userAgent],
        );
      });
      const run = await cli('src/cli/reapply-erasures.ts');
      expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/re-applied \d+ erasure/) });
      await withDatabase(async (db) => {
        for (const marker of user.markers)
          expect({ marker, found: await findEverywhere(db, marker) }).toEqual({ marker, found: [] });
      });
      expectProblem(
        await t.http().post('/api/v1/auth/login').send({ email: user.email, password: user.password }),
        401,
      );
    });
  });

  it('migration 0010 keeps the events already there, and reverts with erased accounts in place', async () => {
    const scratch = await createScratchDatabase('data_rights');
    const dataSource = await migrationDataSource(scratch.url);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.undoLastMigration({ transaction: 'each' });
      const id = '3f0c6d0e-8a0b-4c43-9a53-5f8f0a6f1b2c';
      await dataSource.query(
        `INSERT INTO users (id, account_id, email, name) VALUES ($1, 'FY-00000001', 'a@example.test', 'A')`,
        [id],
      );
      await dataSource.query(
        `INSERT INTO audit_events (subject_user_id, actor_user_id, entity, action, after, changed_fields, ip)
         VALUES ($1, $1, 'watchlist', 'add', '{"symbol": "TCS"}', '{items.TCS}', '127.0.0.1')`,
        [id],
      );
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await dataSource.query(`SELECT after, changed_fields, ip, erased_at FROM audit_events`)).toEqual([
        { after: { symbol: 'TCS' }, changed_fields: ['items.TCS'], ip: '127.0.0.1', erased_at: null },
      ]);
      // The old events are redacted by the erasure like new ones.
      await dataSource.transaction(async (manager) => {
        await manager.query(`SELECT set_config('fyntrix.erasing_user', $1, true)`, [id]);
        await manager.query(
          `UPDATE audit_events SET after = NULL, ip = NULL, changed_fields = '{items}', erased_at = now() WHERE subject_user_id = $1`,
          [id],
        );
        await manager.query(
          `UPDATE users SET email = NULL, name = '', status = 'erased', deleted_at = now() WHERE id = $1`,
          [id],
        );
        await manager.query(
          `INSERT INTO audit_events (subject_user_id, entity, action) VALUES ($1, 'account', 'erase')`,
          [id],
        );
      });
      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await dataSource.query(`SELECT status, email FROM users`)).toEqual([
        { status: 'disabled', email: 'erased-fy-00000001@erased.invalid' },
      ]);
      await expect(dataSource.query(`UPDATE audit_events SET ip = NULL`)).rejects.toThrow(/append-only/);
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
      await scratch.drop();
    }
  });
});
