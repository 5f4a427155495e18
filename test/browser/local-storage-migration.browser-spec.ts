import type { Browser, Page } from 'playwright-core';
import { DEVICE_ID_KEY, MIGRATION_MARKER_KEY, type MigrationResult } from '../../client/src';
import { PERSISTENT_KEYS, SESSION_CACHE_KEYS } from '../../domain/local-storage.keys';
import { POWER_USER_EXPECTED } from '../fixtures/local-storage/expected';
import { loadDump } from '../fixtures/local-storage/load';
import { STRONG_PASSWORD, uniqueEmail } from '../support/users';
import type { PageGlobals, TestApp } from './page/test-app';
import { type ListeningApp, startListeningApp } from './support/api';
import { launchChromium } from './support/chromium';
import { bundleTestPage, type PageServer, servePage } from './support/page-server';

/**
 * The frontend's first sign-in after the API went live, in headless Chromium: the page (on an
 * origin of its own, as the web app is) holds a power user's `localStorage`, signs in through
 * the client and runs `migrateLocalStorage` against the real service on the embedded database.
 */
const powerUser = loadDump('power-user');
const onlyKeys = (keys: readonly string[]) =>
  Object.fromEntries(Object.entries(powerUser).filter(([key]) => keys.includes(key)));
const SESSION_CACHES = onlyKeys(SESSION_CACHE_KEYS);

const {
  preferences: POWER_USER_PREFERENCES,
  watchlist: POWER_USER_WATCHLIST,
  dismissedInsightIds: POWER_USER_DISMISSED,
} = POWER_USER_EXPECTED;
/** Every flag on for every user, whatever the defaults, so that the import runs. */
const ROLLOUT_ENV = { FEATURE_SERVER_PREFERENCES_PERCENT: '100', FEATURE_LOCAL_STORAGE_IMPORT_PERCENT: '100' };

/** Calls a method of the page's `window.testApp` (page/main.ts) inside the browser. */
function call<K extends keyof TestApp>(
  page: Page,
  method: K,
  ...args: Parameters<TestApp[K]>
): Promise<Awaited<ReturnType<TestApp[K]>>> {
  return page.evaluate(
    ({ method, args }) => {
      const testApp = (globalThis as unknown as PageGlobals).testApp as unknown as Record<
        string,
        (...a: unknown[]) => unknown
      >;
      return testApp[method](...args);
    },
    { method, args: args },
  ) as Promise<Awaited<ReturnType<TestApp[K]>>>;
}

