import { startTestApp, TestApp } from './support/app';
import { withDatabase } from './support/database';
import { expectProblem, fieldsOf } from './support/problem';
import { CONTRACT_DEFAULTS, DEFAULT_VALUES, modes } from './support/preferences';
import { registerUser, TestUser } from './support/users';

const API = '/api/v1/preferences';

/** The contract's defaults, exactly as `GET` answers them before anything was saved. */
const DEFAULTS = CONTRACT_DEFAULTS;

/** A valid full document (every writable field), different from the defaults in each field. */
const FULL = {
  disclosureAccepted: false,
  universe: 'NIFTY200',
  marketRegion: 'Global',
  riskProfile: 'Conservative',
  tradingModes: { Intraday: true, Swing: false, Options: true, Futures: false },
  primaryMode: 'Options',
  auxiliaryModes: ['Intraday'],
};
const WRITABLE_FIELDS = Object.keys(FULL);

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('preferences', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const getPreferences = (user: TestUser) => t.http().get(API).set('authorization', user.auth);
  const write = (method: 'put' | 'patch', user: TestUser, body: unknown, ifMatch?: string) => {
    const req = t.http()[method](API).set('authorization', user.auth);
    if (ifMatch !== undefined) req.set('if-match', ifMatch);
    return req.send(body as object);
  };
  const put = (user: TestUser, body: unknown, ifMatch?: string) => write('put', user, body, ifMatch);
  const patch = (user: TestUser, body: unknown, ifMatch?: string) => write('patch', user, body, ifMatch);

  /** A user whose preferences are saved as FULL (version 1). */
  async function userWithSavedPreferences(): Promise<TestUser> {
    const user = await registerUser(t);
    await put(user, FULL).expect(200);
    return user;
  }

  /** The stored row, straight from the database (undefined if none). */
  const storedRow = (user: TestUser) =>
    withDatabase(
      async (db) => (await db.query('SELECT * FROM user_preferences WHERE user_id = $1', [user.id])).rows[0],
    );

  const preferenceEvents = async (user: TestUser) =>
    (await t.http().get('/api/v1/audit/events?entity=preferences').set('authorization', user.auth).expect(200)).body
      .items;

  /** Asserts that the user's preferences are exactly `expected` (GET and ETag agree). */
  async function expectPreferences(user: TestUser, expected: object) {
    const res = await getPreferences(user).expect(200);
    expect(res.body).toEqual(expected);
    expect(res.headers.etag).toBe(`"${res.body.version}"`);
    return res.body;
  }

  describe('GET /preferences', () => {
    it('answers the documented defaults with version 0 and ETag "0" before anything was saved (never 404)', async () => {
      const user = await registerUser(t);
      for (let i = 0; i < 2; i++) {
        const res = await getPreferences(user).expect(200);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body).toEqual(DEFAULTS);
        expect(res.headers.etag).toBe('"0"');
      }
      // Reading the defaults saves nothing.
      expect(await storedRow(user)).toBeUndefined();
    });

    it('answers the saved row with its version as a strong ETag', async () => {
      const user = await registerUser(t);
      const saved = await put(user, FULL).expect(200);
      const res = await getPreferences(user).expect(200);
      expect(res.body).toEqual(saved.body);
      expect(res.body).toMatchObject({ ...FULL, version: 1 });
      expect(res.headers.etag).toBe('"1"');
    });

    it('requires a bearer token', async () => {
      expectProblem(await t.http().get(API), 401);
      expectProblem(await t.http().put(API).send(FULL), 401);
      expectProblem(await t.http().patch(API).send({ riskProfile: 'Aggressive' }), 401);
    });
  });

  describe('PUT /preferences', () => {
    it('saves every writable field and answers the new document with version 1 and ETag "1"', async () => {
      const user = await registerUser(t);
      const res = await put(user, FULL).expect(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toEqual({
        ...FULL,
        disclosureAcceptedAt: null,
        version: 1,
        updatedAt: expect.stringMatching(ISO_TIMESTAMP),
      });
      const row = await storedRow(user);
      expect(row).toMatchObject({
        disclosure_accepted: false,
        disclosure_accepted_at: null,
        universe: 'NIFTY200',
        market_region: 'Global',
        risk_profile: 'Conservative',
        trading_modes: FULL.tradingModes,
        primary_mode: 'Options',
        auxiliary_modes: ['Intraday'],
        version: 1,
      });
      expect(row.updated_at.toISOString()).toBe(res.body.updatedAt);
    });

    it('replaces the whole document: fields not sent again do not survive from the previous version', async () => {
      const user = await userWithSavedPreferences();
      const replacement = {
        disclosureAccepted: false,
        universe: 'NIFTYBANK',
        marketRegion: 'India',
        riskProfile: 'Aggressive',
        tradingModes: { Intraday: false, Swing: false, Options: false, Futures: false },
        primaryMode: null,
        auxiliaryModes: [],
      };
      const res = await put(user, replacement, '"1"').expect(200);
      expect(res.headers.etag).toBe('"2"');
      await expectPreferences(user, {
        ...replacement,
        disclosureAcceptedAt: null,
        version: 2,
        updatedAt: res.body.updatedAt,
      });
    });

    it('accepts primaryMode null when it is sent', async () => {
      const user = await registerUser(t);
      const res = await put(user, { ...FULL, primaryMode: null }).expect(200);
      expect(res.body.primaryMode).toBeNull();
      expect((await storedRow(user)).primary_mode).toBeNull();
    });

    it.each(WRITABLE_FIELDS)('answers 400 naming the missing writable field %s, and saves nothing', async (field) => {
      const user = await registerUser(t);
      const body: Record<string, unknown> = { ...FULL };
      delete body[field];
      const res = await put(user, body);
      const problem = expectProblem(res, 400);
      expect(problem.type).toBe('urn:fyntrix:problem:validation-failed');
      expect(new Set(fieldsOf(res))).toEqual(new Set([field]));
      await expectPreferences(user, DEFAULTS);
    });

    it('answers 400 naming a trading mode missing from tradingModes', async () => {
      const user = await registerUser(t);
      const res = await put(user, { ...FULL, tradingModes: { Intraday: true, Swing: false, Options: true } });
      expectProblem(res, 400);
      expect(fieldsOf(res)).toEqual(['tradingModes.Futures']);
    });

    it('works as GET-modify-PUT: read-only fields sent back are ignored', async () => {
      const user = await registerUser(t);
      // From the defaults (version 0, null timestamps) …
      const first = (await getPreferences(user).expect(200)).body;
      const v1 = await put(user, { ...first, riskProfile: 'Aggressive' }, '"0"').expect(200);
      expect(v1.body).toMatchObject({ ...DEFAULT_VALUES, riskProfile: 'Aggressive', version: 1 });
      // … and from a saved version, with its timestamps; forged read-only values change nothing either.
      const second = (await getPreferences(user).expect(200)).body;
      const v2 = await put(
        user,
        {
          ...second,
          universe: 'NIFTY500',
          version: 99,
          updatedAt: '2001-01-01T00:00:00.000Z',
          disclosureAcceptedAt: '2001-01-01T00:00:00.000Z',
        },
        '"1"',
      ).expect(200);
      expect(v2.headers.etag).toBe('"2"');
      expect(v2.body).toMatchObject({
        universe: 'NIFTY500',
        riskProfile: 'Aggressive',
        version: 2,
        disclosureAccepted: false,
        disclosureAcceptedAt: null,
      });
      expect(v2.body.updatedAt).not.toBe('2001-01-01T00:00:00.000Z');
      expect((await storedRow(user)).version).toBe(2);
    });

    it('answers 400 naming an unknown field, top-level or nested, and saves nothing', async () => {
      const user = await registerUser(t);
      const top = await put(user, { ...FULL, theme: 'dark' });
      expectProblem(top, 400);
      expect(fieldsOf(top)).toEqual(['theme']);
      const nested = await put(user, { ...FULL, tradingModes: { ...FULL.tradingModes, Scalping: true } });
      expectProblem(nested, 400);
      expect(fieldsOf(nested)).toEqual(['tradingModes.Scalping']);
      await expectPreferences(user, DEFAULTS);
    });

    it.each([
      ['disclosureAccepted', 'true'],
      ['disclosureAccepted', null],
      ['universe', 'NIFTY51'],
      ['universe', 'nifty50'],
      ['universe', null],
      ['marketRegion', 'Europe'],
      ['riskProfile', 'High'],
      ['riskProfile', 7],
      ['tradingModes', 'Swing'],
      ['tradingModes', null],
      ['primaryMode', 'Scalping'],
      ['primaryMode', 1],
      ['auxiliaryModes', 'Intraday'],
      ['auxiliaryModes', ['Scalping']],
      ['auxiliaryModes', null],
    ])('answers 400 for %s = %j', async (field, value) => {
      const user = await registerUser(t);
      const res = await put(user, { ...FULL, [field]: value });
      expect(expectProblem(res, 400).type).toBe('urn:fyntrix:problem:validation-failed');
      expect(new Set(fieldsOf(res))).toEqual(new Set([field]));
      await expectPreferences(user, DEFAULTS);
    });

    it('answers 400 naming a trading mode that is not a boolean', async () => {
      const user = await registerUser(t);
      const res = await put(user, { ...FULL, tradingModes: { ...FULL.tradingModes, Options: 'yes' } });
      expectProblem(res, 400);
      expect(fieldsOf(res)).toEqual(['tradingModes.Options']);
    });

    it('answers 400 for malformed JSON', async () => {
      const user = await registerUser(t);
      const res = await t
        .http()
        .put(API)
        .set('authorization', user.auth)
        .set('content-type', 'application/json')
        .send('{"universe": ');
      expectProblem(res, 400);
    });
  });

  describe('PATCH /preferences', () => {
    it('changes only the fields sent; tradingModes may name some modes only', async () => {
      const user = await userWithSavedPreferences();
      const res = await patch(user, { riskProfile: 'Aggressive', tradingModes: { Futures: true } }).expect(200);
      expect(res.headers.etag).toBe('"2"');
      const expected = {
        ...FULL,
        riskProfile: 'Aggressive',
        tradingModes: { Intraday: true, Swing: false, Options: true, Futures: true },
        disclosureAcceptedAt: null,
        version: 2,
        updatedAt: expect.stringMatching(ISO_TIMESTAMP),
      };
      expect(res.body).toEqual(expected);
      await expectPreferences(user, { ...expected, updatedAt: res.body.updatedAt });
    });

    it('starts from the defaults on the first save: tradingModes {Options: true} keeps Swing on', async () => {
      const user = await registerUser(t);
      const res = await patch(user, { tradingModes: { Options: true } }).expect(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toEqual({
        ...DEFAULTS,
        tradingModes: { Intraday: false, Swing: true, Options: true, Futures: false },
        version: 1,
        updatedAt: expect.stringMatching(ISO_TIMESTAMP),
      });
      expect((await storedRow(user)).trading_modes).toEqual({
        Intraday: false,
        Swing: true,
        Options: true,
        Futures: false,
      });
    });

    it('keeps primaryMode when it is absent and clears it when it is sent as null', async () => {
      const user = await userWithSavedPreferences();
      const absent = await patch(user, { universe: 'NIFTY100' }).expect(200);
      expect(absent.body).toMatchObject({ primaryMode: 'Options', universe: 'NIFTY100', version: 2 });
      const cleared = await patch(user, { primaryMode: null }).expect(200);
      expect(cleared.body).toMatchObject({
        primaryMode: null,
        universe: 'NIFTY100',
        auxiliaryModes: ['Intraday'],
        version: 3,
      });
      expect((await storedRow(user)).primary_mode).toBeNull();
      const set = await patch(user, { primaryMode: 'Intraday', auxiliaryModes: ['Options'] }).expect(200);
      expect(set.body).toMatchObject({ primaryMode: 'Intraday', auxiliaryModes: ['Options'], version: 4 });
    });

    it('answers a no-op (the same values, or nothing) with 200, the same version and no audit event', async () => {
      const user = await userWithSavedPreferences();
      const saved = (await getPreferences(user).expect(200)).body;
      expect(await preferenceEvents(user)).toHaveLength(1);

      const same = await patch(user, {
        riskProfile: FULL.riskProfile,
        tradingModes: { Options: true, Swing: false },
      }).expect(200);
      expect(same.headers.etag).toBe('"1"');
      expect(same.body).toEqual(saved);
      const empty = await patch(user, {}, '"1"').expect(200);
      expect(empty.body).toEqual(saved);
      const readOnlyOnly = await patch(user, { version: 7, disclosureAcceptedAt: '2001-01-01T00:00:00.000Z' }).expect(
        200,
      );
      expect(readOnlyOnly.body).toEqual(saved);
      const samePut = await put(user, FULL, '"1"').expect(200);
      expect(samePut.headers.etag).toBe('"1"');
      expect(samePut.body).toEqual(saved);

      await expectPreferences(user, saved);
      expect(await preferenceEvents(user)).toHaveLength(1);
    });

    it.each([
      ['disclosureAccepted', null],
      ['universe', null],
      ['marketRegion', null],
      ['riskProfile', null],
      ['tradingModes', null],
      ['auxiliaryModes', null],
      ['riskProfile', 'High'],
      ['auxiliaryModes', ['Scalping']],
    ])('answers 400 for %s = %j, with or without a saved row', async (field, value) => {
      for (const user of [await registerUser(t), await userWithSavedPreferences()]) {
        const before = (await getPreferences(user).expect(200)).body;
        const res = await patch(user, { [field]: value });
        expectProblem(res, 400);
        expect(new Set(fieldsOf(res))).toEqual(new Set([field]));
        await expectPreferences(user, before);
      }
    });

    it('answers 400 for a trading mode sent as null or as a string, with or without a saved row', async () => {
      for (const user of [await registerUser(t), await userWithSavedPreferences()]) {
        const before = (await getPreferences(user).expect(200)).body;
        for (const value of [null, 'true']) {
          const res = await patch(user, { tradingModes: { Options: value } });
          expectProblem(res, 400);
          expect(fieldsOf(res)).toEqual(['tradingModes.Options']);
        }
        await expectPreferences(user, before);
      }
    });

    it('answers 400 naming an unknown field, top-level or nested, and changes nothing', async () => {
      const user = await userWithSavedPreferences();
      const saved = (await getPreferences(user).expect(200)).body;
      const top = await patch(user, { riskProfile: 'Aggressive', arise_risk: 'Aggressive' });
      expectProblem(top, 400);
      expect(fieldsOf(top)).toEqual(['arise_risk']);
      const nested = await patch(user, { tradingModes: { Scalping: true } });
      expectProblem(nested, 400);
      expect(fieldsOf(nested)).toEqual(['tradingModes.Scalping']);
      await expectPreferences(user, saved);
    });
  });

  describe('rules (422 with field errors)', () => {
    it.each([
      [
        'the primary mode is not enabled',
        { tradingModes: modes('Swing'), primaryMode: 'Options', auxiliaryModes: [] },
        ['primaryMode'],
      ],
      [
        'an auxiliary mode is not enabled',
        { tradingModes: modes('Swing'), primaryMode: 'Swing', auxiliaryModes: ['Futures'] },
        ['auxiliaryModes.0'],
      ],
      [
        'an auxiliary mode is the primary mode',
        { tradingModes: modes('Swing', 'Options'), primaryMode: 'Swing', auxiliaryModes: ['Options', 'Swing'] },
        ['auxiliaryModes.1'],
      ],
      [
        'an auxiliary mode is listed twice',
        { tradingModes: modes('Swing', 'Options'), primaryMode: 'Swing', auxiliaryModes: ['Options', 'Options'] },
        ['auxiliaryModes.1'],
      ],
      [
        'several rules at once',
        { tradingModes: modes(), primaryMode: 'Futures', auxiliaryModes: ['Intraday'] },
        ['primaryMode', 'auxiliaryModes.0'],
      ],
    ])('PUT: %s → 422, nothing saved, no audit event', async (_name, modesPart, fields) => {
      const user = await registerUser(t);
      const res = await put(user, { ...FULL, ...modesPart });
      const problem = expectProblem(res, 422);
      expect(problem.type).toBe('urn:fyntrix:problem:rule-violated');
      expect(fieldsOf(res)).toEqual(fields);
      problem.errors?.forEach((e) => expect(e.message).toEqual(expect.any(String)));
      await expectPreferences(user, DEFAULTS);
      expect(await preferenceEvents(user)).toEqual([]);
    });

    it.each([
      ["disabling the primary mode's trading mode", { tradingModes: { Options: false } }, ['primaryMode']],
      ['disabling an auxiliary mode', { tradingModes: { Intraday: false } }, ['auxiliaryModes.0']],
      ['a primary mode that is not enabled', { primaryMode: 'Futures' }, ['primaryMode']],
      ['an auxiliary mode that is not enabled', { auxiliaryModes: ['Intraday', 'Swing'] }, ['auxiliaryModes.1']],
      ['the primary mode as an auxiliary mode', { auxiliaryModes: ['Options'] }, ['auxiliaryModes.0']],
      ['a primary mode that is the auxiliary one', { primaryMode: 'Intraday' }, ['auxiliaryModes.0']],
    ])('PATCH: %s is checked on the merged state → 422, rolled back, no audit event', async (_name, body, fields) => {
      const user = await userWithSavedPreferences();
      const saved = (await getPreferences(user).expect(200)).body;
      // With a matching If-Match too: the version is right, the merged state is not.
      const res = await patch(user, { riskProfile: 'Aggressive', ...body }, '"1"');
      expect(expectProblem(res, 422).type).toBe('urn:fyntrix:problem:rule-violated');
      expect(fieldsOf(res)).toEqual(fields);
      expect(res.headers.etag).toBeUndefined();
      await expectPreferences(user, saved);
      expect((await storedRow(user)).version).toBe(1);
      expect(await preferenceEvents(user)).toHaveLength(1);
    });

    it('PATCH on the defaults: disabling Swing while it is the primary mode → 422, nothing saved', async () => {
      const user = await registerUser(t);
      const res = await patch(user, { tradingModes: { Swing: false } });
      expectProblem(res, 422);
      expect(fieldsOf(res)).toEqual(['primaryMode']);
      await expectPreferences(user, DEFAULTS);
      expect(await storedRow(user)).toBeUndefined();
    });

    it('PATCH: switching the primary mode off together with clearing it is allowed', async () => {
      const user = await userWithSavedPreferences();
      const res = await patch(user, { tradingModes: { Options: false }, primaryMode: null }).expect(200);
      expect(res.body).toMatchObject({
        tradingModes: modes('Intraday'),
        primaryMode: null,
        auxiliaryModes: ['Intraday'],
        version: 2,
      });
    });
  });

  describe('disclosure', () => {
    it('is stamped by the server when it becomes accepted, kept while it stays accepted, cleared when withdrawn', async () => {
      const user = await userWithSavedPreferences();
      const accepted = await patch(user, { disclosureAccepted: true }).expect(200);
      const acceptedAt = accepted.body.disclosureAcceptedAt;
      expect(acceptedAt).toMatch(ISO_TIMESTAMP);
      // Stamped by the same write: the same transaction time as updatedAt.
      expect(acceptedAt).toBe(accepted.body.updatedAt);
      expect((await storedRow(user)).disclosure_accepted_at.toISOString()).toBe(acceptedAt);

      // Later writes, and accepting again, leave the timestamp alone.
      const later = await patch(user, { riskProfile: 'Aggressive', disclosureAccepted: true }).expect(200);
      expect(later.body).toMatchObject({ disclosureAccepted: true, disclosureAcceptedAt: acceptedAt, version: 3 });
      const replaced = await put(user, { ...FULL, disclosureAccepted: true, universe: 'NIFTY500' }).expect(200);
      expect(replaced.body).toMatchObject({ disclosureAcceptedAt: acceptedAt, version: 4 });
      const again = await patch(user, { disclosureAccepted: true }).expect(200);
      expect(again.body).toMatchObject({ disclosureAcceptedAt: acceptedAt, version: 4 });

      const withdrawn = await patch(user, { disclosureAccepted: false }).expect(200);
      expect(withdrawn.body).toMatchObject({ disclosureAccepted: false, disclosureAcceptedAt: null, version: 5 });
      expect((await storedRow(user)).disclosure_accepted_at).toBeNull();

      const reaccepted = await patch(user, { disclosureAccepted: true }).expect(200);
      expect(reaccepted.body).toMatchObject({ disclosureAccepted: true, version: 6 });
      expect(reaccepted.body.disclosureAcceptedAt).toBe(reaccepted.body.updatedAt);
    });

    it('is stamped on a first save that accepts it (PUT and PATCH)', async () => {
      const viaPut = await registerUser(t);
      const putRes = await put(viaPut, { ...FULL, disclosureAccepted: true }).expect(200);
      expect(putRes.body.disclosureAcceptedAt).toMatch(ISO_TIMESTAMP);
      expect(putRes.body.disclosureAcceptedAt).toBe(putRes.body.updatedAt);

      const viaPatch = await registerUser(t);
      const patchRes = await patch(viaPatch, { disclosureAccepted: true }).expect(200);
      expect(patchRes.body).toMatchObject({
        ...DEFAULT_VALUES,
        disclosureAccepted: true,
        version: 1,
        disclosureAcceptedAt: patchRes.body.updatedAt,
      });
      expect(patchRes.body.disclosureAcceptedAt).toMatch(ISO_TIMESTAMP);
    });

    it('ignores a disclosureAcceptedAt sent by the client', async () => {
      const forged = '2001-02-03T04:05:06.000Z';
      const user = await registerUser(t);
      const notAccepted = await put(user, { ...FULL, disclosureAcceptedAt: forged }).expect(200);
      expect(notAccepted.body.disclosureAcceptedAt).toBeNull();
      const accepted = await patch(user, { disclosureAccepted: true, disclosureAcceptedAt: forged }).expect(200);
      expect(accepted.body.disclosureAcceptedAt).toBe(accepted.body.updatedAt);
      expect(accepted.body.disclosureAcceptedAt).not.toBe(forged);
      const stamp = accepted.body.disclosureAcceptedAt;
      const kept = await patch(user, { disclosureAcceptedAt: forged, riskProfile: 'Aggressive' }).expect(200);
      expect(kept.body.disclosureAcceptedAt).toBe(stamp);
      expect((await storedRow(user)).disclosure_accepted_at.toISOString()).toBe(stamp);
    });
  });

  describe('If-Match', () => {
    it('accepts the current version and answers the new ETag', async () => {
      const user = await userWithSavedPreferences();
      const res = await patch(user, { riskProfile: 'Aggressive' }, '"1"').expect(200);
      expect(res.headers.etag).toBe('"2"');
      const res2 = await put(user, { ...FULL, riskProfile: 'Moderate' }, res.headers.etag).expect(200);
      expect(res2.headers.etag).toBe('"3"');
    });

    it('answers 412 problem+json with the current ETag for a stale version, and changes nothing', async () => {
      const user = await userWithSavedPreferences();
      await patch(user, { riskProfile: 'Aggressive' }, '"1"').expect(200);
      const saved = (await getPreferences(user).expect(200)).body;
      for (const res of [
        await patch(user, { riskProfile: 'Moderate' }, '"1"'),
        await put(user, FULL, '"1"'),
        // A stale write is refused even when it would change nothing.
        await patch(user, { riskProfile: 'Aggressive' }, '"1"'),
        await patch(user, { riskProfile: 'Moderate' }, '"3"'),
      ]) {
        expect(expectProblem(res, 412).type).toBe('urn:fyntrix:problem:stale-version');
        expect(res.headers.etag).toBe('"2"');
      }
      await expectPreferences(user, saved);
      expect(await preferenceEvents(user)).toHaveLength(2);
    });

    it.each(['abc', 'W/"1"', '"x"', '1', '""', '"1', '"1" "2"', '"-1"'])(
      'answers 400 for the malformed If-Match %s, and changes nothing',
      async (header) => {
        const user = await userWithSavedPreferences();
        for (const res of [
          await patch(user, { riskProfile: 'Aggressive' }, header),
          await put(user, { ...FULL, riskProfile: 'Aggressive' }, header),
        ]) {
          expect(expectProblem(res, 400).type).toBe('urn:fyntrix:problem:validation-failed');
          expect(fieldsOf(res)).toEqual(['If-Match']);
        }
        expect((await getPreferences(user).expect(200)).body).toMatchObject({
          riskProfile: FULL.riskProfile,
          version: 1,
        });
      },
    );

    it('accepts * and an absent If-Match', async () => {
      const user = await userWithSavedPreferences();
      await patch(user, { riskProfile: 'Aggressive' }, '*').expect(200);
      await patch(user, { riskProfile: 'Moderate' }).expect(200);
      const res = await put(user, FULL, '*').expect(200);
      expect(res.headers.etag).toBe('"4"');
    });

    it('accepts a list of ETags that contains the current one', async () => {
      const user = await userWithSavedPreferences();
      const res = await patch(user, { riskProfile: 'Aggressive' }, '"0", "1"').expect(200);
      expect(res.headers.etag).toBe('"2"');
      const stale = await patch(user, { riskProfile: 'Moderate' }, '"0", "1"');
      expectProblem(stale, 412);
      expect(stale.headers.etag).toBe('"2"');
    });

    it('treats a user without a saved row as version 0: If-Match "0" is the first save, "5" is stale', async () => {
      const first = await registerUser(t);
      const ok = await patch(first, { riskProfile: 'Aggressive' }, '"0"').expect(200);
      expect(ok.headers.etag).toBe('"1"');
      expect(ok.body.version).toBe(1);
      // Once saved, "0" is stale.
      const stale = await patch(first, { riskProfile: 'Moderate' }, '"0"');
      expectProblem(stale, 412);
      expect(stale.headers.etag).toBe('"1"');

      const other = await registerUser(t);
      for (const res of [await patch(other, { riskProfile: 'Aggressive' }, '"5"'), await put(other, FULL, '"5"')]) {
        expectProblem(res, 412);
        expect(res.headers.etag).toBe('"0"');
      }
      await expectPreferences(other, DEFAULTS);
      expect(await storedRow(other)).toBeUndefined();
      const putFirst = await put(other, FULL, '"0"').expect(200);
      expect(putFirst.headers.etag).toBe('"1"');
    });
  });

  describe('isolation', () => {
    it("keeps two users' preferences and audit events apart", async () => {
      const alice = await registerUser(t);
      const bob = await registerUser(t);
      await put(alice, FULL).expect(200);
      await patch(alice, { riskProfile: 'Aggressive' }).expect(200);

      // Bob still has the defaults, and alice's version does not apply to him.
      await expectPreferences(bob, DEFAULTS);
      expect(await preferenceEvents(bob)).toEqual([]);
      expectProblem(await patch(bob, { universe: 'NIFTYBANK' }, '"2"'), 412);
      const bobs = await patch(bob, { universe: 'NIFTYBANK' }).expect(200);
      expect(bobs.body).toMatchObject({ ...DEFAULT_VALUES, universe: 'NIFTYBANK', version: 1 });

      const alices = (await getPreferences(alice).expect(200)).body;
      expect(alices).toMatchObject({ ...FULL, riskProfile: 'Aggressive', version: 2 });
      const aliceEvents = await preferenceEvents(alice);
      const bobEvents = await preferenceEvents(bob);
      expect(aliceEvents.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
      expect(bobEvents).toHaveLength(1);
      expect(bobEvents[0].after).toMatchObject({ universe: 'NIFTYBANK' });
      expect(aliceEvents.map((e: { id: string }) => e.id)).not.toContain(bobEvents[0].id);
      const rows = await withDatabase(
        async (db) =>
          (
            await db.query('SELECT user_id, version FROM user_preferences WHERE user_id = ANY($1) ORDER BY version', [
              [alice.id, bob.id],
            ])
          ).rows,
      );
      expect(rows).toEqual([
        { user_id: bob.id, version: 1 },
        { user_id: alice.id, version: 2 },
      ]);
    });
  });
});

describe('preferences without prepared statements (DATABASE_PREPARED_STATEMENTS=false, for poolers that cannot keep them)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ DATABASE_PREPARED_STATEMENTS: 'false' })));
  afterAll(() => t.close());

  it('reads and writes as with them', async () => {
    const user = await registerUser(t);
    await t.http().get(API).set('authorization', user.auth).expect(200, DEFAULTS);
    const created = await t.http().put(API).set('authorization', user.auth).send(FULL).expect(200);
    expect(created.body).toMatchObject({ ...FULL, version: 1 });
    const patched = await t
      .http()
      .patch(API)
      .set('authorization', user.auth)
      .set('if-match', '"1"')
      .send({ universe: 'NIFTY50' })
      .expect(200);
    expect(patched.body).toMatchObject({ ...FULL, universe: 'NIFTY50', version: 2 });
    await t.http().get(API).set('authorization', user.auth).expect(200, patched.body);
  });
});
