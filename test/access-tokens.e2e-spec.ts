import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Response } from 'supertest';
import { loadAppConfig } from '../src/config/app-config';
import { createOpenApiDocument, SECURITY_SCHEMES } from '../src/docs/openapi';
import { startTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import {
  decodeJwt,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  localClaims,
  signJwt,
  tamperJwt,
  TEST_SIGNING_KEY,
  unsignedJwt,
} from './support/tokens';
import { registerUser, TestUser } from './support/users';

/** The only operations that may be reached without an access token. */
const PUBLIC_OPERATIONS = [
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/logout',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
];

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The path with every `{param}` replaced by a random UUID. */
  path: string;
  name: string;
  bearer: boolean;
  /** Under `/admin/`, or documented as needing an admin's token. */
  admin: boolean;
  /** Answers a `text/event-stream` that goes on until the token expires (the change stream). */
  streams: boolean;
}

/** Every operation of the OpenAPI document: routes added later are covered without touching this spec. */
function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    (['get', 'post', 'put', 'patch', 'delete'] as const)
      .filter((method) => item[method])
      .map((method) => {
        const security = item[method]!.security ?? [];
        return {
          method,
          path: path.replace(/\{[^}]+\}/g, () => randomUUID()),
          name: `${method.toUpperCase()} ${path}`,
          // Admin routes name their own scheme: the same access token, of an admin.
          bearer: security.some(
            (requirement) => SECURITY_SCHEMES.bearer in requirement || SECURITY_SCHEMES.admin in requirement,
          ),
          admin:
            /^(\/api\/v\d+)?\/admin\//.test(path) ||
            security.some((requirement) => SECURITY_SCHEMES.admin in requirement),
          streams: Object.values(item[method]!.responses).some(
            (response) => response !== undefined && 'content' in response && !!response.content?.['text/event-stream'],
          ),
        };
      }),
  );
}

