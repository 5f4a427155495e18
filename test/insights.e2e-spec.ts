import { DISMISSED_INSIGHTS_MAX } from '../domain/insight-id';
import { InsightsService } from '../src/insights/insights.service';
import { startTestApp, TestApp } from './support/app';
import { auditEvents } from './support/audit';
import { withDatabase } from './support/database';
import { expectProblem, fieldsOf } from './support/problem';
import { registerUser, TestUser } from './support/users';

describe('dismissed insights', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const list = (u: TestUser) => t.http().get('/api/v1/insights/dismissed').set('authorization', u.auth);
  const dismiss = (u: TestUser, encodedId: string) =>
    t.http().post(`/api/v1/insights/${encodedId}/dismiss`).set('authorization', u.auth);
  const undismiss = (u: TestUser, encodedId: string) =>
    t.http().delete(`/api/v1/insights/${encodedId}/dismiss`).set('authorization', u.auth);

  const storedIds = (u: TestUser) =>
    withDatabase(async (client) => {
      const { rows } = await client.query<{ insight_id: string }>(
        'SELECT insight_id FROM user_dismissed_insights WHERE user_id = $1 ORDER BY insight_id',
        [u.id],
      );
      return rows.map((r) => r.insight_id);
    });

  it.each([
    ['GET', '/api/v1/insights/dismissed'],
    ['POST', '/api/v1/insights/welcome-tour/dismiss'],
    ['DELETE', '/api/v1/insights/welcome-tour/dismiss'],
  ])('%s %s without a token is 401', async (method, path) => {
    const res = await t.http()[method.toLowerCase() as 'get'](path).expect(401);
    expectProblem(res, 401);
  });

  it('starts empty', async () => {
    const alice = await registerUser(t);
    expect((await list(alice).expect(200)).body).toEqual({ items: [] });
  });

  it('dismisses (201), then answers 200 unchanged, with one audit event', async () => {
    const alice = await registerUser(t);
    const id = 'insight:momentum:TCS:2026-11-20';
    const first = await dismiss(alice, id).expect(201);
    expect(first.body).toEqual({ insightId: id, dismissedAt: expect.any(String) });
    expect(Date.now() - new Date(first.body.dismissedAt).getTime()).toBeLessThan(60_000);
    const again = await dismiss(alice, id).expect(200);
    expect(again.body).toEqual(first.body);
    expect((await list(alice).expect(200)).body).toEqual({ items: [first.body] });
    expect(await auditEvents(t, alice, 'insights')).toEqual([
      expect.objectContaining({
        action: 'dismiss',
        before: null,
        after: first.body,
        changedFields: ['dismissedAt', 'insightId'],
      }),
    ]);
  });

  it('lists newest first', async () => {
    const alice = await registerUser(t);
    for (const id of ['b-first', 'a-second', 'c-third']) await dismiss(alice, id).expect(201);
    const ids = (await list(alice).expect(200)).body.items.map((i: { insightId: string }) => i.insightId);
    expect(ids).toEqual(['c-third', 'a-second', 'b-first']);
  });

  it('accepts every allowed character and the longest id', async () => {
    const alice = await registerUser(t);
    const ids = ['A.b_c-d:9', 'x'.repeat(128), 'welcome-tour'];
    for (const id of ids) await dismiss(alice, encodeURIComponent(id)).expect(201);
    expect(await storedIds(alice)).toEqual([...ids].sort());
  });

  it.each([
    ['a space', 'bad%20id'],
    ['a slash, encoded', 'a%2Fb'],
    ['a dollar sign', 'a%24b'],
    ['a non-ASCII letter', '%C3%BC'],
    ['129 characters', 'x'.repeat(129)],
  ])('an id with %s is 400, on both routes', async (_name, encodedId) => {
    const alice = await registerUser(t);
    const res = await dismiss(alice, encodedId).expect(400);
    expectProblem(res, 400, 'urn:fyntrix:problem:validation-failed');
    expect(fieldsOf(res)[0]).toBe('insightId');
    await undismiss(alice, encodedId).expect(400);
    expect(await storedIds(alice)).toEqual([]);
  });

  it('a path parameter far beyond any id is 414 (the router refuses it before validation)', async () => {
    const alice = await registerUser(t);
    await dismiss(alice, 'x'.repeat(257)).expect(414);
  });

  it('un-dismisses (204), then 404, with one audit event', async () => {
    const alice = await registerUser(t);
    const dismissed = (await dismiss(alice, 'welcome-tour').expect(201)).body;
    await undismiss(alice, 'welcome-tour').expect(204);
    const missing = await undismiss(alice, 'welcome-tour').expect(404);
    expectProblem(missing, 404);
    await undismiss(alice, 'never-dismissed').expect(404);
    expect((await list(alice).expect(200)).body).toEqual({ items: [] });
    const events = await auditEvents(t, alice, 'insights');
    expect(events.map((e) => e.action)).toEqual(['undismiss', 'dismiss']);
    expect(events[0]).toMatchObject({ before: dismissed, after: null });
    // Dismissing again starts a new dismissal.
    await dismiss(alice, 'welcome-tour').expect(201);
  });

  it("another user's dismissals are invisible and cannot be un-dismissed", async () => {
    const alice = await registerUser(t);
    const bob = await registerUser(t);
    await dismiss(alice, 'shared-id').expect(201);
    await dismiss(alice, 'alice-only').expect(201);
    expect((await list(bob).expect(200)).body).toEqual({ items: [] });
    await undismiss(bob, 'alice-only').expect(404);
    await dismiss(bob, 'shared-id').expect(201);
    await undismiss(bob, 'shared-id').expect(204);
    expect(await storedIds(alice)).toEqual(['alice-only', 'shared-id']);
    expect(await auditEvents(t, alice, 'insights')).toHaveLength(2);
  });

  it('parallel dismissals of one insight: exactly one 201 per insight, the rest 200, one row, one event', async () => {
    const alice = await registerUser(t);
    const ids = ['race-1', 'race-2', 'race-3', 'race-4', 'race-5'];
    const attempts = ids.flatMap((id) => Array.from({ length: 10 }, () => id));
    const responses = await Promise.all(attempts.map((id) => dismiss(alice, id)));
    for (const id of ids) {
      const mine = responses.filter((r) => r.body.insightId === id);
      expect(mine.map((r) => r.status).sort()).toEqual([...Array(9).fill(200), 201]);
      for (const r of mine) expect(r.body).toEqual(mine[0].body);
    }
    expect(responses.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(await storedIds(alice)).toEqual(ids);
    expect(await auditEvents(t, alice, 'insights')).toHaveLength(ids.length);
  });

  it(`keeps at most ${DISMISSED_INSIGHTS_MAX}, also under concurrency`, async () => {
    const alice = await registerUser(t);
    await withDatabase((client) =>
      client.query(
        `INSERT INTO user_dismissed_insights (user_id, insight_id)
         SELECT $1, 'old-' || n FROM generate_series(1, $2::int) AS n`,
        [alice.id, DISMISSED_INSIGHTS_MAX - 10],
      ),
    );
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => dismiss(alice, `new-${i}`)));
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(10).fill(201), ...Array(10).fill(422)]);
    const rejected = responses.find((r) => r.status === 422)!;
    expect(rejected.body.errors).toEqual([{ field: 'insightId', message: 'at most 5000 insights can be dismissed' }]);
    expect(await storedIds(alice)).toHaveLength(DISMISSED_INSIGHTS_MAX);
    // At the cap, an insight already dismissed is still a 200; un-dismissing makes room again.
    await dismiss(alice, 'old-1').expect(200);
    await undismiss(alice, 'old-1').expect(204);
    await dismiss(alice, 'one-more').expect(201);
    expect((await list(alice).expect(200)).body.items).toHaveLength(DISMISSED_INSIGHTS_MAX);
  });

  it('dismissMany (for the localStorage import) is a union that records no event itself', async () => {
    const alice = await registerUser(t);
    const saved = (await dismiss(alice, 'ins-1').expect(201)).body;
    const result = await t.app.get(InsightsService).dismissMany(alice.id, ['ins-2', 'ins-1', 'ins-3', 'ins-2']);
    expect(result).toEqual({
      added: [
        { insightId: 'ins-2', dismissedAt: expect.any(Date) },
        { insightId: 'ins-3', dismissedAt: expect.any(Date) },
      ],
      present: [{ insightId: 'ins-1', dismissedAt: new Date(saved.dismissedAt) }],
      overflow: [],
    });
    expect(await storedIds(alice)).toEqual(['ins-1', 'ins-2', 'ins-3']);
    expect(await auditEvents(t, alice, 'insights')).toHaveLength(1);
  });

  it('the database itself refuses malformed ids', async () => {
    const alice = await registerUser(t);
    await expect(
      withDatabase((client) =>
        client.query('INSERT INTO user_dismissed_insights (user_id, insight_id) VALUES ($1, $2)', [alice.id, 'bad id']),
      ),
    ).rejects.toMatchObject({ constraint: 'ck_user_dismissed_insights_insight_id' });
  });
});
