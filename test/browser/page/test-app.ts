import type { FeaturesResponse, MigrationResult, PreferencesRead, WatchlistRead } from '../../../client/src';

/**
 * What the test page (main.ts) exposes as `window.testApp`: the steps the web app takes around
 * sign-in, done with the client. The browser specs drive it with `page.evaluate`.
 */
export interface TestApp {
  /** `POST /auth/register`, keeping the access token for the next requests; answers the token. */
  signUp(email: string, password: string, name: string): Promise<string>;
  /** `POST /auth/login`, likewise. */
  signIn(email: string, password: string): Promise<string>;
  features(): Promise<FeaturesResponse>;
  migrate(features?: FeaturesResponse): Promise<MigrationResult>;
  readPreferences(): Promise<PreferencesRead>;
  readWatchlist(): Promise<WatchlistRead>;
  /** Replaces everything in `localStorage` with `entries`. */
  seedStorage(entries: Record<string, string>): void;
  /** Everything in `localStorage`. */
  storage(): Record<string, string>;
}

/** The page's globals, as the callbacks of `page.evaluate` see them. */
export type PageGlobals = { testApp: TestApp };
