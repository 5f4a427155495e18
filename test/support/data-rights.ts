import { randomBytes, randomInt } from 'node:crypto';
import type { Client } from 'pg';
import type { Test } from 'supertest';
import type { TestApp } from './app';
import { connectBroker, createIntent, submitIntent, uniqueAccountRef, uniqueToken } from './trading';
import { registerUser, type TestUser } from './users';

/** Upper-case letters no other spec writes, so that finding one anywhere is meaningful. */
const uniqueSymbol = () => `ZQ${randomBytes(6).toString('hex').toUpperCase()}`;

/** A user with a row in every table that holds user data, sent from their own IP and user agent. */
export interface SeededUser extends TestUser {
  name: string;
  ip: string;
  userAgent: string;
  symbols: { watchlist: string; insight: string; imported: string; intent: string; snapshot: string };
  notes: string;
  deviceId: string;
  accountRef: string;
  brokerAccessToken: string;
  insightId: string;
  /** Every value above that identifies the person or their data: none may stay readable after the erasure. */
  markers: string[];
}

/**
 * Registers a user and gives them a row in every table with user data, through the API: profile,
 * preferences, watchlist, a dismissed insight, a localStorage import, a broker connection (its
 * tokens), a trade intent and its order, a portfolio snapshot, refresh tokens, and the audit events
 * of all that. Every request comes from the user's own IP (the app must trust X-Forwarded-For) and
 * user agent. `as(user, request)` sends a request as them.
 */
export async function seedEveryTable(t: TestApp): Promise<SeededUser> {
  const name = `Quorra ${randomBytes(5).toString('hex')}`;
  const registered = await registerUser(t);
  const ip = `2001:db8:${randomInt(0x10000).toString(16)}:${randomInt(0x10000).toString(16)}::7`;
  const userAgent = `DataRightsSpec/${randomBytes(6).toString('hex')}`;
  const symbols = {
    watchlist: uniqueSymbol(),
    insight: uniqueSymbol(),
    imported: uniqueSymbol(),
    intent: uniqueSymbol(),
    snapshot: uniqueSymbol(),
  };
  const notes = `note ${randomBytes(6).toString('hex')}`;
  const deviceId = `device-${randomBytes(6).toString('hex')}`;
  const accountRef = uniqueAccountRef();
  const brokerAccessToken = uniqueToken('access');
  const insightId = `insight:momentum:${symbols.insight}:2026-11-20`;
  const user: SeededUser = {
    ...registered,
    name,
    ip,
    userAgent,
    symbols,
    notes,
    deviceId,
    accountRef,
    brokerAccessToken,
    insightId,
    markers: [registered.email, name, ip, userAgent, ...Object.values(symbols), notes, deviceId, accountRef],
  };
  const as = (request: Test) =>
    request.set('authorization', user.auth).set('x-forwarded-for', ip).set('user-agent', userAgent);

  await as(t.http().patch('/api/v1/users/me')).send({ name }).expect(200);
  await as(t.http().patch('/api/v1/preferences')).send({ riskProfile: 'Aggressive' }).expect(200);
  await as(t.http().post('/api/v1/watchlist')).send({ symbol: symbols.watchlist, notes }).expect(201);
  await as(t.http().post(`/api/v1/insights/${encodeURIComponent(insightId)}/dismiss`)).expect(201);
  await as(t.http().post('/api/v1/migrations/local-storage'))
    .send({ entries: { arise_watchlist: JSON.stringify([symbols.imported]), arise_risk: 'Aggressive' }, deviceId })
    .expect(200);
  const connection = await connectBroker(t, user, { accountRef, accessToken: brokerAccessToken });
  const intent = await createIntent(t, user, { symbol: symbols.intent });
  await submitIntent(t, user, intent.id, connection.id).expect(200);
  await as(t.http().post('/api/v1/portfolio/snapshots'))
    .send({ cash: '10', holdings: [{ symbol: symbols.snapshot, quantity: '1', averagePrice: '1', lastPrice: '2' }] })
    .expect(201);
  return user;
}

/**
 * Every text, varchar, jsonb, text[] and bytea column of every table of the public schema, with the
 * number of its rows that contain `marker` in readable form (bytea as escaped text).
 */
export async function findEverywhere(db: Client, marker: string): Promise<string[]> {
  const { rows: columns } = await db.query<{ table: string; column: string; type: string }>(
    `SELECT c.table_name AS table, c.column_name AS column, c.data_type AS type
       FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'bytea')
      ORDER BY 1, 2`,
  );
  expect(columns.length).toBeGreaterThan(20);
  const found: string[] = [];
  for (const { table, column, type } of columns) {
    const text = type === 'bytea' ? `encode("${column}", 'escape')` : `"${column}"::text`;
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE strpos(lower(${text}), lower($1)) > 0`,
      [marker],
    );
    if (rows[0].n > 0) found.push(`${table}.${column}`);
  }
  return found;
}
