import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from './support/app';
import { auditEvents, withFailingAuditInserts } from './support/audit';
import { withDatabase } from './support/database';
import { fieldsOf } from './support/problem';
import {
  cancelIntent,
  connectBroker,
  createIntent,
  LIMIT_BUY,
  orderOf,
  simulateFill,
  submitIntent,
} from './support/trading';
import { registerUser, TestUser } from './support/users';

describe('trade intents', () => {
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

  const post = (user: TestUser, body: Record<string, unknown>) =>
    t.http().post('/api/v1/trade-intents').set('authorization', user.auth).send(body);
  const ordersOfIntent = (intentId: string) =>
    withDatabase(
      async (db) =>
        (await db.query('SELECT status, filled_quantity FROM broker_orders WHERE intent_id = $1', [intentId])).rows,
    );

  describe('create', () => {
    it('creates a draft with normalised symbol, default exchange and exact decimal prices', async () => {
      const res = await post(alice, { ...LIMIT_BUY, symbol: '  m&m ', limitPrice: '12345678901234.5678' }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        symbol: 'M&M',
        exchange: 'NSE',
        side: 'BUY',
        quantity: 10,
        orderType: 'LIMIT',
        limitPrice: '12345678901234.5678',
        triggerPrice: null,
        product: 'CNC',
        mode: 'Swing',
        status: 'draft',
        statusReason: null,
        connectionId: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        submittedAt: null,
      });
      const got = await t
        .http()
        .get(`/api/v1/trade-intents/${res.body.id}`)
        .set('authorization', alice.auth)
        .expect(200);
      expect(got.body).toEqual(res.body);
    });

    it.each([
      ['MARKET', {}, { limitPrice: null, triggerPrice: null }],
      ['LIMIT', { limitPrice: '0.05' }, { limitPrice: '0.0500', triggerPrice: null }],
      // A SELL stop-loss triggers at or above its limit.
      ['SL', { limitPrice: '100.5', triggerPrice: '101' }, { limitPrice: '100.5000', triggerPrice: '101.0000' }],
      ['SL-M', { triggerPrice: '99.95' }, { limitPrice: null, triggerPrice: '99.9500' }],
    ])('creates a %s order with the prices it takes', async (orderType, prices, expected) => {
      const { limitPrice: _l, ...base } = LIMIT_BUY;
      const res = await post(alice, {
        ...base,
        orderType,
        exchange: 'BSE',
        side: 'SELL',
        quantity: 1_000_000_000_000,
        ...prices,
      }).expect(201);
      expect(res.body).toMatchObject({
        orderType,
        exchange: 'BSE',
        side: 'SELL',
        quantity: 1_000_000_000_000,
        ...expected,
      });
    });

    it.each([
      ['MARKET with a limit price', { orderType: 'MARKET' }, ['limitPrice']],
      [
        'MARKET with a trigger price',
        { orderType: 'MARKET', limitPrice: undefined, triggerPrice: '10' },
        ['triggerPrice'],
      ],
      ['LIMIT without a limit price', { limitPrice: undefined }, ['limitPrice']],
      ['LIMIT with a trigger price', { triggerPrice: '2400' }, ['triggerPrice']],
      ['SL without a trigger price', { orderType: 'SL' }, ['triggerPrice']],
      ['SL without any price', { orderType: 'SL', limitPrice: undefined }, ['limitPrice', 'triggerPrice']],
      ['SL BUY triggering above its limit', { orderType: 'SL', triggerPrice: '2500.5001' }, ['triggerPrice']],
      [
        'SL SELL triggering below its limit',
        { orderType: 'SL', side: 'SELL', triggerPrice: '2500.4999' },
        ['triggerPrice'],
      ],
      ['SL-M with a limit price', { orderType: 'SL-M', triggerPrice: '2400' }, ['limitPrice']],
      ['SL-M without a trigger price', { orderType: 'SL-M', limitPrice: undefined }, ['triggerPrice']],
    ])('answers 422 for %s', async (_name, patch, fields) => {
      const res = await post(alice, { ...LIMIT_BUY, ...patch }).expect(422);
      expect(res.body.type).toBe('urn:fyntrix:problem:rule-violated');
      expect(fieldsOf(res)).toEqual(fields);
    });

    it.each([
      ['a JSON number as price', { limitPrice: 2500.5 }, 'limitPrice'],
      ['a zero price', { limitPrice: '0.0000' }, 'limitPrice'],
      ['a negative price', { limitPrice: '-1' }, 'limitPrice'],
      ['five decimals', { limitPrice: '1.00001' }, 'limitPrice'],
      ['fifteen integer digits', { limitPrice: '123456789012345' }, 'limitPrice'],
      ['an exponent', { limitPrice: '1e3' }, 'limitPrice'],
      ['a trigger price as number', { orderType: 'SL-M', limitPrice: undefined, triggerPrice: 10 }, 'triggerPrice'],
      ['a symbol with spaces inside', { symbol: 'TATA MOTORS' }, 'symbol'],
      ['a symbol over 32 characters', { symbol: 'A'.repeat(33) }, 'symbol'],
      ['an empty symbol', { symbol: '   ' }, 'symbol'],
      ['an unknown exchange', { exchange: 'LSE' }, 'exchange'],
      ['an unknown side', { side: 'HOLD' }, 'side'],
      ['zero quantity', { quantity: 0 }, 'quantity'],
      ['a fractional quantity', { quantity: 1.5 }, 'quantity'],
      ['a quantity as string', { quantity: '10' }, 'quantity'],
      ['a quantity over 10^12', { quantity: 1_000_000_000_001 }, 'quantity'],
      ['an unknown order type', { orderType: 'STOP' }, 'orderType'],
      ['an unknown product', { product: 'MTF' }, 'product'],
      ['an unknown mode', { mode: 'Scalping' }, 'mode'],
      ['an unknown field', { status: 'filled' }, 'status'],
    ])('answers 400 for %s', async (_name, patch, field) => {
      const res = await post(alice, { ...LIMIT_BUY, ...patch }).expect(400);
      expect(fieldsOf(res)).toContain(field);
    });

    it('answers 401 without a token', async () => {
      await post({ auth: '' } as TestUser, LIMIT_BUY).expect(401);
    });
  });

  describe('list and get', () => {
    it('lists the caller’s intents newest first, by status, a page at a time', async () => {
      const carol = await registerUser(t);
      const conn = await connectBroker(t, carol);
      const a = await createIntent(t, carol);
      const b = await createIntent(t, carol);
      const c = await createIntent(t, carol);
      await submitIntent(t, carol, b.id, conn.id).expect(200);

      const all = await t
        .http()
        .get('/api/v1/trade-intents')
        .query({ limit: 2 })
        .set('authorization', carol.auth)
        .expect(200);
      expect(all.body.items.map((i: { id: string }) => i.id)).toEqual([c.id, b.id]);
      const rest = await t
        .http()
        .get('/api/v1/trade-intents')
        .query({ limit: 2, cursor: all.body.nextCursor })
        .set('authorization', carol.auth)
        .expect(200);
      expect(rest.body).toEqual({ items: [a], nextCursor: null });

      const drafts = await t
        .http()
        .get('/api/v1/trade-intents')
        .query({ status: 'draft' })
        .set('authorization', carol.auth)
        .expect(200);
      expect(drafts.body.items.map((i: { id: string }) => i.id)).toEqual([c.id, a.id]);
      const open = await t
        .http()
        .get('/api/v1/trade-intents')
        .query({ status: 'open' })
        .set('authorization', carol.auth)
        .expect(200);
      expect(open.body.items.map((i: { id: string }) => i.id)).toEqual([b.id]);
      await t
        .http()
        .get('/api/v1/trade-intents')
        .query({ status: 'done' })
        .set('authorization', carol.auth)
        .expect(400);
    });

    it('keeps another user’s intents out of reach (404)', async () => {
      const mine = await createIntent(t, alice);
      await t.http().get(`/api/v1/trade-intents/${mine.id}`).set('authorization', bob.auth).expect(404);
      await submitIntent(t, bob, mine.id, paper.id).expect(404);
      await cancelIntent(t, bob, mine.id).expect(404);
      const list = await t.http().get('/api/v1/trade-intents').set('authorization', bob.auth).expect(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(mine.id);
      await t.http().get(`/api/v1/trade-intents/${randomUUID()}`).set('authorization', alice.auth).expect(404);
      await t.http().get('/api/v1/trade-intents/123').set('authorization', alice.auth).expect(400);
    });
  });

  describe('submit', () => {
    it('places the order through the paper broker: the intent is open, the order recorded', async () => {
      const intent = await createIntent(t, alice);
      const res = await submitIntent(t, alice, intent.id, paper.id).expect(200);
      expect(res.body).toEqual({
        ...intent,
        status: 'open',
        connectionId: paper.id,
        submittedAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const order = await orderOf(t, alice, intent.id);
      expect(order).toMatchObject({
        status: 'open',
        quantity: 10,
        filledQuantity: 0,
        averagePrice: null,
        connectionId: paper.id,
      });
      expect(order.brokerOrderId).toMatch(/^PAPER-[0-9a-f-]{36}$/);
      const raw = await withDatabase(
        async (db) => (await db.query('SELECT raw_payload FROM broker_orders WHERE id = $1', [order.id])).rows[0],
      );
      expect(raw.raw_payload).toMatchObject({
        broker: 'paper',
        event: 'place',
        orderId: order.brokerOrderId,
        tag: intent.id,
      });

      const [event] = await auditEvents(t, alice, 'trade_intent');
      expect(event).toMatchObject({ action: 'submit', changedFields: ['connectionId', 'status'] });
      expect(event.before).toMatchObject({ id: intent.id, status: 'draft', connectionId: null });
      expect(event.after).toMatchObject({ id: intent.id, status: 'open', connectionId: paper.id });
    });

    it('records the paper broker’s rejection of CNC on a derivatives exchange', async () => {
      const intent = await createIntent(t, alice, {
        symbol: 'NIFTY25JANFUT',
        exchange: 'NFO',
        product: 'CNC',
        mode: 'Futures',
      });
      const res = await submitIntent(t, alice, intent.id, paper.id).expect(200);
      expect(res.body).toMatchObject({
        status: 'rejected',
        statusReason: 'CNC (delivery) is not available on NFO; use NRML or MIS',
      });
      expect((await orderOf(t, alice, intent.id)).status).toBe('rejected');
      const cancel = await cancelIntent(t, alice, intent.id).expect(409);
      expect(cancel.body.detail).toBe('The trade intent is rejected; it cannot be cancelled.');
    });

    it('answers 409 for an intent that is no longer a draft', async () => {
      const intent = await createIntent(t, alice);
      await submitIntent(t, alice, intent.id, paper.id).expect(200);
      const again = await submitIntent(t, alice, intent.id, paper.id).expect(409);
      expect(again.body.detail).toBe('The trade intent is open; it cannot be submitted.');
      const cancelled = await createIntent(t, alice);
      await cancelIntent(t, alice, cancelled.id).expect(200);
      await submitIntent(t, alice, cancelled.id, paper.id).expect(409);
      expect(await ordersOfIntent(cancelled.id)).toEqual([]);
    });

    it('needs a live connection of the caller (404) whose broker takes orders (422)', async () => {
      const intent = await createIntent(t, alice);
      const bobs = await connectBroker(t, bob);
      await submitIntent(t, alice, intent.id, bobs.id).expect(404);
      await submitIntent(t, alice, intent.id, randomUUID()).expect(404);
      const revoked = await connectBroker(t, alice);
      await t.http().delete(`/api/v1/broker-connections/${revoked.id}`).set('authorization', alice.auth).expect(204);
      await submitIntent(t, alice, intent.id, revoked.id).expect(404);
      const zerodha = await connectBroker(t, alice, { broker: 'zerodha' });
      const unsupported = await submitIntent(t, alice, intent.id, zerodha.id).expect(422);
      expect(unsupported.body.errors).toEqual([
        { field: 'connectionId', message: 'broker zerodha has no order integration yet; orders can go through: paper' },
      ]);
      await submitIntent(t, alice, intent.id, 'not-a-uuid').expect(400);
      await t
        .http()
        .post(`/api/v1/trade-intents/${intent.id}/submit`)
        .set('authorization', alice.auth)
        .send({})
        .expect(400);
      // Nothing moved.
      const still = await t
        .http()
        .get(`/api/v1/trade-intents/${intent.id}`)
        .set('authorization', alice.auth)
        .expect(200);
      expect(still.body).toEqual(intent);
      expect(await ordersOfIntent(intent.id)).toEqual([]);
    });
  });

  describe('cancel', () => {
    it('cancels a draft, once', async () => {
      const intent = await createIntent(t, alice);
      const res = await cancelIntent(t, alice, intent.id).expect(200);
      expect(res.body).toMatchObject({ id: intent.id, status: 'cancelled', connectionId: null });
      const again = await cancelIntent(t, alice, intent.id).expect(409);
      expect(again.body.detail).toBe('The trade intent is cancelled; it cannot be cancelled.');
      const [event] = await auditEvents(t, alice, 'trade_intent');
      expect(event).toMatchObject({ action: 'cancel', changedFields: ['status'] });
    });

    it('cancels an open intent together with its order at the broker', async () => {
      const intent = await createIntent(t, alice);
      await submitIntent(t, alice, intent.id, paper.id).expect(200);
      await cancelIntent(t, alice, intent.id).expect(200);
      expect(await orderOf(t, alice, intent.id)).toMatchObject({ status: 'cancelled', filledQuantity: 0 });
    });

    it('cancels a partially filled intent; the filled units stay filled', async () => {
      const intent = await createIntent(t, alice);
      await submitIntent(t, alice, intent.id, paper.id).expect(200);
      const order = await orderOf(t, alice, intent.id);
      await simulateFill(t, alice, order.id, { quantity: 4 }).expect(200);
      const partial = await t
        .http()
        .get(`/api/v1/trade-intents/${intent.id}`)
        .set('authorization', alice.auth)
        .expect(200);
      expect(partial.body.status).toBe('partially_filled');
      await cancelIntent(t, alice, intent.id).expect(200);
      expect(await orderOf(t, alice, intent.id)).toMatchObject({
        status: 'cancelled',
        filledQuantity: 4,
        averagePrice: '2500.5000',
      });
    });

    it('answers 409 for a filled intent, and changes nothing', async () => {
      const intent = await createIntent(t, alice);
      await submitIntent(t, alice, intent.id, paper.id).expect(200);
      const order = await orderOf(t, alice, intent.id);
      await simulateFill(t, alice, order.id, { quantity: 10 }).expect(200);
      const res = await cancelIntent(t, alice, intent.id).expect(409);
      expect(res.body.detail).toBe('The trade intent is filled; it cannot be cancelled.');
      expect(await orderOf(t, alice, intent.id)).toMatchObject({ status: 'filled', filledQuantity: 10 });
    });
  });

  describe('atomicity: a submit or a cancel lands whole with its audit event, or not at all', () => {
    it('rolls back a submit (both moves and the order) when its audit insert fails', async () => {
      const carol = await registerUser(t);
      const connection = await connectBroker(t, carol);
      const intent = await createIntent(t, carol);
      await withFailingAuditInserts(carol.id, async () => {
        await submitIntent(t, carol, intent.id, connection.id).expect(500);
      });
      const still = await t.http().get(`/api/v1/trade-intents/${intent.id}`).set('authorization', carol.auth);
      expect(still.body).toEqual(intent);
      expect(await ordersOfIntent(intent.id)).toEqual([]);
      // Once the audit trail accepts it again, the same submit goes through.
      await submitIntent(t, carol, intent.id, connection.id).expect(200);
    });

    it('rolls back a cancel (the intent and its order) when its audit insert fails', async () => {
      const carol = await registerUser(t);
      const connection = await connectBroker(t, carol);
      const intent = await createIntent(t, carol);
      const open = (await submitIntent(t, carol, intent.id, connection.id).expect(200)).body;
      await withFailingAuditInserts(carol.id, async () => {
        await cancelIntent(t, carol, intent.id).expect(500);
      });
      const still = await t.http().get(`/api/v1/trade-intents/${intent.id}`).set('authorization', carol.auth);
      expect(still.body).toEqual(open);
      expect(await ordersOfIntent(intent.id)).toEqual([{ status: 'open', filled_quantity: '0' }]);
    });
  });

  describe('concurrency', () => {
    const ROUNDS = 8;

    it('lets exactly one of concurrent submits of one draft win, with one order', async () => {
      const intents = await Promise.all(Array.from({ length: ROUNDS }, () => createIntent(t, alice)));
      await Promise.all(
        intents.map(async (intent) => {
          const statuses = (await Promise.all([1, 2, 3].map(() => submitIntent(t, alice, intent.id, paper.id)))).map(
            (r) => r.status,
          );
          expect(statuses.sort()).toEqual([200, 409, 409]);
          expect(await ordersOfIntent(intent.id)).toEqual([{ status: 'open', filled_quantity: '0' }]);
        }),
      );
    });

    it('lets exactly one of concurrent cancels win', async () => {
      const intents = await Promise.all(Array.from({ length: ROUNDS }, () => createIntent(t, alice)));
      await Promise.all(
        intents.map(async (intent) => {
          const statuses = (await Promise.all([1, 2].map(() => cancelIntent(t, alice, intent.id)))).map(
            (r) => r.status,
          );
          expect(statuses.sort()).toEqual([200, 409]);
        }),
      );
    });

    it('serialises a submit and a cancel of one draft: never a 500, never a live order on a cancelled intent', async () => {
      const intents = await Promise.all(Array.from({ length: ROUNDS }, () => createIntent(t, alice)));
      await Promise.all(
        intents.map(async (intent) => {
          const [submit, cancel] = await Promise.all([
            submitIntent(t, alice, intent.id, paper.id),
            cancelIntent(t, alice, intent.id),
          ]);
          const final = await t
            .http()
            .get(`/api/v1/trade-intents/${intent.id}`)
            .set('authorization', alice.auth)
            .expect(200);
          expect(final.body.status).toBe('cancelled');
          const orders = await ordersOfIntent(intent.id);
          if (submit.status === 409) {
            // The cancel won the draft: the submit found nothing to submit, no order exists.
            expect(cancel.status).toBe(200);
            expect(orders).toEqual([]);
          } else {
            // The submit won the draft; the cancel waited for it and then cancelled the open order.
            expect([submit.status, cancel.status]).toEqual([200, 200]);
            expect(orders).toEqual([{ status: 'cancelled', filled_quantity: '0' }]);
          }
        }),
      );
    });
  });
});
