import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { PERSISTENT_KEYS } from '../../domain/local-storage.keys';
import { type ListeningApp, startListeningApp } from '../browser/support/api';
import { launchChromium } from '../browser/support/chromium';
import { type PageServer, serveDirectory } from '../browser/support/page-server';
import { POWER_USER_EXPECTED } from '../fixtures/local-storage/expected';
import { loadDump } from '../fixtures/local-storage/load';
import { withDatabase } from '../support/database';
import { registerUser } from '../support/users';
import { SettingsPage } from './support/settings-page';

/**
 * The example web app (examples/web), built by `vite build` with the client installed from the
 * packed tarball (`npm run example:web`), served from an origin of its own against the real
 * service on the embedded database, in headless Chromium. Every state it reaches is
 * screenshotted to test-results/example-web-*.png.
 */
const APP_DIR = join(__dirname, '..', '..', 'examples', 'web', 'dist');

const powerUser = loadDump('power-user');
/** Every flag on for every user, whatever the defaults, so that the import runs. */
const ROLLOUT_ENV = { FEATURE_SERVER_PREFERENCES_PERCENT: '100', FEATURE_LOCAL_STORAGE_IMPORT_PERCENT: '100' };
/** Outcomes whose data the server holds now: the client removes those keys (when nothing was left unstored). */
const SETTLED_OUTCOMES = ['imported', 'merged', 'kept-server'];
const MIGRATION_MARKER_KEY = 'fyntrix_local_storage_migrated_v1';
const DEVICE_ID_KEY = 'fyntrix_device_id';

/** The power user's preferences (POWER_USER_EXPECTED) as the page shows them. */
const POWER_USER_SHOWN = {
  disclosureAccepted: 'accepted',
  universe: 'NIFTY500',
  marketRegion: 'India',
  riskProfile: 'Aggressive',
  tradingModes: 'Intraday, Swing, Options',
  primaryMode: 'Intraday',
  auxiliaryModes: 'Swing, Options',
};
const POWER_USER_WATCHLIST_SHOWN = POWER_USER_EXPECTED.watchlist.map((symbol) => `${symbol} (NSE)`);

const countImports = (userId: string) =>
  withDatabase(async (db) => {
    const { rows } = await db.query('SELECT count(*)::int AS n FROM local_storage_imports WHERE user_id = $1', [
      userId,
    ]);
    return rows[0].n as number;
  });

