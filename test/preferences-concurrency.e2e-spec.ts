import type { Response } from 'supertest';
import { startTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { DEFAULT_VALUES } from './support/preferences';
import { withDatabase } from './support/database';
import { withUserTrigger } from './support/triggers';
import { registerUser, TestUser } from './support/users';

const API = '/api/v1/preferences';

const UNIVERSES = ['NIFTY50', 'NIFTY100', 'NIFTY200', 'NIFTY500', 'NIFTYMIDCAP150', 'NIFTYSMALLCAP250', 'NIFTYBANK'];
const RISK_PROFILES = ['Aggressive', 'Moderate', 'Conservative'];
/** Every (universe, riskProfile) pair except the defaults' one: 20 distinct states of two fields. */
const OTHER_PAIRS = UNIVERSES.flatMap((universe) =>
  RISK_PROFILES.map((riskProfile) => ({ universe, riskProfile })),
).filter((p) => !(p.universe === DEFAULT_VALUES.universe && p.riskProfile === DEFAULT_VALUES.riskProfile));

/**
 * 20 PATCHes from the defaults that each change something whatever order they land in, and
 * never break a rule in any order:
 * - six own a field nobody else writes (Swing stays on, so primaryMode Swing → null is always
 *   valid, and no auxiliary mode is ever named), so the final state must contain all six;
 * - fourteen write the (universe, riskProfile) pair, each a different pair, so each of them
 *   changes the pair whatever was there before. (With set semantics at most as many PATCHes
 *   as there are independent fields can be both "always a change" and "all visible in the
 *   final state"; the pairs make the other fourteen real changes too.)
 */
const FIELD_PATCHES = [
  { disclosureAccepted: true },
  { marketRegion: 'Global' },
  { tradingModes: { Intraday: true } },
  { tradingModes: { Options: true } },
  { tradingModes: { Futures: true } },
  { primaryMode: null },
];
const PAIR_PATCHES = OTHER_PAIRS.slice(0, 14);
const PATCHES: object[] = [...FIELD_PATCHES, ...PAIR_PATCHES];

/** JSON with sorted keys, to compare states whatever order their keys came in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** A response's user-visible state, as the audit trail records it (no version, no updatedAt). */
const stateOf = ({ version: _v, updatedAt: _u, ...values }: Record<string, unknown>) => values;

interface AuditEvent {
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  requestId: string;
}

describe('preferences under concurrent writes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    // A real listening socket: every concurrent request below is in flight at the same time.
    await t.listen();
  });
  afterAll(() => t.close());

  const write = (method: 'put' | 'patch', user: TestUser, body: object, ifMatch?: string) => {
    const req = t.http()[method](API).set('authorization', user.auth);
    if (ifMatch !== undefined) req.set('if-match', ifMatch);
    return req.send(body);
  };
  /** Sends all requests at once and waits for every answer. */
  const all = (requests: PromiseLike<Response>[]) => Promise.all(requests);

  async function preferenceEvents(user: TestUser): Promise<AuditEvent[]> {
    const res = await t
      .http()
      .get('/api/v1/audit/events?entity=preferences&limit=100')
      .set('authorization', user.auth)
      .expect(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.items;
  }

  /**
   * Orders the events into the chain of versions they describe, starting from `initial`
   * (null: no row yet). Without a lost update each event starts from the state the previous
   * one left: no two events share a `before`, and one chain covers them all.
   */
  function chainOf(events: AuditEvent[], initial: object | null): AuditEvent[] {
    const byBefore = new Map<string, AuditEvent>();
    for (const event of events) {
      const key = canonical(event.before);
      expect(byBefore.has(key)).toBe(false);
      byBefore.set(key, event);
    }
    const chain: AuditEvent[] = [];
    let state: unknown = initial;
    while (byBefore.has(canonical(state))) {
      const next = byBefore.get(canonical(state))!;
      chain.push(next);
      state = next.after;
    }
    expect(chain).toHaveLength(events.length);
    return chain;
  }

  describe('20 PATCHes of different fields at once', () => {
    it.each([
      ['on a saved row', true],
      ['on a user without a row yet (the first saves race to insert it)', false],
    ])('%s: all answer 200, each lands as its own version, and each writes one audit event', async (_name, saved) => {
      // Several rounds, fresh users each time: different interleavings, same guarantees.
      for (let round = 0; round < 3; round++) {
        const user = await registerUser(t);
        if (saved) await write('put', user, DEFAULT_VALUES).expect(200);
        const base = saved ? 1 : 0;

        const responses = await all(PATCHES.map((body) => write('patch', user, body)));

        expect(responses.map((r) => r.status)).toEqual(PATCHES.map(() => 200));
        const versions = responses.map((r) => r.body.version as number);
        expect([...versions].sort((a, b) => a - b)).toEqual(PATCHES.map((_, i) => base + i + 1));
        responses.forEach((r) => expect(r.headers.etag).toBe(`"${r.body.version}"`));

        // Every field change is in the final state; the pair is the one written last.
        const lastPair = responses
          .slice(FIELD_PATCHES.length)
          .reduce((a, b) => (a.body.version > b.body.version ? a : b));
        const final = await t.http().get(API).set('authorization', user.auth).expect(200);
        expect(final.headers.etag).toBe(`"${base + PATCHES.length}"`);
        expect(final.body).toEqual({
          disclosureAccepted: true,
          disclosureAcceptedAt: expect.any(String),
          universe: lastPair.body.universe,
          marketRegion: 'Global',
          riskProfile: lastPair.body.riskProfile,
          tradingModes: { Intraday: true, Swing: true, Options: true, Futures: true },
          primaryMode: null,
          auxiliaryModes: [],
          version: base + PATCHES.length,
          updatedAt: expect.any(String),
        });
        expect(PAIR_PATCHES).toContainEqual({ universe: final.body.universe, riskProfile: final.body.riskProfile });

        // Exactly one event per PATCH (plus the seeding PUT), chained version after version.
        const events = await preferenceEvents(user);
        expect(events).toHaveLength(base + PATCHES.length);
        const chain = chainOf(events, null);
        expect(chain.map((e) => e.action)).toEqual(['create', ...Array(PATCHES.length - 1 + base).fill('update')]);
        expect(canonical(chain.at(-1)!.after)).toBe(canonical(stateOf(final.body)));
        // Each response is the state its own event recorded, and carries that event's request id.
        for (const res of responses) {
          const event = chain[res.body.version - 1];
          expect(canonical(event.after)).toBe(canonical(stateOf(res.body)));
          expect(event.requestId).toBe(res.headers['x-request-id']);
        }
      }
    });
  });

  describe('10 PUTs with the same If-Match at once', () => {
    const bodies = OTHER_PAIRS.slice(0, 10).map((pair) => ({ ...DEFAULT_VALUES, ...pair }));

    it.each([
      ['"1" on a saved row', true, '"1"'],
      ['"0" on a user without a row yet', false, '"0"'],
    ])('%s: exactly one answers 200 and nine answer 412 with the new ETag', async (_name, saved, ifMatch) => {
      for (let round = 0; round < 3; round++) {
        const user = await registerUser(t);
        if (saved) await write('put', user, DEFAULT_VALUES).expect(200);
        const expectedVersion = saved ? 2 : 1;

        const responses = await all(bodies.map((body) => write('put', user, body, ifMatch)));

        const statuses = responses.map((r) => r.status).sort();
        expect(statuses).toEqual([200, ...Array(9).fill(412)]);
        const winner = responses.find((r) => r.status === 200)!;
        expect(winner.body.version).toBe(expectedVersion);
        for (const loser of responses.filter((r) => r.status === 412)) {
          expect(expectProblem(loser, 412).type).toBe('urn:fyntrix:problem:stale-version');
          expect(loser.headers.etag).toBe(`"${expectedVersion}"`);
        }
        const final = await t.http().get(API).set('authorization', user.auth).expect(200);
        expect(final.body).toEqual(winner.body);
        const events = await preferenceEvents(user);
        expect(events).toHaveLength(expectedVersion);
        expect(events[0].requestId).toBe(winner.headers['x-request-id']);
      }
    });

    it('without If-Match on a user without a row: all ten land, one after another', async () => {
      const user = await registerUser(t);
      const responses = await all(bodies.map((body) => write('put', user, body)));
      expect(responses.map((r) => r.status)).toEqual(bodies.map(() => 200));
      expect(responses.map((r) => r.body.version).sort((a, b) => a - b)).toEqual(bodies.map((_, i) => i + 1));
      const events = await preferenceEvents(user);
      const chain = chainOf(events, null);
      expect(chain.map((e) => e.action)).toEqual(['create', ...Array(9).fill('update')]);
      const final = await t.http().get(API).set('authorization', user.auth).expect(200);
      expect(final.body.version).toBe(10);
      expect(canonical(chain.at(-1)!.after)).toBe(canonical(stateOf(final.body)));
    });
  });

  describe('a write that keeps losing to concurrent writes', () => {
    it('gives up with 409 problem+json after its rounds, and nothing of it lands', async () => {
      const user = await registerUser(t);
      const saved = await write('patch', user, { universe: 'NIFTY100' }).expect(200);
      // Every update of this user's row is skipped, as when another write moved the version
      // between the read and the write: each round finds nothing written and starts over.
      const res = await withUserTrigger(
        user.id,
        { on: 'BEFORE UPDATE ON user_preferences', userColumn: 'OLD.user_id', body: 'RETURN NULL;' },
        () => write('patch', user, { riskProfile: 'Aggressive' }),
      );
      expectProblem(res, 409, 'urn:fyntrix:problem:conflict');
      const row = await withDatabase(
        async (db) =>
          (await db.query('SELECT version, risk_profile FROM user_preferences WHERE user_id = $1', [user.id])).rows[0],
      );
      expect(row).toEqual({ version: saved.body.version, risk_profile: DEFAULT_VALUES.riskProfile });
      expect(await preferenceEvents(user)).toHaveLength(1);
    });
  });
});
