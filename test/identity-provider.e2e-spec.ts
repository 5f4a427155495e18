import { createHmac, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Algorithm } from 'jsonwebtoken';
import { startTestApp, TestApp } from './support/app';
import { withDatabase } from './support/database';
import { expectProblem } from './support/problem';
import { type Claims, LOCAL_AUDIENCE, LOCAL_ISSUER, signJwt, TEST_SIGNING_KEY, unsignedJwt } from './support/tokens';
import { registerUser } from './support/users';

const ISSUER = 'https://idp.example.test/pool-e2e';
const AUDIENCE = 'fyntrix-web-client';
/** AUTH_TOKEN_CACHE_MS of this spec's app: short, so that a test can outlast it. */
const TOKEN_CACHE_MS = 1_500;

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = (key: KeyObject, kid: string, alg: string) => ({ ...key.export({ format: 'jwk' }), kid, alg, use: 'sig' });
const JWKS = { keys: [jwk(rsa.publicKey, 'rsa-1', 'RS256'), jwk(ec.publicKey, 'ec-1', 'ES256')] };

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The claims of a valid token of the provider for `sub`; `undefined` overrides drop a claim. */
function providerClaims(sub: string, overrides: Claims = {}): Claims {
  const now = Math.floor(Date.now() / 1_000);
  const claims: Claims = {
    sub,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 300,
    name: 'Provider User',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
}

function providerToken(
  sub: string,
  options: { alg?: Algorithm; kid?: string; key?: KeyObject; claims?: Claims } = {},
): string {
  const alg = options.alg ?? 'RS256';
  const key = options.key ?? (alg === 'ES256' ? ec.privateKey : rsa.privateKey);
  const kid = 'kid' in options ? options.kid : alg === 'ES256' ? 'ec-1' : 'rsa-1';
  return signJwt(providerClaims(sub, options.claims), key, alg, kid);
}

/** An HS256 token signed by hand with any bytes as the secret (jsonwebtoken refuses PEM keys for HMAC). */
function hmacToken(claims: Claims, secret: string | Buffer, kid = 'rsa-1'): string {
  const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', kid })}.${base64url(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

describe('external identity provider (JWKS)', () => {
  let jwksServer: Server;
  let jwksRequests = 0;
  let t: TestApp;

  beforeAll(async () => {
    // The provider's JWKS, served on loopback by the test itself.
    jwksServer = createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
      jwksRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(JWKS));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    t = await startTestApp({
      JWT_SIGNING_KEY: TEST_SIGNING_KEY,
      JWKS_URI: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      AUTH_TOKEN_CACHE_MS: String(TOKEN_CACHE_MS),
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  const me = (token: string) => t.http().get('/api/v1/users/me').set('authorization', `Bearer ${token}`);
  const identityRows = (subject: string) =>
    withDatabase(
      async (c) =>
        (await c.query('SELECT * FROM users WHERE external_issuer = $1 AND external_subject = $2', [ISSUER, subject]))
          .rows,
    );

  it('accepts an RS256 token of the provider and provisions its user once, by (issuer, subject)', async () => {
    const subject = `rs-${randomUUID()}`;
    const first = await me(providerToken(subject, { claims: { name: 'Asha Iyer' } })).expect(200);
    expect(first.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: null,
      name: 'Asha Iyer',
      accountId: expect.stringMatching(/^FY-[0-9A-HJKMNP-TV-Z]{8}$/),
      role: 'user',
      createdAt: expect.any(String),
    });
    const second = await me(providerToken(subject)).expect(200);
    expect(second.body.id).toBe(first.body.id);

    const rows = await identityRows(subject);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: first.body.id,
      external_issuer: ISSUER,
      external_subject: subject,
      email: null,
      password_hash: null,
    });
  });

  it("provisions one user when a new identity's first requests race", async () => {
    const subject = `race-${randomUUID()}`;
    const results = await Promise.all([1, 2, 3].map(() => me(providerToken(subject))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await identityRows(subject)).toHaveLength(1);
  });

  it('accepts an ES256 token of the provider', async () => {
    const subject = `es-${randomUUID()}`;
    const res = await me(providerToken(subject, { alg: 'ES256' })).expect(200);
    expect((await identityRows(subject))[0].id).toBe(res.body.id);
  });

  it('takes the role from the database, never from the provider token', async () => {
    const token = providerToken(`role-${randomUUID()}`, { claims: { role: 'admin' } });
    expect((await me(token).expect(200)).body.role).toBe('user');
    expectProblem(await t.http().get('/api/v1/admin/audit/events').set('authorization', `Bearer ${token}`), 403);
  });

  it('answers 401 to a token of a user disabled since it was verified, once AUTH_TOKEN_CACHE_MS has passed', async () => {
    const token = providerToken(`disabled-${randomUUID()}`);
    const { id } = (await me(token).expect(200)).body;
    const verifiedAt = Date.now();
    await withDatabase((c) => c.query(`UPDATE users SET status = 'disabled' WHERE id = $1`, [id]));
    // Within the window the remembered answer stands: no query per request.
    await me(token).expect(200);
    await new Promise((resolve) => setTimeout(resolve, verifiedAt + TOKEN_CACHE_MS + 100 - Date.now()));
    // The token itself is valid for minutes yet; the user is read again and refused.
    expectProblem(await me(token), 401);
  });

  it('never links a provider identity to a password account with the same email', async () => {
    const local = await registerUser(t);
    const res = await me(
      providerToken(`mail-${randomUUID()}`, { claims: { email: local.email, email_verified: true } }),
    ).expect(200);
    expect(res.body.id).not.toBe(local.id);
    expect(res.body.email).toBeNull();
  });

  it("still accepts this service's own tokens", async () => {
    const local = await registerUser(t);
    expect((await me(local.accessToken).expect(200)).body.id).toBe(local.id);
  });

  it('caches the JWKS: known keys cost no further fetch', async () => {
    // Warm up both keys (each kid is fetched at most once), then count.
    await me(providerToken(`cache-${randomUUID()}`)).expect(200);
    await me(providerToken(`cache-${randomUUID()}`, { alg: 'ES256' })).expect(200);
    const before = jwksRequests;
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      await me(providerToken(`cache-${randomUUID()}`)).expect(200);
      await me(providerToken(`cache-${randomUUID()}`, { alg: 'ES256' })).expect(200);
    }
    expect(jwksRequests).toBe(before);
  });

  const rejected: [string, () => string][] = [
    [
      'an HS256 token signed with the provider public key as HMAC secret',
      () => hmacToken(providerClaims('hs-confusion'), rsa.publicKey.export({ format: 'pem', type: 'spki' })),
    ],
    [
      "an HS256 token claiming the provider issuer, signed with this service's key",
      () => hmacToken(providerClaims('hs-local-key'), TEST_SIGNING_KEY),
    ],
    ['an alg "none" token claiming the provider issuer', () => unsignedJwt(providerClaims('none'))],
    ['an RS256 token with an unknown kid', () => providerToken('unknown-kid', { kid: 'rsa-unknown' })],
    ['an RS256 token without a kid (the JWKS has two keys)', () => providerToken('no-kid', { kid: undefined })],
    [
      'an RS256 token signed by another key under a known kid',
      () => providerToken('stranger', { key: stranger.privateKey }),
    ],
    ['an ES256 token whose kid names the RSA key', () => providerToken('wrong-kid', { alg: 'ES256', kid: 'rsa-1' })],
    ['an RS384 token (algorithm not pinned)', () => providerToken('rs384', { alg: 'RS384' })],
    ['a provider token for another audience', () => providerToken('aud', { claims: { aud: 'another-client' } })],
    [
      "a provider token for this service's own audience",
      () => providerToken('aud-local', { claims: { aud: LOCAL_AUDIENCE } }),
    ],
    [
      'a provider-signed token of another issuer',
      () => providerToken('iss', { claims: { iss: 'https://idp.example.test/other-pool' } }),
    ],
    [
      "a provider-signed token claiming this service's issuer",
      () => providerToken('iss-local', { claims: { iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, role: 'admin' } }),
    ],
    [
      'an expired provider token',
      () => providerToken('expired', { claims: { exp: Math.floor(Date.now() / 1_000) - 60 } }),
    ],
    ['a provider token without exp', () => providerToken('no-exp', { claims: { exp: undefined } })],
    [
      'a provider token without sub',
      () => signJwt(providerClaims('x', { sub: undefined }), rsa.privateKey, 'RS256', 'rsa-1'),
    ],
  ];

  it.each(rejected)('answers 401 for %s, and provisions nobody', async (_name, token) => {
    const raw = token();
    const res = await me(raw);
    expectProblem(res, 401);
    const { sub } = JSON.parse(Buffer.from(raw.split('.')[1], 'base64url').toString('utf8'));
    if (sub) expect(await identityRows(sub)).toEqual([]);
  });

  it("erases a provider's account only after a sign-in at most 5 minutes old (403 otherwise), without a password", async () => {
    const sub = `erase-${randomUUID()}`;
    const now = Math.floor(Date.now() / 1_000);
    const erase = (token: string) =>
      t.http().delete('/api/v1/users/me').set('authorization', `Bearer ${token}`).send({});
    const reauthenticate = 'urn:fyntrix:problem:reauthentication-required';
    expectProblem(await erase(providerToken(sub, { claims: { iat: now - 400 } })), 403, reauthenticate);
    // The provider's auth_time says when the person signed in, whatever the token's own age.
    expectProblem(await erase(providerToken(sub, { claims: { auth_time: now - 400 } })), 403, reauthenticate);
    await erase(providerToken(sub, { claims: { auth_time: now - 10 } })).expect(204);
    const { rows } = await withDatabase((db) =>
      db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE external_subject = $1`, [sub]),
    );
    expect(rows[0].n).toBe(0);
  });
});
