import { planImport, type ServerState } from '../../domain/local-storage.merge';
import { parseLocalStorage } from '../../domain/local-storage.parser';
import { DEFAULT_PREFERENCES } from '../../domain/preferences.rules';
import type { FyntrixClient } from './client';
import { type Answer, FyntrixApiError, FyntrixRefreshError, problemOf } from './errors';
import { readPersistentEntries, type StorageLike } from './local-storage';
import type { Preferences, PreferenceValues, WatchlistItem } from './types';

/** A watchlist symbol as the browser kept it. */
export type LocalWatchlistItem = Pick<WatchlistItem, 'symbol' | 'exchange'>;

/** Why the API was not used: the error a request threw (network), or the 5xx status it answered. */
export interface Unreachable {
  error: unknown;
  httpStatus?: number;
}

export type PreferencesRead =
  | { source: 'api'; preferences: Preferences }
  | ({ source: 'local-storage'; preferences: PreferenceValues } & Unreachable);

export type WatchlistRead =
  { source: 'api'; items: WatchlistItem[] } | ({ source: 'local-storage'; items: LocalWatchlistItem[] } & Unreachable);

/**
 * The caller's preferences from the API; when the API cannot be reached (a network error or a
 * 5xx answer), what this browser's `arise_*` keys hold instead, read as the import would read
 * them (the server's own lenient parser and merge rules, `domain/`, bundled into the client):
 * the defaults, overridden by every valid key, with the modes made consistent. After a finished
 * migration those keys are gone, so the fallback gives the defaults.
 * A 4xx answer is the caller's to handle: it throws `FyntrixApiError`; so is a session that
 * could not be renewed (`FyntrixRefreshError`: sign in again).
 */
export async function readPreferences(client: FyntrixClient, storage: StorageLike): Promise<PreferencesRead> {
  const read = await readApi(() => client.GET('/api/v1/preferences'));
  if ('data' in read) return { source: 'api', preferences: read.data };
  return {
    source: 'local-storage',
    preferences: planLocal(storage).preferences ?? structuredClone(DEFAULT_PREFERENCES),
    ...read,
  };
}

/**
 * The caller's watchlist from the API, in its order; when the API cannot be reached, the
 * symbols of this browser's `arise_watchlist`, normalised as the import would add them to an
 * empty watchlist (bad items and repeats left out, at most 500). Errors as `readPreferences`.
 */
export async function readWatchlist(client: FyntrixClient, storage: StorageLike): Promise<WatchlistRead> {
  const read = await readApi(() => client.GET('/api/v1/watchlist'));
  if ('data' in read) return { source: 'api', items: read.data.items };
  return { source: 'local-storage', items: planLocal(storage).watchlistToAdd, ...read };
}

/** What an account holding nothing would take from this browser. */
const NOTHING_SAVED: ServerState = { preferences: null, watchlist: [], dismissedInsightIds: [], profileName: '' };
const planLocal = (storage: StorageLike) =>
  planImport(parseLocalStorage(readPersistentEntries(storage)), NOTHING_SAVED);

async function readApi<T>(request: () => Promise<Answer<T>>): Promise<{ data: T } | Unreachable> {
  let answer: Answer<T>;
  try {
    answer = await request();
  } catch (error) {
    // Not an outage: the API answered, and the session is over.
    if (error instanceof FyntrixRefreshError) throw error;
    return { error };
  }
  if (answer.data !== undefined) return { data: answer.data };
  const { status } = answer.response;
  if (status >= 500) return { error: answer.error, httpStatus: status };
  throw new FyntrixApiError(problemOf(answer));
}
