import { readFileSync } from 'node:fs';
import { ModulesContainer } from '@nestjs/core';
import { OPENAPI_FILE, renderOpenApi, staleGeneratedFiles } from '../scripts/openapi';
import { SECURITY_SCHEMES } from '../src/docs/openapi';
import { startTestApp, TestApp } from './support/app';
import { registerUser } from './support/users';

const PROBLEM = 'application/problem+json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Fastify's own answers: a body too large (413) or not JSON (415), a path parameter too long (414). */
const FRAMEWORK_ERROR_STATUSES = ['413', '414', '415'];

interface Operation {
  operationId?: string;
  parameters?: { in: string }[];
  requestBody?: unknown;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}

const committed = readFileSync(OPENAPI_FILE, 'utf8');
const document = JSON.parse(committed) as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, path, operation })),
);

describe('OpenAPI document', () => {
  it('the committed src/metadata.ts, openapi.json, client types and client version are what their generators produce now', async () => {
    expect(await staleGeneratedFiles()).toEqual([]);
  }, 120_000);

  // `npm run openapi` runs in CI jobs and on laptops without a database (Nest preview mode).
  it('is generated without a database: the same document with DATABASE_URL pointing nowhere', async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/unreachable';
    try {
      expect(await renderOpenApi()).toBe(committed);
    } finally {
      process.env.DATABASE_URL = saved;
    }
  }, 60_000);

  it('documents operations', () => {
    expect(operations.length).toBeGreaterThan(10);
  });

  it('names every operation after its method: camelCase, unique', () => {
    const ids = operations.map((o) => o.operation.operationId);
    for (const { name, operation } of operations) {
      expect({ name, operationId: operation.operationId }).toEqual({
        name,
        operationId: expect.stringMatching(/^[a-z][a-zA-Z0-9]*$/),
      });
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('marks every /api/v1 operation but auth as needing the bearer token, admin ones the admin scheme', () => {
    const scheme = (o: (typeof operations)[number]) => o.operation.security?.flatMap((s) => Object.keys(s));
    const api = operations.filter((o) => o.path.startsWith('/api/v1/') && !o.path.startsWith('/api/v1/auth/'));
    const admin = api.filter((o) => o.path.startsWith('/api/v1/admin/'));
    expect(admin.length).toBeGreaterThan(0);
    expect(admin.map((o) => [o.name, scheme(o)])).toEqual(admin.map((o) => [o.name, [SECURITY_SCHEMES.admin]]));
    const others = api.filter((o) => !admin.includes(o));
    expect(others.map((o) => [o.name, scheme(o)])).toEqual(others.map((o) => [o.name, [SECURITY_SCHEMES.bearer]]));
    const auth = operations.filter((o) => o.path.startsWith('/api/v1/auth/'));
    expect(auth.length).toBeGreaterThan(0);
    for (const { operation } of auth) expect(operation.security ?? []).toEqual([]);
  });

  it('marks /metrics as needing the metrics token', () => {
    expect(document.paths['/metrics'].get.security).toEqual([{ [SECURITY_SCHEMES.metrics]: [] }]);
  });

  it('documents at least one client error for every API operation', () => {
    // The root probes (/health/*) have no client errors to document.
    const without = operations
      .filter((o) => !o.path.startsWith('/health/'))
      .filter((o) => !Object.keys(o.operation.responses).some((status) => status.startsWith('4')))
      .map((o) => o.name);
    expect(without).toEqual([]);
  });

  it('documents 413 and 415 on every operation with a body, 414 on every operation with a path parameter, and only there', () => {
    const framework = (o: (typeof operations)[number]) =>
      Object.keys(o.operation.responses).filter((s) => FRAMEWORK_ERROR_STATUSES.includes(s));
    const withBody = operations.filter((o) => o.operation.requestBody);
    const withPathParameter = operations.filter((o) => o.operation.parameters?.some((p) => p.in === 'path'));
    expect(withBody.length).toBeGreaterThan(5);
    expect(withPathParameter.length).toBeGreaterThan(5);
    expect(operations.map((o) => ({ name: o.name, statuses: framework(o) }))).toEqual(
      operations.map((o) => ({
        name: o.name,
        statuses: [
          ...(withBody.includes(o) ? ['413'] : []),
          ...(withPathParameter.includes(o) ? ['414'] : []),
          ...(withBody.includes(o) ? ['415'] : []),
        ],
      })),
    );
  });

  it('documents the rate-limit headers on every 2xx and 4xx of rate-limited operations, Retry-After on 429', () => {
    const names = (o: (typeof operations)[number], status: string) =>
      Object.keys(o.operation.responses[status].headers ?? {}).sort();
    const limits = (suffix: string) => ['Limit', 'Remaining', 'Reset'].map((part) => `X-RateLimit-${part}${suffix}`);
    for (const o of operations) {
      const exempt = o.path.startsWith('/health/') || o.path === '/metrics';
      const expected = exempt
        ? []
        : [
            ...limits(''),
            ...limits('-burst'),
            ...(o.path.startsWith('/api/v1/auth/') ? limits('-auth') : []),
            ...(o.path === '/api/v1/users/me/export' ? limits('-export') : []),
          ];
      for (const status of Object.keys(o.operation.responses).filter((s) => /^[24]/.test(s))) {
        const retry = status === '429' ? ['Retry-After'] : [];
        // A route's own headers (the preferences' ETag) come on top.
        const rateLimitHeaders = names(o, status).filter((name) => name !== 'ETag');
        expect({ route: `${o.name} ${status}`, headers: rateLimitHeaders }).toEqual({
          route: `${o.name} ${status}`,
          headers: [...retry, ...expected].sort(),
        });
      }
    }
  });

  it('documents every error response as problem+json, and nothing else', () => {
    const wrong = operations.flatMap(({ name, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(([, response]) => JSON.stringify(Object.keys(response.content ?? {})) !== JSON.stringify([PROBLEM]))
        .map(
          ([status, response]) =>
            `${name} ${status}: ${Object.keys(response.content ?? {}).join(', ') || 'no content'}`,
        ),
    );
    expect(wrong).toEqual([]);
  });
});

describe('Swagger UI and /docs-json', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('operation ids are the controllers’ method names', () => {
    const methods = new Set<string>();
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const controller of module.controllers.values()) {
        for (
          let proto = controller.metatype?.prototype;
          proto && proto !== Object.prototype;
          proto = Object.getPrototypeOf(proto)
        ) {
          for (const name of Object.getOwnPropertyNames(proto)) methods.add(name);
        }
      }
    }
    const strangers = operations.map((o) => o.operation.operationId).filter((id) => !methods.has(id!));
    expect(strangers).toEqual([]);
  });

  it('sends the rate-limit headers documented for a response', async () => {
    const documented = (path: string, method: string, status: number) =>
      Object.keys(document.paths[path][method].responses[String(status)].headers ?? {}).filter((h) =>
        h.startsWith('X-RateLimit-'),
      );
    const user = await registerUser(t);
    const me = await t.http().get('/api/v1/users/me').set('authorization', user.auth).expect(200);
    const wrongPassword = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'not the password' })
      .expect(401);
    for (const [res, names] of [
      [me, documented('/api/v1/users/me', 'get', 200)],
      [wrongPassword, documented('/api/v1/auth/login', 'post', 401)],
    ] as const) {
      expect(names.length).toBeGreaterThan(0);
      for (const name of names)
        expect({ name, value: res.headers[name.toLowerCase()] }).toEqual({
          name,
          value: expect.stringMatching(/^\d+$/),
        });
    }
    expect(documented('/api/v1/auth/login', 'post', 401)).toContain('X-RateLimit-Limit-auth');
  });

  // The headers are documented on them (Spectral's OWASP rule wants them on every 4xx), as
  // optional, with a description saying they are not sent there.
  it('sends no rate-limit headers on a 413, 414 or 415, as their description says', async () => {
    const user = await registerUser(t);
    const tooLarge = await t
      .http()
      .patch('/api/v1/users/me')
      .set('authorization', user.auth)
      .send({ name: 'x'.repeat(300 * 1024) })
      .expect(413);
    const tooLong = await t
      .http()
      .get(`/api/v1/trade-intents/${'x'.repeat(300)}`)
      .set('authorization', user.auth)
      .expect(414);
    const notJson = await t
      .http()
      .patch('/api/v1/users/me')
      .set('authorization', user.auth)
      .set('content-type', 'text/plain')
      .send('x')
      .expect(415);
    for (const res of [tooLarge, tooLong, notJson]) {
      expect(Object.keys(res.headers).filter((name) => name.startsWith('x-ratelimit-'))).toEqual([]);
    }
    const described = JSON.parse(committed).components.headers['X-RateLimit-Limit'].description;
    expect(described).toContain('nor on a 400, 413 or 415 for a body that could not be read as JSON, nor on a 414');
  });

  it('/docs-json serves the committed document', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(document);
  });

  it('/docs serves Swagger UI that loads under the Content-Security-Policy, with persisted authorization', async () => {
    const html = await t.http().get('/docs').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('<div id="swagger-ui">');
    // script-src 'self': every script must be a file, none inline.
    const scripts = [...html.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="[^"]+"/);
      expect(body.trim()).toBe('');
    }
    const assets = [...html.text.matchAll(/(?:src|href)="(\.\/docs\/[^"]+)"/g)].map((m) => m[1].slice(1));
    expect(assets).toEqual(
      expect.arrayContaining(['/docs/swagger-ui-init.js', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']),
    );
    for (const asset of assets) await t.http().get(asset).expect(200);

    const init = await t.http().get('/docs/swagger-ui-init.js').expect(200);
    const options = init.text.match(/"customOptions":\s*(\{[^}]*\})/);
    expect(options).not.toBeNull();
    expect(JSON.parse(options![1])).toMatchObject({ persistAuthorization: true });
  });
});
