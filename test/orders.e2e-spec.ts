import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from './support/app';
import { auditEvents, withFailingAuditInserts } from './support/audit';
import { connectBroker, createIntent, orderOf, simulateFill, submitIntent } from './support/trading';
import { registerUser, TestUser } from './support/users';

describe('orders', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let paper: { id: string };
  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([registerUser(t), registerUser(t)]);
    paper = await connectBroker(t, alice);
  });
  afterAll(() => t.close());

  /** Submits a new intent and answers its order. */
  async function placeOrder(user: TestUser, connectionId: string, body: Record<string, unknown> = {}) {
    const intent = await createIntent(t, user, body);
    await submitIntent(t, user, intent.id, connectionId).expect(200);
    return orderOf(t, user, intent.id);
  }
  const intentStatus = async (user: TestUser, id: string) =>
    (await t.http().get(`/api/v1/trade-intents/${id}`).set('authorization', user.auth).expect(200)).body.status;

  describe('list and get', () => {
    it('lists the caller’s orders newest first, by intent and by status, a page at a time', async () => {
      const carol = await registerUser(t);
      const conn = await connectBroker(t, carol);
      const first = await placeOrder(carol, conn.id);
      const second = await placeOrder(carol, conn.id);
      const third = await placeOrder(carol, conn.id);
      await simulateFill(t, carol, second.id, { quantity: 10 }).expect(200);

      const page = await t
        .http()
        .get('/api/v1/orders')
        .query({ limit: 2 })
        .set('authorization', carol.auth)
        .expect(200);
      expect(page.body.items.map((o: { id: string }) => o.id)).toEqual([third.id, second.id]);
      const rest = await t
        .http()
        .get('/api/v1/orders')
        .query({ limit: 2, cursor: page.body.nextCursor })
        .set('authorization', carol.auth)
        .expect(200);
      expect(rest.body).toEqual({ items: [first], nextCursor: null });

      const open = await t
        .http()
        .get('/api/v1/orders')
        .query({ status: 'open' })
        .set('authorization', carol.auth)
        .expect(200);
      expect(open.body.items.map((o: { id: string }) => o.id)).toEqual([third.id, first.id]);
      const byIntent = await t
        .http()
        .get('/api/v1/orders')
        .query({ intentId: second.intentId })
        .set('authorization', carol.auth)
        .expect(200);
      expect(byIntent.body.items).toEqual([expect.objectContaining({ id: second.id, status: 'filled' })]);
      // Another user's intent id filters down to nothing.
      const foreign = await t
        .http()
        .get('/api/v1/orders')
        .query({ intentId: second.intentId })
        .set('authorization', bob.auth)
        .expect(200);
      expect(foreign.body).toEqual({ items: [], nextCursor: null });
    });

    it('answers 400 for a malformed filter', async () => {
      await t.http().get('/api/v1/orders').query({ intentId: 'x' }).set('authorization', alice.auth).expect(400);
      await t.http().get('/api/v1/orders').query({ status: 'submitted' }).set('authorization', alice.auth).expect(400);
      await t.http().get('/api/v1/orders').query({ limit: 101 }).set('authorization', alice.auth).expect(400);
    });

    it('gets one order; another user’s or an unknown id is 404, a malformed one 400', async () => {
      const order = await placeOrder(alice, paper.id);
      const res = await t.http().get(`/api/v1/orders/${order.id}`).set('authorization', alice.auth).expect(200);
      expect(res.body).toEqual({
        id: order.id,
        intentId: expect.any(String),
        connectionId: paper.id,
        brokerOrderId: expect.stringMatching(/^PAPER-/),
        status: 'open',
        quantity: 10,
        filledQuantity: 0,
        averagePrice: null,
        placedAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      await t.http().get(`/api/v1/orders/${order.id}`).set('authorization', bob.auth).expect(404);
      await t.http().get(`/api/v1/orders/${randomUUID()}`).set('authorization', alice.auth).expect(404);
      await t.http().get('/api/v1/orders/x').set('authorization', alice.auth).expect(400);
      await t.http().get(`/api/v1/orders/${order.id}`).expect(401);
    });
  });

  describe('simulated fills (paper broker)', () => {
    it('fills in parts at exact volume-weighted average prices; the intent follows', async () => {
      const order = await placeOrder(alice, paper.id, { quantity: 3, limitPrice: '0.3' });
      const first = await simulateFill(t, alice, order.id, { quantity: 1, price: '0.1' }).expect(200);
      expect(first.body).toMatchObject({ status: 'partially_filled', filledQuantity: 1, averagePrice: '0.1000' });
      expect(await intentStatus(alice, order.intentId)).toBe('partially_filled');

      const second = await simulateFill(t, alice, order.id, { quantity: 1, price: '0.2' }).expect(200);
      expect(second.body).toMatchObject({ status: 'partially_filled', filledQuantity: 2, averagePrice: '0.1500' });

      // Without a price a LIMIT order fills at its limit: (0.1 + 0.2 + 0.3) / 3 = 0.2 exactly.
      const last = await simulateFill(t, alice, order.id, { quantity: 1 }).expect(200);
      expect(last.body).toMatchObject({ status: 'filled', filledQuantity: 3, averagePrice: '0.2000' });
      expect(await intentStatus(alice, order.intentId)).toBe('filled');

      const again = await simulateFill(t, alice, order.id, { quantity: 1 }).expect(409);
      expect(again.body.detail).toBe('The order is filled; only open or partially filled orders fill.');

      const events = await auditEvents(t, alice, 'trade_intent');
      expect(events.slice(0, 3).map((e) => e.action)).toEqual(['fill', 'fill', 'fill']);
      expect(events[0]).toMatchObject({
        before: { orderId: order.id, status: 'partially_filled', filledQuantity: 2, averagePrice: '0.1500' },
        after: { orderId: order.id, status: 'filled', filledQuantity: 3, averagePrice: '0.2000' },
      });
    });

    it('rolls back a fill (the order and its intent) when its audit insert fails', async () => {
      const carol = await registerUser(t);
      const connection = await connectBroker(t, carol);
      const order = await placeOrder(carol, connection.id, { quantity: 3 });
      await withFailingAuditInserts(carol.id, async () => {
        await simulateFill(t, carol, order.id, { quantity: 3 }).expect(500);
      });
      const still = await t.http().get(`/api/v1/orders/${order.id}`).set('authorization', carol.auth).expect(200);
      expect(still.body).toEqual(order);
      expect(await intentStatus(carol, order.intentId)).toBe('open');
    });

    it('rounds the average price half up to 4 decimals, at 14 integer digits', async () => {
      const order = await placeOrder(alice, paper.id, { orderType: 'MARKET', limitPrice: undefined, quantity: 3 });
      await simulateFill(t, alice, order.id, { quantity: 2, price: '99999999999999.9999' }).expect(200);
      const res = await simulateFill(t, alice, order.id, { quantity: 1, price: '99999999999999.9998' }).expect(200);
      // (2 × …9999 + …9998) / 3 = 99999999999999.99986666…
      expect(res.body).toMatchObject({ status: 'filled', averagePrice: '99999999999999.9999' });
    });

    it.each([
      ['more than is open', { quantity: 11 }, {}, 'quantity', 'only 10 of 10 are still open'],
      [
        'a BUY limit filled above its limit',
        { quantity: 1, price: '2500.5001' },
        {},
        'price',
        'a BUY LIMIT order fills at or below its limit price 2500.5000',
      ],
      [
        'a SELL limit filled below its limit',
        { quantity: 1, price: '2500.4999' },
        { side: 'SELL' },
        'price',
        'a SELL LIMIT order fills at or above its limit price 2500.5000',
      ],
      [
        'a MARKET order without a price',
        { quantity: 1 },
        { orderType: 'MARKET', limitPrice: undefined },
        'price',
        'a fill of a MARKET order needs a price',
      ],
    ])('answers 422 for %s', async (_name, fill, intent, field, message) => {
      const order = await placeOrder(alice, paper.id, intent);
      const res = await simulateFill(t, alice, order.id, fill).expect(422);
      expect(res.body.errors).toEqual([{ field, message }]);
      expect((await t.http().get(`/api/v1/orders/${order.id}`).set('authorization', alice.auth)).body).toEqual(order);
    });

    it.each([
      ['a zero quantity', { quantity: 0 }],
      ['a price as number', { quantity: 1, price: 2500 }],
      ['an unknown field', { quantity: 1, status: 'filled' }],
    ])('answers 400 for %s', async (_name, body) => {
      const order = await placeOrder(alice, paper.id);
      await simulateFill(t, alice, order.id, body).expect(400);
    });

    it('refuses cancelled orders (409) and another user’s (404)', async () => {
      const order = await placeOrder(alice, paper.id);
      await simulateFill(t, alice, order.id, { quantity: 1 }).set('authorization', bob.auth).expect(404);
      await t
        .http()
        .post(`/api/v1/trade-intents/${order.intentId}/cancel`)
        .set('authorization', alice.auth)
        .expect(200);
      await simulateFill(t, alice, order.id, { quantity: 1 }).expect(409);
      await simulateFill(t, alice, randomUUID(), { quantity: 1 }).expect(404);
    });

    it('never loses a fill when fills race', async () => {
      const order = await placeOrder(alice, paper.id, { quantity: 20, limitPrice: '100' });
      const results = await Promise.all(
        Array.from({ length: 8 }, () => simulateFill(t, alice, order.id, { quantity: 2 })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      const final = await t.http().get(`/api/v1/orders/${order.id}`).set('authorization', alice.auth).expect(200);
      expect(final.body).toMatchObject({ filledQuantity: 16, status: 'partially_filled', averagePrice: '100.0000' });
    });
  });

  describe('refresh', () => {
    it('asks the paper broker, which has nothing new: unchanged, not audited', async () => {
      const dave = await registerUser(t);
      const conn = await connectBroker(t, dave);
      const intent = await createIntent(t, dave);
      await submitIntent(t, dave, intent.id, conn.id).expect(200);
      const order = await orderOf(t, dave, intent.id);
      await simulateFill(t, dave, order.id, { quantity: 5 }).expect(200);
      const filled = await orderOf(t, dave, intent.id);

      const res = await t.http().post(`/api/v1/orders/${order.id}/refresh`).set('authorization', dave.auth).expect(200);
      expect(res.body).toEqual(filled);
      expect((await auditEvents(t, dave, 'trade_intent')).map((e) => e.action)).toEqual(['fill', 'submit', 'create']);

      await t.http().post(`/api/v1/trade-intents/${intent.id}/cancel`).set('authorization', dave.auth).expect(200);
      const final = await t
        .http()
        .post(`/api/v1/orders/${order.id}/refresh`)
        .set('authorization', dave.auth)
        .expect(200);
      expect(final.body).toMatchObject({ status: 'cancelled', filledQuantity: 5 });
    });

    it('answers 404 for another user’s order and 400 for a malformed id', async () => {
      const order = await placeOrder(alice, paper.id);
      await t.http().post(`/api/v1/orders/${order.id}/refresh`).set('authorization', bob.auth).expect(404);
      await t.http().post('/api/v1/orders/nope/refresh').set('authorization', alice.auth).expect(400);
    });
  });
});
