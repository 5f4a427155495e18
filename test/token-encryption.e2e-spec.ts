import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { TokenCipher, TokenKeyRing } from '../src/crypto/token-cipher';
import { createMigratedDatabase, dropDatabase, withDatabase } from './support/database';
import { runCli, type ServerProcess, startServerProcess } from './support/process';
import { LIMIT_BUY, uniqueAccountRef, uniqueToken } from './support/trading';
import { STRONG_PASSWORD, uniqueEmail } from './support/users';

/**
 * Broker tokens at rest and in transit, against the real server process in the staging stage
 * (its own database: `tokens:reencrypt` works on every row of a table).
 */
describe('broker token encryption', () => {
  const DATABASE = 'fyntrix_e2e_tokens';
  const key = () => randomBytes(32).toString('base64');
  const [k1, k2, k3] = [key(), key(), key()];
  /** Every token value sent; none may ever come back out. */
  const secrets: string[] = [];
  const secret = (label: string) => {
    const value = uniqueToken(label);
    secrets.push(value);
    return value;
  };

  let databaseUrl: string;
  let server: ServerProcess;
  let auth: string;
  /** The connections made by the first test: [tokens replaced, kept, deleted]. */
  let connections: { id: string; accountRef: string }[] = [];
  /** Every response the server gave: status line, headers and body. */
  const responses: string[] = [];

  const [jwtSigningKey, metricsToken] = [randomBytes(32).toString('hex'), randomBytes(16).toString('hex')];
  const stageEnv = (keys: string) => ({
    APP_STAGE: 'staging',
    DATABASE_URL: databaseUrl,
    DATABASE_SSL: 'disable',
    JWT_SIGNING_KEY: jwtSigningKey,
    METRICS_TOKEN: metricsToken,
    TOKEN_ENCRYPTION_KEYS: keys,
  });

  /** A request to the server process whose response is kept for the leak search. */
  async function call(method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object) {
    let req = request(server.url)[method](path).set('authorization', auth);
    if (body) req = req.send(body);
    const res = await req;
    responses.push(`${res.status} ${JSON.stringify(res.headers)} ${res.text}`);
    return res;
  }

  const tokenRows = () =>
    withDatabase(
      async (db) =>
        (
          await db.query(
            'SELECT id, connection_id, access_token, refresh_token, key_version FROM broker_tokens ORDER BY id',
          )
        ).rows,
      databaseUrl,
    );

  beforeAll(async () => {
    databaseUrl = await createMigratedDatabase(process.env.DATABASE_URL!, DATABASE);
    server = await startServerProcess({ ...stageEnv(`1:${k1}`), LOG_LEVEL: 'trace' });
    const res = await request(server.url)
      .post('/api/v1/auth/register')
      .send({ email: uniqueEmail(), password: STRONG_PASSWORD, name: 'T' })
      .expect(201);
    auth = `Bearer ${res.body.accessToken}`;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await dropDatabase(process.env.DATABASE_URL!, DATABASE);
  });

  it('never lets a token out: not in responses, logs or audit events', async () => {
    const created: typeof connections = [];
    for (const refresh of [true, false, true]) {
      const res = await call('post', '/api/v1/broker-connections', {
        broker: 'paper',
        accountRef: uniqueAccountRef(),
        accessToken: secret('access'),
        ...(refresh ? { refreshToken: secret('refresh') } : {}),
      });
      expect(res.status).toBe(201);
      created.push(res.body);
    }
    connections = created;
    const [first, second, third] = created;
    expect(
      (
        await call('put', `/api/v1/broker-connections/${first.id}/tokens`, {
          accessToken: secret('access'),
          refreshToken: secret('refresh'),
        })
      ).status,
    ).toBe(200);
    expect((await call('get', '/api/v1/broker-connections')).body.items).toHaveLength(3);
    expect((await call('get', `/api/v1/broker-connections/${second.id}`)).status).toBe(200);

    // Orders decrypt the credentials to hand them to the broker adapter.
    const intent = (await call('post', '/api/v1/trade-intents', LIMIT_BUY)).body;
    expect(
      (await call('post', `/api/v1/trade-intents/${intent.id}/submit`, { connectionId: first.id })).body.status,
    ).toBe('open');
    const order = (await call('get', `/api/v1/orders?intentId=${intent.id}`)).body.items[0];
    // Staging has no simulated fills: the route answers as an unknown one.
    const fill = await call('post', `/api/v1/orders/${order.id}/simulated-fills`, { quantity: 1 });
    expect(fill.status).toBe(404);
    expect(fill.body.detail).toBe(`Cannot POST /api/v1/orders/${order.id}/simulated-fills`);
    expect((await call('post', `/api/v1/orders/${order.id}/refresh`)).status).toBe(200);
    expect((await call('post', `/api/v1/trade-intents/${intent.id}/cancel`)).status).toBe(200);
    expect((await call('delete', `/api/v1/broker-connections/${third.id}`)).status).toBe(204);

    // Refused requests carrying tokens: duplicate, malformed, unknown fields, oversized.
    expect(
      (
        await call('post', '/api/v1/broker-connections', {
          broker: 'paper',
          accountRef: first.accountRef,
          accessToken: secret('dup'),
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call('post', '/api/v1/broker-connections', {
          broker: 'nope',
          accountRef: 'bad ref',
          accessToken: secret('bad'),
          token: secret('extra'),
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('put', `/api/v1/broker-connections/${second.id}/tokens`, { accessToken: secret('x').repeat(200) }))
        .status,
    ).toBe(400);

    // A request's access log line is written once its response has left: wait for the last ones.
    const logged = () => server.output().match(/"msg":"request completed"/g)?.length ?? 0;
    for (const deadline = Date.now() + 10_000; logged() < responses.length && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const everything = { responses: responses.join('\n'), logs: server.output() };
    const audit = await withDatabase(
      async (db) => (await db.query('SELECT entity, action, before, after FROM audit_events')).rows,
      databaseUrl,
    );
    expect(
      audit
        .filter((e) => e.entity === 'broker_connection')
        .map((e) => e.action)
        .sort(),
    ).toEqual(['create', 'create', 'create', 'delete', 'replace-tokens']);
    const ciphertexts = (await tokenRows()).flatMap((r) =>
      [r.access_token, r.refresh_token].filter(Boolean),
    ) as Buffer[];
    const auditText = JSON.stringify(audit);
    for (const value of secrets) {
      expect(everything.responses).not.toContain(value);
      expect(everything.logs).not.toContain(value);
      expect(auditText).not.toContain(value);
    }
    for (const sealed of ciphertexts) {
      for (const encoding of ['hex', 'base64'] as const) {
        const text = sealed.toString(encoding);
        expect(everything.responses).not.toContain(text);
        expect(everything.logs).not.toContain(text);
        expect(auditText).not.toContain(text);
      }
    }
    // The search looked at real output: every request was logged, at the most verbose level.
    expect(everything.logs.match(/"msg":"request completed"/g)?.length).toBeGreaterThanOrEqual(responses.length);
    expect(everything.logs).toContain('"stage":"staging"');
  });

  it('stores AES-256-GCM ciphertext that only the key ring opens, bound to its row and field', async () => {
    const ring = new TokenCipher(TokenKeyRing.parse(`1:${k1}`));
    const rows = await tokenRows();
    expect(rows).toHaveLength(2); // the third connection was deleted with its tokens
    for (const row of rows) {
      expect(row.key_version).toBe(1);
      const access = ring.decrypt(row.access_token, 1, `broker_tokens:${row.id}:access`);
      expect(secrets).toContain(access);
      expect(row.access_token).toHaveLength(12 + 16 + Buffer.byteLength(access));
      expect(row.access_token.includes(Buffer.from(access))).toBe(false);
      if (row.refresh_token)
        expect(secrets).toContain(ring.decrypt(row.refresh_token, 1, `broker_tokens:${row.id}:refresh`));
      expect(() => ring.decrypt(row.access_token, 1, `broker_tokens:${row.id}:refresh`)).toThrow();
      expect(() =>
        ring.decrypt(row.access_token, 1, `broker_tokens:${rows.find((r) => r.id !== row.id).id}:access`),
      ).toThrow();
    }
  });

  it('moves every row to the newest key with `tokens:reencrypt`, in batches, idempotently', async () => {
    // One more connection, so that a batch size of 2 takes two batches.
    const extra = await call('post', '/api/v1/broker-connections', {
      broker: 'paper',
      accountRef: uniqueAccountRef(),
      accessToken: secret('access'),
    });
    expect(extra.status).toBe(201);
    const before = await tokenRows();
    const plain = (cipher: TokenCipher, row: (typeof before)[number], version: number) => ({
      access: cipher.decrypt(row.access_token, version, `broker_tokens:${row.id}:access`),
      refresh: row.refresh_token && cipher.decrypt(row.refresh_token, version, `broker_tokens:${row.id}:refresh`),
    });
    const rotated = new TokenCipher(TokenKeyRing.parse(`1:${k1},2:${k2}`));
    const expected = before.map((row) => plain(rotated, row, 1));

    const run = await runCli('src/cli/reencrypt-tokens.ts', ['--batch-size', '2'], stageEnv(`2:${k2},1:${k1}`));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(
      'key version 2: re-encrypted 3 token rows in 2 batches; 0 rows remain under older keys',
    );

    const after = await tokenRows();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    after.forEach((row, i) => {
      expect(row.key_version).toBe(2);
      expect(row.access_token.equals(before[i].access_token)).toBe(false);
      expect(plain(rotated, row, 2)).toEqual(expected[i]);
      expect(() => plain(rotated, row, 1)).toThrow();
    });

    const again = await runCli('src/cli/reencrypt-tokens.ts', [], stageEnv(`1:${k1},2:${k2}`));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('re-encrypted 0 token rows in 0 batches; 0 rows remain');
    expect((await tokenRows()).map((r) => r.access_token)).toEqual(after.map((r) => r.access_token));

    // A ring without the rows' key fails loudly, naming the row, and changes nothing.
    const lost = await runCli('src/cli/reencrypt-tokens.ts', [], stageEnv(`3:${k3}`));
    expect(lost.code).toBe(1);
    expect(lost.stderr).toMatch(
      /broker_tokens row [0-9a-f-]{36} \(key version 2\) cannot be decrypted: token encryption key version 2 is not in TOKEN_ENCRYPTION_KEYS/,
    );
    expect(lost.stderr).not.toContain(k3);
    expect((await tokenRows()).map((r) => r.key_version)).toEqual([2, 2, 2]);

    // The service, restarted on the new ring, opens the re-encrypted tokens to place orders.
    await server.stop();
    server = await startServerProcess(stageEnv(`1:${k1},2:${k2}`));
    const kept = connections[1];
    expect((await call('get', `/api/v1/broker-connections/${kept.id}`)).body.keyVersion).toBe(2);
    const intent = (await call('post', '/api/v1/trade-intents', LIMIT_BUY)).body;
    expect(
      (await call('post', `/api/v1/trade-intents/${intent.id}/submit`, { connectionId: kept.id })).body.status,
    ).toBe('open');
  }, 120_000);
});
