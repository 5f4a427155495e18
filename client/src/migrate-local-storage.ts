import type { FyntrixClient } from './client';
import { dataOrThrow, FyntrixApiError, problemOf } from './errors';
import { readPersistentEntries, type StorageLike } from './local-storage';
import type { FeaturesResponse, ImportOutcome, LocalStorageImportResponse } from './types';

/** Set once this browser's data was imported: `{importedAt, deviceId}`. While set, the migration never runs again. */
export const MIGRATION_MARKER_KEY = 'fyntrix_local_storage_migrated_v1';
/** A random id for this browser, made on its first import attempt and kept: the server lists imports by device. */
export const DEVICE_ID_KEY = 'fyntrix_device_id';

export interface MigrationMarker {
  importedAt: string;
  deviceId: string;
}

/**
 * Outcomes whose data the server now holds (or deliberately kept its own): the browser's copy
 * can go. An `invalid` value stays, since nothing of it reached the server and support may
 * still read it; so does a key the server answered for in any other way.
 */
const SETTLED_OUTCOMES: ReadonlySet<ImportOutcome> = new Set(['imported', 'merged', 'kept-server']);

export type MigrationResult =
  /** The import answered: the marker is set, the settled keys are removed. */
  | {
      status: 'migrated';
      importedAt: string;
      deviceId: string;
      results: LocalStorageImportResponse['results'];
      /** Keys removed from storage. */
      removedKeys: string[];
      /**
       * Keys sent but left in storage: `invalid` ones, ones with entries the server did not store
       * (`notStored`, a limit reached), and any whose value changed while the request ran.
       */
      keptKeys: string[];
    }
  /** The marker was already set (`marker` is null if it could not be read): nothing was sent. */
  | { status: 'already-migrated'; marker: MigrationMarker | null }
  /** No persistent key in this browser: nothing was sent, nothing recorded (a later run looks again). */
  | { status: 'nothing-to-import' }
  /** The rollout does not include this user yet (feature flags): nothing was sent. */
  | { status: 'disabled' }
  /**
   * The API could not be reached or refused: nothing changed, the next run tries again. `error`
   * is a `FyntrixApiError` when the API answered (its `problem` says why), a `FyntrixRefreshError`
   * when the session could not be renewed (sign in again), else what fetch threw (network).
   */
  | { status: 'failed'; error: unknown; httpStatus?: number };

export interface MigrateOptions {
  /** The caller's feature flags if the app already has them; otherwise `GET /features` is asked. */
  features?: FeaturesResponse;
}

/**
 * The one-time import of this browser's `localStorage` into the caller's account, to run after
 * every sign-in (it does nothing once done):
 * 1. with the marker set, it returns at once, without a request;
 * 2. it sends the persistent `arise_*` keys only (session caches stay in the browser and are
 *    not sent: the server would ignore them, and they are the bulk of the data);
 * 3. only after a successful answer it sets the marker and removes each sent key whose outcome
 *    is settled (`imported`, `merged`, `kept-server`), all of whose entries the server stored
 *    (no `notStored`), and whose value is still the one sent;
 * 4. on any failure (network, 4xx, 5xx) it changes nothing, so the next run tries again. The
 *    server treats a replay of the same values as a no-op, so a retry after a lost answer is safe.
 * It runs only when both flags are on: removing the keys while the app still reads
 * preferences from `localStorage` (`serverPreferences` off) would look like lost data.
 * It never throws: failures come back as `{status: 'failed'}`.
 */
export async function migrateLocalStorage(
  client: FyntrixClient,
  storage: StorageLike,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  let entries: Record<string, string>;
  let deviceId: string;
  let answer: LocalStorageImportResponse;
  try {
    const marker = storage.getItem(MIGRATION_MARKER_KEY);
    if (marker !== null) return { status: 'already-migrated', marker: parseMarker(marker) };
    entries = readPersistentEntries(storage);
    if (Object.keys(entries).length === 0) return { status: 'nothing-to-import' };

    const features = options.features ?? dataOrThrow(await client.GET('/api/v1/features'));
    if (!features.localStorageImport || !features.serverPreferences) return { status: 'disabled' };

    deviceId = deviceIdOf(storage);
    const sent = await client.POST('/api/v1/migrations/local-storage', { body: { entries, deviceId } });
    if (!sent.data) {
      return { status: 'failed', error: new FyntrixApiError(problemOf(sent)), httpStatus: sent.response.status };
    }
    answer = sent.data;
  } catch (error) {
    return { status: 'failed', error };
  }

  const marker: MigrationMarker = { importedAt: answer.importedAt, deviceId };
  // The marker first: should the page close halfway, a key left behind is harmless, while a
  // missing marker would send the keys that stay (the invalid ones) again on the next run.
  storage.setItem(MIGRATION_MARKER_KEY, JSON.stringify(marker));
  const removedKeys: string[] = [];
  const keptKeys: string[] = [];
  const results = new Map(answer.results.map((result) => [result.key, result]));
  for (const [key, sent] of Object.entries(entries)) {
    const result = results.get(key);
    const settled = result !== undefined && SETTLED_OUTCOMES.has(result.outcome) && !result.notStored;
    // Another tab may have written a new value meanwhile: that one never reached the server.
    if (settled && storage.getItem(key) === sent) {
      storage.removeItem(key);
      removedKeys.push(key);
    } else {
      keptKeys.push(key);
    }
  }
  return { status: 'migrated', ...marker, results: answer.results, removedKeys, keptKeys };
}

function parseMarker(text: string): MigrationMarker | null {
  try {
    const marker = JSON.parse(text) as Partial<MigrationMarker> | null;
    return typeof marker?.importedAt === 'string' && typeof marker.deviceId === 'string'
      ? { importedAt: marker.importedAt, deviceId: marker.deviceId }
      : null;
  } catch {
    return null;
  }
}

/**
 * This browser's device id, made and stored on first use. It is stored before the request, so
 * that a retry after a lost answer names the same device; it is not migration state.
 */
function deviceIdOf(storage: StorageLike): string {
  const stored = storage.getItem(DEVICE_ID_KEY);
  if (stored) return stored;
  const id = randomUuid();
  storage.setItem(DEVICE_ID_KEY, id);
  return id;
}

/** A version 4 UUID; `crypto.randomUUID` exists only on https and localhost pages, this works on any. */
function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
