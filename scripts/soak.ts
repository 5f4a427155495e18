/**
 * `npm run soak`: a mixed workload over every route for a while, to see what a benchmark of
 * one route cannot: errors that only appear under a mix, slow leaks, latency drifting.
 *
 * Starts the compiled service (as `npm run bench` does) unless SOAK_URL points at one,
 * registers SOAK_USERS users, promotes the first to admin (`npm run user:promote`, against the
 * started service's database; with SOAK_URL, this shell's environment must point at the
 * service's database), and lets each of them loop over realistic flows (preferences, watchlist,
 * insights, the import, trading, audit, sessions, sign-ups, the admin views) for SOAK_DURATION
 * seconds, while the health probes and /metrics are polled every SOAK_SAMPLE seconds. Prints
 * per-route request counts, p50/p99/max latency and status classes, the service's RSS and heap
 * (from /metrics) over time, and every route of openapi.json the run never called. Exits 1 on
 * any 5xx or network error, or when a documented route was never called (a new route needs a
 * flow here).
 *
 * Environment: SOAK_DURATION (seconds, 120), SOAK_USERS (40), SOAK_SAMPLE (seconds, 15),
 * SOAK_URL (soak a running service instead; it must allow the load through its rate limits and
 * accept METRICS_TOKEN below), SOAK_PORT (3901, the port of the service it starts), and
 * BENCH_PG_PORT (54340, that service's embedded PostgreSQL).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pick, type BenchUser } from './bench/scenario';
import { registerUsers, runServiceCli, startService, waitUntilReady } from './bench/service';
import { printTable } from './bench/table';

const duration = Number(process.env.SOAK_DURATION ?? 120) * 1_000;
const userCount = Number(process.env.SOAK_USERS ?? 40);
const sampleEvery = Number(process.env.SOAK_SAMPLE ?? 15) * 1_000;
const METRICS_TOKEN = 'soak-metrics-token-0123456789';
const SERVICE_ENV = { METRICS_TOKEN, FEATURE_LOCAL_STORAGE_IMPORT_PERCENT: '100' };
const SAMPLES_PER_ROUTE = 20_000;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Latencies of one route; a bounded reservoir keeps memory flat over long runs. */
class RouteStats {
  count = 0;
  byClass: Record<string, number> = {};
  private readonly samples: number[] = [];
  max = 0;

  add(status: number | 'error', ms: number): void {
    this.count++;
    const key = status === 'error' ? 'error' : `${Math.floor(status / 100)}xx`;
    this.byClass[key] = (this.byClass[key] ?? 0) + 1;
    this.max = Math.max(this.max, ms);
    // Reservoir sampling: every request of the run has the same chance to be among the samples.
    if (this.samples.length < SAMPLES_PER_ROUTE) this.samples.push(ms);
    else {
      const slot = Math.floor(Math.random() * this.count);
      if (slot < SAMPLES_PER_ROUTE) this.samples[slot] = ms;
    }
  }

  percentile(p: number): number {
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
  }
}

const stats = new Map<string, RouteStats>();
let baseUrl = '';

/** Who sends a request: a user, a monitoring probe, or nobody (public routes). */
interface Caller {
  authorization?: string;
}
const anonymous: Caller = {};
const scraper: Caller = { authorization: `Bearer ${METRICS_TOKEN}` };

/** The fields of JSON answers the flows go on with (the soak judges answers by status, not by shape). */
interface AnswerBody {
  id?: string;
  accessToken?: string;
  refreshToken?: string;
  items?: { id: string }[];
  [field: string]: unknown;
}

/**
 * One request, timed and counted under its route template (`METHOD /path/{param}` as in openapi.json).
 * `until`: the answer is a stream, read until its text matches, then the request is aborted.
 */