describe('localStorage migration in a real browser', () => {
  let pageServer: PageServer;
  let api: ListeningApp;
  let browser: Browser;

  beforeAll(async () => {
    pageServer = await servePage(await bundleTestPage());
    api = await startListeningApp({ CORS_ORIGINS: pageServer.origin, ...ROLLOUT_ENV });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await pageServer?.close();
  });

  /** A new browser profile (empty storage) on the test page; `writes` collects its requests that are not reads. */
  async function openPage(apiUrl: string) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const writes: string[] = [];
    page.on('request', (request) => {
      if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method()))
        writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    await page.goto(pageServer.pageUrl(apiUrl));
    return { page, writes };
  }

  const get = async (path: string, accessToken: string) => {
    const res = await api.http().get(path).set('Authorization', `Bearer ${accessToken}`).expect(200);
    return res.body;
  };

  it('imports the persistent keys on the first sign-in, keeps the session caches, and never runs again', async () => {
    const { page, writes } = await openPage(api.url);
    await call(page, 'seedStorage', powerUser);
    const email = uniqueEmail('browser');
    await call(page, 'signUp', email, STRONG_PASSWORD, 'Priya R.');
    const accessToken = await call(page, 'signIn', email, STRONG_PASSWORD);

    const result = await call(page, 'migrate');

    expect(result).toMatchObject({ status: 'migrated', removedKeys: [...PERSISTENT_KEYS], keptKeys: [] });
    const { importedAt, deviceId, results } = result as Extract<MigrationResult, { status: 'migrated' }>;
    expect(Object.fromEntries(results.map(({ key, outcome }) => [key, outcome]))).toEqual({
      ...Object.fromEntries(PERSISTENT_KEYS.map((key) => [key, 'imported'])),
      arise_account_profile_v1: 'kept-server', // the name given at sign-up wins
    });
    expect(writes).toEqual([
      'POST /api/v1/auth/register',
      'POST /api/v1/auth/login',
      'POST /api/v1/migrations/local-storage',
    ]);

    // The browser: persistent keys gone, session caches as they were, the marker and the device id set.
    const stored = await call(page, 'storage');
    expect(stored).toEqual({
      ...SESSION_CACHES,
      [DEVICE_ID_KEY]: deviceId,
      [MIGRATION_MARKER_KEY]: JSON.stringify({ importedAt, deviceId }),
    });

    // The server, through the API.
    const preferences = await get('/api/v1/preferences', accessToken);
    expect(preferences).toMatchObject({ ...POWER_USER_PREFERENCES, version: 1 });
    expect(preferences.disclosureAcceptedAt).not.toBeNull();
    const watchlist = await get('/api/v1/watchlist', accessToken);
    expect(
      watchlist.items.map(({ symbol, exchange, position }: Record<string, unknown>) => [symbol, exchange, position]),
    ).toEqual(POWER_USER_WATCHLIST.map((symbol, position) => [symbol, 'NSE', position]));
    const dismissed = await get('/api/v1/insights/dismissed', accessToken);
    expect(dismissed.items.map((item: { insightId: string }) => item.insightId).sort()).toEqual(
      [...POWER_USER_DISMISSED].sort(),
    );
    expect(await get('/api/v1/users/me', accessToken)).toMatchObject({ email, name: 'Priya R.' });
    expect(await get('/api/v1/migrations/local-storage', accessToken)).toMatchObject({
      imported: true,
      devices: [{ deviceId }],
    });
    // The page now reads what the server holds.
    expect(await call(page, 'readPreferences')).toMatchObject({ source: 'api', preferences: POWER_USER_PREFERENCES });

    // The next visit: a new page load and sign-in. The marker is set, so nothing is sent or changed.
    const auditEvents = (await get('/api/v1/audit/events?limit=100', accessToken)).items.length;
    await page.reload();
    await call(page, 'signIn', email, STRONG_PASSWORD);
    writes.length = 0;

    expect(await call(page, 'migrate')).toEqual({ status: 'already-migrated', marker: { importedAt, deviceId } });
    expect(writes).toEqual([]);
    expect(await call(page, 'storage')).toEqual(stored);
    expect((await get('/api/v1/audit/events?limit=100', accessToken)).items.length).toBe(auditEvents);
    expect(await get('/api/v1/preferences', accessToken)).toEqual(preferences);
  });

  it('with the API stopped, changes nothing in localStorage and reads preferences and watchlist from it', async () => {
    const stopped = await startListeningApp({ CORS_ORIGINS: pageServer.origin, ...ROLLOUT_ENV });
    const { page, writes } = await openPage(stopped.url);
    await call(page, 'seedStorage', powerUser);
    await call(page, 'signUp', uniqueEmail('browser-offline'), STRONG_PASSWORD, 'Offline');
    await stopped.close();
    writes.length = 0;

    // The app fetched its flags before the API went away.
    const result = await call(page, 'migrate', { serverPreferences: true, localStorageImport: true });

    expect(result).toMatchObject({ status: 'failed' });
    expect(writes).toEqual(['POST /api/v1/migrations/local-storage']);
    const stored = await call(page, 'storage');
    expect(stored).toEqual({ ...powerUser, [DEVICE_ID_KEY]: expect.any(String) });
    expect(stored[MIGRATION_MARKER_KEY]).toBeUndefined();

    expect(await call(page, 'readPreferences')).toMatchObject({
      source: 'local-storage',
      preferences: POWER_USER_PREFERENCES,
    });
    const watchlist = await call(page, 'readWatchlist');
    expect(watchlist).toMatchObject({ source: 'local-storage' });
    expect(watchlist.items).toEqual(POWER_USER_WATCHLIST.map((symbol) => ({ symbol, exchange: 'NSE' })));
    expect(await call(page, 'storage')).toEqual(stored);
  });
});
