import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Response } from 'supertest';
import { startTestApp, TestApp } from './support/app';
import { withDatabase } from './support/database';
import { beforeUserUpdates, withUserTrigger } from './support/triggers';
import { registerUser } from './support/users';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const APP_ORIGIN = 'https://app.example.test';

/** An RFC 9457 document with every member this API promises, carrying the response's request id. */
function expectProblem(res: Response, status: number, instance: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json\b/);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      instance,
      requestId: res.headers['x-request-id'],
    }),
  );
  expect(res.body.requestId).toBeTruthy();
}

/** Neither the body nor the headers name the database's internals (the body's `instance` is the only place the path appears). */
function expectNoInternals(res: Response, functionName: string): void {
  const headers = JSON.stringify(res.headers);
  for (const leak of [
    'secret-internal-detail',
    functionName,
    'trigger',
    'RAISE',
    'UPDATE',
    'SELECT',
    'QueryFailedError',
    'character varying',
    'out of range',
    '    at ',
  ]) {
    expect(headers).not.toContain(leak);
    expect(res.text).not.toContain(leak);
  }
}

describe('HTTP conventions', () => {
  let t: TestApp;
  // Small body limit and one allowed browser origin.
  let configured: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: undefined });
    configured = await startTestApp({ BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: APP_ORIGIN });
  });
  afterAll(async () => {
    await t?.close();
    await configured?.close();
  });

  describe('errors are problem+json', () => {
    it('404 for an unknown route', async () => {
      const res = await t.http().get('/api/v1/no-such-route?x=1');
      expectProblem(res, 404, '/api/v1/no-such-route');
      expect(res.body).toMatchObject({ type: 'about:blank', title: 'Not Found' });
    });

    it('400 for malformed JSON', async () => {
      const res = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('{bad');
      expectProblem(res, 400, '/api/v1/auth/login');
      expect(res.body).toMatchObject({
        type: 'urn:fyntrix:problem:validation-failed',
        detail: 'The request body is not valid JSON.',
      });
    });

    it('400 for an empty body declared as JSON', async () => {
      const res = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('');
      expectProblem(res, 400, '/api/v1/auth/login');
      expect(res.body.detail).toBe('The request body is empty but declared as JSON.');
    });

    it('400 for a JSON body that tries to set a prototype', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json')
        .send('{"__proto__":{"admin":true}}');
      expectProblem(res, 400, '/api/v1/auth/login');
      expect(res.body.errors).toEqual([{ field: '__proto__', message: 'property __proto__ should not exist' }]);
    });

    // Nest's pipe deleted `prototype`, `__proto__` and `constructor`, and class-transformer skipped
    // the other names of Object.prototype, before the whitelist could refuse them: they were
    // dropped silently while every other unknown key was a 400.
    it.each([
      ['prototype', '{"name":"Renamed","prototype":{"role":"admin"}}', 'prototype'],
      ['constructor', '{"name":"Renamed","constructor":1}', 'constructor'],
      ['constructor.prototype', '{"name":"Renamed","constructor":{"prototype":{"role":"admin"}}}', 'constructor'],
      ['nested __proto__', '{"name":"Renamed","x":[{"__proto__":{"role":"admin"}}]}', 'x.0.__proto__'],
      ['hasOwnProperty', '{"name":"Renamed","hasOwnProperty":"x"}', 'hasOwnProperty'],
    ])('400 naming a %s key like any unknown field, and nothing is changed', async (_label, body, field) => {
      const user = await registerUser(t);
      const res = await t
        .http()
        .patch('/api/v1/users/me')
        .set('authorization', user.auth)
        .set('content-type', 'application/json')
        .send(body);
      expectProblem(res, 400, '/api/v1/users/me');
      const key = field.split('.').pop();
      expect(res.body.errors).toEqual([{ field, message: `property ${key} should not exist` }]);
      const [row] = await withDatabase((c) =>
        c.query('SELECT name FROM users WHERE id = $1', [user.id]).then((r) => r.rows),
      );
      expect(row.name).toBe('Test User');
    });

    it('400 naming a query parameter called constructor or prototype, like any unknown one', async () => {
      const user = await registerUser(t);
      for (const key of ['constructor', 'prototype', 'unknown']) {
        const res = await t.http().get(`/api/v1/audit/events?${key}=1`).set('authorization', user.auth);
        expectProblem(res, 400, '/api/v1/audit/events');
        expect(res.body.errors).toEqual([{ field: key, message: `property ${key} should not exist` }]);
      }
    });

    it('413 for a body over BODY_LIMIT_BYTES', async () => {
      const body = JSON.stringify({ email: 'someone@example.test', password: 'x'.repeat(10 * 1024) });
      const res = await configured.http().post('/api/v1/auth/login').set('content-type', 'application/json').send(body);
      expectProblem(res, 413, '/api/v1/auth/login');
      expect(res.body).toMatchObject({
        title: 'Payload Too Large',
        detail: 'The request body is larger than this API accepts.',
      });
      // Under the default limit (256 KiB) the same body is read and validated: the limit is the configured one.
      const underDefault = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send(body);
      expectProblem(underDefault, 400, '/api/v1/auth/login');
      expect(underDefault.body.errors).toEqual([{ field: 'password', message: expect.stringContaining('1024') }]);
    });

    it.each([
      ['text/plain', '{"email":"someone@example.test","password":"x"}'],
      ['application/x-www-form-urlencoded', 'email=someone%40example.test&password=x'],
      ['application/xml', '<login/>'],
    ])('415 for a %s body: the API speaks JSON only', async (type, body) => {
      const res = await t.http().post('/api/v1/auth/login').set('content-type', type).send(body);
      expectProblem(res, 415, '/api/v1/auth/login');
      expect(res.body).toMatchObject({
        title: 'Unsupported Media Type',
        detail: 'Send request bodies as application/json.',
      });
    });

    it('accepts JSON with a charset parameter', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ email: 'nobody@example.test', password: 'not the password' }));
      expectProblem(res, 401, '/api/v1/auth/login');
    });

    it('400 with errors[] for an unknown body field, and nothing is changed', async () => {
      const user = await registerUser(t);
      const res = await t
        .http()
        .patch('/api/v1/users/me')
        .set('authorization', user.auth)
        .send({ name: 'Renamed', role: 'admin' });
      expectProblem(res, 400, '/api/v1/users/me');
      expect(res.body.type).toBe('urn:fyntrix:problem:validation-failed');
      expect(res.body.errors).toEqual([{ field: 'role', message: 'property role should not exist' }]);
      const [row] = await withDatabase((c) =>
        c.query('SELECT name, role FROM users WHERE id = $1', [user.id]).then((r) => r.rows),
      );
      expect(row).toEqual({ name: 'Test User', role: 'user' });
    });

    it('400 lists every offending field', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ email: 'not-an-email', password: 42 });
      expectProblem(res, 400, '/api/v1/auth/login');
      const fields = (res.body.errors as { field: string; message: string }[]).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'password']));
      for (const error of res.body.errors) expect(error.message).toEqual(expect.any(String));
    });

    it('500 without internals when the database fails a statement', async () => {
      const user = await registerUser(t);
      await withUserTrigger(
        user.id,
        beforeUserUpdates(`RAISE EXCEPTION 'secret-internal-detail on table users'`),
        async (fn) => {
          const res = await t
            .http()
            .patch('/api/v1/users/me')
            .set('authorization', user.auth)
            .set('x-request-id', 'fail-500-check')
            .send({ name: 'Renamed' });
          expectProblem(res, 500, '/api/v1/users/me');
          expect(res.body).toEqual({
            type: 'about:blank',
            title: 'Internal Server Error',
            status: 500,
            detail: 'An unexpected error occurred. Quote the requestId when reporting it.',
            instance: '/api/v1/users/me',
            requestId: 'fail-500-check',
          });
          expectNoInternals(res, fn);
        },
      );
      const [row] = await withDatabase((c) =>
        c.query('SELECT name FROM users WHERE id = $1', [user.id]).then((r) => r.rows),
      );
      expect(row.name).toBe('Test User');
    });

    // Validation should refuse what the database cannot store; when it misses a case, the answer
    // is still the client's 400, not a 500. (NUL never reaches the database: see the hostile-input spec.)
    const TOO_LARGE = 'A value is longer or larger than this API stores.';
    const UNSTORABLE = 'A value holds a character this API cannot store.';
    it.each([
      ['22001', 'a string longer than its column', `NEW.name := repeat('n', 101)`, TOO_LARGE],
      ['22003', "a number out of its column's range", `PERFORM 2147483647::integer + 1`, TOO_LARGE],
      ['22021', 'text with a NUL', `PERFORM convert_from('\\x00'::bytea, 'UTF8')`, UNSTORABLE],
      ['22P05', 'jsonb with a \\u0000 escape', `PERFORM '"\\u0000"'::jsonb`, UNSTORABLE],
    ])(
      '400 without internals when the database refuses a value (SQLSTATE %s: %s)',
      async (code, _label, plpgsql, detail) => {
        const user = await registerUser(t);
        await withUserTrigger(user.id, beforeUserUpdates(plpgsql), async (fn) => {
          const res = await t
            .http()
            .patch('/api/v1/users/me')
            .set('authorization', user.auth)
            .send({ name: 'Renamed' });
          expectProblem(res, 400, '/api/v1/users/me');
          expect(res.body).toMatchObject({ type: 'urn:fyntrix:problem:validation-failed', detail });
          expectNoInternals(res, fn);
          expect(res.text).not.toContain(code);
        });
      },
    );
  });

  describe('X-Request-Id', () => {
    it('keeps a sane incoming id: echoed in the header and in problem bodies', async () => {
      const id = 'client-7f3a.9:trace_ID';
      const ok = await t.http().get('/health/live').set('x-request-id', id).expect(200);
      expect(ok.headers['x-request-id']).toBe(id);
      const problem = await t.http().get('/api/v1/users/me').set('x-request-id', id);
      expectProblem(problem, 401, '/api/v1/users/me');
      expect(problem.body.requestId).toBe(id);
    });

    it.each([
      ['path and markup', '../etc<script>'],
      ['too long', 'a'.repeat(200)],
      ['spaces', 'two words'],
    ])('replaces an insane one (%s) with a generated UUID', async (_label, id) => {
      const res = await t.http().get('/api/v1/no-such-route').set('x-request-id', id);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
      expect(res.text).not.toContain(id);
    });

    it('generates a fresh one per request when none is sent', async () => {
      const a = await t.http().get('/health/live');
      const b = await t.http().get('/health/live');
      expect(a.headers['x-request-id']).toMatch(UUID);
      expect(b.headers['x-request-id']).toMatch(UUID);
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });

    it('is on every response: success, problems, parser errors, docs, metrics', async () => {
      const user = await registerUser(t);
      const responses = await Promise.all([
        t.http().get('/api/v1/users/me').set('authorization', user.auth),
        t.http().get('/api/v1/users/me'),
        t.http().get('/nowhere'),
        t.http().post('/api/v1/auth/login').set('content-type', 'text/plain').send('x'),
        configured
          .http()
          .post('/api/v1/auth/login')
          .set('content-type', 'application/json')
          .send(JSON.stringify({ p: 'x'.repeat(4096) })),
        t.http().get('/health/ready'),
        t.http().get('/metrics'),
        t.http().get('/docs-json'),
      ]);
      expect(responses.map((r) => r.status)).toEqual([200, 401, 404, 415, 413, 200, 200, 200]);
      for (const res of responses) expect(res.headers['x-request-id']).toMatch(UUID);
    });
  });

  describe('security headers (helmet)', () => {
    function expectSecurityHeaders(headers: Record<string, string | undefined>): void {
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['content-security-policy']).toContain("default-src 'self'");
      expect(headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(headers['x-powered-by']).toBeUndefined();
    }

    it.each([
      ['a JSON route', '/health/live', 200],
      ['a problem', '/api/v1/users/me', 401],
      ['an unknown route', '/nowhere', 404],
      // Answered by Fastify before routing, where no hook runs.
      ['a malformed percent-encoding', '/api/v1/trade-intents/%zz', 400],
      ['a path parameter too long to route', `/api/v1/trade-intents/${'x'.repeat(300)}`, 414],
      // Answered by Node's HTTP parser, before Fastify sees the request.
      ['headers over 16 KB', `/api/v1/watchlist?cursor=${'A'.repeat(20_000)}`, 431],
    ])('on %s', async (_label, path, status) => {
      const res = await t.http().get(path);
      expect(res.status).toBe(status);
      expectSecurityHeaders(res.headers);
    });

    it('on a request with broken HTTP framing (400 from Node, before Fastify)', async () => {
      const server = t.app.getHttpServer();
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const raw = await new Promise<string>((resolve, reject) => {
        let answer = '';
        const socket = connect(port, '127.0.0.1', () =>
          socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: nine\r\n\r\n'),
        );
        socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
        socket.on('error', reject).on('close', () => resolve(answer));
      });
      const [head, body] = raw.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      expectSecurityHeaders(headers);
      expect(headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(body)).toMatchObject({ status: 400, requestId: headers['x-request-id'] });
    });
  });

  describe('CORS', () => {
    it('allows a preflight from a configured origin, with If-Match', async () => {
      const res = await configured
        .http()
        .options('/api/v1/preferences')
        .set('origin', APP_ORIGIN)
        .set('access-control-request-method', 'PATCH')
        .set('access-control-request-headers', 'authorization,content-type,if-match');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(res.headers['access-control-allow-methods']).toContain('PATCH');
      const allowed = res.headers['access-control-allow-headers'].toLowerCase().split(/,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(['if-match', 'authorization', 'content-type']));
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('exposes ETag, Retry-After, X-Request-Id and every rate-limit header the responses carry', async () => {
      const user = await registerUser(configured);
      const exposedBy = (res: Response) => res.headers['access-control-expose-headers'].toLowerCase().split(/,\s*/);
      const res = await configured
        .http()
        .get('/api/v1/preferences')
        .set('origin', APP_ORIGIN)
        .set('authorization', user.auth)
        .expect(200);
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(exposedBy(res)).toEqual(expect.arrayContaining(['etag', 'retry-after', 'x-request-id']));
      expect(res.headers.vary).toMatch(/origin/i);
      // The auth routes carry a third limit's headers.
      const login = await configured
        .http()
        .post('/api/v1/auth/login')
        .set('origin', APP_ORIGIN)
        .send({ email: user.email, password: 'not the password' })
        .expect(401);
      for (const answer of [res, login]) {
        const sent = Object.keys(answer.headers).filter((name) => name.startsWith('x-ratelimit-'));
        expect(sent.length).toBeGreaterThanOrEqual(6);
        expect(sent.filter((name) => !exposedBy(answer).includes(name))).toEqual([]);
      }
      expect(Object.keys(login.headers)).toEqual(expect.arrayContaining(['x-ratelimit-limit-auth']));
    });

    it('gives another origin no allow-origin, on preflights and actual responses', async () => {
      const preflight = await configured
        .http()
        .options('/api/v1/preferences')
        .set('origin', 'https://evil.example.test')
        .set('access-control-request-method', 'PATCH');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const actual = await configured.http().get('/health/live').set('origin', 'https://evil.example.test').expect(200);
      expect(actual.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('sends no CORS headers at all without CORS_ORIGINS', async () => {
      const preflight = await t
        .http()
        .options('/api/v1/preferences')
        .set('origin', APP_ORIGIN)
        .set('access-control-request-method', 'PATCH');
      const actual = await t.http().get('/health/live').set('origin', APP_ORIGIN).expect(200);
      for (const res of [preflight, actual]) {
        expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      }
    });
  });
});
