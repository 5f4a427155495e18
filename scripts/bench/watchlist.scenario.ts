/**
 * Benchmark scenario: `GET /watchlist` of a user whose list holds 50 symbols.
 *
 * Shape (for the `npm run bench` runner): `setup(ctx)` prepares the data through the public API
 * once, before the measurement; `request(ctx)` is the request to repeat (autocannon-style
 * `{method, path, headers}`). `ctx.baseUrl` is the running server (`http://127.0.0.1:3000`),
 * `ctx.auth` the `Authorization` header of a user the runner registered for this scenario.
 */
export interface BenchContext {
  baseUrl: string;
  auth: string;
}

const ITEMS = Array.from({ length: 50 }, (_, i) => ({ symbol: `BENCH${i}`, notes: i % 5 === 0 ? `note ${i}` : undefined }));

export const watchlistScenario = {
  name: 'GET /watchlist (50 items)',
  setup: async (ctx: BenchContext): Promise<void> => {
    const res = await fetch(`${ctx.baseUrl}/api/v1/watchlist`, {
      method: 'PUT',
      headers: { authorization: ctx.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ items: ITEMS }),
    });
    if (res.status !== 200) throw new Error(`watchlist setup failed: ${res.status} ${await res.text()}`);
  },
  request: (ctx: BenchContext) => ({ method: 'GET' as const, path: '/api/v1/watchlist', headers: { authorization: ctx.auth } }),
};
