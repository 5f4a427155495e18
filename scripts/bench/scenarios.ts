import { getPreferences, patchPreferences, putPreferences } from './preferences.scenario';
import type { Scenario } from './scenario';
import { getWatchlist } from './watchlist.scenario';

/** Every scenario `npm run bench` runs, in order (BENCH_SCENARIOS picks some by name). */
export const scenarios: Scenario[] = [getPreferences, putPreferences, patchPreferences, getWatchlist];