async function call(
  caller: Caller,
  route: string,
  path: string,
  body?: unknown,
  until?: RegExp,
): Promise<{ status: number; body: AnswerBody; text: string }> {
  const [method] = route.split(' ');
  const started = performance.now();
  let status: number | 'error' = 'error';
  const abort = new AbortController();
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      signal: abort.signal,
      headers: {
        ...(caller.authorization ? { authorization: caller.authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    status = res.status;
    const text = until && res.ok ? await readUntil(res, until, abort) : await res.text();
    const json = text !== '' && res.headers.get('content-type')?.includes('json');
    return { status, text, body: json ? (JSON.parse(text) as AnswerBody) : {} };
  } catch {
    return { status: 0, body: {}, text: '' };
  } finally {
    const entry = stats.get(route) ?? new RouteStats();
    stats.set(route, entry);
    entry.add(status, performance.now() - started);
  }
}

/** Reads `res` until its text matches `until` (or it ends), then aborts the request. */
async function readUntil(res: Response, until: RegExp, abort: AbortController): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    if (until.test(text)) break;
  }
  abort.abort();
  return text;
}

const SYMBOLS = [
  'TCS',
  'INFY',
  'RELIANCE',
  'HDFCBANK',
  'ITC',
  'SBIN',
  'LT',
  'M&M',
  'BAJAJ-AUTO',
  'AXISBANK',
  'WIPRO',
  'TATAMOTORS',
];

/** The soak user promoted to admin before the run (the admin flow reads through its token). */
let admin: BenchUser;

/** Refresh tokens rotate: a session that renews keeps the new pair. */
async function renew(user: BenchUser): Promise<boolean> {
  const res = await call(user, 'POST /api/v1/auth/refresh', '/api/v1/auth/refresh', {
    refreshToken: user.refreshToken,
  });
  const { accessToken, refreshToken } = res.body;
  if (res.status !== 200 || !accessToken || !refreshToken) return false;
  user.refreshToken = refreshToken;
  user.authorization = `Bearer ${accessToken}`;
  return true;
}

