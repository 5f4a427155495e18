/**
 * An insight id as the app names insights (`insight:momentum:TCS:2026-11-20`, `welcome-tour`):
 * 1 to 128 of A-Z a-z 0-9 _ . : - . Shared by the routes, the localStorage import and the
 * database check of migration 0005.
 */
export const INSIGHT_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
export const INSIGHT_ID_MAX_LENGTH = 128;

/**
 * At most this many dismissed insights per user: far more than a person dismisses, and it
 * bounds `GET /insights/dismissed`, which answers them all at once.
 */
export const DISMISSED_INSIGHTS_MAX = 5_000;
