/**
 * The fyntrix API client for the web app: a typed openapi-fetch client (types generated from
 * openapi.json by `npm run client`) and the helpers of the move out of `localStorage`.
 */
export { PERSISTENT_KEYS, SESSION_CACHE_KEYS } from '../../domain/local-storage.keys';
export {
  createFyntrixClient,
  FyntrixApiError,
  type FyntrixClient,
  type FyntrixClientOptions,
  type Problem,
} from './client';
export type { StorageLike } from './local-storage';
export {
  DEVICE_ID_KEY,
  MIGRATION_MARKER_KEY,
  type MigrateOptions,
  migrateLocalStorage,
  type MigrationMarker,
  type MigrationResult,
} from './migrate-local-storage';
export type {
  DismissedInsightsResponse,
  FeaturesResponse,
  ImportOutcome,
  LocalStorageImportResponse,
  LocalStorageImportsResponse,
  WatchlistItem,
  WatchlistResponse,
} from './types';
export {
  type LocalWatchlistItem,
  type Preferences,
  type PreferencesRead,
  type PreferenceValues,
  readPreferences,
  readWatchlist,
  type Unreachable,
  type WatchlistRead,
} from './read-with-fallback';
export type { components, operations, paths } from './schema';