/** The flows a user of the app goes through, weighted roughly by how often the web app does them. */
const flows: [number, (user: BenchUser) => Promise<void>][] = [
  [20, async (u) => void (await call(u, 'GET /api/v1/preferences', '/api/v1/preferences'))],
  [
    6,
    async (u) =>
      void (await call(u, 'PATCH /api/v1/preferences', '/api/v1/preferences', {
        riskProfile: pick(['Aggressive', 'Moderate', 'Conservative']),
        universe: pick(['NIFTY50', 'NIFTY500', 'NIFTYBANK']),
      })),
  ],
  [
    2,
    async (u) => {
      const current = await call(u, 'GET /api/v1/preferences', '/api/v1/preferences');
      if (current.status === 200)
        await call(u, 'PUT /api/v1/preferences', '/api/v1/preferences', {
          ...current.body,
          marketRegion: pick(['India', 'Global']),
        });
    },
  ],
  [15, async (u) => void (await call(u, 'GET /api/v1/watchlist', '/api/v1/watchlist'))],
  // A tab that turns live sync on and goes away: the change stream is read up to `ready`.
  [2, async (u) => void (await call(u, 'GET /api/v1/events', '/api/v1/events', undefined, /^event: ready$/m))],
  [
    5,
    async (u) => {
      const symbol = pick(SYMBOLS);
      await call(u, 'POST /api/v1/watchlist', '/api/v1/watchlist', { symbol, notes: 'soak' });
      if (Math.random() < 0.5)
        await call(u, 'DELETE /api/v1/watchlist/{symbol}', `/api/v1/watchlist/${encodeURIComponent(symbol)}`);
    },
  ],
  [
    1,
    async (u) =>
      void (await call(u, 'PUT /api/v1/watchlist', '/api/v1/watchlist', {
        items: SYMBOLS.slice(0, 6).map((symbol) => ({ symbol })),
      })),
  ],
  [6, async (u) => void (await call(u, 'GET /api/v1/insights/dismissed', '/api/v1/insights/dismissed'))],
  [
    3,
    async (u) => {
      const id = `insight:soak:${pick(SYMBOLS).replace('&', '-')}`;
      await call(u, 'POST /api/v1/insights/{insightId}/dismiss', `/api/v1/insights/${encodeURIComponent(id)}/dismiss`);
      if (Math.random() < 0.5)
        await call(
          u,
          'DELETE /api/v1/insights/{insightId}/dismiss',
          `/api/v1/insights/${encodeURIComponent(id)}/dismiss`,
        );
    },
  ],
  [4, async (u) => void (await call(u, 'GET /api/v1/users/me', '/api/v1/users/me'))],
  [
    1,
    async (u) =>
      void (await call(u, 'PATCH /api/v1/users/me', '/api/v1/users/me', { name: `Soak ${randomUUID().slice(0, 8)}` })),
  ],
  [4, async (u) => void (await call(u, 'GET /api/v1/features', '/api/v1/features'))],
  [3, async (u) => void (await call(u, 'GET /api/v1/audit/events', '/api/v1/audit/events?limit=20'))],
  [
    1,
    async (u) => {
      const entries = {
        arise_risk: pick(['Aggressive', 'Moderate']),
        arise_watchlist: JSON.stringify([pick(SYMBOLS), pick(SYMBOLS)]),
        arise_news: `[${randomUUID()}]`,
      };
      await call(u, 'POST /api/v1/migrations/local-storage', '/api/v1/migrations/local-storage', {
        entries,
        deviceId: 'soak',
      });
      await call(u, 'GET /api/v1/migrations/local-storage', '/api/v1/migrations/local-storage');
    },
  ],
  [
    2,
    async (u) => {
      // A trading session: connect the paper broker, draft, submit, fill a little, check, cancel, disconnect.
      const connection = await call(u, 'POST /api/v1/broker-connections', '/api/v1/broker-connections', {
        broker: 'paper',
        accountRef: `SOAK-${randomUUID().slice(0, 8)}`,
        accessToken: `paper-${randomUUID()}`,
      });
      if (connection.status !== 201) return;
      const id = connection.body.id as string;
      await call(u, 'GET /api/v1/broker-connections', '/api/v1/broker-connections');
      await call(u, 'GET /api/v1/broker-connections/{id}', `/api/v1/broker-connections/${id}`);
      await call(u, 'PUT /api/v1/broker-connections/{id}/tokens', `/api/v1/broker-connections/${id}/tokens`, {
        accessToken: `paper-${randomUUID()}`,
      });
      const intent = await call(u, 'POST /api/v1/trade-intents', '/api/v1/trade-intents', {
        symbol: pick(SYMBOLS),
        side: 'BUY',
        quantity: 10,
        orderType: 'LIMIT',
        limitPrice: '101.5000',
        product: 'CNC',
        mode: 'Swing',
      });
      if (intent.status === 201) {
        const intentId = intent.body.id as string;
        await call(u, 'POST /api/v1/trade-intents/{id}/submit', `/api/v1/trade-intents/${intentId}/submit`, {
          connectionId: id,
        });
        await call(u, 'GET /api/v1/trade-intents/{id}', `/api/v1/trade-intents/${intentId}`);
        const orders = await call(u, 'GET /api/v1/orders', `/api/v1/orders?intentId=${intentId}`);
        const order = orders.body.items?.[0];
        if (order) {
          await call(u, 'POST /api/v1/orders/{id}/simulated-fills', `/api/v1/orders/${order.id}/simulated-fills`, {
            quantity: 4,
          });
          await call(u, 'POST /api/v1/orders/{id}/refresh', `/api/v1/orders/${order.id}/refresh`);
          await call(u, 'GET /api/v1/orders/{id}', `/api/v1/orders/${order.id}`);
        }
        await call(u, 'POST /api/v1/trade-intents/{id}/cancel', `/api/v1/trade-intents/${intentId}/cancel`);
        await call(u, 'GET /api/v1/trade-intents', '/api/v1/trade-intents?limit=20');
      }
      await call(u, 'DELETE /api/v1/broker-connections/{id}', `/api/v1/broker-connections/${id}`);
    },
  ],
  [
    2,
    async (u) => {
      const created = await call(u, 'POST /api/v1/portfolio/snapshots', '/api/v1/portfolio/snapshots', {
        cash: '250000.5000',
        holdings: [
          { symbol: pick(SYMBOLS), exchange: 'NSE', quantity: '12', averagePrice: '1520.2500', lastPrice: '1544.1000' },
        ],
      });
      await call(u, 'GET /api/v1/portfolio/snapshots/latest', '/api/v1/portfolio/snapshots/latest');
      await call(u, 'GET /api/v1/portfolio/snapshots', '/api/v1/portfolio/snapshots?limit=10');
      if (created.status === 201)
        await call(u, 'GET /api/v1/portfolio/snapshots/{id}', `/api/v1/portfolio/snapshots/${created.body.id}`);
    },
  ],
  [1, async (u) => void (await renew(u))],
  [
    1,
    async (u) => {
      // Signing in on another device: a session of its own, renewed once, then signed out.
      const login = await call(anonymous, 'POST /api/v1/auth/login', '/api/v1/auth/login', {
        email: u.email,
        password: u.password,
      });
      const { accessToken, refreshToken } = login.body;
      if (login.status !== 200 || !accessToken || !refreshToken) return;
      const device: BenchUser = { ...u, refreshToken, authorization: `Bearer ${accessToken}` };
      if (await renew(device))
        await call(device, 'POST /api/v1/auth/logout', '/api/v1/auth/logout', { refreshToken: device.refreshToken });
    },
  ],
  [
    0.2,
    async () => {
      // A new account (argon2 makes this the costliest request of the mix, hence rare); half of
      // them take their data out and erase the account again, the others sign out.
      const password = `soak password ${randomUUID()}`;
      const res = await call(anonymous, 'POST /api/v1/auth/register', '/api/v1/auth/register', {
        email: `soak-${randomUUID()}@example.test`,
        password,
        name: 'Soak sign-up',
      });
      if (res.status !== 201) return;
      const newcomer = { authorization: `Bearer ${res.body.accessToken}` };
      if (Math.random() < 0.5) {
        await call(newcomer, 'GET /api/v1/users/me/export', '/api/v1/users/me/export');
        const id = (res.body.user as { id: string } | undefined)?.id;
        await call(newcomer, 'DELETE /api/v1/users/me', '/api/v1/users/me', { password });
        if (id) await call(admin, 'GET /api/v1/admin/users/{id}', `/api/v1/admin/users/${id}`);
      } else {
        await call(newcomer, 'POST /api/v1/auth/logout', '/api/v1/auth/logout', {
          refreshToken: res.body.refreshToken,
        });
      }
    },
  ],
  [
    1,
    async (u) => {
      // Support looking into the service: everyone's recent events, one user's, the import stats.
      await call(
        admin,
        'GET /api/v1/admin/audit/events',
        `/api/v1/admin/audit/events?limit=20${Math.random() < 0.5 ? `&userId=${u.id}` : ''}`,
      );
      await call(admin, 'GET /api/v1/admin/migrations/stats', '/api/v1/admin/migrations/stats');
    },
  ],
];
const totalWeight = flows.reduce((sum, [weight]) => sum + weight, 0);

