import { type LogLine, logLines as lines, startCluster } from './support/cluster';
import type { AppProcess } from './support/process';

/**
 * WEB_CONCURRENCY=2: one primary, two workers on one port. Both serve, /metrics counts the
 * requests of both, a worker that dies is replaced, and SIGTERM stops everything with exit 0.
 */
const WORKERS = 2;

const isReady = (l: LogLine) => /^ready in/.test(l.msg ?? '');

describe('a cluster of workers (WEB_CONCURRENCY)', () => {
  let service: AppProcess;
  let base: string;
  beforeAll(async () => {
    ({ service, base } = await startCluster(WORKERS, (all) => all.filter(isReady).length >= WORKERS));
  }, 90_000);
  afterAll(() => service?.dispose());

  const readyWorkers = () => lines(service).filter(isReady);

  /** A fresh connection per request: the primary hands connections to the workers in turn. */
  const get = (path: string) =>
    fetch(`${base}${path}`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5_000) });

  it('serves through every worker, and /metrics counts the requests of all of them', async () => {
    const requests = 10;
    for (let i = 0; i < requests; i++) expect((await get('/api/v1/features')).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300)); // access-log lines trail the answers
    const served = new Set(
      lines(service)
        .filter((l) => l.url === '/api/v1/features')
        .map((l) => l.worker),
    );
    expect(served).toEqual(new Set([1, 2]));

    const metrics = await (await get('/metrics')).text();
    const counted =
      /^http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/features",status_code="401"\} (\d+)$/m.exec(
        metrics,
      );
    expect(Number(counted?.[1])).toBe(requests);
  });

  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const ready = readyWorkers;
    expect(ready()).toHaveLength(WORKERS);
    const victim = ready()[0].pid!;
    process.kill(victim, 'SIGKILL');
    // A connection the primary hands over before it noticed the death goes to the dead worker and
    // is lost (Node's round robin): whether the next one is the victim's turn depends on how many
    // connections came before. "Meanwhile" starts once the primary knows.
    const noticed = () => lines(service).some((l) => l.context === 'Cluster' && /exited \(SIGKILL\)/.test(l.msg ?? ''));
    for (const deadline = Date.now() + 5_000; !noticed() && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const deadline = Date.now() + 30_000; ready().length === WORKERS && Date.now() < deadline;) {
      expect((await get('/health/live')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (ready().length === WORKERS)
      throw new Error(`no replacement started:\n${service.stdout.slice(-3000)}\n${service.stderr.slice(-2000)}`);
    const replacement = ready().at(-1)!;
    expect(replacement.pid).not.toBe(victim);
    expect(
      lines(service).some((l) => l.context === 'Cluster' && /exited \(SIGKILL\); starting another/.test(l.msg ?? '')),
    ).toBe(true);
    for (let i = 0; i < 4; i++) expect((await get('/health/live')).status).toBe(200);
  }, 90_000);

  it('stops every worker on SIGTERM and exits 0', async () => {
    service.child.kill('SIGTERM');
    expect(await service.exit(30_000)).toEqual({ code: 0, signal: null });
    const stopped = lines(service).filter((l) => l.context === 'Shutdown' && /stopped accepting/.test(l.msg ?? ''));
    expect(new Set(stopped.map((l) => l.pid)).size).toBe(WORKERS);
    expect(lines(service).at(-1)).toMatchObject({ context: 'Cluster', msg: 'stopped' });
  });
});
