import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from './support/app';
import { withDatabase } from './support/database';
import { readAllPages } from './support/pagination';
import { fieldsOf } from './support/problem';
import { connectBroker } from './support/trading';
import { registerUser, TestUser } from './support/users';

const holding = (symbol: string, quantity: string, lastPrice: string, extra: Record<string, unknown> = {}) => ({
  symbol,
  quantity,
  averagePrice: '1',
  lastPrice,
  ...extra,
});

describe('portfolio snapshots', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([registerUser(t), registerUser(t)]);
  });
  afterAll(() => t.close());

  const create = (user: TestUser, body: Record<string, unknown>) =>
    t.http().post('/api/v1/portfolio/snapshots').set('authorization', user.auth).send(body);

  describe('create', () => {
    it('computes every value and total on the server, exactly', async () => {
      const res = await create(alice, {
        cash: '0.1',
        holdings: [
          holding(' infy ', '25', '1502.8', { averagePrice: '1450.25' }),
          holding('M&M', '0.1', '2', { exchange: 'BSE' }),
        ],
      }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        connectionId: null,
        takenAt: expect.any(String),
        cash: '0.1000',
        holdings: [
          {
            symbol: 'INFY',
            exchange: 'NSE',
            quantity: '25.0000',
            averagePrice: '1450.2500',
            lastPrice: '1502.8000',
            value: '37570.0000',
          },
          {
            symbol: 'M&M',
            exchange: 'BSE',
            quantity: '0.1000',
            averagePrice: '1.0000',
            lastPrice: '2.0000',
            value: '0.2000',
          },
        ],
        holdingsValue: '37570.2000',
        totalValue: '37570.3000',
        createdAt: expect.any(String),
      });
      expect(Math.abs(Date.parse(res.body.takenAt) - Date.now())).toBeLessThan(60_000);
    });

    it('adds 0.1 and 0.2 to exactly 0.3 (a float would give 0.30000000000000004)', async () => {
      const res = await create(alice, {
        cash: '0',
        holdings: [holding('A', '1', '0.1'), holding('B', '1', '0.2')],
      }).expect(201);
      expect(res.body).toMatchObject({ holdingsValue: '0.3000', totalValue: '0.3000' });
      const ten = await create(alice, {
        cash: '-0.3',
        holdings: Array.from({ length: 10 }, (_, i) => holding(`S${i}`, '1', '0.1')),
      }).expect(201);
      expect(ten.body).toMatchObject({ cash: '-0.3000', holdingsValue: '1.0000', totalValue: '0.7000' });
    });

    it('round-trips 18- and 24-digit amounts exactly', async () => {
      const cash = '123456789012345678.1234';
      const res = await create(alice, {
        cash,
        holdings: [holding('BIG', '999999999999.9999', '99999999.9999', { averagePrice: '123456789012.3456' })],
      }).expect(201);
      // 999999999999.9999 × 99999999.9999 = 99999999999899990000.00000001, rounded to 4 decimals
      expect(res.body).toMatchObject({
        cash,
        holdings: [expect.objectContaining({ averagePrice: '123456789012.3456', value: '99999999999899990000.0000' })],
        holdingsValue: '99999999999899990000.0000',
        totalValue: '100123456788912335678.1234',
      });
      const stored = await withDatabase(
        async (db) =>
          (await db.query('SELECT cash::text, total_value::text FROM portfolio_snapshots WHERE id = $1', [res.body.id]))
            .rows[0],
      );
      expect(stored).toEqual({ cash, total_value: '100123456788912335678.1234' });
      const got = await t
        .http()
        .get(`/api/v1/portfolio/snapshots/${res.body.id}`)
        .set('authorization', alice.auth)
        .expect(200);
      expect(got.body).toEqual(res.body);

      // The largest holding value there is: 24 digits before the point.
      const largest = await create(alice, {
        cash: '0',
        holdings: [holding('MAX', '999999999999.9999', '999999999999.9999')],
      }).expect(201);
      expect(largest.body.totalValue).toBe('999999999999999800000000.0000');
    });

    it('rounds each holding’s value half up to 4 decimals before summing', async () => {
      const res = await create(alice, {
        cash: '0',
        holdings: [holding('A', '0.0001', '0.5'), holding('B', '0.0001', '0.4999')],
      }).expect(201);
      // 0.00005 → 0.0001; 0.00004999 → 0.0000
      expect(res.body.holdings.map((h: { value: string }) => h.value)).toEqual(['0.0001', '0.0000']);
      expect(res.body.holdingsValue).toBe('0.0001');
    });

    it('takes an empty portfolio, a given takenAt and a connection of the caller', async () => {
      const conn = await connectBroker(t, alice);
      const res = await create(alice, {
        cash: '5',
        holdings: [],
        takenAt: '2024-03-01T09:15:00+05:30',
        connectionId: conn.id,
      }).expect(201);
      expect(res.body).toMatchObject({
        connectionId: conn.id,
        takenAt: '2024-03-01T03:45:00.000Z',
        holdings: [],
        holdingsValue: '0.0000',
        totalValue: '5.0000',
      });
    });

    it('needs a live connection of the caller (404)', async () => {
      const bobs = await connectBroker(t, bob);
      await create(alice, { cash: '1', holdings: [], connectionId: bobs.id }).expect(404);
      await create(alice, { cash: '1', holdings: [], connectionId: randomUUID() }).expect(404);
      const revoked = await connectBroker(t, alice);
      await t.http().delete(`/api/v1/broker-connections/${revoked.id}`).set('authorization', alice.auth).expect(204);
      await create(alice, { cash: '1', holdings: [], connectionId: revoked.id }).expect(404);
    });

    it.each([
      [
        'a symbol twice on one exchange',
        { holdings: [holding('INFY', '1', '1'), holding(' infy', '2', '1')] },
        'holdings.1',
      ],
      ['takenAt in the future', { takenAt: new Date(Date.now() + 3_600_000).toISOString() }, 'takenAt'],
      [
        'totals of 10^24 or more',
        { holdings: [holding('A', '999999999999', '999999999999'), holding('B', '999999999999', '999999999999')] },
        'holdings',
      ],
    ])('answers 422 for %s', async (_name, patch, field) => {
      const res = await create(alice, { cash: '0', holdings: [], ...patch }).expect(422);
      expect(fieldsOf(res)).toEqual([field]);
    });

    it('keeps the same symbol on two exchanges apart', async () => {
      await create(alice, {
        cash: '0',
        holdings: [holding('INFY', '1', '1'), holding('INFY', '1', '1', { exchange: 'BSE' })],
      }).expect(201);
    });

    it.each([
      ['cash as a number', { cash: 100.5 }, 'cash'],
      ['no cash', { cash: undefined }, 'cash'],
      ['cash with 5 decimals', { cash: '1.00001' }, 'cash'],
      ['cash with 21 digits', { cash: '123456789012345678901' }, 'cash'],
      ['no holdings', { holdings: undefined }, 'holdings'],
      ['holdings not an array', { holdings: {} }, 'holdings'],
      ['a zero quantity', { holdings: [holding('A', '0', '1')] }, 'holdings.0.quantity'],
      ['a negative price', { holdings: [holding('A', '1', '-1')] }, 'holdings.0.lastPrice'],
      ['a price as number', { holdings: [{ ...holding('A', '1', '1'), averagePrice: 1 }] }, 'holdings.0.averagePrice'],
      ['a quantity with 13 digits', { holdings: [holding('A', '1234567890123', '1')] }, 'holdings.0.quantity'],
      ['a bad symbol', { holdings: [holding('A B', '1', '1')] }, 'holdings.0.symbol'],
      ['a bad exchange', { holdings: [holding('A', '1', '1', { exchange: 'LSE' })] }, 'holdings.0.exchange'],
      ['an unknown holding field', { holdings: [holding('A', '1', '1', { value: '1' })] }, 'holdings.0.value'],
      [
        'more than 1000 holdings',
        { holdings: Array.from({ length: 1001 }, (_, i) => holding(`S${i}`, '1', '1')) },
        'holdings',
      ],
      ['a bad takenAt', { takenAt: '01/02/2024' }, 'takenAt'],
      ['a bad connectionId', { connectionId: 'x' }, 'connectionId'],
      ['totals sent by the client', { totalValue: '1' }, 'totalValue'],
    ])('answers 400 for %s', async (_name, patch, field) => {
      const res = await create(alice, { cash: '0', holdings: [], ...patch }).expect(400);
      expect(fieldsOf(res)).toContain(field);
    });
  });

  describe('read', () => {
    it('lists by time range, newest first, a page at a time; latest is the newest takenAt', async () => {
      const carol = await registerUser(t);
      await t.http().get('/api/v1/portfolio/snapshots/latest').set('authorization', carol.auth).expect(404);
      const at = (day: number) => `2024-01-${String(day).padStart(2, '0')}T10:00:00.000Z`;
      const made: Record<number, { id: string }> = {};
      // Created out of order: the list follows takenAt, not creation.
      for (const day of [3, 1, 5, 2, 4])
        made[day] = (await create(carol, { cash: String(day), holdings: [], takenAt: at(day) }).expect(201)).body;

      const latest = await t
        .http()
        .get('/api/v1/portfolio/snapshots/latest')
        .set('authorization', carol.auth)
        .expect(200);
      expect(latest.body).toEqual(made[5]);

      const query = { from: at(2), to: at(5), limit: 2 };
      const page = await t
        .http()
        .get('/api/v1/portfolio/snapshots')
        .query(query)
        .set('authorization', carol.auth)
        .expect(200);
      expect(page.body.items.map((s: { id: string }) => s.id)).toEqual([made[4].id, made[3].id]);
      const rest = await t
        .http()
        .get('/api/v1/portfolio/snapshots')
        .query({ ...query, cursor: page.body.nextCursor })
        .set('authorization', carol.auth)
        .expect(200);
      expect(rest.body).toEqual({ items: [made[2]], nextCursor: null });

      const all = await t.http().get('/api/v1/portfolio/snapshots').set('authorization', carol.auth).expect(200);
      expect(all.body.items.map((s: { cash: string }) => s.cash)).toEqual([
        '5.0000',
        '4.0000',
        '3.0000',
        '2.0000',
        '1.0000',
      ]);
    });

    it('keeps snapshots of one time apart by id across pages', async () => {
      const erin = await registerUser(t);
      const takenAt = '2024-02-01T00:00:00Z';
      const ids = [];
      for (let i = 0; i < 5; i++)
        ids.push((await create(erin, { cash: '1', holdings: [], takenAt }).expect(201)).body.id);
      const { items } = await readAllPages<{ id: string }>((cursor) =>
        t.http().get('/api/v1/portfolio/snapshots').query({ limit: 2, cursor }).set('authorization', erin.auth),
      );
      expect(items.map((s) => s.id)).toEqual([...ids].sort().reverse());
    });

    it('does not skip snapshots taken within one millisecond (timestamps have microseconds)', async () => {
      const fay = await registerUser(t);
      const ids = [];
      for (const micros of ['000100', '000300', '000200']) {
        ids.push(
          (await create(fay, { cash: '1', holdings: [], takenAt: `2024-02-02T00:00:00.${micros}Z` }).expect(201)).body
            .id,
        );
      }
      const { items } = await readAllPages<{ id: string }>((cursor) =>
        t.http().get('/api/v1/portfolio/snapshots').query({ limit: 1, cursor }).set('authorization', fay.auth),
      );
      expect(items.map((s) => s.id)).toEqual([ids[1], ids[2], ids[0]]);
    });

    it('answers 422 for an empty range and 400 for malformed filters', async () => {
      const range = await t
        .http()
        .get('/api/v1/portfolio/snapshots')
        .query({ from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' })
        .set('authorization', alice.auth)
        .expect(422);
      expect(range.body.errors).toEqual([{ field: 'to', message: 'to must be after from' }]);
      await t
        .http()
        .get('/api/v1/portfolio/snapshots')
        .query({ from: 'yesterday' })
        .set('authorization', alice.auth)
        .expect(400);
      await t
        .http()
        .get('/api/v1/portfolio/snapshots')
        .query({ cursor: '!!' })
        .set('authorization', alice.auth)
        .expect(400);
    });

    it('keeps another user’s snapshots out of reach', async () => {
      const mine = (await create(alice, { cash: '1', holdings: [] }).expect(201)).body;
      await t.http().get(`/api/v1/portfolio/snapshots/${mine.id}`).set('authorization', bob.auth).expect(404);
      await t.http().get(`/api/v1/portfolio/snapshots/${randomUUID()}`).set('authorization', alice.auth).expect(404);
      await t.http().get('/api/v1/portfolio/snapshots/x').set('authorization', alice.auth).expect(400);
      const list = await t.http().get('/api/v1/portfolio/snapshots').set('authorization', bob.auth).expect(200);
      expect(list.body.items.map((s: { id: string }) => s.id)).not.toContain(mine.id);
      await t.http().get('/api/v1/portfolio/snapshots/latest').expect(401);
    });
  });
});
