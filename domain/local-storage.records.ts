import type { ImportOutcome, KeyResult } from './local-storage.merge';

/**
 * What the server records of each import attempt. `imported`: something changed and every key
 * was usable; `partial`: some keys were invalid (the others still landed); `unchanged`: nothing
 * to change; `replayed`: this exact payload was imported before, so nothing was done.
 */
export const IMPORT_STATUSES = ['imported', 'partial', 'unchanged', 'replayed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** An attempt's answer, kept so that a replay answers the same: each key's outcome, and the counts. */
export interface ImportSummary {
  results: KeyResult[];
  counts: Record<ImportOutcome, number>;
}
