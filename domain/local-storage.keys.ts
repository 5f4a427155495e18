/**
 * The web client's `localStorage` keys, as the one-time import knows them. The frontend's
 * migration helper (`client/`) uses the same lists: it sends the persistent keys it holds and,
 * once the import answered, removes those whose data the server now holds (the session caches
 * are neither sent nor removed: they expire on their own).
 */
import type { PreferenceValues } from './preferences.rules';

/**
 * The key that held each preference field (all now live in `user_preferences`). The browser's
 * list, fixed: a field added since has no key, and an import leaves it as the server holds it.
 */
export const PREFERENCE_KEYS = {
  disclosureAccepted: 'arise_disclosure_accepted_v1',
  universe: 'arise_universe',
  marketRegion: 'arise_market_region',
  riskProfile: 'arise_risk',
  tradingModes: 'arise_modes',
  primaryMode: 'arise_primary_mode',
  auxiliaryModes: 'arise_auxiliary_modes',
} as const satisfies Partial<Record<keyof PreferenceValues, string>>;

/** A preference field the browser kept. */
export type StoredPreferenceField = keyof typeof PREFERENCE_KEYS;

/** `{name, account_id}`: the name may fill an empty profile name; the account id is the server's own. */
export const ACCOUNT_PROFILE_KEY = 'arise_account_profile_v1';
/** An array of symbols (strings or `{symbol, exchange}` objects). */
export const WATCHLIST_KEY = 'arise_watchlist';
/** An array of insight ids, or an object keyed by them. */
export const DISMISSED_INSIGHTS_KEY = 'arise_dismissed_insights_v1';

/** Every key whose value the server takes over. */
export const PERSISTENT_KEYS = [
  ...Object.values(PREFERENCE_KEYS),
  ACCOUNT_PROFILE_KEY,
  WATCHLIST_KEY,
  DISMISSED_INSIGHTS_KEY,
] as const;

/** Market data the client caches for a session: never imported, always reported `ignored`. */
export const SESSION_CACHE_KEYS = [
  'arise_market',
  'arise_flows',
  'arise_market_asof',
  'arise_spark',
  'arise_news',
  'arise_events',
  'arise_picks',
  'arise_winning_trades',
  'arise_strategy_cache_v1',
] as const;
