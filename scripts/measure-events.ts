/**
 * `npm run events:measure`: what open change streams (`GET /api/v1/events`) cost the service, on
 * loopback, with the compiled service started as `npm run bench` starts it (its own embedded
 * PostgreSQL on BENCH_PG_PORT, rate limits raised):
 *
 * 1. the service's RSS and CPU with no stream open (the baseline);
 * 2. the latency of delivery with EVENTS_MEASURE_LATENCY_STREAMS (500) streams open: one user's
 *    write after the other (`PATCH /users/me`), from its 200 to the event arriving on each of that
 *    user's streams (p50, p99, max over EVENTS_MEASURE_WRITES writes);
 * 3. RSS with EVENTS_MEASURE_STREAMS (2,000) idle streams open, and the CPU time the service uses
 *    over EVENTS_MEASURE_SECONDS (60) with them idle (heartbeats only).
 *
 * The streams are spread over EVENTS_MEASURE_USERS (20) users, so the service runs with
 * EVENTS_MAX_STREAMS_PER_USER raised to fit. Each stream is one plain HTTP/1.1 connection (the
 * measuring client parses nothing but the `event:` lines). Linux only (/proc for RSS and CPU).
 */
import { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type ClientRequest, request } from 'node:http';
import { registerUsers, startService, waitUntilReady } from './bench/service';
import type { BenchUser } from './bench/scenario';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const STREAMS = env('EVENTS_MEASURE_STREAMS', 2_000);
const LATENCY_STREAMS = env('EVENTS_MEASURE_LATENCY_STREAMS', 500);
const USERS = env('EVENTS_MEASURE_USERS', 20);
const WRITES = env('EVENTS_MEASURE_WRITES', 200);
const IDLE_SECONDS = env('EVENTS_MEASURE_SECONDS', 60);
const PORT = env('EVENTS_MEASURE_PORT', 3902);
const base = `http://127.0.0.1:${PORT}`;

/** One open stream, as the measuring client holds it: when each `profile` event arrived. */
interface Stream {
  user: BenchUser;
  request: ClientRequest;
  profileArrivals: number[];
}

function open(user: BenchUser): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const stream: Stream = { user, request: undefined!, profileArrivals: [] };
    stream.request = request(`${base}/api/v1/events`, { headers: { authorization: user.authorization }, agent: false });
    stream.request.on('response', (response) => {
      if (response.statusCode !== 200) return reject(new Error(`GET /events answered ${response.statusCode}`));
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        const now = performance.now();
        if (text.includes('event: ready')) resolve(stream);
        for (const _ of text.matchAll(/^event: profile$/gm)) stream.profileArrivals.push(now);
      });
      response.on('error', () => undefined);
    });
    stream.request.on('error', reject);
    stream.request.end();
  });
}

/** Opens streams until `count` are open, spread evenly over `users`, `concurrency` at a time. */
async function openUpTo(streams: Stream[], count: number, users: BenchUser[], concurrency = 50): Promise<void> {
  while (streams.length < count) {
    const batch = Math.min(concurrency, count - streams.length);
    const start = streams.length;
    streams.push(
      ...(await Promise.all(Array.from({ length: batch }, (_, i) => open(users[(start + i) % users.length])))),
    );
  }
}

/** The service's resident memory (MiB) and CPU time so far (s), from /proc. */
function usage(pid: number): { rssMiB: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]);
  // Fields 14 and 15 of /proc/<pid>/stat (after the command's closing parenthesis): utime, stime.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMiB: rssKiB / 1024, cpuSeconds: ticks / 100 };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function measureLatency(streams: Stream[], writer: BenchUser): Promise<number[]> {
  const own = streams.filter((stream) => stream.user === writer);
  const latencies: number[] = [];
  for (let n = 0; n < WRITES; n++) {
    const res = await fetch(`${base}/api/v1/users/me`, {
      method: 'PATCH',
      headers: { authorization: writer.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Measure ${n}` }),
    });
    const answered = performance.now();
    if (res.status !== 200) throw new Error(`PATCH /users/me answered ${res.status}`);
    await res.arrayBuffer();
    for (const deadline = answered + 5_000; own.some((s) => s.profileArrivals.length <= n);) {
      if (performance.now() > deadline) throw new Error(`write ${n}: not every stream got its event within 5 s`);
      await sleep(1);
    }
    // An event read before the 200 counts as 0.
    latencies.push(...own.map((s) => Math.max(0, s.profileArrivals[n] - answered)));
  }
  return latencies.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const service: ChildProcess = startService(PORT, {
    EVENTS_MAX_STREAMS_PER_USER: String(Math.ceil(STREAMS / USERS)),
    EVENTS_MAX_STREAMS: String(STREAMS + 100),
  });
  const streams: Stream[] = [];
  try {
    await waitUntilReady(base, 120_000);
    const users = await registerUsers(base, USERS);
    await sleep(2_000);
    const idle = usage(service.pid!);

    await openUpTo(streams, LATENCY_STREAMS, users);
    const latencies = await measureLatency(streams, users[0]);

    await openUpTo(streams, STREAMS, users);
    await sleep(5_000);
    const before = usage(service.pid!);
    await sleep(IDLE_SECONDS * 1_000);
    const after = usage(service.pid!);
    if (streams.some((stream) => stream.request.destroyed)) throw new Error('a stream ended during the idle period');

    const cpuPercent = ((after.cpuSeconds - before.cpuSeconds) / IDLE_SECONDS) * 100;
    console.table({
      'no stream open': { streams: 0, 'RSS (MiB)': round(idle.rssMiB) },
      [`${STREAMS} idle streams`]: {
        streams: STREAMS,
        'RSS (MiB)': round(after.rssMiB),
        'RSS per stream (KiB)': round(((after.rssMiB - idle.rssMiB) * 1024) / STREAMS),
        [`CPU over ${IDLE_SECONDS} s (% of a core)`]: round(cpuPercent, 2),
      },
    });
    console.table({
      [`write's 200 → event, ${LATENCY_STREAMS} streams open`]: {
        samples: latencies.length,
        'p50 (ms)': round(percentile(latencies, 0.5), 2),
        'p99 (ms)': round(percentile(latencies, 0.99), 2),
        'max (ms)': round(latencies.at(-1)!, 2),
      },
    });
  } finally {
    for (const stream of streams) stream.request.destroy();
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
