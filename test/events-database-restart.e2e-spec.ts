import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ListeningApp, startListeningApp } from './browser/support/api';
import { isReady, openStream } from './support/change-stream';
import { REPO_ROOT, startControllablePostgres } from './support/process';
import { registerUser } from './support/users';

/**
 * The database restarts under an open change stream: the stream stays open, the instance LISTENs
 * again by itself, tells the stream to `resync` (notifications sent meanwhile are lost), and live
 * events follow again.
 */
describe('change streams across a database restart', () => {
  const dataDir = join(REPO_ROOT, '.data', `events-faults-${process.pid}`);
  let pg: Awaited<ReturnType<typeof startControllablePostgres>>;
  let api: ListeningApp;

  beforeAll(async () => {
    pg = await startControllablePostgres(dataDir);
    api = await startListeningApp({
      DATABASE_URL: pg.url,
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
    });
  }, 180_000);

  afterAll(async () => {
    await api?.close();
    await pg?.exit();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends resync after the listening connection came back, then live events again', async () => {
    const user = await registerUser(api);
    const stream = await openStream(api.url, user.accessToken);
    try {
      expect(stream.status).toBe(200);
      const ready = await stream.next(isReady);

      await pg.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(stream.isEnded).toBe(false);
      await pg.start();

      const resync = await stream.next((e) => e.event === 'resync', { timeoutMs: 20_000 });
      expect(resync).toEqual({ event: 'resync', id: ready.id, data: { reason: 'missed-notifications' } });

      const from = stream.events.length;
      await api.http().patch('/api/v1/users/me').set('authorization', user.auth).send({ name: 'After' }).expect(200);
      const live = await stream.next((e) => e.event === 'profile', { from });
      expect(Number(live.id)).toBeGreaterThan(Number(resync.id));
    } finally {
      stream.close();
    }
  }, 60_000);
});
