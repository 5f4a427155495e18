/**
 * `npm run export:memory`: how much memory `GET /users/me/export` takes for a long history. Starts
 * the compiled service (as `npm run bench` does: dev stage, its own embedded PostgreSQL on
 * BENCH_PG_PORT under .data/bench), registers one user, gives them EXPORT_EVENTS audit events
 * (100,000; plain SQL, each with before/after values like a preferences change) and a watchlist,
 * then downloads their export while sampling the service's resident memory (/proc/<pid>/status)
 * every 20 ms. Prints the RSS before, its peak during the export (VmHWM), the document's size and
 * the time taken: a streamed export's peak stays near the baseline whatever the history's length.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { registerUsers, startService, waitUntilReady } from './bench/service';

const EVENTS = Number(process.env.EXPORT_EVENTS ?? 100_000);
const PORT = Number(process.env.EXPORT_PORT ?? 3902);
const PG_PORT = process.env.BENCH_PG_PORT ?? '54340';
const base = `http://127.0.0.1:${PORT}`;

/** A line of /proc/<pid>/status in MB: VmRSS now, VmHWM the peak since the process started. */
function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

async function main(): Promise<void> {
  const service = startService(PORT, { BENCH_PG_PORT: PG_PORT, EMBEDDED_PG_PORT: PG_PORT });
  try {
    await waitUntilReady(base, 120_000);
    const [user] = await registerUsers(base, 1);
    const db = new Client({
      connectionString: `postgres://postgres:postgres@${encodeURIComponent('/tmp')}:${PG_PORT}/fyntrix_dev`,
    });
    await db.connect();
    await db.query(
      `INSERT INTO audit_events (occurred_at, actor_user_id, subject_user_id, entity, action, before, after, changed_fields, request_id, ip, user_agent)
       SELECT now() - g * interval '1 second', $1, $1, 'preferences', 'update',
              jsonb_build_object('riskProfile', 'Moderate', 'universe', 'NIFTY50', 'tradingModes', jsonb_build_object('Swing', true, 'Options', g % 2 = 0)),
              jsonb_build_object('riskProfile', 'Aggressive', 'universe', 'NIFTY50', 'tradingModes', jsonb_build_object('Swing', true, 'Options', g % 2 = 1)),
              '{riskProfile,tradingModes.Options}', gen_random_uuid()::text, '203.0.113.7', 'Mozilla/5.0 (X11; Linux x86_64) export-memory'
         FROM generate_series(1, $2::int) g`,
      [user.id, EVENTS],
    );
    await db.query(`ANALYZE audit_events`);
    await db.end();

    const pid = service.pid!;
    for (let i = 0; i < 20; i++)
      await fetch(`${base}/api/v1/users/me`, { headers: { authorization: user.authorization } });
    const before = memoryMb(pid, 'VmRSS');
    const hwmBefore = memoryMb(pid, 'VmHWM');
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryMb(pid, 'VmRSS'))), 20);
    const started = Date.now();
    const res = await fetch(`${base}/api/v1/users/me/export`, { headers: { authorization: user.authorization } });
    let bytes = 0;
    for await (const chunk of res.body!) bytes += (chunk as Uint8Array).length;
    const ms = Date.now() - started;
    clearInterval(sampler);
    if (res.status !== 200) throw new Error(`the export answered ${res.status}`);
    console.log(`audit events exported: ${EVENTS}`);
    console.log(`document: ${(bytes / 1024 / 1024).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s`);
    console.log(`service RSS: ${before} MB before, ${peak} MB at most while exporting (sampled every 20 ms)`);
    console.log(`service peak RSS since start (VmHWM): ${hwmBefore} MB before, ${memoryMb(pid, 'VmHWM')} MB after`);
  } finally {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
