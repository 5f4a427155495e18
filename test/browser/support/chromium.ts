import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's `chromium` package (`.ci/run` installs it) unless `CHROMIUM_PATH` names another
 * installed Chromium or Chrome (GitHub's Ubuntu runners have Chrome); never a browser downloaded
 * by Playwright.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Headless Chromium, with everything that would reach for the network switched off (the
 * machine has none: background networking would hang). Playwright gives every launch a fresh
 * temporary user-data dir and deletes it on close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
