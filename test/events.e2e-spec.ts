import { connect } from 'node:net';
import { sign } from 'jsonwebtoken';
import { type ListeningApp, startListeningApp } from './browser/support/api';
import { isReady, openStream, type OpenStream, type StreamEvent } from './support/change-stream';
import { withDatabase } from './support/database';
import { expectProblem } from './support/problem';
import { localClaims, TEST_SIGNING_KEY } from './support/tokens';
import { registerUser, signIn, type TestUser } from './support/users';

/**
 * `GET /api/v1/events` over real HTTP (fetch, parsed as a browser's client parses it) against
 * the embedded PostgreSQL: each stream carries its user's changes only, resumes after
 * `Last-Event-ID` in order, within its limits, and ends at sign-out, token expiry and shutdown.
 */
const PER_USER = 3;

/** The audit event a change of `userId` through some other path would write (a CLI, an import job). */
const insertEvent = (userId: string, entity = 'profile', after: object = { name: 'direct' }) =>
  `INSERT INTO audit_events (subject_user_id, entity, action, before, after, changed_fields)
   VALUES ('${userId}', '${entity}', 'update', NULL, '${JSON.stringify(after)}', '{name}')`;

describe('change streams', () => {
  let api: ListeningApp;
  const streams: OpenStream[] = [];

  /** A stream of `user`'s, live (its `ready` received). */
  async function live(user: TestUser, options: Parameters<typeof openStream>[2] = {}, app = api): Promise<OpenStream> {
    const stream = await openStream(app.url, user.accessToken, options);
    streams.push(stream);
    expect(stream.status).toBe(200);
    await stream.next(isReady);
    return stream;
  }

  /** A request of `user`'s to `/api/v1<path>`. */
  const call = (user: TestUser, method: 'post' | 'put' | 'patch' | 'delete', path: string, body?: object) => {
    const req = api.http()[method](`/api/v1${path}`).set('authorization', user.auth);
    return body ? req.send(body) : req;
  };

  const changes = (stream: OpenStream) => stream.events.filter((e) => !['ready', 'resync'].includes(e.event));

  beforeAll(async () => {
    api = await startListeningApp({
      EVENTS_MAX_STREAMS_PER_USER: String(PER_USER),
      // A stream outlives the handler timeout of ordinary requests.
      REQUEST_TIMEOUT_MS: '500',
      JWT_SIGNING_KEY: TEST_SIGNING_KEY,
    });
  });

  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers an event stream a proxy will not buffer, with retry advice, and starts with ready', async () => {
    const user = await registerUser(api);
    const stream = await live(user);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('cache-control')).toBe('no-cache');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('x-request-id')).toBeTruthy();
    expect(stream.text).toMatch(/^retry: 3000\n\n/);
    // A new user's history is empty: a reconnect with id 0 replays from the start.
    expect(stream.events).toEqual([{ event: 'ready', id: '0', data: { replayed: 0 } }]);
  });

  it("streams the caller's changes of every kind, past the request timeout, and never another user's", async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const alices = await live(alice);
    const bobs = await live(bob);
    await new Promise((resolve) => setTimeout(resolve, 800)); // past REQUEST_TIMEOUT_MS

    await call(alice, 'patch', '/preferences', { riskProfile: 'Aggressive' }).expect(200);
    await call(alice, 'post', '/watchlist', { symbol: 'RELIANCE' }).expect(201);
    await call(alice, 'put', '/watchlist', { items: [{ symbol: 'TCS' }, { symbol: 'INFY' }] }).expect(200);
    await call(alice, 'delete', '/watchlist/TCS').expect(204);
    await call(alice, 'post', '/insights/nifty-breadth/dismiss').expect(201);
    await call(alice, 'patch', '/users/me', { name: 'Alice' }).expect(200);
    // Trading records are not streamed.
    const broker = { broker: 'paper', accountRef: 'ZX4821', accessToken: 'secret-broker-token-1234' };
    await call(alice, 'post', '/broker-connections', broker).expect(201);
    await call(alice, 'patch', '/preferences', { universe: 'NIFTY500' }).expect(200);

    await alices.next((e) => e.event === 'preferences' && e.data.version === 2);
    const received = changes(alices);
    expect(received.map(({ event, data }) => [event, data.action])).toEqual([
      ['preferences', 'create'],
      ['watchlist', 'add'],
      ['watchlist', 'replace'],
      ['watchlist', 'remove'],
      ['insights', 'dismiss'],
      ['profile', 'update'],
      ['preferences', 'update'],
    ]);
    expect(received.map((e) => e.data)).toEqual([
      {
        action: 'create',
        occurredAt: expect.any(String),
        changedFields: expect.arrayContaining(['riskProfile']),
        version: 1,
        etag: '"1"',
      },
      { action: 'add', occurredAt: expect.any(String), symbols: ['RELIANCE'] },
      {
        action: 'replace',
        occurredAt: expect.any(String),
        symbols: expect.arrayContaining(['RELIANCE', 'TCS', 'INFY']),
      },
      { action: 'remove', occurredAt: expect.any(String), symbols: ['TCS'] },
      { action: 'dismiss', occurredAt: expect.any(String), insightIds: ['nifty-breadth'] },
      { action: 'update', occurredAt: expect.any(String), changedFields: ['name'] },
      { action: 'update', occurredAt: expect.any(String), changedFields: ['universe'], version: 2, etag: '"2"' },
    ]);
    // Ids are increasing positions in the history.
    const ids = received.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(alices.text).not.toContain('secret-broker-token');

    // Bob saw none of it: his first change is the first thing after his ready.
    await call(bob, 'patch', '/users/me', { name: 'Bob' }).expect(200);
    await bobs.next((e) => e.event === 'profile');
    expect(bobs.events.map((e) => e.event)).toEqual(['ready', 'profile']);
    expect(bobs.text).not.toMatch(/RELIANCE|Aggressive|Alice/);
  });

  it('delivers a committed change whatever wrote it, and never a rolled-back one', async () => {
    const user = await registerUser(api);
    const stream = await live(user);
    await withDatabase(async (db) => {
      await db.query('BEGIN');
      await db.query(insertEvent(user.id, 'profile', { name: 'rolled back' }));
      await db.query('ROLLBACK');
      await db.query(insertEvent(user.id, 'profile', { name: 'committed' }));
    });
    await stream.next((e) => e.event === 'profile');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(changes(stream)).toHaveLength(1);
  });

  it('replays what a reconnect missed, in order, after Last-Event-ID (header or query)', async () => {
    const user = await registerUser(api);
    const first = await live(user);
    await call(user, 'post', '/watchlist', { symbol: 'SBIN' }).expect(201);
    const seen = await first.next((e) => e.event === 'watchlist');
    first.close();

    const missed = ['HDFCBANK', 'ITC', 'LT'];
    for (const symbol of missed) {
      await call(user, 'post', '/watchlist', { symbol }).expect(201);
    }
    await call(user, 'delete', '/watchlist/SBIN').expect(204);

    const byHeader = await live(user, { lastEventId: seen.id });
    const byQuery = await live(user, { query: `?lastEventId=${seen.id}` });
    for (const resumed of [byHeader, byQuery]) {
      const replayed = changes(resumed);
      expect(replayed.map((e) => [e.data.action, e.data.symbols])).toEqual([
        ['add', ['HDFCBANK']],
        ['add', ['ITC']],
        ['add', ['LT']],
        ['remove', ['SBIN']],
      ]);
      expect(Number(replayed[0].id)).toBeGreaterThan(Number(seen.id));
      expect(resumed.events.at(-1)).toEqual({ event: 'ready', id: replayed.at(-1)!.id, data: { replayed: 4 } });
    }
    expect(byQuery.events).toEqual(byHeader.events);

    // And live after the replay.
    const from = byHeader.events.length;
    await call(user, 'patch', '/users/me', { name: 'Live' }).expect(200);
    await byHeader.next((e) => e.event === 'profile', { from });
  });

  it('tells a client too far behind, or with an id not of its history, to resync instead', async () => {
    const user = await registerUser(api);
    const stream = await live(user);
    const start = stream.events[0].id!;
    await withDatabase((db) =>
      db.query(
        `INSERT INTO audit_events (subject_user_id, entity, action, changed_fields)
         SELECT $1, 'watchlist', 'add', '{}' FROM generate_series(1, 501)`,
        [user.id],
      ),
    );
    await stream.next(() => changes(stream).length === 501, { timeoutMs: 15_000 });
    const last = changes(stream).at(-1)!.id!;
    stream.close();

    const behind = await live(user, { lastEventId: start });
    expect(behind.events).toEqual([
      { event: 'resync', id: last, data: { reason: 'too-far-behind' } },
      { event: 'ready', id: last, data: { replayed: 0 } },
    ]);
    const unknown = await live(user, { lastEventId: String(Number(last) + 1_000_000) });
    expect(unknown.events[0]).toEqual({ event: 'resync', id: last, data: { reason: 'unknown-event-id' } });
  });

  it('refuses a malformed Last-Event-ID, a missing token, and more streams than allowed per user (429)', async () => {
    const user = await registerUser(api);
    const malformed = await api
      .http()
      .get('/api/v1/events')
      .set('authorization', user.auth)
      .set('last-event-id', 'abc')
      .expect(400);
    expectProblem(malformed, 400);
    expect(malformed.body.errors).toEqual([{ field: 'Last-Event-ID', message: expect.any(String) }]);
    await api.http().get('/api/v1/events?lastEventId=-1').set('authorization', user.auth).expect(400);
    await api.http().get('/api/v1/events?other=1').set('authorization', user.auth).expect(400);
    expectProblem(await api.http().get('/api/v1/events').expect(401), 401);

    for (let n = 0; n < PER_USER; n++) await live(user);
    const refused = await openStream(api.url, user.accessToken);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('retry-after')).toBeTruthy();
    await refused.ended;
    expect(JSON.parse(refused.text)).toMatchObject({ status: 429, type: 'urn:fyntrix:problem:rate-limited' });

    // Another user is not affected, and a closed stream frees its place.
    await live(await registerUser(api));
    streams.pop()!.close();
    streams.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await live(user);
  });

  it('keeps an idle stream alive with a heartbeat comment every EVENTS_HEARTBEAT_MS', async () => {
    const beating = await startListeningApp({ EVENTS_HEARTBEAT_MS: '200', JWT_SIGNING_KEY: TEST_SIGNING_KEY });
    try {
      const stream = await live(await registerUser(api), {}, beating);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(stream.text.match(/^: heartbeat$/gm)?.length).toBeGreaterThanOrEqual(3);
      expect(stream.isEnded).toBe(false);
    } finally {
      await beating.close();
    }
  });

  it('refuses a stream past the instance cap with 503 problem+json and Retry-After, whoever asks', async () => {
    const capped = await startListeningApp({ EVENTS_MAX_STREAMS: '2', JWT_SIGNING_KEY: TEST_SIGNING_KEY });
    try {
      const [first, second, third] = [await registerUser(api), await registerUser(api), await registerUser(api)];
      await live(first, {}, capped);
      await live(second, {}, capped);
      const refused = await openStream(capped.url, third.accessToken);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.headers.get('retry-after')).toBeTruthy();
      await refused.ended;
      expect(JSON.parse(refused.text)).toMatchObject({ status: 503, type: 'urn:fyntrix:problem:service-unavailable' });
    } finally {
      await capped.close();
    }
  });

  it("ends a session's streams at its sign-out, on every instance, and opens no more for it", async () => {
    const user = await registerUser(api);
    const other = await signIn(api, user); // another session of the same user
    const second = await startListeningApp({ JWT_SIGNING_KEY: TEST_SIGNING_KEY });
    try {
      const here = await live(user);
      const there = await live(user, {}, second);
      const otherSession = await live(other);

      await api.http().post('/api/v1/auth/logout').send({ refreshToken: user.refreshToken }).expect(204);
      await Promise.all([here.ended, there.ended]);
      expect(otherSession.isEnded).toBe(false);

      // The signed-out session's access token, though not expired, opens no stream.
      const refused = await openStream(api.url, user.accessToken);
      expect(refused.status).toBe(401);
      await refused.ended;
    } finally {
      await second.close();
    }
  });

  it("ends an erased account's streams, and its access token stops working at once, on every instance", async () => {
    const user = await registerUser(api);
    const second = await startListeningApp({ JWT_SIGNING_KEY: TEST_SIGNING_KEY });
    try {
      // The second instance verified the token, and keeps it verified for AUTH_TOKEN_CACHE_MS.
      await second.http().get('/api/v1/users/me').set('authorization', user.auth).expect(200);
      const there = await live(user, {}, second);

      await call(user, 'delete', '/users/me', { password: user.password }).expect(204);
      await there.ended;
      await second.http().get('/api/v1/users/me').set('authorization', user.auth).expect(401);
    } finally {
      await second.close();
    }
  });

  it('ends a stream when its access token expires', async () => {
    const user = await registerUser(api);
    const shortLived = sign(localClaims(user.id, { exp: Math.floor(Date.now() / 1_000) + 2 }), TEST_SIGNING_KEY, {
      algorithm: 'HS256',
    });
    const stream = await openStream(api.url, shortLived);
    streams.push(stream);
    expect(stream.status).toBe(200);
    const started = Date.now();
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(3_500);
  });

  it('closes the stream of a client that stops reading, with a resync hint, instead of buffering without bound', async () => {
    const small = await startListeningApp({
      EVENTS_STREAM_BUFFER_BYTES: String(16 * 1024),
      JWT_SIGNING_KEY: TEST_SIGNING_KEY,
    });
    try {
      const user = await registerUser(small);
      // A client that sends its request and then reads nothing.
      const socket = connect(Number(new URL(small.url).port), '127.0.0.1');
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      socket.write(`GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${user.accessToken}\r\n\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      socket.pause();
      // Big changes: watchlist replaces that name 1,000 symbols each (about 12 kB per event).
      const items = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`SYM${i}`, {}]));
      await withDatabase((db) =>
        db.query(
          `INSERT INTO audit_events (subject_user_id, entity, action, after, changed_fields)
           SELECT $1, 'watchlist', 'replace', $2, '{}' FROM generate_series(1, 600)`,
          [user.id, JSON.stringify({ items })],
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      // The client reads again: what was written before the stream was cut, then the hint and the end.
      socket.resume();
      const text = () => Buffer.concat(received).toString('utf8');
      const deadline = Date.now() + 10_000;
      while (!text().endsWith('\r\n0\r\n\r\n') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(text()).toContain('event: resync\ndata: {"reason":"slow-reader"}\n\n');
      expect(text()).toMatch(/\r\n0\r\n\r\n$/);
      // Far less than the 7 MB of changes reached it.
      expect(text().length).toBeLessThan(6_000_000);
      socket.destroy();
    } finally {
      await small.close();
    }
  });

  it('reaches a stream on another instance within a second', async () => {
    const other = await startListeningApp({ JWT_SIGNING_KEY: TEST_SIGNING_KEY });
    try {
      const user = await registerUser(api);
      const onB = await live(user, {}, other);
      const started = Date.now();
      await call(user, 'patch', '/users/me', { name: 'via A' }).expect(200);
      const event: StreamEvent = await onB.next((e) => e.event === 'profile', { timeoutMs: 1_000 });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(event.data.changedFields).toEqual(['name']);
    } finally {
      await other.close();
    }
  });

  it('ends open streams at once when the app closes', async () => {
    const closing = await startListeningApp({ SHUTDOWN_GRACE_MS: '20000', JWT_SIGNING_KEY: TEST_SIGNING_KEY });
    const user = await registerUser(closing);
    const stream = await live(user, {}, closing);
    const started = Date.now();
    await closing.close();
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
