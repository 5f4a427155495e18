import { POWER_USER_EXPECTED } from './fixtures/local-storage/expected';
import { loadDump } from './fixtures/local-storage/load';
import { startTestApp, TestApp } from './support/app';
import { withDatabase } from './support/database';
import { modes } from './support/preferences';
import { withUserTrigger } from './support/triggers';
import { registerUser, TestUser } from './support/users';

const IMPORT = '/api/v1/migrations/local-storage';

describe('one-time localStorage import', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const post = (user: TestUser, entries: Record<string, string>, deviceId?: string) =>
    t
      .http()
      .post(IMPORT)
      .set('authorization', user.auth)
      .send(deviceId ? { entries, deviceId } : { entries });
  const get = (user: TestUser, path: string) =>
    t.http().get(`/api/v1${path}`).set('authorization', user.auth).expect(200);
  const outcomes = (body: { results: { key: string; outcome: string }[] }) =>
    Object.fromEntries(body.results.map((r) => [r.key, r.outcome]));
  const auditCount = async (user: TestUser) => (await get(user, '/audit/events?limit=100')).body.items.length;

  it('imports a power user into an empty account, and a replay changes nothing', async () => {
    const user = await registerUser(t);
    await withDatabase((c) => c.query(`UPDATE users SET name = '' WHERE id = $1`, [user.id]));
    const dump = loadDump('power-user');

    const res = await post(user, dump, 'laptop-1').expect(200);
    expect(res.body.status).toBe('imported');
    expect(res.body.results.map((r: { key: string }) => r.key)).toEqual(Object.keys(dump));
    const byKey = outcomes(res.body);
    for (const key of [
      'arise_disclosure_accepted_v1',
      'arise_universe',
      'arise_market_region',
      'arise_risk',
      'arise_modes',
      'arise_primary_mode',
      'arise_auxiliary_modes',
    ]) {
      expect(byKey[key]).toBe('imported');
    }
    for (const key of [
      'arise_market',
      'arise_flows',
      'arise_market_asof',
      'arise_spark',
      'arise_news',
      'arise_events',
      'arise_picks',
      'arise_winning_trades',
      'arise_strategy_cache_v1',
    ]) {
      expect(byKey[key]).toBe('ignored');
    }
    expect(byKey.arise_watchlist).toBe('imported');
    expect(byKey.arise_dismissed_insights_v1).toBe('imported');

    const preferences = (await get(user, '/preferences')).body;
    expect(preferences).toMatchObject({ ...POWER_USER_EXPECTED.preferences, version: 1 });
    expect(preferences.disclosureAcceptedAt).toEqual(expect.any(String));
    const watchlist = (await get(user, '/watchlist')).body;
    expect(watchlist.items.map((i: { symbol: string }) => i.symbol)).toEqual(POWER_USER_EXPECTED.watchlist);
    expect(new Set(watchlist.items.map((i: { exchange: string }) => i.exchange))).toEqual(new Set(['NSE']));
    const insights = (await get(user, '/insights/dismissed')).body;
    expect(insights.items.map((i: { insightId: string }) => i.insightId).sort()).toEqual(
      [...POWER_USER_EXPECTED.dismissedInsightIds].sort(),
    );
    const me = (await get(user, '/users/me')).body;
    expect(me.name).toBe(POWER_USER_EXPECTED.name);
    expect(me.accountId).not.toBe('FY-204981');

    const events = (await get(user, '/audit/events?entity=import')).body.items;
    expect(events).toHaveLength(1);
    expect(events[0].after.watchlistAdded).toHaveLength(8);

    const audits = await auditCount(user);
    const replay = await post(user, dump, 'laptop-1').expect(200);
    expect(replay.body.status).toBe('replayed');
    expect(replay.body.results).toEqual(res.body.results);
    expect(replay.body.importedAt).toBe(res.body.importedAt);
    expect((await get(user, '/preferences')).body.version).toBe(1);
    expect((await get(user, '/watchlist')).body.count).toBe(8);
    expect((await get(user, '/insights/dismissed')).body.items).toHaveLength(3);
    expect(await auditCount(user)).toBe(audits);
  });

  it('keeps the server’s saved preferences and merges the lists', async () => {
    const user = await registerUser(t);
    await t
      .http()
      .patch('/api/v1/preferences')
      .set('authorization', user.auth)
      .send({ riskProfile: 'Conservative' })
      .expect(200);
    await t.http().post('/api/v1/watchlist').set('authorization', user.auth).send({ symbol: 'SBIN' }).expect(201);

    const res = await post(user, loadDump('power-user')).expect(200);
    const byKey = outcomes(res.body);
    for (const key of [
      'arise_universe',
      'arise_market_region',
      'arise_risk',
      'arise_modes',
      'arise_primary_mode',
      'arise_auxiliary_modes',
    ]) {
      expect(byKey[key]).toBe('kept-server');
    }
    // Accepted in the browser, not on the server: either side accepting is enough.
    expect(byKey.arise_disclosure_accepted_v1).toBe('merged');
    expect(byKey.arise_watchlist).toBe('merged');

    const preferences = (await get(user, '/preferences')).body;
    expect(preferences).toMatchObject({ riskProfile: 'Conservative', universe: 'NIFTY50', disclosureAccepted: true });
    const symbols = (await get(user, '/watchlist')).body.items.map((i: { symbol: string }) => i.symbol);
    expect(symbols).toEqual(['SBIN', ...POWER_USER_EXPECTED.watchlist]);
  });

  it('reads legacy formats', async () => {
    const user = await registerUser(t);
    const res = await post(user, loadDump('legacy-formats')).expect(200);
    expect(res.body.status).toBe('imported');
    const preferences = (await get(user, '/preferences')).body;
    expect(preferences).toMatchObject({
      disclosureAccepted: true,
      universe: 'NIFTY50',
      marketRegion: 'Global',
      riskProfile: 'Conservative',
      primaryMode: 'Futures',
      tradingModes: modes('Swing', 'Futures'),
      auxiliaryModes: ['Swing'],
    });
    const items = (await get(user, '/watchlist')).body.items.map(
      (i: { symbol: string; exchange: string }) => `${i.exchange}:${i.symbol}`,
    );
    expect(items).toEqual(['NSE:SBIN', 'NSE:ITC', 'NSE:RELIANCE', 'BSE:500325', 'NSE:WIPRO', 'NSE:TCS']);
    const insights = (await get(user, '/insights/dismissed')).body.items
      .map((i: { insightId: string }) => i.insightId)
      .sort();
    expect(insights).toEqual(['ins-10', 'ins-9']);
  });

  it('imports the good parts of a damaged dump and reports the rest', async () => {
    const user = await registerUser(t);
    const res = await post(user, loadDump('damaged')).expect(200);
    expect(res.body.status).toBe('partial');
    const byKey = outcomes(res.body);
    for (const key of [
      'arise_disclosure_accepted_v1',
      'arise_universe',
      'arise_risk',
      'arise_modes',
      'arise_primary_mode',
      'arise_auxiliary_modes',
      'arise_account_profile_v1',
    ]) {
      expect(byKey[key]).toBe('invalid');
    }
    expect(byKey.arise_picks).toBe('ignored');
    expect(byKey.totally_unrelated).toBe('ignored');
    for (const result of res.body.results.filter((r: { outcome: string }) => r.outcome === 'invalid')) {
      expect(result.detail.length).toBeGreaterThan(10);
    }
    const watchlistResult = res.body.results.find((r: { key: string }) => r.key === 'arise_watchlist');
    expect(watchlistResult.detail).toContain('S599');

    const symbols = (await get(user, '/watchlist')).body.items.map((i: { symbol: string }) => i.symbol);
    expect(symbols).toHaveLength(500);
    expect(symbols[0]).toBe('GOOD1');
    expect(symbols.at(-1)).toBe('S498');
    expect((await get(user, '/insights/dismissed')).body.items.map((i: { insightId: string }) => i.insightId)).toEqual([
      'ok-id',
    ]);
  });

  it('never loses either device’s symbols when two devices import at once', async () => {
    const user = await registerUser(t);
    const laptop = { arise_watchlist: JSON.stringify(['TCS', 'INFY', 'HDFCBANK', 'ITC']) };
    const phone = { arise_watchlist: JSON.stringify(['SBIN', 'INFY', 'LT', 'AXISBANK']) };
    const [a, b] = await Promise.all([post(user, laptop, 'laptop'), post(user, phone, 'phone')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const symbols = (await get(user, '/watchlist')).body.items.map((i: { symbol: string }) => i.symbol);
    expect([...symbols].sort()).toEqual(['AXISBANK', 'HDFCBANK', 'INFY', 'ITC', 'LT', 'SBIN', 'TCS']);

    const history = (await get(user, '/migrations/local-storage')).body;
    expect(history.imported).toBe(true);
    expect(history.devices.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual(['laptop', 'phone']);
    expect(history.firstImportedAt).toEqual(expect.any(String));
  });

  it('rejects malformed requests and payloads over the body limit', async () => {
    const user = await registerUser(t);
    await t.http().post(IMPORT).set('authorization', user.auth).send({ entries: 'nope' }).expect(400);
    await t
      .http()
      .post(IMPORT)
      .set('authorization', user.auth)
      .send({ entries: { arise_risk: 5 } })
      .expect(400);
    await t.http().post(IMPORT).set('authorization', user.auth).send({ entries: {}, deviceId: 'bad id!' }).expect(400);
    await t.http().post(IMPORT).set('authorization', user.auth).send({ entries: {}, extra: 1 }).expect(400);
    const big = await post(user, { arise_news: 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);
    expect(big.headers['content-type']).toContain('application/problem+json');
    await t.http().post(IMPORT).send({ entries: {} }).expect(401);
    expect((await get(user, '/migrations/local-storage')).body).toEqual({
      imported: false,
      firstImportedAt: null,
      lastImportedAt: null,
      devices: [],
    });
  });

  it('exposes the feature flags and counts outcomes for admins and Prometheus', async () => {
    const user = await registerUser(t);
    expect((await get(user, '/features')).body).toEqual({ serverPreferences: true, localStorageImport: true });
    await post(user, loadDump('new-user')).expect(200);
    // A partial import and its replay: the replay is neither a second attempt at importing nor a second failure.
    expect((await post(user, loadDump('damaged')).expect(200)).body.status).toBe('partial');
    expect((await post(user, loadDump('damaged')).expect(200)).body.status).toBe('replayed');

    await t.http().get('/api/v1/admin/migrations/stats').set('authorization', user.auth).expect(403);
    await withDatabase((c) => c.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.id]));
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
    const stats = await t
      .http()
      .get('/api/v1/admin/migrations/stats')
      .set('authorization', `Bearer ${login.body.accessToken}`)
      .expect(200);
    expect(stats.body.attempts).toBeGreaterThan(0);
    expect(stats.body.usersImported).toBeGreaterThan(0);
    expect(stats.body.successRate).toBeGreaterThan(0);
    expect(stats.body.successRate).toBeLessThanOrEqual(1);
    expect(stats.body.byOutcome.ignored).toBeGreaterThan(0);
    expect(Object.keys(stats.body.byStatus).sort()).toEqual(['imported', 'partial', 'replayed', 'unchanged']);
    const { byStatus } = stats.body;
    expect(stats.body.attempts).toBe(byStatus.imported + byStatus.partial + byStatus.unchanged + byStatus.replayed);
    const imports = stats.body.attempts - byStatus.replayed;
    expect(stats.body.successRate).toBeCloseTo((imports - byStatus.partial) / imports, 12);

    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/local_storage_imports_total\{status="imported"\} \d+/);
    expect(metrics.text).toMatch(/local_storage_import_keys_total\{outcome="ignored"\} \d+/);
  });

  it('refuses users the rollout has not reached yet', async () => {
    const closed = await startTestApp({ FEATURE_LOCAL_STORAGE_IMPORT_PERCENT: '0' });
    try {
      const user = await registerUser(closed);
      expect(
        (await closed.http().get('/api/v1/features').set('authorization', user.auth).expect(200)).body
          .localStorageImport,
      ).toBe(false);
      const res = await closed
        .http()
        .post(IMPORT)
        .set('authorization', user.auth)
        .send({ entries: loadDump('new-user') })
        .expect(403);
      expect(res.body.type).toBe('urn:fyntrix:problem:feature-disabled');
    } finally {
      await closed.close();
    }
  });

  describe('nothing is dropped silently', () => {
    const storedInsights = (user: TestUser, prefix: string) =>
      withDatabase((c) =>
        c.query(
          `SELECT insight_id FROM user_dismissed_insights WHERE user_id = $1 AND insight_id LIKE $2 ORDER BY insight_id`,
          [user.id, `${prefix}%`],
        ),
      ).then((r) => r.rows.map((row: { insight_id: string }) => row.insight_id));

    it('caps the dismissed insights and names every one that did not fit', async () => {
      const user = await registerUser(t);
      await withDatabase((c) =>
        c.query(
          `INSERT INTO user_dismissed_insights (user_id, insight_id) SELECT $1, 'saved-' || n FROM generate_series(1, 4995) AS n`,
          [user.id],
        ),
      );
      const ids = Array.from({ length: 8 }, (_, i) => `new-${i}`);

      const res = await post(user, { arise_dismissed_insights_v1: JSON.stringify(ids) }).expect(200);

      expect(res.body.results).toEqual([
        {
          key: 'arise_dismissed_insights_v1',
          outcome: 'merged',
          detail: '5 dismissed insights added; 3 did not fit the 5000-item limit: new-5, new-6, new-7',
          notStored: 3,
        },
      ]);
      expect(await storedInsights(user, 'new-')).toEqual(ids.slice(0, 5));
      const [event] = (await get(user, '/audit/events?entity=import')).body.items;
      expect(event.after).toMatchObject({ dismissedInsightsCount: 5000, insightsAdded: ids.slice(0, 5) });
      expect(event.before).toMatchObject({ dismissedInsightsCount: 4995 });
    });

    it('plans from the lists it writes: an add racing the import is either in its plan or refused, never lost', async () => {
      for (let round = 0; round < 3; round++) {
        const user = await registerUser(t);
        await withDatabase((c) =>
          c.query(
            `INSERT INTO user_watchlists (user_id, symbol, position) SELECT $1, 'S' || n, n FROM generate_series(0, 497) AS n`,
            [user.id],
          ),
        );
        const imported = ['IMP1', 'IMP2', 'IMP3'];
        const [importRes, addRes] = await Promise.all([
          post(user, { arise_watchlist: JSON.stringify(imported) }),
          t.http().post('/api/v1/watchlist').set('authorization', user.auth).send({ symbol: 'RACER' }),
        ]);
        expect(importRes.status).toBe(200);
        expect([201, 422]).toContain(addRes.status);

        const symbols = new Set((await get(user, '/watchlist')).body.items.map((i: { symbol: string }) => i.symbol));
        expect(symbols.size).toBe(500);
        const { detail } = importRes.body.results[0];
        const notFitting = detail.match(/did not fit the 500-item limit: (.*)$/)?.[1].split(', ') ?? [];
        expect(importRes.body.results[0].notStored ?? 0).toBe(notFitting.length);
        // Every imported symbol is either stored or named as not fitting; the racing add is stored or refused.
        for (const symbol of imported) expect(symbols.has(symbol) !== notFitting.includes(symbol)).toBe(true);
        expect(symbols.has('RACER')).toBe(addRes.status === 201);
      }
    });

    it('answers 409 and changes nothing when the profile name is set while the import runs', async () => {
      const user = await registerUser(t);
      await withDatabase((c) => c.query(`UPDATE users SET name = '' WHERE id = $1`, [user.id]));
      const entries = {
        arise_account_profile_v1: JSON.stringify({ name: 'Browser Name' }),
        arise_dismissed_insights_v1: JSON.stringify(['race-1']),
      };
      // The rename lands between the import's snapshot and its write of the name (the
      // dismissed insights are written in between): exactly what a concurrent PATCH /users/me does.
      const res = await withUserTrigger(
        user.id,
        {
          on: 'AFTER INSERT ON user_dismissed_insights',
          userColumn: 'NEW.user_id',
          body: `UPDATE users SET name = 'Server Name' WHERE id = NEW.user_id; RETURN NULL;`,
        },
        () => post(user, entries),
      );

      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const [row] = await withDatabase((c) =>
        c.query('SELECT name FROM users WHERE id = $1', [user.id]).then((r) => r.rows),
      );
      expect(row.name).toBe('');
      expect(await storedInsights(user, 'race-')).toEqual([]);
      expect((await get(user, '/migrations/local-storage')).body.imported).toBe(false);
    });
  });
});
