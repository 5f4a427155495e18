import { forEachConcurrently, type Scenario } from './scenario';

const ITEMS = Array.from({ length: 50 }, (_, i) => ({
  symbol: `BENCH${i}`,
  notes: i % 5 === 0 ? `note ${i}` : undefined,
}));

/** `GET /watchlist` of users whose lists hold 50 symbols each (saved once, before measuring). */
export const getWatchlist: Scenario = {
  name: 'GET /watchlist (50 items)',
  setup: (ctx) =>
    forEachConcurrently(8, ctx.users, async (user) => {
      const res = await fetch(`${ctx.baseUrl}/api/v1/watchlist`, {
        method: 'PUT',
        headers: { authorization: user.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ items: ITEMS }),
      });
      if (res.status !== 200) throw new Error(`watchlist setup answered ${res.status}: ${await res.text()}`);
    }),
  request: () => ({ method: 'GET', path: '/api/v1/watchlist' }),
};