describe('access tokens', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let operations: Operation[];
  let protectedOperations: Operation[];

  beforeAll(async () => {
    t = await startTestApp({ JWT_SIGNING_KEY: TEST_SIGNING_KEY });
    alice = await registerUser(t);
    bob = await registerUser(t);
    operations = operationsOf(createOpenApiDocument(t.app));
    protectedOperations = operations.filter((o) => o.bearer);
  });
  afterAll(() => t.close());

  const streamOrJson = (res: Response, done: (error: Error | null, body: unknown) => void) => {
    const raw = res as unknown as IncomingMessage;
    if (raw.headers['content-type']?.startsWith('text/event-stream')) return (raw.destroy(), done(null, undefined));
    let text = '';
    raw.setEncoding('utf8');
    raw.on('data', (chunk: string) => (text += chunk));
    raw.on('end', () => done(null, JSON.parse(text)));
  };

  const call = (operation: Operation, authorization?: string) => {
    const req = t.http()[operation.method](operation.path);
    if (authorization !== undefined) req.set('authorization', authorization);
    // A stream is read up to its status (its body would go on until the token expires); a problem, whole.
    if (operation.streams) req.parse(streamOrJson);
    // A body, where one is expected, is never looked at before the token is.
    return operation.method === 'get' || operation.method === 'delete' ? req : req.send({});
  };

  it('issues HS256 tokens with sub, iss, aud, exp (15 minutes), iat, jti, the role and the session', () => {
    const { header, payload } = decodeJwt(alice.accessToken);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({
      sub: alice.id,
      role: 'user',
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      iat: expect.any(Number),
      exp: (payload.iat as number) + 900,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      // The sign-in's refresh-token family: its sign-out ends the session's change streams.
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(Math.abs((payload.iat as number) - Date.now() / 1_000)).toBeLessThan(60);
    expect(decodeJwt(bob.accessToken).payload.jti).not.toBe(payload.jti);
  });

  it('documents every route as bearer-protected except the known public ones', () => {
    expect(protectedOperations.length).toBeGreaterThan(0);
    expect(protectedOperations.map((o) => o.name)).toEqual(
      expect.arrayContaining(['GET /api/v1/users/me', 'PATCH /api/v1/users/me', 'GET /api/v1/admin/audit/events']),
    );
    const undocumented = operations.filter((o) => !o.bearer && !PUBLIC_OPERATIONS.includes(o.name)).map((o) => o.name);
    expect(undocumented).toEqual([]);
  });

  it('lets the public routes through without a token', async () => {
    const publicOperations = operations.filter((o) => PUBLIC_OPERATIONS.includes(o.name));
    expect(publicOperations.map((o) => o.name).sort()).toEqual([...PUBLIC_OPERATIONS].sort());
    const statuses = await Promise.all(
      publicOperations.map(async (o) => ({ route: o.name, status: (await call(o)).status })),
    );
    expect(statuses.filter((s) => s.status === 401)).toEqual([]);
  });

  it('lets a correctly forged token through on every protected route', async () => {
    // The control for the rejections below: they must come from the one thing each case breaks.
    const valid = `Bearer ${signJwt(localClaims(alice.id), TEST_SIGNING_KEY)}`;
    const statuses = await Promise.all(
      protectedOperations.map(async (o) => ({ route: o.name, status: (await call(o, valid)).status })),
    );
    expect(statuses.filter((s) => s.status === 401)).toEqual([]);
    // Re-encoding an unchanged payload keeps the token valid, so the tampering cases test the change.
    await t
      .http()
      .get('/api/v1/users/me')
      .set('authorization', `Bearer ${tamperJwt(alice.accessToken, {})}`)
      .expect(200);
  });

  /** Each way a bearer token can be wrong; every protected route answers each with 401. */
  const invalidAuthorizations: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['an empty bearer token', () => 'Bearer '],
    ['another scheme', () => `Basic ${Buffer.from(`${alice.email}:${alice.password}`).toString('base64')}`],
    ['a token that is not a JWT', () => 'Bearer not-a-jwt'],
    ['an alg "none" token', () => `Bearer ${unsignedJwt(localClaims(alice.id))}`],
    [
      'an alg "none" token with a signature kept',
      () => `Bearer ${unsignedJwt(localClaims(alice.id))}${alice.accessToken.split('.')[2]}`,
    ],
    ['a tampered payload: role raised to admin', () => `Bearer ${tamperJwt(alice.accessToken, { role: 'admin' })}`],
    ['a tampered payload: sub of another user', () => `Bearer ${tamperJwt(alice.accessToken, { sub: bob.id })}`],
    ['a tampered payload: exp pushed back', () => `Bearer ${tamperJwt(alice.accessToken, { exp: 4_102_444_800 })}`],
    [
      'a token signed with another key',
      () => `Bearer ${signJwt(localClaims(alice.id), `${TEST_SIGNING_KEY}-but-another-one`)}`,
    ],
    [
      'a token signed with another algorithm (HS512, right key)',
      () => `Bearer ${signJwt(localClaims(alice.id), TEST_SIGNING_KEY, 'HS512')}`,
    ],
    [
      'an expired token',
      () =>
        `Bearer ${signJwt(localClaims(alice.id, { iat: nowSeconds() - 1_000, exp: nowSeconds() - 60 }), TEST_SIGNING_KEY)}`,
    ],
    [
      'a token without exp (it would never expire)',
      () => `Bearer ${signJwt(localClaims(alice.id, { exp: undefined }), TEST_SIGNING_KEY)}`,
    ],
    [
      'a token not yet valid (nbf in the future)',
      () => `Bearer ${signJwt(localClaims(alice.id, { nbf: nowSeconds() + 600 }), TEST_SIGNING_KEY)}`,
    ],
    [
      'a wrong issuer',
      () => `Bearer ${signJwt(localClaims(alice.id, { iss: 'https://issuer.example.test' }), TEST_SIGNING_KEY)}`,
    ],
    ['no issuer', () => `Bearer ${signJwt(localClaims(alice.id, { iss: undefined }), TEST_SIGNING_KEY)}`],
    ['a wrong audience', () => `Bearer ${signJwt(localClaims(alice.id, { aud: 'another-app' }), TEST_SIGNING_KEY)}`],
    ['no audience', () => `Bearer ${signJwt(localClaims(alice.id, { aud: undefined }), TEST_SIGNING_KEY)}`],
    ['no subject', () => `Bearer ${signJwt(localClaims(alice.id, { sub: undefined }), TEST_SIGNING_KEY)}`],
    ['an unknown role', () => `Bearer ${signJwt(localClaims(alice.id, { role: 'root' }), TEST_SIGNING_KEY)}`],
  ];

  it.each(invalidAuthorizations)(
    'answers 401 problem+json on every protected route for %s',
    async (_name, authorization) => {
      const value = authorization();
      const responses: [Operation, Response][] = await Promise.all(
        protectedOperations.map(async (o) => [o, await call(o, value)] as [Operation, Response]),
      );
      // One assertion over all routes, so a failure names every route that let the token through.
      expect(responses.map(([o, res]) => ({ route: o.name, status: res.status }))).toEqual(
        protectedOperations.map((o) => ({ route: o.name, status: 401 })),
      );
      for (const [o, res] of responses) {
        expectProblem(res, 401);
        expect(res.body.instance).toBe(o.path);
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
    },
  );

  it('answers 403 problem+json to a user on every admin operation, and lets an admin token through each', async () => {
    const adminOperations = operations.filter((o) => o.admin);
    expect(adminOperations.map((o) => o.name)).toEqual(
      expect.arrayContaining(['GET /api/v1/admin/audit/events', 'GET /api/v1/admin/migrations/stats']),
    );
    const responses: [Operation, Response][] = await Promise.all(
      adminOperations.map(async (o) => [o, await call(o, alice.auth)] as [Operation, Response]),
    );
    // One assertion over all routes, so a failure names every route that let the user through.
    expect(responses.map(([o, res]) => ({ route: o.name, status: res.status }))).toEqual(
      adminOperations.map((o) => ({ route: o.name, status: 403 })),
    );
    for (const [o, res] of responses) {
      expectProblem(res, 403);
      expect(res.body.instance).toBe(o.path);
    }
    // The control: the same user with the admin role gets past the role check on each of them.
    const admin = `Bearer ${signJwt(localClaims(alice.id, { role: 'admin' }), TEST_SIGNING_KEY)}`;
    const statuses = await Promise.all(
      adminOperations.map(async (o) => ({ route: o.name, status: (await call(o, admin)).status })),
    );
    expect(statuses.filter((s) => s.status === 401 || s.status === 403)).toEqual([]);
  });

  it('answers 403 problem+json on admin routes to a user, and lets an admin token through', async () => {
    const admin = signJwt(localClaims(alice.id, { role: 'admin' }), TEST_SIGNING_KEY);
    const res = await t.http().get('/api/v1/admin/audit/events').set('authorization', alice.auth);
    expectProblem(res, 403);
    await t.http().get('/api/v1/admin/audit/events').set('authorization', `Bearer ${admin}`).expect(200);
  });
});

const nowSeconds = () => Math.floor(Date.now() / 1_000);

describe('access tokens: key, issuer, audience and lifetime from configuration', () => {
  it('keeps sessions valid across restarts in dev/test: the generated key is kept under DATA_DIR', async () => {
    const first = await startTestApp({ JWT_SIGNING_KEY: undefined });
    const user = await registerUser(first);
    await first.close();

    const keyFile = join(process.cwd(), '.data/secrets/jwt-signing-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const restarted = await startTestApp({ JWT_SIGNING_KEY: undefined });
    try {
      await restarted.http().get('/api/v1/users/me').set('authorization', user.auth).expect(200);
      // That file is the key: a token forged with it is accepted, one with a test key is not.
      const key = readFileSync(keyFile, 'utf8').trim();
      await restarted
        .http()
        .get('/api/v1/users/me')
        .set('authorization', `Bearer ${signJwt(localClaims(user.id), key)}`)
        .expect(200);
      const other = await restarted
        .http()
        .get('/api/v1/users/me')
        .set('authorization', `Bearer ${signJwt(localClaims(user.id), TEST_SIGNING_KEY)}`);
      expectProblem(other, 401);
    } finally {
      await restarted.close();
    }
  });

  it('takes the lifetime, issuer and audience from JWT_ACCESS_TTL_SECONDS, JWT_LOCAL_ISSUER and JWT_LOCAL_AUDIENCE', async () => {
    const t = await startTestApp({
      JWT_SIGNING_KEY: TEST_SIGNING_KEY,
      JWT_ACCESS_TTL_SECONDS: '120',
      JWT_LOCAL_ISSUER: 'fyntrix-api-staging',
      JWT_LOCAL_AUDIENCE: 'fyntrix-web',
    });
    try {
      const user = await registerUser(t);
      const session = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      expect(session.body.expiresIn).toBe(120);
      const { payload } = decodeJwt(session.body.accessToken);
      expect(payload).toMatchObject({
        iss: 'fyntrix-api-staging',
        aud: 'fyntrix-web',
        exp: (payload.iat as number) + 120,
      });
      await t.http().get('/api/v1/users/me').set('authorization', `Bearer ${session.body.accessToken}`).expect(200);
      // The defaults are now somebody else's issuer and audience.
      expectProblem(
        await t
          .http()
          .get('/api/v1/users/me')
          .set('authorization', `Bearer ${signJwt(localClaims(user.id), TEST_SIGNING_KEY)}`),
        401,
      );
    } finally {
      await t.close();
    }
  });

  it.each(['staging', 'prod'])('refuses to start %s without JWT_SIGNING_KEY, and accepts no short key', (stage) => {
    const deployed = {
      APP_STAGE: stage,
      DATABASE_URL: 'postgres://u:p@db.example.test:5432/fyntrix',
      METRICS_TOKEN: 'metrics-token-0123456789',
      TOKEN_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 1).toString('base64')}`,
    };
    expect(() => loadAppConfig(deployed)).toThrow(/JWT_SIGNING_KEY: is required/);
    expect(() => loadAppConfig({ ...deployed, JWT_SIGNING_KEY: 'too-short' })).toThrow(
      /JWT_SIGNING_KEY: must be at least 32 characters/,
    );
    expect(loadAppConfig({ ...deployed, JWT_SIGNING_KEY: TEST_SIGNING_KEY }).auth.signingKey).toBe(TEST_SIGNING_KEY);
  });
});
