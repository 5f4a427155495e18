/**
 * The fyntrix API client for the web app: a typed openapi-fetch client (types generated from
 * openapi.json by `npm run client`) and the helpers of the move out of `localStorage`.
 */
export { PERSISTENT_KEYS, SESSION_CACHE_KEYS } from '../../domain/local-storage.keys';
// The API's vocabularies as lists, for forms: the same values as the enumerations of `components`.
export { EXCHANGES, TRADING_MODES } from '../../domain/market';
export { MARKET_REGIONS, RISK_PROFILES, UNIVERSES } from '../../domain/preferences.enums';
export { createFyntrixClient, type FyntrixClient, type FyntrixClientOptions } from './client';
export {
  type Answer,
  dataOrThrow,
  FyntrixApiError,
  type FyntrixProblem,
  FyntrixRefreshError,
  type Problem,
  problemOf,
} from './errors';
export type { StorageLike } from './local-storage';
export {
  DEVICE_ID_KEY,
  MIGRATION_MARKER_KEY,
  type MigrateOptions,
  migrateLocalStorage,
  type MigrationMarker,
  type MigrationResult,
} from './migrate-local-storage';
export {
  type LocalWatchlistItem,
  type PreferencesRead,
  readPreferences,
  readWatchlist,
  type Unreachable,
  type WatchlistRead,
} from './read-with-fallback';
export { type PreferencesSave, savePreferences } from './save-preferences';
export {
  type ChangeHandlers,
  type ChangeStreamEvent,
  type SubscribeOptions,
  subscribeToChanges,
} from './subscribe-to-changes';
export type { components, operations, paths } from './schema';
export type {
  DataExport,
  DismissedInsightsResponse,
  FeaturesResponse,
  ImportOutcome,
  LocalStorageImportResponse,
  LocalStorageImportsResponse,
  Preferences,
  PreferencesChanges,
  PreferenceValues,
  WatchlistItem,
  WatchlistResponse,
} from './types';
