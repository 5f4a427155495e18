import type { components } from './schema';

/** Named shapes of the generated OpenAPI types that the helpers and their callers use. */
type Schemas = components['schemas'];
export type ImportOutcome = Schemas['ImportOutcome'];
export type LocalStorageImportRequest = Schemas['ImportLocalStorageDto'];
export type LocalStorageImportResponse = Schemas['ImportResultDto'];
export type LocalStorageImportsResponse = Schemas['ImportHistoryDto'];
export type FeaturesResponse = Schemas['FeaturesResponseDto'];
export type WatchlistItem = Schemas['WatchlistItemResponseDto'];
export type WatchlistResponse = Schemas['WatchlistResponseDto'];
export type DismissedInsightsResponse = Schemas['DismissedInsightsResponseDto'];
export type Preferences = Schemas['PreferencesResponseDto'];
/** Everything the service holds about the caller (`GET /api/v1/users/me/export`, `schemaVersion` 1). */
export type DataExport = Schemas['DataExportDto'];
/** The writable part of the preferences: what this browser's `arise_*` keys can say. */
export type PreferenceValues = Omit<Preferences, 'version' | 'updatedAt' | 'disclosureAcceptedAt'>;
/** The fields of a preferences change: any of them; `tradingModes` may name some modes only. */
export type PreferencesChanges = Schemas['UpdatePreferencesDto'];
