import { startTestApp, TestApp } from './support/app';

describe('health and metrics', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('answers liveness without touching the database', async () => {
    await t.http().get('/health/live').expect(200, { status: 'ok' });
  });

  it('is ready when the database answers', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.details.database.status).toBe('up');
  });
});
