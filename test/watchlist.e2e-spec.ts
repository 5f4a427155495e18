import { WatchlistService } from '../src/watchlist/watchlist.service';
import { startTestApp, TestApp } from './support/app';
import { auditEvents } from './support/audit';
import { withDatabase } from './support/database';
import { expectProblem, fieldsOf } from './support/problem';
import { registerUser, TestUser } from './support/users';

/** from, from+1, … (n numbers) */
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
/** `n` distinct valid symbols: S0, S1, … */
const symbols = (n: number, prefix = 'S') => range(n).map((i) => `${prefix}${i}`);

describe('watchlist', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const get = (u: TestUser) => t.http().get('/api/v1/watchlist').set('authorization', u.auth);
  const add = (u: TestUser, body: object) => t.http().post('/api/v1/watchlist').set('authorization', u.auth).send(body);
  const replace = (u: TestUser, items: object[]) =>
    t.http().put('/api/v1/watchlist').set('authorization', u.auth).send({ items });
  const remove = (u: TestUser, encodedSymbol: string) =>
    t.http().delete(`/api/v1/watchlist/${encodedSymbol}`).set('authorization', u.auth);
  const replaceWith = (u: TestUser, list: string[]) =>
    replace(
      u,
      list.map((symbol) => ({ symbol })),
    );

  /** What is really stored, in position order. */
  const stored = (u: TestUser) =>
    withDatabase(async (client) => {
      const { rows } = await client.query<{ symbol: string; position: number }>(
        'SELECT symbol, position FROM user_watchlists WHERE user_id = $1 ORDER BY position',
        [u.id],
      );
      return rows;
    });

  /** Positions are exactly 0..n-1 and the symbols are the given list, in order. */
  const expectStoredList = async (u: TestUser, list: string[]) => {
    const rows = await stored(u);
    expect(rows.map((r) => r.symbol)).toEqual(list);
    expect(rows.map((r) => r.position)).toEqual(range(list.length));
  };

  describe('authentication', () => {
    it.each([
      ['GET', '/api/v1/watchlist'],
      ['POST', '/api/v1/watchlist'],
      ['PUT', '/api/v1/watchlist'],
      ['DELETE', '/api/v1/watchlist/TCS'],
    ])('%s %s without a token is 401', async (method, path) => {
      const res = await t.http()[method.toLowerCase() as 'get'](path).send({ symbol: 'TCS', items: [] }).expect(401);
      expectProblem(res, 401);
    });
  });

  describe('GET and POST', () => {
    it('starts empty', async () => {
      const alice = await registerUser(t);
      const res = await get(alice).expect(200);
      expect(res.body).toEqual({ items: [], count: 0 });
    });

    it('normalises the symbol, defaults the exchange and appends in order', async () => {
      const alice = await registerUser(t);
      const first = await add(alice, { symbol: ' reliance ' }).expect(201);
      expect(first.body).toEqual({
        symbol: 'RELIANCE',
        exchange: 'NSE',
        notes: null,
        addedAt: expect.any(String),
        position: 0,
      });
      expect(Date.now() - new Date(first.body.addedAt).getTime()).toBeLessThan(60_000);
      const second = await add(alice, { symbol: 'aapl', exchange: 'NASDAQ', notes: 'earnings 30 Jan' }).expect(201);
      expect(second.body).toMatchObject({ symbol: 'AAPL', exchange: 'NASDAQ', notes: 'earnings 30 Jan', position: 1 });
      const third = await add(alice, { symbol: 'M&M', exchange: null, notes: null }).expect(201);
      expect(third.body).toMatchObject({ symbol: 'M&M', exchange: 'NSE', notes: null, position: 2 });

      const list = await get(alice).expect(200);
      expect(list.body.count).toBe(3);
      expect(list.body.items).toEqual([first.body, second.body, third.body]);
      await expectStoredList(alice, ['RELIANCE', 'AAPL', 'M&M']);
    });

    it('accepts the longest symbol and notes', async () => {
      const alice = await registerUser(t);
      const longest = { symbol: 'A'.repeat(32), notes: 'n'.repeat(500) };
      const res = await add(alice, longest).expect(201);
      expect(res.body).toMatchObject(longest);
    });

    // PostgreSQL counts code points; class-validator's MaxLength would not count U+FE0F and let
    // 1,000 of them through to varchar(500) (a 500).
    it('counts notes in code points, as the column does: 500 with variation selectors fit, 501 are 400', async () => {
      const alice = await registerUser(t);
      const notes = 'a\uFE0F'.repeat(250);
      expect((await add(alice, { symbol: 'TCS', notes }).expect(201)).body.notes).toBe(notes);
      const over = expectProblem(await add(alice, { symbol: 'INFY', notes: `${notes}b` }), 400);
      expect(over.errors).toEqual([
        { field: 'notes', message: 'notes must be shorter than or equal to 500 characters' },
      ]);
      const doubled = await add(alice, { symbol: 'INFY', notes: 'a\uFE0F'.repeat(500) }).expect(400);
      expect(doubled.body.errors).toEqual([
        { field: 'notes', message: 'notes must be shorter than or equal to 500 characters' },
      ]);
      const replaced = await replace(alice, [{ symbol: 'TCS', notes: `${notes}b` }]).expect(400);
      expect(replaced.body.errors).toEqual([
        { field: 'items.0.notes', message: 'notes must be shorter than or equal to 500 characters' },
      ]);
      await replace(alice, [{ symbol: 'WIPRO', notes }]).expect(200);
      await expectStoredList(alice, ['WIPRO']);
    });

    it('adding a listed symbol again is 200 with the saved item, unchanged, and no audit event', async () => {
      const alice = await registerUser(t);
      const created = await add(alice, { symbol: 'TCS', notes: 'first' }).expect(201);
      const again = await add(alice, { symbol: ' tcs', exchange: 'BSE', notes: 'second' }).expect(200);
      expect(again.body).toEqual(created.body);
      expect((await get(alice).expect(200)).body).toEqual({ items: [created.body], count: 1 });
      const events = await auditEvents(t, alice, 'watchlist');
      expect(events.map((e) => e.action)).toEqual(['add']);
    });

    it.each([
      ['a space inside', { symbol: 'RELI ANCE' }, 'symbol'],
      ['a forbidden character', { symbol: 'TCS$' }, 'symbol'],
      ['a quote (SQL-looking)', { symbol: "RELIANCE'; DROP TABLE users;--" }, 'symbol'],
      ['33 characters', { symbol: 'A'.repeat(33) }, 'symbol'],
      ['an empty symbol', { symbol: '' }, 'symbol'],
      ['only spaces', { symbol: '   ' }, 'symbol'],
      ['no symbol', { exchange: 'NSE' }, 'symbol'],
      ['a number as symbol', { symbol: 500325 }, 'symbol'],
      ['an unknown exchange', { symbol: 'TCS', exchange: 'LSE' }, 'exchange'],
      ['a lower-case exchange', { symbol: 'TCS', exchange: 'nse' }, 'exchange'],
      ['501 characters of notes', { symbol: 'TCS', notes: 'n'.repeat(501) }, 'notes'],
      ['notes that are not text', { symbol: 'TCS', notes: 42 }, 'notes'],
      ['an unknown field', { symbol: 'TCS', position: 3 }, 'position'],
    ])('rejects %s with 400 and stores nothing', async (_name, body, field) => {
      const alice = await registerUser(t);
      const res = await add(alice, body).expect(400);
      expectProblem(res, 400, 'urn:fyntrix:problem:validation-failed');
      expect(fieldsOf(res)).toContain(field);
      expect(await stored(alice)).toEqual([]);
    });
  });

  describe('DELETE /watchlist/{symbol}', () => {
    it('removes URL-encoded symbols, normalised, and closes the gap', async () => {
      const alice = await registerUser(t);
      await replaceWith(alice, ['RELIANCE', 'M&M', 'BAJAJ-AUTO', 'TCS', 'NIFTYBEES']).expect(200);

      await remove(alice, 'M%26M').expect(204);
      await expectStoredList(alice, ['RELIANCE', 'BAJAJ-AUTO', 'TCS', 'NIFTYBEES']);
      await remove(alice, 'bajaj-auto').expect(204);
      await remove(alice, '%20niftybees%20').expect(204);
      await expectStoredList(alice, ['RELIANCE', 'TCS']);

      const list = await get(alice).expect(200);
      expect(list.body.items.map((i: { symbol: string; position: number }) => [i.symbol, i.position])).toEqual([
        ['RELIANCE', 0],
        ['TCS', 1],
      ]);
    });

    it('lower-case m%26m removes M&M', async () => {
      const alice = await registerUser(t);
      await add(alice, { symbol: 'M&M' }).expect(201);
      await remove(alice, 'm%26m').expect(204);
      expect(await stored(alice)).toEqual([]);
    });

    it('is 404 for a symbol not listed, and 400 for one that cannot be a symbol', async () => {
      const alice = await registerUser(t);
      await add(alice, { symbol: 'TCS' }).expect(201);
      const missing = await remove(alice, 'INFY').expect(404);
      expectProblem(missing, 404);
      await remove(alice, 'TCS').expect(204);
      await remove(alice, 'TCS').expect(404);
      const invalid = await remove(alice, 'TC%24S').expect(400);
      expect(invalid.body.errors[0].field).toBe('symbol');
      await remove(alice, 'A'.repeat(33)).expect(400);
    });
  });

  describe('PUT /watchlist', () => {
    it('replaces the list in array order, keeping addedAt of the symbols that stay', async () => {
      const alice = await registerUser(t);
      const tcs = (await add(alice, { symbol: 'TCS', notes: 'old' }).expect(201)).body;
      const infy = (await add(alice, { symbol: 'INFY' }).expect(201)).body;
      await add(alice, { symbol: 'WIPRO' }).expect(201);

      const res = await replace(alice, [
        { symbol: ' hdfcbank ', exchange: 'BSE' },
        { symbol: 'INFY' },
        { symbol: 'tcs', exchange: 'NSE', notes: 'new' },
      ]).expect(200);
      expect(res.body.count).toBe(3);
      expect(res.body.items).toEqual([
        { symbol: 'HDFCBANK', exchange: 'BSE', notes: null, addedAt: expect.any(String), position: 0 },
        { ...infy, position: 1 },
        { ...tcs, notes: 'new', position: 2 },
      ]);
      expect(new Date(res.body.items[0].addedAt).getTime()).toBeGreaterThanOrEqual(new Date(tcs.addedAt).getTime());
      expect((await get(alice).expect(200)).body).toEqual(res.body);
      await expectStoredList(alice, ['HDFCBANK', 'INFY', 'TCS']);
    });

    it('records one replace event naming what changed; an identical replace records none', async () => {
      const alice = await registerUser(t);
      await replace(alice, [{ symbol: 'TCS', notes: 'a' }, { symbol: 'INFY' }, { symbol: 'WIPRO' }]).expect(200);
      await replace(alice, [{ symbol: 'INFY' }, { symbol: 'TCS', notes: 'b' }, { symbol: 'SBIN' }]).expect(200);
      const before = await auditEvents(t, alice, 'watchlist');
      await replace(alice, [
        { symbol: 'infy' },
        { symbol: 'TCS', exchange: 'NSE', notes: 'b' },
        { symbol: 'SBIN' },
      ]).expect(200);
      const events = await auditEvents(t, alice, 'watchlist');
      expect(events).toHaveLength(before.length);
      expect(events.map((e) => e.action)).toEqual(['replace', 'replace']);
      expect(events[0]).toMatchObject({
        before: {
          symbols: ['TCS', 'INFY', 'WIPRO'],
          items: { TCS: { exchange: 'NSE', notes: 'a' }, WIPRO: { exchange: 'NSE', notes: null } },
        },
        after: {
          symbols: ['INFY', 'TCS', 'SBIN'],
          items: { TCS: { exchange: 'NSE', notes: 'b' }, SBIN: { exchange: 'NSE', notes: null } },
        },
        changedFields: ['items.SBIN', 'items.TCS', 'items.WIPRO', 'symbols'],
      });
      expect(events[1]).toMatchObject({
        before: { symbols: [], items: {} },
        changedFields: expect.arrayContaining(['symbols']),
      });
    });

    it('a reorder alone is one event whose only changed field is the order', async () => {
      const alice = await registerUser(t);
      await replaceWith(alice, ['A', 'B', 'C']).expect(200);
      await replaceWith(alice, ['C', 'A', 'B']).expect(200);
      const [event] = await auditEvents(t, alice, 'watchlist');
      expect(event).toMatchObject({
        action: 'replace',
        changedFields: ['symbols'],
        after: { symbols: ['C', 'A', 'B'], items: {} },
      });
      await expectStoredList(alice, ['C', 'A', 'B']);
    });

    it('an empty list clears the watchlist', async () => {
      const alice = await registerUser(t);
      await replaceWith(alice, ['A', 'B']).expect(200);
      const res = await replace(alice, []).expect(200);
      expect(res.body).toEqual({ items: [], count: 0 });
      expect(await stored(alice)).toEqual([]);
    });

    it('duplicates after normalisation are 422 listing each repeat, and the list is untouched', async () => {
      const alice = await registerUser(t);
      await replaceWith(alice, ['KEEP1', 'KEEP2']).expect(200);
      const res = await replaceWith(alice, ['TCS', 'INFY', ' tcs ', 'SBIN', 'Infy', 'TCS']).expect(422);
      expectProblem(res, 422, 'urn:fyntrix:problem:rule-violated');
      expect(res.body.errors).toEqual([
        { field: 'items.2.symbol', message: 'TCS is already listed at items.0' },
        { field: 'items.4.symbol', message: 'INFY is already listed at items.1' },
        { field: 'items.5.symbol', message: 'TCS is already listed at items.0' },
      ]);
      await expectStoredList(alice, ['KEEP1', 'KEEP2']);
    });

    it.each([
      ['an invalid item', { items: [{ symbol: 'OK' }, { symbol: 'NOT OK' }] }, 'items.1.symbol'],
      ['an unknown item field', { items: [{ symbol: 'OK', addedAt: '2026-01-01T00:00:00Z' }] }, 'items.0.addedAt'],
      ['no items', {}, 'items'],
      ['items that are not a list', { items: 'TCS' }, 'items'],
    ])('rejects %s with 400 and leaves the list untouched', async (_name, body, field) => {
      const alice = await registerUser(t);
      await replaceWith(alice, ['KEEP']).expect(200);
      const res = await t.http().put('/api/v1/watchlist').set('authorization', alice.auth).send(body).expect(400);
      expect(fieldsOf(res)).toContain(field);
      await expectStoredList(alice, ['KEEP']);
    });
  });

  describe('the 500-item limit', () => {
    it('holds for POST (the 501st is 422, nothing stored) and for PUT (501 items are 422)', async () => {
      const alice = await registerUser(t);
      const full = symbols(500);
      const res = await replaceWith(alice, full).expect(200);
      expect(res.body.count).toBe(500);
      expect(res.body.items[499]).toMatchObject({ symbol: 'S499', position: 499 });

      const over = await add(alice, { symbol: 'ONE-TOO-MANY' }).expect(422);
      expectProblem(over, 422, 'urn:fyntrix:problem:rule-violated');
      expect(over.body.errors).toEqual([{ field: 'symbol', message: 'a watchlist holds at most 500 items' }]);
      // A symbol already listed is still a 200 on a full list.
      await add(alice, { symbol: 's7' }).expect(200);
      await expectStoredList(alice, full);

      const tooLong = await replaceWith(alice, symbols(501, 'T')).expect(422);
      expect(tooLong.body.errors).toEqual([
        { field: 'items', message: 'a watchlist holds at most 500 items (got 501)' },
      ]);
      await expectStoredList(alice, full);
      expect((await get(alice).expect(200)).body.count).toBe(500);
    });

    it('holds under concurrency: 20 parallel adds to a list of 490 leave exactly 500, densely', async () => {
      const alice = await registerUser(t);
      await replaceWith(alice, symbols(490)).expect(200);
      const responses = await Promise.all(symbols(20, 'NEW').map((symbol) => add(alice, { symbol })));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(10).fill(201), ...Array(10).fill(422)]);
      const winners = responses.filter((r) => r.status === 201).map((r) => r.body);
      expect(winners.map((w) => w.position).sort((a, b) => a - b)).toEqual(range(10, 490));
      const rows = await stored(alice);
      expect(rows).toHaveLength(500);
      expect(rows.map((r) => r.position)).toEqual(range(500));
      expect(
        rows
          .slice(490)
          .map((r) => r.symbol)
          .sort(),
      ).toEqual(winners.map((w) => w.symbol).sort());
    });
  });

  describe('concurrency', () => {
    it('20 parallel adds of one symbol: exactly one 201, the rest 200, one row, one event', async () => {
      const alice = await registerUser(t);
      await add(alice, { symbol: 'FIRST' }).expect(201);
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => add(alice, { symbol: i % 2 ? 'infy' : ' INFY ' })),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(19);
      const created = responses.find((r) => r.status === 201)!.body;
      for (const r of responses) expect(r.body).toEqual(created);
      await expectStoredList(alice, ['FIRST', 'INFY']);
      expect((await auditEvents(t, alice, 'watchlist')).map((e) => e.action)).toEqual(['add', 'add']);
    });

    it('20 parallel adds of different symbols get distinct, dense positions', async () => {
      const alice = await registerUser(t);
      const list = symbols(20);
      const responses = await Promise.all(list.map((symbol) => add(alice, { symbol })));
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
      const positions = responses.map((r) => r.body.position).sort((a, b) => a - b);
      expect(positions).toEqual(range(20));
      const rows = await stored(alice);
      expect(rows.map((r) => r.position)).toEqual(positions);
      expect(rows.map((r) => r.symbol).sort()).toEqual([...list].sort());
    });

    it('parallel adds and removes keep positions dense', async () => {
      const alice = await registerUser(t);
      await replaceWith(alice, symbols(10)).expect(200);
      const responses = await Promise.all([
        ...symbols(10)
          .filter((_, i) => i % 2 === 0)
          .map((s) => remove(alice, s)),
        ...symbols(5, 'NEW').map((symbol) => add(alice, { symbol })),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([...Array(5).fill(201), ...Array(5).fill(204)]);
      const rows = await stored(alice);
      expect(rows.map((r) => r.position)).toEqual(range(rows.length));
      expect(rows.slice(0, 5).map((r) => r.symbol)).toEqual(['S1', 'S3', 'S5', 'S7', 'S9']);
      expect(
        rows
          .slice(5)
          .map((r) => r.symbol)
          .sort(),
      ).toEqual(symbols(5, 'NEW'));
    });

    it('10 parallel bulk replaces serialise: all 200, and the result is exactly one of the lists', async () => {
      const alice = await registerUser(t);
      const initial = ['A', 'B', 'C'];
      await replaceWith(alice, initial).expect(200);
      // Different lengths, orders and overlaps, so interleaved writes would show as collisions or mixtures.
      const lists = Array.from({ length: 10 }, (_, k) => {
        const own = symbols(3 + k, `L${k}X`);
        const shared = k % 2 ? ['C', 'A', 'B'] : ['B', 'C'];
        return k % 3 ? [...shared, ...own] : [...own, ...shared].reverse();
      });
      const responses = await Promise.all(lists.map((list) => replaceWith(alice, list)));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      responses.forEach((r, k) => expect(r.body.items.map((i: { symbol: string }) => i.symbol)).toEqual(lists[k]));

      const final = (await stored(alice)).map((r) => r.symbol);
      expect(lists).toContainEqual(final);
      await expectStoredList(alice, final);
      // One event per replace, and they chain: each one started from the list the previous one left.
      const events = (await auditEvents<{ symbols: string[] }>(t, alice, 'watchlist'))
        .filter((e) => e.action === 'replace')
        .slice(0, 10);
      let current = initial;
      for (let step = 0; step < 10; step++) {
        const next = events.find((e) => JSON.stringify(e.before.symbols) === JSON.stringify(current));
        expect(next).toBeDefined();
        current = next!.after.symbols;
      }
      expect(current).toEqual(final);
    });
  });

  describe('audit', () => {
    it('records add and remove with the item; failed and idempotent requests record nothing', async () => {
      const alice = await registerUser(t);
      await add(alice, { symbol: 'TCS', exchange: 'BSE', notes: 'watch' }).expect(201);
      await add(alice, { symbol: 'TCS' }).expect(200);
      await add(alice, { symbol: 'BAD SYMBOL' }).expect(400);
      await remove(alice, 'INFY').expect(404);
      await replaceWith(alice, ['X', 'X']).expect(422);
      await remove(alice, 'TCS').expect(204);
      const item = { symbol: 'TCS', exchange: 'BSE', notes: 'watch', position: 0 };
      expect(await auditEvents(t, alice, 'watchlist')).toEqual([
        expect.objectContaining({
          action: 'remove',
          before: item,
          after: null,
          changedFields: ['exchange', 'notes', 'position', 'symbol'],
        }),
        expect.objectContaining({
          action: 'add',
          before: null,
          after: item,
          changedFields: ['exchange', 'notes', 'position', 'symbol'],
        }),
      ]);
    });
  });

  describe('isolation', () => {
    it("another user's symbols are invisible, undeletable and untouched by their writes", async () => {
      const alice = await registerUser(t);
      const bob = await registerUser(t);
      await replaceWith(alice, ['TCS', 'INFY']).expect(200);

      expect((await get(bob).expect(200)).body).toEqual({ items: [], count: 0 });
      await remove(bob, 'TCS').expect(404);
      const bobs = await add(bob, { symbol: 'INFY', notes: 'bob' }).expect(201);
      expect(bobs.body.position).toBe(0);
      await replaceWith(bob, ['WIPRO']).expect(200);
      await remove(bob, 'WIPRO').expect(204);

      await expectStoredList(alice, ['TCS', 'INFY']);
      expect((await get(alice).expect(200)).body.items.map((i: { notes: string | null }) => i.notes)).toEqual([
        null,
        null,
      ]);
      expect(await auditEvents(t, alice, 'watchlist')).toHaveLength(1);
    });
  });

  describe('mergeSymbols (for the localStorage import)', () => {
    it('appends new symbols after the saved ones, keeps saved items as they are, reports what did not fit', async () => {
      const alice = await registerUser(t);
      const saved = (
        await replace(alice, [{ symbol: 'TCS', notes: 'mine' }, ...symbols(497).map((symbol) => ({ symbol }))]).expect(
          200,
        )
      ).body.items;
      const service = t.app.get(WatchlistService);
      const merge = await service.mergeSymbols(alice.id, [
        { symbol: 'new1', exchange: 'BSE' },
        { symbol: 'TCS', notes: 'imported' },
        { symbol: ' NEW1 ' },
        { symbol: 'NEW2' },
        { symbol: 'NEW3' },
        { symbol: 'NEW4' },
      ]);
      expect(merge.added).toEqual([
        { symbol: 'NEW1', exchange: 'BSE', notes: null, addedAt: expect.any(Date), position: 498 },
        { symbol: 'NEW2', exchange: 'NSE', notes: null, addedAt: expect.any(Date), position: 499 },
      ]);
      expect(merge.present).toEqual([{ ...saved[0], addedAt: new Date(saved[0].addedAt) }]);
      expect(merge.overflow).toEqual([
        { symbol: 'NEW3', exchange: 'NSE', notes: null },
        { symbol: 'NEW4', exchange: 'NSE', notes: null },
      ]);
      await expectStoredList(alice, ['TCS', ...symbols(497), 'NEW1', 'NEW2']);
      // The merge itself records nothing; its caller does.
      expect(await auditEvents(t, alice, 'watchlist')).toHaveLength(1);
    });
  });

  describe('schema', () => {
    it('the database itself refuses bad symbols, exchanges, repeated symbols and colliding positions', async () => {
      const alice = await registerUser(t);
      const insert = (symbol: string, exchange: string, position: number) =>
        withDatabase((client) =>
          client.query('INSERT INTO user_watchlists (user_id, symbol, exchange, position) VALUES ($1, $2, $3, $4)', [
            alice.id,
            symbol,
            exchange,
            position,
          ]),
        );
      await insert('OK', 'NSE', 0);
      await expect(insert('lower', 'NSE', 1)).rejects.toMatchObject({ constraint: 'ck_user_watchlists_symbol' });
      await expect(insert('X', 'LSE', 1)).rejects.toMatchObject({ constraint: 'ck_user_watchlists_exchange' });
      await expect(insert('OK', 'NSE', 1)).rejects.toMatchObject({ constraint: 'uq_user_watchlists_user_symbol' });
      await expect(insert('OTHER', 'NSE', 0)).rejects.toMatchObject({ constraint: 'uq_user_watchlists_user_position' });
      await expect(insert('NEG', 'NSE', -1)).rejects.toMatchObject({ constraint: 'ck_user_watchlists_position' });
    });
  });
});
