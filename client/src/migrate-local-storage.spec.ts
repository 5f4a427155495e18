import { PERSISTENT_KEYS, SESSION_CACHE_KEYS } from '../../domain/local-storage.keys';
import { loadDump } from '../../test/fixtures/local-storage/load';
import { createFyntrixClient } from './client';
import { DEVICE_ID_KEY, MIGRATION_MARKER_KEY, migrateLocalStorage } from './migrate-local-storage';
import type { ImportOutcome, LocalStorageImportRequest, LocalStorageImportResponse } from './types';
import { FakeStorage, fakeApi, type Handler, json, networkError, problem } from './testing/fakes';

const IMPORT = 'POST /api/v1/migrations/local-storage';
const FEATURES = 'GET /api/v1/features';
const IMPORTED_AT = '2026-11-26T08:00:00.000Z';
const ALL_ON = { serverPreferences: true, localStorageImport: true };

const powerUser = loadDump('power-user');
const persistentOf = (dump: Record<string, string>) =>
  Object.fromEntries(Object.entries(dump).filter(([key]) => (PERSISTENT_KEYS as readonly string[]).includes(key)));
const sessionOf = (dump: Record<string, string>) =>
  Object.fromEntries(Object.entries(dump).filter(([key]) => (SESSION_CACHE_KEYS as readonly string[]).includes(key)));

/** An import endpoint answering each key sent with `outcomeOf(key)` (default `imported`). */
const importAnswering =
  (outcomeOf: (key: string) => ImportOutcome = () => 'imported'): Handler =>
  (body) => {
    const { entries } = body as LocalStorageImportRequest;
    const results = Object.keys(entries).map((key) => ({ key, outcome: outcomeOf(key), detail: `detail of ${key}` }));
    return json(200, { status: 'imported', results, importedAt: IMPORTED_AT } satisfies LocalStorageImportResponse);
  };

function setup(routes: Record<string, Handler>, entries: Record<string, string> = powerUser) {
  const api = fakeApi({ [FEATURES]: () => json(200, ALL_ON), ...routes });
  const client = createFyntrixClient({ baseUrl: 'http://api.test', getAccessToken: () => 'token-1', fetch: api.fetch });
  return { api, client, storage: new FakeStorage(entries) };
}

