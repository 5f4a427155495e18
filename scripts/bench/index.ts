/**
 * `npm run bench`: throughput and latency of the hot routes, measured, not guessed.
 *
 * Builds nothing itself (`npm run bench` runs `npm run build` first), starts the compiled
 * service (`node dist/src/main.js`, dev stage, its own embedded PostgreSQL under .data/bench,
 * created afresh for every run, rate limits raised so they do not cap the load), registers
 * BENCH_USERS users, then drives
 * each scenario with autocannon at each connection count for BENCH_DURATION seconds, a random
 * user per request, and prints req/s, p50, p99 and errors as a table. Everything runs on this
 * machine: service, database and load generator share its cores.
 *
 * Environment: BENCH_USERS (1000), BENCH_DURATION (10), BENCH_CONNECTIONS ("16,64"),
 * BENCH_SCENARIOS (comma-separated names, default all), BENCH_URL (benchmark an already running
 * service instead; it must allow the load through its rate limits), BENCH_JSON=1 (also print
 * the results as JSON), BENCH_PORT (3900, the port of the service it starts) and BENCH_PG_PORT
 * (54340, that service's embedded PostgreSQL).
 */
import { rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { scenarios } from './scenarios';
import type { BenchContext } from './scenario';
import { BENCH_DATA_DIR, registerUsers, startService, waitUntilReady } from './service';
import { printTable } from './table';

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

async function main(): Promise<void> {
  const port = Number(process.env.BENCH_PORT ?? 3900);
  // A fresh database every run: tables bloated by earlier runs' writes measured up to 15 % slower.
  if (!process.env.BENCH_URL) rmSync(BENCH_DATA_DIR, { recursive: true, force: true });
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
    printTable(
      ['scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'timeouts'],
      rows.map((r) => [r.scenario, r.connections, r.requestsPerSecond, r.p50, r.p99, r.non2xx, r.errors, r.timeouts]),
    );
    if (process.env.BENCH_JSON) console.log(JSON.stringify(rows, null, 2));
  } finally {
    service?.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
