import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from './support/app';
import { withFailingAuditInserts } from './support/audit';
import { withDatabase } from './support/database';
import { readAllPages } from './support/pagination';
import { DEFAULT_VALUES } from './support/preferences';
import { expectProblem, fieldsOf } from './support/problem';
import { registerAdmin, registerUser, TestUser } from './support/users';

const PREFERENCES = '/api/v1/preferences';
const MY_EVENTS = '/api/v1/audit/events';
const ADMIN_EVENTS = '/api/v1/admin/audit/events';

/** Every field of a preferences snapshot in the audit trail: the user's fields, no bookkeeping. */
const SNAPSHOT_FIELDS = Object.keys(DEFAULT_VALUES).sort();
const EVENT_FIELDS = [
  'action',
  'after',
  'before',
  'changedFields',
  'entity',
  'erased',
  'id',
  'occurredAt',
  'requestId',
];
const ADMIN_EVENT_FIELDS = [...EVENT_FIELDS, 'actorUserId', 'ip', 'subjectUserId', 'userAgent'].sort();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface AuditEvent {
  id: string;
  occurredAt: string;
  entity: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changedFields: string[];
  requestId: string | null;
  subjectUserId?: string;
  actorUserId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

describe('audit trail', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await registerAdmin(t);
  });
  afterAll(() => t.close());

  const patchPreferences = (user: TestUser, body: object) =>
    t.http().patch(PREFERENCES).set('authorization', user.auth).send(body);
  const renameUser = (user: TestUser, name: string) =>
    t.http().patch('/api/v1/users/me').set('authorization', user.auth).send({ name });
  const listMine = (user: TestUser, query = '') => t.http().get(`${MY_EVENTS}${query}`).set('authorization', user.auth);
  const listAsAdmin = (query = '') => t.http().get(`${ADMIN_EVENTS}${query}`).set('authorization', admin.auth);
  const myEvents = async (user: TestUser, query = ''): Promise<AuditEvent[]> =>
    (await listMine(user, query).expect(200)).body.items;
  const getPreferences = async (user: TestUser) =>
    (await t.http().get(PREFERENCES).set('authorization', user.auth).expect(200)).body;

  describe('events of preference changes', () => {
    it('records one event per change: entity, action, before/after without bookkeeping, changed fields, request id', async () => {
      const user = await registerUser(t);
      const requestId = `e2e-${randomUUID()}`;
      const created = await t
        .http()
        .put(PREFERENCES)
        .set('authorization', user.auth)
        .set('x-request-id', requestId)
        .send(DEFAULT_VALUES)
        .expect(200);
      expect(created.headers['x-request-id']).toBe(requestId);
      // No X-Request-Id sent: the generated one is recorded.
      const updated = await patchPreferences(user, {
        riskProfile: 'Aggressive',
        tradingModes: { Options: true },
      }).expect(200);

      const events = await myEvents(user);
      expect(events).toHaveLength(2);
      for (const event of events) {
        expect(Object.keys(event).sort()).toEqual(EVENT_FIELDS);
        expect(event.id).toMatch(UUID);
        expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);
        expect(event.entity).toBe('preferences');
        expect(Object.keys(event.after!).sort()).toEqual(SNAPSHOT_FIELDS);
      }
      const [update, create] = events;
      expect(create).toMatchObject({
        action: 'create',
        before: null,
        after: DEFAULT_VALUES,
        requestId,
        changedFields: [
          'auxiliaryModes',
          'disclosureAccepted',
          'disclosureAcceptedAt',
          'marketRegion',
          'primaryMode',
          'riskProfile',
          'tradingModes.Futures',
          'tradingModes.Intraday',
          'tradingModes.Options',
          'tradingModes.Swing',
          'universe',
        ],
      });
      expect(update).toEqual({
        id: update.id,
        occurredAt: update.occurredAt,
        entity: 'preferences',
        action: 'update',
        before: create.after,
        after: {
          ...DEFAULT_VALUES,
          riskProfile: 'Aggressive',
          tradingModes: { ...DEFAULT_VALUES.tradingModes, Options: true },
        },
        changedFields: ['riskProfile', 'tradingModes.Options'],
        requestId: updated.headers['x-request-id'],
        erased: false,
      });
      expect(update.requestId).toMatch(UUID);
    });

    it('names both disclosure fields when the disclosure is accepted', async () => {
      const user = await registerUser(t);
      await patchPreferences(user, { universe: 'NIFTYBANK' }).expect(200);
      const accepted = await patchPreferences(user, { disclosureAccepted: true }).expect(200);
      const [event] = await myEvents(user);
      expect(event.changedFields).toEqual(['disclosureAccepted', 'disclosureAcceptedAt']);
      expect(event.before).toMatchObject({ disclosureAccepted: false, disclosureAcceptedAt: null });
      expect(event.after).toMatchObject({
        disclosureAccepted: true,
        disclosureAcceptedAt: accepted.body.disclosureAcceptedAt,
      });
    });

    it('shows administrators who acted, whose data it was, and from which address and user agent', async () => {
      const user = await registerUser(t);
      const userAgent = `fyntrix-e2e/1.0 (${randomUUID()})`;
      const res = await t
        .http()
        .patch(PREFERENCES)
        .set('authorization', user.auth)
        .set('user-agent', userAgent)
        .send({ marketRegion: 'Global' })
        .expect(200);
      const page = (await listAsAdmin(`?userId=${user.id}`).expect(200)).body;
      expect(page.items).toHaveLength(1);
      const [event] = page.items as AuditEvent[];
      expect(Object.keys(event).sort()).toEqual(ADMIN_EVENT_FIELDS);
      expect(event).toMatchObject({
        entity: 'preferences',
        action: 'create',
        changedFields: expect.arrayContaining(['marketRegion']),
        requestId: res.headers['x-request-id'],
        subjectUserId: user.id,
        actorUserId: user.id,
        userAgent,
      });
      expect(event.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
      // The same event in the user's own view, without the administrative fields.
      const [own] = await myEvents(user);
      expect(own).toEqual({
        id: event.id,
        occurredAt: event.occurredAt,
        entity: event.entity,
        action: event.action,
        before: event.before,
        after: event.after,
        changedFields: event.changedFields,
        requestId: event.requestId,
        erased: false,
      });
    });

    it('keeps the first 512 characters of a long user agent', async () => {
      const user = await registerUser(t);
      const userAgent = `fyntrix-e2e/${'x'.repeat(600)}`;
      await t
        .http()
        .patch(PREFERENCES)
        .set('authorization', user.auth)
        .set('user-agent', userAgent)
        .send({ riskProfile: 'Aggressive' })
        .expect(200);
      const [event] = (await listAsAdmin(`?userId=${user.id}`).expect(200)).body.items as AuditEvent[];
      expect(event.userAgent).toBe(userAgent.slice(0, 512));
    });
  });

  describe('atomicity: no change without its event, no event without its change', () => {
    it.each([
      ['the first save (insert)', false],
      ['a later change (update)', true],
    ])('a failing audit insert rolls back %s and answers 500 without internals', async (_name, saved) => {
      const user = await registerUser(t);
      const bystander = await registerUser(t);
      if (saved) await patchPreferences(user, { universe: 'NIFTY100' }).expect(200);
      const before = await getPreferences(user);
      const eventsBefore = await myEvents(user);

      await withFailingAuditInserts(user.id, async () => {
        const res = await patchPreferences(user, { riskProfile: 'Aggressive', disclosureAccepted: true });
        const problem = expectProblem(res, 500);
        expect(Object.keys(problem).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
        expect(problem.detail).toBe('An unexpected error occurred. Quote the requestId when reporting it.');
        expect(JSON.stringify(problem)).not.toMatch(/forced|audit_events|insert|trigger|sql|stack|\bat\b.*\.ts/i);
        // The version it would have had was rolled back: no ETag may point at it.
        expect(res.headers.etag).toBeUndefined();

        expect(await getPreferences(user)).toEqual(before);
        expect(await myEvents(user)).toEqual(eventsBefore);
        // Only this user's audit inserts fail: the failure above is the audit insert's.
        await patchPreferences(bystander, { riskProfile: 'Aggressive' }).expect(200);
      });

      // The same change works once the audit trail accepts it again.
      const retried = await patchPreferences(user, { riskProfile: 'Aggressive', disclosureAccepted: true }).expect(200);
      expect(retried.body).toMatchObject({
        riskProfile: 'Aggressive',
        disclosureAccepted: true,
        version: before.version + 1,
      });
      const events = await myEvents(user);
      expect(events).toHaveLength(eventsBefore.length + 1);
      expect(events[0].requestId).toBe(retried.headers['x-request-id']);
    });

    it('a failing audit insert rolls back a profile change too', async () => {
      const user = await registerUser(t, { name: 'Before Name' });
      await withFailingAuditInserts(user.id, async () => {
        expectProblem(await renameUser(user, 'After Name'), 500);
      });
      const me = await t.http().get('/api/v1/users/me').set('authorization', user.auth).expect(200);
      expect(me.body.name).toBe('Before Name');
      expect(await myEvents(user)).toEqual([]);
      await renameUser(user, 'After Name').expect(200);
      expect(await myEvents(user, '?entity=profile')).toHaveLength(1);
    });

    it('writes no event for a refused change (400, 412, 422)', async () => {
      const user = await registerUser(t);
      await patchPreferences(user, { riskProfile: 'Aggressive' }).expect(200);
      expectProblem(await patchPreferences(user, { riskProfile: 'Reckless' }), 400);
      expectProblem(
        await t
          .http()
          .patch(PREFERENCES)
          .set('authorization', user.auth)
          .set('if-match', '"7"')
          .send({ riskProfile: 'Moderate' }),
        412,
      );
      expectProblem(await patchPreferences(user, { tradingModes: { Swing: false } }), 422);
      expect(await myEvents(user)).toHaveLength(1);
    });
  });

  describe('append-only in the database', () => {
    it('refuses UPDATE, DELETE and TRUNCATE of audit_events', async () => {
      const user = await registerUser(t);
      await patchPreferences(user, { riskProfile: 'Aggressive' }).expect(200);
      const [event] = await myEvents(user);

      await withDatabase(async (db) => {
        const attempts = [
          ['UPDATE', `UPDATE audit_events SET action = 'tampered', after = NULL WHERE subject_user_id = '${user.id}'`],
          ['DELETE', `DELETE FROM audit_events WHERE subject_user_id = '${user.id}'`],
          ['TRUNCATE', 'TRUNCATE audit_events'],
        ];
        for (const [operation, sql] of attempts) {
          // In a transaction that is rolled back anyway: a failing test must not wipe the trail.
          await db.query('BEGIN');
          try {
            await expect(db.query(sql)).rejects.toMatchObject({
              code: '42501',
              message: `audit_events is append-only: ${operation} is not allowed`,
            });
          } finally {
            await db.query('ROLLBACK');
          }
        }
      });

      expect(await myEvents(user)).toEqual([event]);
    });
  });

  describe('GET /audit/events', () => {
    /** A user with seven preference events: a create and six updates of the universe. */
    async function userWithSevenEvents(): Promise<{ user: TestUser; universes: string[] }> {
      const user = await registerUser(t);
      const universes = [
        'NIFTY100',
        'NIFTY200',
        'NIFTY500',
        'NIFTYMIDCAP150',
        'NIFTYSMALLCAP250',
        'NIFTYBANK',
        'NIFTY50',
      ];
      for (const universe of universes) await patchPreferences(user, { universe }).expect(200);
      return { user, universes };
    }

    it('pages newest first with a cursor: 3, 3, 1, then nextCursor null, without duplicates or gaps', async () => {
      const { user, universes } = await userWithSevenEvents();
      const everything = await myEvents(user, '?limit=100');
      expect(everything.map((e) => e.after?.universe)).toEqual([...universes].reverse());
      expect(everything.at(-1)!.action).toBe('create');

      const { items, sizes } = await readAllPages<AuditEvent>((cursor) => listMine(user).query({ limit: 3, cursor }));
      expect(sizes).toEqual([3, 3, 1]);
      expect(items.map((e) => e.id)).toEqual(everything.map((e) => e.id));
      expect(new Set(items.map((e) => e.id)).size).toBe(7);
      const times = items.map((e) => Date.parse(e.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('pages without gaps through events of the same millisecond and of the same instant', async () => {
      // Concurrent requests of one user easily record events within one millisecond; they are
      // inserted directly here so that the test does not depend on timing.
      const user = await registerUser(t);
      const micros = [1, 2, 2, 2, 3, 4, 5, 999, 1000, 1000];
      await withDatabase((db) =>
        db.query(
          `INSERT INTO audit_events (occurred_at, actor_user_id, subject_user_id, entity, action, after, changed_fields)
           SELECT timestamptz '2024-05-06 07:08:09.123+00' + us * interval '1 microsecond', $1, $1, 'preferences', 'update',
                  jsonb_build_object('n', n), '{n}'
           FROM unnest($2::int[]) WITH ORDINALITY AS m(us, n)`,
          [user.id, micros],
        ),
      );
      const everything = await myEvents(user, '?limit=100');
      expect(everything).toHaveLength(micros.length);
      for (const limit of [1, 2, 3, 4]) {
        const { items } = await readAllPages<AuditEvent>((cursor) => listMine(user).query({ limit, cursor }));
        expect(items.map((e) => e.id)).toEqual(everything.map((e) => e.id));
      }
    });

    it('filters by entity', async () => {
      const user = await registerUser(t, { name: 'Old Name' });
      await patchPreferences(user, { riskProfile: 'Aggressive' }).expect(200);
      const renamed = await renameUser(user, 'New Name').expect(200);
      await patchPreferences(user, { riskProfile: 'Conservative' }).expect(200);

      expect((await myEvents(user)).map((e) => e.entity)).toEqual(['preferences', 'profile', 'preferences']);
      expect((await myEvents(user, '?entity=preferences')).map((e) => e.action)).toEqual(['update', 'create']);
      const profile = await myEvents(user, '?entity=profile');
      expect(profile).toHaveLength(1);
      expect(profile[0]).toMatchObject({ entity: 'profile', requestId: renamed.headers['x-request-id'] });
      expect(await myEvents(user, '?entity=watchlist')).toEqual([]);
      const { items, sizes } = await readAllPages<AuditEvent>((cursor) =>
        listMine(user).query({ limit: 1, entity: 'preferences', cursor }),
      );
      expect(sizes).toEqual([1, 1]);
      expect(items.every((e) => e.entity === 'preferences')).toBe(true);
    });

    it.each([
      ['limit=101', 'limit'],
      ['limit=0', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=2.5', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=garbage', 'cursor'],
      [`cursor=${Buffer.from('2024-01-01T00:00:00.000Z|not-a-uuid').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from(`yesterday|${randomUUID()}`).toString('base64url')}`, 'cursor'],
      [`cursor=${'A'.repeat(201)}`, 'cursor'],
      ['entity=settings', 'entity'],
      ['entity=PREFERENCES', 'entity'],
      [`userId=${randomUUID()}`, 'userId'],
    ])('answers 400 for ?%s', async (query, field) => {
      const user = await registerUser(t);
      const res = await listMine(user, `?${query}`);
      expect(expectProblem(res, 400).type).toBe('urn:fyntrix:problem:validation-failed');
      expect(new Set(fieldsOf(res))).toEqual(new Set([field]));
    });

    it('accepts limit=100 and limit=1', async () => {
      const user = await registerUser(t);
      await patchPreferences(user, { riskProfile: 'Aggressive' }).expect(200);
      expect((await listMine(user, '?limit=100').expect(200)).body).toEqual({
        items: [expect.any(Object)],
        nextCursor: null,
      });
      expect((await listMine(user, '?limit=1').expect(200)).body).toEqual({
        items: [expect.any(Object)],
        nextCursor: null,
      });
    });

    it("lists only the caller's own events", async () => {
      const alice = await registerUser(t);
      const bob = await registerUser(t);
      await patchPreferences(alice, { riskProfile: 'Aggressive' }).expect(200);
      await renameUser(alice, 'Alice Again').expect(200);
      expect(await myEvents(bob)).toEqual([]);
      await patchPreferences(bob, { universe: 'NIFTYBANK' }).expect(200);
      const bobs = await myEvents(bob);
      expect(bobs).toHaveLength(1);
      expect(bobs[0].after).toMatchObject({ universe: 'NIFTYBANK' });
      const alices = await myEvents(alice);
      expect(alices.map((e) => e.entity)).toEqual(['profile', 'preferences']);
      // A cursor taken from Alice's list leads Bob nowhere into her events.
      const aliceCursor = (await listMine(alice, '?limit=1').expect(200)).body.nextCursor;
      expect(aliceCursor).toEqual(expect.any(String));
      const bobPage = await listMine(bob, `?cursor=${encodeURIComponent(aliceCursor)}`).expect(200);
      expect(bobPage.body.items.map((e: AuditEvent) => e.id)).not.toContain(alices[1].id);
    });

    it('requires a bearer token', async () => {
      expectProblem(await t.http().get(MY_EVENTS), 401);
    });
  });

  describe('GET /admin/audit/events', () => {
    it('is for administrators only: 401 without a token, 403 for a user', async () => {
      const user = await registerUser(t);
      expectProblem(await t.http().get(ADMIN_EVENTS), 401);
      expectProblem(await t.http().get(ADMIN_EVENTS).set('authorization', user.auth), 403);
      expectProblem(await t.http().get(`${ADMIN_EVENTS}?userId=${user.id}`).set('authorization', user.auth), 403);
      await listAsAdmin().expect(200);
    });

    it('filters by user and by entity, and pages', async () => {
      const alice = await registerUser(t);
      const bob = await registerUser(t);
      await patchPreferences(alice, { riskProfile: 'Aggressive' }).expect(200);
      await renameUser(alice, 'Alice Renamed').expect(200);
      await patchPreferences(alice, { riskProfile: 'Conservative' }).expect(200);
      await patchPreferences(bob, { universe: 'NIFTYBANK' }).expect(200);

      const alices = (await listAsAdmin(`?userId=${alice.id}`).expect(200)).body.items as AuditEvent[];
      expect(alices.map((e) => [e.entity, e.action])).toEqual([
        ['preferences', 'update'],
        ['profile', 'update'],
        ['preferences', 'create'],
      ]);
      expect(alices.every((e) => e.subjectUserId === alice.id && e.actorUserId === alice.id)).toBe(true);

      const aliceProfile = (await listAsAdmin(`?userId=${alice.id}&entity=profile`).expect(200)).body
        .items as AuditEvent[];
      expect(aliceProfile).toHaveLength(1);
      expect(aliceProfile[0]).toMatchObject({ entity: 'profile', subjectUserId: alice.id });

      const bobs = (await listAsAdmin(`?userId=${bob.id}&entity=preferences`).expect(200)).body.items as AuditEvent[];
      expect(bobs.map((e) => e.subjectUserId)).toEqual([bob.id]);
      expect(await (await listAsAdmin(`?userId=${bob.id}&entity=profile`).expect(200)).body.items).toEqual([]);

      // Without a user filter: every user's events, newest first, the entity filter still applies.
      // (Specs running in parallel add events too: read on until Alice's event is passed.)
      const { items: profiles } = await readAllPages<AuditEvent>(
        (cursor) => listAsAdmin().query({ entity: 'profile', limit: 100, cursor }),
        (read) => Date.parse(read.at(-1)!.occurredAt) < Date.parse(aliceProfile[0].occurredAt),
      );
      expect(profiles.every((e) => e.entity === 'profile')).toBe(true);
      expect(profiles.map((e) => e.id)).toContain(aliceProfile[0].id);
      expect(new Set(profiles.map((e) => e.subjectUserId)).size).toBeGreaterThan(1);

      const { items, sizes } = await readAllPages<AuditEvent>((cursor) =>
        listAsAdmin().query({ limit: 2, userId: alice.id, cursor }),
      );
      expect(sizes).toEqual([2, 1]);
      expect(items.map((e) => e.id)).toEqual(alices.map((e) => e.id));
    });

    it.each([
      ['userId=42', 'userId'],
      ['userId=', 'userId'],
      ['entity=everything', 'entity'],
      ['limit=101', 'limit'],
      ['cursor=%%%', 'cursor'],
    ])('answers 400 for ?%s', async (query, field) => {
      const res = await listAsAdmin(`?${query}`);
      expectProblem(res, 400);
      expect(new Set(fieldsOf(res))).toEqual(new Set([field]));
    });
  });

  describe('profile changes (PATCH /users/me)', () => {
    it('are audited with entity profile; renaming to the same name writes no event', async () => {
      const user = await registerUser(t, { name: 'Priya Raman' });
      const res = await renameUser(user, 'Priya R.').expect(200);
      await renameUser(user, 'Priya R.').expect(200);
      const events = await myEvents(user, '?entity=profile');
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event).toMatchObject({
        entity: 'profile',
        action: 'update',
        changedFields: ['name'],
        before: { id: user.id, email: user.email, name: 'Priya Raman' },
        after: { id: user.id, email: user.email, name: 'Priya R.' },
        requestId: res.headers['x-request-id'],
      });
      // The snapshots are the public profile only: nothing like a password hash.
      expect(Object.keys(event.after!).sort()).toEqual(['accountId', 'createdAt', 'email', 'id', 'name', 'role']);
    });
  });
});