function nextFlow(): (user: BenchUser) => Promise<void> {
  let roll = Math.random() * totalWeight;
  for (const [weight, flow] of flows) if ((roll -= weight) < 0) return flow;
  return flows[0][1];
}

interface MemorySample {
  atSeconds: number;
  rssMb: number;
  heapUsedMb: number;
}

/** What the orchestrator and Prometheus see at each sample: the probes, then memory from /metrics. */
async function sample(started: number): Promise<MemorySample> {
  await call(anonymous, 'GET /health/live', '/health/live');
  await call(anonymous, 'GET /health/ready', '/health/ready');
  const text = (await call(scraper, 'GET /metrics', '/metrics')).text;
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 1024 / 1024;
  return {
    atSeconds: Math.round((Date.now() - started) / 1_000),
    rssMb: Math.round(value('process_resident_memory_bytes')),
    heapUsedMb: Math.round(value('nodejs_heap_size_used_bytes')),
  };
}

/** Every operation of openapi.json as `METHOD /path`, the way `call` names routes. */
function documentedRoutes(): string[] {
  const document = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => HTTP_METHODS.includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** Prints the run; returns how many things went wrong (5xx, network errors, routes never called). */
function report(samples: MemorySample[]): number {
  const rows = [...stats.entries()].sort(([a], [b]) => a.localeCompare(b));
  console.log('');
  printTable(
    ['route', 'requests', 'p50 ms', 'p99 ms', 'max ms', '2xx', '4xx', '5xx', 'errors'],
    rows.map(([route, s]) => [
      route,
      s.count,
      s.percentile(50).toFixed(1),
      s.percentile(99).toFixed(1),
      s.max.toFixed(0),
      s.byClass['2xx'] ?? 0,
      s.byClass['4xx'] ?? 0,
      s.byClass['5xx'] ?? 0,
      s.byClass.error ?? 0,
    ]),
  );
  console.log('\nservice memory (from /metrics):');
  for (const s of samples)
    console.log(`  t=${String(s.atSeconds).padStart(5)} s  rss ${s.rssMb} MB  heap used ${s.heapUsedMb} MB`);
  const failures = rows.reduce((sum, [, s]) => sum + (s.byClass['5xx'] ?? 0) + (s.byClass.error ?? 0), 0);
  const total = rows.reduce((sum, [, s]) => sum + s.count, 0);
  console.log(`\n${total} requests in ${duration / 1_000} s by ${userCount} users: ${failures} 5xx or network errors`);
  const documented = documentedRoutes();
  const uncalled = documented.filter((route) => !stats.has(route));
  const undocumented = rows.map(([route]) => route).filter((route) => !documented.includes(route));
  console.log(
    uncalled.length
      ? `routes of openapi.json never called (${uncalled.length}):\n  ${uncalled.join('\n  ')}`
      : `every route of openapi.json was called (${documented.length})`,
  );
  if (undocumented.length) console.log(`called but not in openapi.json:\n  ${undocumented.join('\n  ')}`);
  return failures + uncalled.length;
}

async function main(): Promise<void> {
  const port = Number(process.env.SOAK_PORT ?? 3901);
  const service = process.env.SOAK_URL ? undefined : startService(port, SERVICE_ENV);
  baseUrl = process.env.SOAK_URL ?? `http://127.0.0.1:${port}`;
  let failures: number;
  try {
    await waitUntilReady(baseUrl, 60_000);
    const users = await registerUsers(baseUrl, userCount);
    admin = users[0];
    await runServiceCli('src/cli/promote-user.ts', [admin.email], service && { port, env: SERVICE_ENV });
    // The role travels in the access token: a renewed one carries it.
    if (!(await renew(admin))) throw new Error(`could not renew the session of the promoted ${admin.email}`);
    const started = Date.now();
    const samples = [await sample(started)];
    const sampler = setInterval(() => void sample(started).then((s) => samples.push(s)), sampleEvery);
    console.log(`soaking with ${userCount} users for ${duration / 1_000} s…`);
    await Promise.all(
      users.map(async (user) => {
        while (Date.now() - started < duration) await nextFlow()(user);
      }),
    );
    clearInterval(sampler);
    samples.push(await sample(started));
    failures = report(samples);
  } finally {
    service?.kill('SIGTERM');
  }
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