describe('migrateLocalStorage', () => {
  it('sends the persistent keys only, then sets the marker and removes exactly the keys it sent', async () => {
    const { api, client, storage } = setup({ [IMPORT]: importAnswering() });

    const result = await migrateLocalStorage(client, storage);

    expect(api.routes()).toEqual([FEATURES, IMPORT]);
    const sent = api.seen[1];
    expect(sent.authorization).toBe('Bearer token-1');
    const deviceId = storage.getItem(DEVICE_ID_KEY);
    expect(deviceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sent.body).toEqual({ entries: persistentOf(powerUser), deviceId });
    expect(Object.keys(persistentOf(powerUser))).toHaveLength(PERSISTENT_KEYS.length); // the fixture holds every key

    expect(storage.snapshot()).toEqual({
      ...sessionOf(powerUser),
      [DEVICE_ID_KEY]: deviceId,
      [MIGRATION_MARKER_KEY]: JSON.stringify({ importedAt: IMPORTED_AT, deviceId }),
    });
    expect(result).toEqual({
      status: 'migrated',
      importedAt: IMPORTED_AT,
      deviceId,
      results: expect.any(Array),
      removedKeys: [...PERSISTENT_KEYS],
      keptKeys: [],
    });
  });

  it('removes merged and kept-server keys, keeps invalid ones and any the answer does not name', async () => {
    const outcomes: Record<string, ImportOutcome> = {
      arise_universe: 'kept-server',
      arise_watchlist: 'merged',
      arise_risk: 'invalid',
      arise_modes: 'ignored',
    };
    const answer: Handler = (body) => {
      const { entries } = body as LocalStorageImportRequest;
      const results = Object.keys(entries)
        .filter((key) => key !== 'arise_primary_mode')
        .map((key) => ({ key, outcome: outcomes[key] ?? 'imported', detail: '' }));
      return json(200, { status: 'imported', results, importedAt: IMPORTED_AT } satisfies LocalStorageImportResponse);
    };
    const { client, storage } = setup({ [IMPORT]: answer });

    const result = await migrateLocalStorage(client, storage);

    const kept: string[] = ['arise_risk', 'arise_modes', 'arise_primary_mode']; // in the order sent
    expect(result).toMatchObject({ status: 'migrated', keptKeys: kept });
    for (const key of PERSISTENT_KEYS)
      expect([key, storage.getItem(key)]).toEqual([key, kept.includes(key) ? powerUser[key] : null]);
    expect(storage.getItem(MIGRATION_MARKER_KEY)).not.toBeNull();
  });

  it('keeps a merged key some of whose entries the server did not store (notStored: a limit was reached)', async () => {
    const answer: Handler = (body) => {
      const { entries } = body as LocalStorageImportRequest;
      const results = Object.keys(entries).map((key) =>
        key === 'arise_watchlist'
          ? { key, outcome: 'merged' as const, detail: '2 did not fit the 500-item limit: TCS, INFY', notStored: 2 }
          : { key, outcome: 'imported' as const, detail: '' },
      );
      return json(200, { status: 'imported', results, importedAt: IMPORTED_AT } satisfies LocalStorageImportResponse);
    };
    const { client, storage } = setup({ [IMPORT]: answer });

    const result = await migrateLocalStorage(client, storage);

    expect(result).toMatchObject({ status: 'migrated', keptKeys: ['arise_watchlist'] });
    expect(storage.getItem('arise_watchlist')).toBe(powerUser.arise_watchlist);
    expect(storage.getItem('arise_universe')).toBeNull();
  });

  it('keeps a key whose value another tab changed while the request ran', async () => {
    // The handler runs during the request, after `storage` is assigned.
    const { client, storage } = setup({
      [IMPORT]: (body, request) => {
        storage.setItem('arise_risk', 'Conservative');
        return importAnswering()(body, request);
      },
    });

    const result = await migrateLocalStorage(client, storage);

    expect(result).toMatchObject({ status: 'migrated', keptKeys: ['arise_risk'] });
    expect(storage.getItem('arise_risk')).toBe('Conservative');
    expect(storage.getItem('arise_universe')).toBeNull();
  });

  it('does nothing at all once the marker is set, whatever is in storage', async () => {
    const { api, client, storage } = setup({ [IMPORT]: importAnswering() });
    const first = await migrateLocalStorage(client, storage);
    storage.setItem('arise_universe', 'NIFTY100'); // written afterwards, say by an old tab
    const before = storage.snapshot();

    const second = await migrateLocalStorage(client, storage);

    expect(api.routes()).toEqual([FEATURES, IMPORT]);
    expect(storage.snapshot()).toEqual(before);
    expect(second).toEqual({
      status: 'already-migrated',
      marker: { importedAt: IMPORTED_AT, deviceId: first.status === 'migrated' ? first.deviceId : 'no device' },
    });
  });

  it('counts an unreadable marker as set', async () => {
    const { api, client, storage } = setup(
      { [IMPORT]: importAnswering() },
      { ...powerUser, [MIGRATION_MARKER_KEY]: 'yes' },
    );

    expect(await migrateLocalStorage(client, storage)).toEqual({ status: 'already-migrated', marker: null });
    expect(api.seen).toEqual([]);
  });

  it.each<[string, Handler, number | undefined]>([
    ['a network error', networkError, undefined],
    ['400', () => problem(400, 'entries must be an object'), 400],
    ['401', () => problem(401, 'expired'), 401],
    ['413', () => problem(413, 'too large'), 413],
    ['500', () => problem(500, 'internal'), 500],
    ['503', () => problem(503, 'database unavailable'), 503],
  ])('on %s changes nothing but the device id, and tries again on the next run', async (_, failure, httpStatus) => {
    let fail = true;
    const { api, client, storage } = setup({
      [IMPORT]: (body, request) => (fail ? failure(body, request) : importAnswering()(body, request)),
    });

    const result = await migrateLocalStorage(client, storage);

    // An answer comes back as FyntrixApiError with its problem; a network error as fetch threw it.
    const error = httpStatus
      ? expect.objectContaining({ problem: expect.objectContaining({ status: httpStatus }) })
      : expect.any(TypeError);
    expect(result).toEqual({ status: 'failed', error, ...(httpStatus && { httpStatus }) });
    const deviceId = storage.getItem(DEVICE_ID_KEY);
    expect(storage.snapshot()).toEqual({ ...powerUser, [DEVICE_ID_KEY]: deviceId });

    fail = false;
    expect(await migrateLocalStorage(client, storage)).toMatchObject({ status: 'migrated', deviceId });
    expect(api.seen.filter((request) => request.route === IMPORT).map((request) => request.body)).toEqual([
      { entries: persistentOf(powerUser), deviceId },
      { entries: persistentOf(powerUser), deviceId },
    ]);
    expect(storage.getItem('arise_watchlist')).toBeNull();
  });

  it('sends nothing and records nothing when this browser holds no persistent key', async () => {
    const sessionOnly = sessionOf(powerUser);
    const { api, client, storage } = setup({ [IMPORT]: importAnswering() }, sessionOnly);

    expect(await migrateLocalStorage(client, storage)).toEqual({ status: 'nothing-to-import' });
    expect(api.seen).toEqual([]);
    expect(storage.snapshot()).toEqual(sessionOnly);
  });

  it.each([
    [{ serverPreferences: true, localStorageImport: false }],
    [{ serverPreferences: false, localStorageImport: true }],
  ])('does nothing while the rollout leaves this user out: %j', async (flags) => {
    const { api, client, storage } = setup({ [FEATURES]: () => json(200, flags), [IMPORT]: importAnswering() });

    expect(await migrateLocalStorage(client, storage)).toEqual({ status: 'disabled' });
    expect(api.routes()).toEqual([FEATURES]);
    expect(storage.snapshot()).toEqual(powerUser);
  });

  it('takes the flags the app already has instead of asking for them', async () => {
    const { api, client, storage } = setup({ [IMPORT]: importAnswering() });

    expect(await migrateLocalStorage(client, storage, { features: ALL_ON })).toMatchObject({ status: 'migrated' });
    expect(api.routes()).toEqual([IMPORT]);
  });

  it('fails without changing anything when the flags cannot be read', async () => {
    const { api, client, storage } = setup({
      [FEATURES]: () => problem(503, 'unavailable'),
      [IMPORT]: importAnswering(),
    });

    expect(await migrateLocalStorage(client, storage)).toMatchObject({ status: 'failed' });
    expect(api.routes()).toEqual([FEATURES]);
    expect(storage.snapshot()).toEqual(powerUser);
  });

  it('keeps the device id of an earlier run', async () => {
    const { api, client, storage } = setup(
      { [IMPORT]: importAnswering() },
      { ...powerUser, [DEVICE_ID_KEY]: 'device-7' },
    );

    expect(await migrateLocalStorage(client, storage)).toMatchObject({ status: 'migrated', deviceId: 'device-7' });
    expect(api.seen[1].body).toMatchObject({ deviceId: 'device-7' });
    expect(storage.getItem(DEVICE_ID_KEY)).toBe('device-7');
  });
});