describe('the example web app in a real browser', () => {
  let pages: PageServer;
  let api: ListeningApp;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(join(APP_DIR, 'index.html')))
      throw new Error(`${APP_DIR} is not built: run \`npm run example:web\` first`);
    pages = await serveDirectory(APP_DIR);
    api = await startListeningApp({ CORS_ORIGINS: pages.origin, ...ROLLOUT_ENV });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await pages?.close();
  });

  /** A new browser profile on the app against `apiUrl`, holding the power user's localStorage. */
  async function openPowerUsersBrowser(apiUrl: string): Promise<SettingsPage> {
    const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
    const app = await SettingsPage.open(context, pages.pageUrl(apiUrl));
    await app.seedStorage(powerUser);
    return app;
  }

  it('imports localStorage at sign-in, removes exactly the settled keys, shows the imported values, and never imports again', async () => {
    const user = await registerUser(api, { name: 'Priya R.' });
    const app = await openPowerUsersBrowser(api.url);

    const imported = app.page.waitForResponse((response) =>
      response.url().endsWith('/api/v1/migrations/local-storage'),
    );
    await app.signIn(user.email, user.password);
    const { results } = (await (await imported).json()) as {
      results: { key: string; outcome: string; notStored?: number }[];
    };

    expect(await app.text('#migration')).toMatch(/^Imported this browser's data/);
    expect(await app.preferences()).toEqual(POWER_USER_SHOWN);
    expect(await app.watchlist()).toEqual(POWER_USER_WATCHLIST_SHOWN);
    expect(await app.text('#preferences-source')).toBe('from your account');
    expect(await app.notice()).toBeNull();

    // Exactly the keys the import settled are gone; every other key is as it was.
    const settled = results
      .filter(({ outcome, notStored }) => SETTLED_OUTCOMES.includes(outcome) && !notStored)
      .map(({ key }) => key);
    expect([...settled].sort()).toEqual([...PERSISTENT_KEYS].sort());
    const kept = Object.fromEntries(Object.entries(powerUser).filter(([key]) => !settled.includes(key)));
    expect(Object.keys(kept).length).toBeGreaterThan(0);
    const stored = await app.storage();
    expect(stored).toEqual({
      ...kept,
      [MIGRATION_MARKER_KEY]: expect.any(String),
      [DEVICE_ID_KEY]: expect.any(String),
    });
    await app.screenshot('imported');

    // The next visit: the page loads again with the session of this tab.
    await app.reload();

    expect(await app.text('#migration')).toMatch(/^This browser's data was imported on /);
    expect(await app.preferences()).toEqual(POWER_USER_SHOWN);
    expect(await app.watchlist()).toEqual(POWER_USER_WATCHLIST_SHOWN);
    expect(app.writes).toEqual(['POST /api/v1/auth/login', 'POST /api/v1/migrations/local-storage']);
    expect(await countImports(user.id)).toBe(1);
    expect(await app.storage()).toEqual(stored);
    await app.screenshot('reloaded');
    expect(app.problems).toEqual([]);
  });

  it('shows an edit made after another tab changed the preferences as a conflict, and overwrites nothing', async () => {
    const user = await registerUser(api);
    const app = await openPowerUsersBrowser(api.url);
    // This tab does not hear of the other's change (its change stream cannot connect, as behind a
    // proxy that breaks it): its edit is checked against the version it shows all the same.
    await app.page.route('**/api/v1/events*', (route) => route.abort());
    await app.signIn(user.email, user.password);
    // Another tab of the same browser (its own session; localStorage is shared) changes the risk profile.
    const otherTab = await SettingsPage.open(app.page.context(), pages.pageUrl(api.url));
    await otherTab.signIn(user.email, user.password);
    await otherTab.edit('riskProfile', 'Conservative');
    expect(await otherTab.notice()).toBe('Saved (version 2).');
    const saved = await api.http().get('/api/v1/preferences').set('Authorization', `Bearer ${user.accessToken}`);

    // This tab still shows version 1 (Aggressive) and changes the same field.
    await app.edit('riskProfile', 'Moderate');

    expect(await app.notice()).toMatch(
      /^Your preferences were changed elsewhere \(now version 2\), so your edit was not saved\./,
    );
    expect(await app.preferences()).toEqual({ ...POWER_USER_SHOWN, riskProfile: 'Conservative' });
    const now = await api.http().get('/api/v1/preferences').set('Authorization', `Bearer ${user.accessToken}`);
    expect(now.body).toEqual(saved.body);
    expect(now.body).toMatchObject({ riskProfile: 'Conservative', version: 2 });
    await app.screenshot('conflict');
    expect([...app.problems, ...otherTab.problems]).toEqual([]);
  });

  it('shows a change made on another device in an open page, without a reload', async () => {
    const user = await registerUser(api);
    const laptop = await openPowerUsersBrowser(api.url);
    await laptop.signIn(user.email, user.password);
    await laptop.page.locator('#live', { hasText: /^Live/ }).waitFor();
    // Gone if the page were reloaded.
    await laptop.page.evaluate(() => ((globalThis as Record<string, unknown>).notReloaded = true));
    // Another device: a browser profile of its own (nothing in its localStorage).
    const phone = await SettingsPage.open(
      await browser.newContext({ viewport: { width: 400, height: 800 } }),
      pages.pageUrl(api.url),
    );
    await phone.signIn(user.email, user.password);
    await phone.edit('riskProfile', 'Conservative');
    expect(await phone.notice()).toBe('Saved (version 2).');
    await api
      .http()
      .post('/api/v1/watchlist')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .send({ symbol: 'WIPRO' })
      .expect(201);

    await laptop.page.locator('#preferences dd[data-field="riskProfile"]', { hasText: 'Conservative' }).waitFor();
    await laptop.page.locator('#watchlist li', { hasText: 'WIPRO (NSE)' }).waitFor();
    expect(await laptop.preferences()).toEqual({ ...POWER_USER_SHOWN, riskProfile: 'Conservative' });
    expect(await laptop.watchlist()).toEqual([...POWER_USER_WATCHLIST_SHOWN, 'WIPRO (NSE)']);
    expect(await laptop.page.evaluate(() => (globalThis as Record<string, unknown>).notReloaded)).toBe(true);
    // And its edit applies to the version it now shows: no conflict.
    await laptop.edit('universe', 'NIFTY50');
    expect(await laptop.notice()).toBe('Saved (version 3).');
    await laptop.screenshot('live-sync');
    expect([...laptop.problems, ...phone.problems]).toEqual([]);
  });

  it("with the API stopped, shows this browser's values and says so", async () => {
    // A service whose rollout has not reached anyone yet: sign-in works, the import does not run.
    const stopping = await startListeningApp({
      CORS_ORIGINS: pages.origin,
      FEATURE_SERVER_PREFERENCES_PERCENT: '0',
      FEATURE_LOCAL_STORAGE_IMPORT_PERCENT: '0',
    });
    const user = await registerUser(stopping);
    const app = await openPowerUsersBrowser(stopping.url);
    await app.signIn(user.email, user.password);
    expect(await app.text('#migration')).toBe(
      "The import of this browser's data is not rolled out to your account yet.",
    );
    await stopping.close();

    await app.reload();

    expect(await app.notice()).toBe(
      'The fyntrix API cannot be reached: showing the preferences and watchlist saved in this browser. Editing is off until it is back.',
    );
    expect(await app.preferences()).toEqual(POWER_USER_SHOWN);
    expect(await app.watchlist()).toEqual(POWER_USER_WATCHLIST_SHOWN);
    expect(await app.text('#preferences-source')).toBe('saved in this browser');
    expect(await app.page.locator('#edit button').isDisabled()).toBe(true);
    expect(await app.storage()).toEqual(powerUser);
    await app.screenshot('offline');
    expect(app.problems).toEqual([]);
  });
});
