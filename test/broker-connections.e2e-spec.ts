import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from './support/app';
import { auditEvents } from './support/audit';
import { withDatabase } from './support/database';
import { fieldsOf } from './support/problem';
import {
  cancelIntent,
  connectBroker,
  createIntent,
  submitIntent,
  uniqueAccountRef,
  uniqueToken,
} from './support/trading';
import { registerUser, TestUser } from './support/users';

const RESPONSE_FIELDS = [
  'accountRef',
  'broker',
  'createdAt',
  'hasAccessToken',
  'hasRefreshToken',
  'id',
  'keyVersion',
  'status',
  'tokenExpiresAt',
];

describe('broker connections', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([registerUser(t), registerUser(t)]);
  });
  afterAll(() => t.close());

  const tokenRow = (connectionId: string) =>
    withDatabase(
      async (db) => (await db.query('SELECT * FROM broker_tokens WHERE connection_id = $1', [connectionId])).rows[0],
    );

  describe('create', () => {
    it('stores the tokens encrypted and answers metadata only', async () => {
      const accessToken = uniqueToken('access');
      const refreshToken = uniqueToken('refresh');
      const res = await t
        .http()
        .post('/api/v1/broker-connections')
        .set('authorization', alice.auth)
        .send({
          broker: 'paper',
          accountRef: '  ZX4821  ',
          accessToken,
          refreshToken,
          tokenExpiresAt: '2031-01-31T23:59:59Z',
        })
        .expect(201);
      expect(Object.keys(res.body).sort()).toEqual(RESPONSE_FIELDS);
      expect(res.body).toMatchObject({
        broker: 'paper',
        accountRef: 'ZX4821',
        status: 'active',
        hasAccessToken: true,
        hasRefreshToken: true,
        tokenExpiresAt: '2031-01-31T23:59:59.000Z',
        keyVersion: 1,
      });
      expect(res.text).not.toContain(accessToken);
      expect(res.text).not.toContain(refreshToken);
      const row = await tokenRow(res.body.id);
      expect(row.key_version).toBe(1);
      expect(row.access_token.includes(Buffer.from(accessToken))).toBe(false);
      expect(row.refresh_token).toHaveLength(12 + 16 + refreshToken.length);
    });

    it('takes a connection without refresh token or expiry', async () => {
      const body = await connectBroker(t, alice, { broker: 'zerodha' });
      expect(body).toMatchObject({
        broker: 'zerodha',
        hasAccessToken: true,
        hasRefreshToken: false,
        tokenExpiresAt: null,
      });
      expect((await tokenRow(body.id)).refresh_token).toBeNull();
    });

    it('allows one live connection per broker account (409), per user', async () => {
      const accountRef = uniqueAccountRef();
      await connectBroker(t, alice, { accountRef });
      const again = await t
        .http()
        .post('/api/v1/broker-connections')
        .set('authorization', alice.auth)
        .send({ broker: 'paper', accountRef, accessToken: 'x' })
        .expect(409);
      expect(again.headers['content-type']).toContain('application/problem+json');
      // The same reference is another account at another broker, or for another user.
      await connectBroker(t, alice, { accountRef, broker: 'upstox' });
      await connectBroker(t, bob, { accountRef });
    });

    it('lets exactly one of two concurrent creates of one account win', async () => {
      const accountRef = uniqueAccountRef();
      const send = () =>
        t
          .http()
          .post('/api/v1/broker-connections')
          .set('authorization', alice.auth)
          .send({ broker: 'dhan', accountRef, accessToken: 'x' });
      const statuses = (await Promise.all([send(), send(), send()])).map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409]);
    });

    it.each([
      ['an unknown broker', { broker: 'robinhood' }, 'broker'],
      ['no access token', { accessToken: undefined }, 'accessToken'],
      ['an empty access token', { accessToken: '' }, 'accessToken'],
      ['an access token over 4096 characters', { accessToken: 'a'.repeat(4097) }, 'accessToken'],
      ['a numeric access token', { accessToken: 12345 }, 'accessToken'],
      ['an empty refresh token', { refreshToken: '' }, 'refreshToken'],
      ['an account reference with spaces inside', { accountRef: 'ZX 4821' }, 'accountRef'],
      ['an account reference over 64 characters', { accountRef: 'A'.repeat(65) }, 'accountRef'],
      ['no account reference', { accountRef: undefined }, 'accountRef'],
      ['an expiry that is not a date', { tokenExpiresAt: 'tomorrow' }, 'tokenExpiresAt'],
      ['an unknown field', { secret: 'x' }, 'secret'],
    ])('answers 400 for %s', async (_name, patch, field) => {
      const res = await t
        .http()
        .post('/api/v1/broker-connections')
        .set('authorization', alice.auth)
        .send({ broker: 'paper', accountRef: uniqueAccountRef(), accessToken: 'tok', ...patch })
        .expect(400);
      expect(fieldsOf(res)).toContain(field);
    });

    it('answers 401 without a token', async () => {
      await t
        .http()
        .post('/api/v1/broker-connections')
        .send({ broker: 'paper', accountRef: 'A', accessToken: 'x' })
        .expect(401);
      await t.http().get('/api/v1/broker-connections').expect(401);
    });
  });

  describe('list and get', () => {
    it('lists the caller’s live connections newest first, a page at a time', async () => {
      const carol = await registerUser(t);
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await connectBroker(t, carol));
      const revoked = await connectBroker(t, carol);
      await t.http().delete(`/api/v1/broker-connections/${revoked.id}`).set('authorization', carol.auth).expect(204);

      const first = await t
        .http()
        .get('/api/v1/broker-connections')
        .query({ limit: 2 })
        .set('authorization', carol.auth)
        .expect(200);
      expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([made[2].id, made[1].id]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await t
        .http()
        .get('/api/v1/broker-connections')
        .query({ limit: 2, cursor: first.body.nextCursor })
        .set('authorization', carol.auth)
        .expect(200);
      expect(second.body).toEqual({ items: [made[0]], nextCursor: null });
    });

    it('gets one; another user’s, an unknown or a malformed id is 404/404/400', async () => {
      const mine = await connectBroker(t, alice);
      const got = await t
        .http()
        .get(`/api/v1/broker-connections/${mine.id}`)
        .set('authorization', alice.auth)
        .expect(200);
      expect(got.body).toEqual(mine);
      await t.http().get(`/api/v1/broker-connections/${mine.id}`).set('authorization', bob.auth).expect(404);
      await t.http().get(`/api/v1/broker-connections/${randomUUID()}`).set('authorization', alice.auth).expect(404);
      const bad = await t
        .http()
        .get('/api/v1/broker-connections/not-a-uuid')
        .set('authorization', alice.auth)
        .expect(400);
      expect(bad.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    });

    it('rejects a forged cursor and an out-of-range limit', async () => {
      await t
        .http()
        .get('/api/v1/broker-connections')
        .query({ cursor: 'bm9wZQ' })
        .set('authorization', alice.auth)
        .expect(400);
      await t.http().get('/api/v1/broker-connections').query({ limit: 0 }).set('authorization', alice.auth).expect(400);
    });
  });

  describe('delete', () => {
    it('revokes the connection, deletes its tokens and hides it', async () => {
      const accountRef = uniqueAccountRef();
      const conn = await connectBroker(t, alice, { accountRef, refreshToken: 'r' });
      await t.http().delete(`/api/v1/broker-connections/${conn.id}`).set('authorization', bob.auth).expect(404);
      await t.http().delete(`/api/v1/broker-connections/${conn.id}`).set('authorization', alice.auth).expect(204);

      await t.http().get(`/api/v1/broker-connections/${conn.id}`).set('authorization', alice.auth).expect(404);
      await t.http().delete(`/api/v1/broker-connections/${conn.id}`).set('authorization', alice.auth).expect(404);
      await withDatabase(async (db) => {
        const { rows } = await db.query('SELECT status, revoked_at FROM broker_connections WHERE id = $1', [conn.id]);
        expect(rows).toEqual([{ status: 'revoked', revoked_at: expect.any(Date) }]);
        expect((await db.query('SELECT 1 FROM broker_tokens WHERE connection_id = $1', [conn.id])).rowCount).toBe(0);
      });
      // The account can be connected again.
      await connectBroker(t, alice, { accountRef });
    });

    it('refuses (409) while an order through it is live, and allows it once cancelled', async () => {
      const conn = await connectBroker(t, alice);
      const intent = await createIntent(t, alice);
      await submitIntent(t, alice, intent.id, conn.id).expect(200);
      const refused = await t
        .http()
        .delete(`/api/v1/broker-connections/${conn.id}`)
        .set('authorization', alice.auth)
        .expect(409);
      expect(refused.body.detail).toContain('cancel them');
      await cancelIntent(t, alice, intent.id).expect(200);
      await t.http().delete(`/api/v1/broker-connections/${conn.id}`).set('authorization', alice.auth).expect(204);
      // The order keeps referring to the revoked connection.
      const orders = await t
        .http()
        .get('/api/v1/orders')
        .query({ intentId: intent.id })
        .set('authorization', alice.auth)
        .expect(200);
      expect(orders.body.items[0].connectionId).toBe(conn.id);
    });

    it('never leaves a live order on a revoked connection when delete and submit race', async () => {
      for (let round = 0; round < 5; round++) {
        const conn = await connectBroker(t, alice);
        const intent = await createIntent(t, alice);
        const [del, sub] = await Promise.all([
          t.http().delete(`/api/v1/broker-connections/${conn.id}`).set('authorization', alice.auth),
          submitIntent(t, alice, intent.id, conn.id),
        ]);
        // Either the delete came first (the submit finds no connection) or the submit did (the delete is refused).
        expect([
          [204, 404],
          [409, 200],
        ]).toContainEqual([del.status, sub.status]);
      }
    });
  });

  describe('replace tokens', () => {
    it('re-encrypts the new tokens in place and audits metadata only', async () => {
      const conn = await connectBroker(t, alice, { refreshToken: uniqueToken('refresh') });
      const before = await tokenRow(conn.id);
      const accessToken = uniqueToken('access2');
      const res = await t
        .http()
        .put(`/api/v1/broker-connections/${conn.id}/tokens`)
        .set('authorization', alice.auth)
        .send({ accessToken, tokenExpiresAt: '2032-06-30T10:00:00+05:30' })
        .expect(200);
      expect(res.body).toEqual({ ...conn, hasRefreshToken: false, tokenExpiresAt: '2032-06-30T04:30:00.000Z' });
      expect(res.text).not.toContain(accessToken);
      const after = await tokenRow(conn.id);
      expect(after.id).toBe(before.id);
      expect(after.access_token.equals(before.access_token)).toBe(false);
      expect(after.refresh_token).toBeNull();

      const [event] = await auditEvents(t, alice, 'broker_connection');
      expect(event).toMatchObject({ action: 'replace-tokens', changedFields: ['hasRefreshToken', 'tokenExpiresAt'] });
      expect(JSON.stringify(event)).not.toContain(accessToken);
    });

    it('answers 404 for another user’s, a deleted or an unknown connection, 400 for a bad body', async () => {
      const conn = await connectBroker(t, alice);
      const put = (id: string, user: TestUser, body: object = { accessToken: 'new' }) =>
        t.http().put(`/api/v1/broker-connections/${id}/tokens`).set('authorization', user.auth).send(body);
      await put(conn.id, bob).expect(404);
      await put(randomUUID(), alice).expect(404);
      await put(conn.id, alice, {}).expect(400);
      await put(conn.id, alice, { accessToken: 'new', broker: 'paper' }).expect(400);
      await put('nope', alice).expect(400);
      await t.http().delete(`/api/v1/broker-connections/${conn.id}`).set('authorization', alice.auth).expect(204);
      await put(conn.id, alice).expect(404);
    });
  });

  it('audits create and delete with metadata, never tokens', async () => {
    const dave = await registerUser(t);
    const accessToken = uniqueToken('access');
    const conn = await connectBroker(t, dave, { accessToken });
    await t.http().delete(`/api/v1/broker-connections/${conn.id}`).set('authorization', dave.auth).expect(204);
    const events = await auditEvents(t, dave, 'broker_connection');
    expect(events.map((e) => e.action)).toEqual(['delete', 'create']);
    expect(events[1].after).toEqual(conn);
    expect(events[0]).toMatchObject({ before: conn, after: null });
    expect(JSON.stringify(events)).not.toContain(accessToken);
  });
});
