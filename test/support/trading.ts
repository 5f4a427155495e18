import { randomBytes, randomUUID } from 'node:crypto';
import type { TestApp } from './app';
import type { TestUser } from './users';

/** A token value no other test uses, so finding it anywhere is meaningful. */
export const uniqueToken = (label = 'token') => `${label}-${randomBytes(24).toString('base64url')}`;

/** A fresh account reference (one live connection per broker account). */
export const uniqueAccountRef = () => `ACC-${randomUUID().slice(0, 8)}`;

/** Connects a broker account (paper by default) and returns the response body. */
export async function connectBroker(t: TestApp, user: TestUser, body: Record<string, unknown> = {}) {
  const res = await t
    .http()
    .post('/api/v1/broker-connections')
    .set('authorization', user.auth)
    .send({ broker: 'paper', accountRef: uniqueAccountRef(), accessToken: uniqueToken('access'), ...body })
    .expect(201);
  return res.body;
}

/** A draft LIMIT BUY of 10 RELIANCE at 2500.50 unless overridden. */
export const LIMIT_BUY = {
  symbol: 'RELIANCE',
  side: 'BUY',
  quantity: 10,
  orderType: 'LIMIT',
  limitPrice: '2500.50',
  product: 'CNC',
  mode: 'Swing',
};

export async function createIntent(t: TestApp, user: TestUser, body: Record<string, unknown> = {}) {
  const res = await t
    .http()
    .post('/api/v1/trade-intents')
    .set('authorization', user.auth)
    .send({ ...LIMIT_BUY, ...body })
    .expect(201);
  return res.body;
}

export function submitIntent(t: TestApp, user: TestUser, intentId: string, connectionId: string) {
  return t
    .http()
    .post(`/api/v1/trade-intents/${intentId}/submit`)
    .set('authorization', user.auth)
    .send({ connectionId });
}

export function cancelIntent(t: TestApp, user: TestUser, intentId: string) {
  return t.http().post(`/api/v1/trade-intents/${intentId}/cancel`).set('authorization', user.auth);
}

/** The one order of an intent. */
export async function orderOf(t: TestApp, user: TestUser, intentId: string) {
  const res = await t.http().get('/api/v1/orders').query({ intentId }).set('authorization', user.auth).expect(200);
  if (res.body.items.length !== 1) throw new Error(`intent ${intentId} has ${res.body.items.length} orders`);
  return res.body.items[0];
}

export function simulateFill(t: TestApp, user: TestUser, orderId: string, body: Record<string, unknown>) {
  return t.http().post(`/api/v1/orders/${orderId}/simulated-fills`).set('authorization', user.auth).send(body);
}
