import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { registerUser } from '../support/users';
import { type ListeningApp, startListeningApp } from './support/api';
import { launchChromium } from './support/chromium';

const SCREENSHOT = join(__dirname, '..', '..', 'test-results', 'swagger-ui.png');

/**
 * QA's path through the docs, in headless Chromium, under the service's own security headers
 * (strict CSP: scripts from the service only): authorize with a user's token, try out
 * `GET /api/v1/preferences`, see the 200.
 */
describe('Swagger UI in a real browser', () => {
  let api: ListeningApp;
  let browser: Browser;

  beforeAll(async () => {
    api = await startListeningApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('authorizes with a token and executes GET /api/v1/preferences through "Try it out"', async () => {
    const user = await registerUser(api);
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });

    await page.goto(`${api.url}/docs`);
    await page.locator('.auth-wrapper .authorize').click();
    // The `bearer` scheme (the other one, `metrics-token`, is for GET /metrics).
    const bearer = page
      .locator('.modal-ux .auth-container')
      .filter({ has: page.locator('h4 code', { hasText: /^bearer$/ }) });
    await bearer.locator('input').fill(user.accessToken);
    await bearer.getByRole('button', { name: 'Apply credentials' }).click();
    await bearer.getByRole('button', { name: 'Close' }).click();

    const operation = page.locator('#operations-preferences-getPreferences');
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const answered = page.waitForResponse((response) => response.url() === `${api.url}/api/v1/preferences`);
    await operation.getByRole('button', { name: 'Execute' }).click();

    const response = await answered;
    expect(response.status()).toBe(200);
    expect(response.request().headers().authorization).toBe(user.auth);
    const shown = operation.locator('.live-responses-table .response');
    await shown.locator('.response-col_status', { hasText: '200' }).waitFor();
    await expect(shown.locator('.response-col_description').innerText()).resolves.toContain('"universe": "NIFTY50"');

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await operation.locator('.responses-inner').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT });
    expect(problems).toEqual([]);
  });
});
