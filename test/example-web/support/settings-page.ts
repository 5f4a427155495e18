import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-results');

/** What the callbacks of `page.evaluate` use of the page (this file is compiled without DOM types). */
interface PageGlobals {
  localStorage: Record<string, string> & { clear(): void; setItem(key: string, value: string): void };
}

/** Browser lines that are no error of the app: a request the network refused, or an API's 4xx/5xx answer. */
const NETWORK_LINE = /^Failed to load resource: /;

/**
 * The example app's settings page (examples/web) in one tab, driven as a person would: through
 * its form fields and buttons, reading what it shows. `problems` collects the uncaught errors
 * and console errors of the tab.
 */
export class SettingsPage {
  readonly problems: string[] = [];
  /** `METHOD /path` of every request to the API that is not a read, in order. */
  readonly writes: string[] = [];

  private constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.problems.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !NETWORK_LINE.test(message.text())) this.problems.push(message.text());
    });
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/') && !['GET', 'HEAD', 'OPTIONS'].includes(request.method()))
        this.writes.push(`${request.method()} ${pathname}`);
    });
  }

  /** A new tab of `context` on the app at `url`. */
  static async open(context: BrowserContext, url: string): Promise<SettingsPage> {
    const settings = new SettingsPage(await context.newPage());
    await settings.page.goto(url);
    return settings;
  }

  /** Replaces everything in `localStorage` (the origin's, so every tab's) with `entries`. */
  seedStorage(entries: Record<string, string>): Promise<void> {
    return this.page.evaluate((entries) => {
      const { localStorage } = globalThis as unknown as PageGlobals;
      localStorage.clear();
      for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value);
    }, entries);
  }

  storage(): Promise<Record<string, string>> {
    return this.page.evaluate(() => ({ ...(globalThis as unknown as PageGlobals).localStorage }));
  }

  async signIn(email: string, password: string): Promise<void> {
    const form = this.page.locator('#sign-in');
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Password').fill(password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await this.loaded();
  }

  /** Waits until the account part has shown everything it reads. */
  async loaded(): Promise<void> {
    await this.page.locator('#account[aria-busy="false"]').waitFor();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.loaded();
  }

  text(selector: string): Promise<string> {
    return this.page.locator(selector).innerText();
  }

  /** The notice above the page, or null when none is shown. */
  async notice(): Promise<string | null> {
    const notice = this.page.locator('#notice');
    return (await notice.isVisible()) ? notice.innerText() : null;
  }

  /** The preferences shown: `{field: text}`. */
  preferences(): Promise<Record<string, string>> {
    return this.page
      .locator('#preferences dd')
      .evaluateAll((values) =>
        Object.fromEntries(values.map((value) => [value.getAttribute('data-field'), value.textContent])),
      );
  }

  watchlist(): Promise<string[]> {
    return this.page.locator('#watchlist li').allInnerTexts();
  }

  /** Sets the edit form's `field` (`riskProfile`, `universe`) and saves; resolves once the page shows the outcome. */
  async edit(field: string, value: string): Promise<void> {
    const form = this.page.locator('#edit');
    await form.locator(`select[name="${field}"]`).selectOption(value);
    const answered = this.page.waitForResponse((response) => response.request().method() === 'PATCH');
    await form.getByRole('button', { name: 'Save' }).click();
    // The form is busy from the click until the outcome is shown (a conflict reads the current version first).
    await answered;
    await this.page.locator('#edit[aria-busy="false"]').waitFor();
  }

  async screenshot(state: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOTS, `example-web-${state}.png`), fullPage: true });
  }
}
