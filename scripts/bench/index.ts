/**
 * `npm run bench`: throughput and latency of the hot routes, measured, not guessed.
 *
 * Builds nothing itself (`npm run bench` runs `npm run build` first), starts the compiled
 * service (`node dist/src/main.js`, dev stage, its own embedded PostgreSQL under .data/bench,
 * rate limits raised so they do not cap the load), registers BENCH_USERS users, then drives
 * each scenario with autocannon at each connection count for BENCH_DURATION seconds, a random
 * user per request, and prints req/s, p50, p99 and errors as a table. Everything runs on this
 * machine: service, database and load generator share its cores.
 *
 * Environment: BENCH_USERS (1000), BENCH_DURATION (10), BENCH_CONNECTIONS ("16,64"),
 * BENCH_SCENARIOS (comma-separated names, default all), BENCH_URL (benchmark an already running
 * service instead; it must allow the load through its rate limits), BENCH_JSON=1 (also print
 * the results as JSON).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { scenarios } from './scenarios';
import type { BenchContext, BenchUser } from './scenario';

const root = join(__dirname, '..', '..');
const users = Number(process.env.BENCH_USERS ?? 1_000);
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connectionCounts = (process.env.BENCH_CONNECTIONS ?? '16,64').split(',').map(Number);
const selected = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim());

interface Row {
  scenario: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function waitUntilReady(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await fetch(`${baseUrl}/health/ready`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the service at ${baseUrl} did not become ready`);
}

function startService(port: number): ChildProcess {
  return spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      APP_STAGE: 'dev',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(root, '.data', 'bench'),
      EMBEDDED_PG_PORT: process.env.BENCH_PG_PORT ?? '54340',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '20',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_BURST_MAX: '100000',
      AUTH_RATE_LIMIT_MAX: '100000',
    },
  });
}

/** Registers users a few at a time (argon2 is deliberately slow), keeping their tokens. */
async function registerUsers(baseUrl: string, count: number): Promise<BenchUser[]> {
  const registered: BenchUser[] = [];
  const run = `${Date.now()}`;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${baseUrl}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `bench-${run}-${i}-${randomUUID()}@example.test`, password: `bench password ${i} ${run}`, name: `Bench ${i}` }),
      });
      if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { accessToken: string; user: { id: string } };
      registered.push({ id: body.user.id, authorization: `Bearer ${body.accessToken}` });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return registered;
}

async function measure(ctx: BenchContext, scenario: (typeof scenarios)[number], connections: number): Promise<Row> {
  const result = await autocannon({
    url: ctx.baseUrl,
    connections,
    duration,
    requests: [
      {
        setupRequest: (request) => {
          const user = ctx.users[Math.floor(Math.random() * ctx.users.length)];
          const { method, path, body } = scenario.request(user);
          return {
            ...request,
            method,
            path,
            body,
            headers: { ...request.headers, authorization: user.authorization, 'content-type': 'application/json' },
          };
        },
      },
    ],
  });
  return {
    scenario: scenario.name,
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function printTable(rows: Row[]): void {
  const header = ['scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'timeouts'];
  const lines = rows.map((r) => [r.scenario, r.connections, r.requestsPerSecond, r.p50, r.p99, r.non2xx, r.errors, r.timeouts].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
}

async function main(): Promise<void> {
  const port = Number(process.env.BENCH_PORT ?? 3900);
  const service = process.env.BENCH_URL ? undefined : startService(port);
  const baseUrl = process.env.BENCH_URL ?? `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(baseUrl, 60_000);
    console.log(`registering ${users} users…`);
    const ctx: BenchContext = { baseUrl, users: await registerUsers(baseUrl, users) };
    const chosen = scenarios.filter((s) => !selected || selected.includes(s.name));
    const rows: Row[] = [];
    for (const scenario of chosen) {
      await scenario.setup?.(ctx);
      for (const connections of connectionCounts) {
        console.log(`${scenario.name} at ${connections} connections for ${duration} s…`);
        rows.push(await measure(ctx, scenario, connections));
      }
    }
    console.log(`\n${users} users, ${duration} s per run, service + database + load generator on this machine\n`);
    printTable(rows);
    if (process.env.BENCH_JSON) console.log(JSON.stringify(rows, null, 2));
  } finally {
    service?.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
