import { isReady, openStream, type OpenStream } from './support/change-stream';
import { type LogLine, logLines, startCluster } from './support/cluster';
import type { AppProcess } from './support/process';
import { STRONG_PASSWORD, uniqueEmail } from './support/users';

/**
 * The change streams of the service as production runs it: its own process, WEB_CONCURRENCY=2.
 * Each worker holds one LISTEN connection (and only one); a write served by either worker reaches
 * the streams held by both within a second; SIGTERM ends open streams at once instead of waiting
 * for them to end by themselves (they never would), and the service exits 0.
 */
const WORKERS = 2;
/** Streams on fresh connections: the primary hands connections to the workers in turn. */
const STREAMS = 4;

/** A worker's one LISTEN connection, as it logs it. */
const isListening = (l: LogLine) => l.context === 'NotificationListener' && /^listening on /.test(l.msg!);

describe('change streams in a cluster of workers (WEB_CONCURRENCY=2)', () => {
  let service: AppProcess;
  let base: string;
  const lines = () => logLines(service);
  const listening = () => lines().filter(isListening);

  beforeAll(async () => {
    ({ service, base } = await startCluster(WORKERS, (all) => all.filter(isListening).length >= WORKERS, {
      // Streams must not hold the shutdown for this long.
      SHUTDOWN_GRACE_MS: '20000',
    }));
  }, 90_000);
  afterAll(() => service?.dispose());

  async function register(): Promise<{ accessToken: string }> {
    const res = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ email: uniqueEmail('cluster'), password: STRONG_PASSWORD, name: 'Cluster' }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { accessToken: string };
  }

  let streams: OpenStream[] = [];

  it('listens on one connection per worker, and a write through either worker reaches streams on both', async () => {
    const pids = listening().map((l) => l.pid);
    expect(pids).toHaveLength(WORKERS);
    expect(new Set(pids).size).toBe(WORKERS);

    const user = await register();
    for (let i = 0; i < STREAMS; i++) {
      const stream = await openStream(base, user.accessToken);
      expect(stream.status).toBe(200);
      await stream.next(isReady);
      streams.push(stream);
    }
    const profiles = (stream: OpenStream) => stream.events.filter((e) => e.event === 'profile').length;
    for (const [n, name] of ['first', 'second'].entries()) {
      const started = Date.now();
      const res = await fetch(`${base}/api/v1/users/me`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${user.accessToken}`,
          'content-type': 'application/json',
          connection: 'close',
        },
        body: JSON.stringify({ name }),
      });
      expect(res.status).toBe(200);
      await Promise.all(streams.map((s) => s.next(() => profiles(s) > n, { timeoutMs: 1_000 })));
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    // Every stream saw both changes, whichever worker holds it and whichever served the write.
    for (const stream of streams) expect(stream.events.filter((e) => e.event === 'profile')).toHaveLength(2);
  });

  it('ends open streams at once on SIGTERM, and exits 0', async () => {
    expect(streams.every((s) => !s.isEnded)).toBe(true);
    const started = Date.now();
    service.child.kill('SIGTERM');
    await Promise.all(streams.map((s) => s.ended));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await service.exit(15_000)).toEqual({ code: 0, signal: null });
    // Both workers held some of the streams (so the delivery above crossed workers).
    const ended = lines()
      .filter((l) => l.context === 'ChangeStreams' && /^stopping: ending \d+ change streams$/.test(l.msg!))
      .map((l) => [l.pid, Number(/\d+/.exec(l.msg!)![0])]);
    expect(new Set(ended.map(([pid]) => pid)).size).toBe(WORKERS);
    expect(ended.reduce((sum, [, n]) => sum + n!, 0)).toBe(STREAMS);
    // The access log has one line per stream, written when it ended, whatever it carried.
    expect(lines().filter((l) => l.url === '/api/v1/events' && l.msg === 'request completed')).toHaveLength(STREAMS);
    streams = [];
  }, 30_000);
});
