import type { Exchange } from './market';

/** A watchlist item as it is stored: normalised symbol, the exchange defaulted, no notes = null. */
export interface WatchlistEntry {
  symbol: string;
  exchange: Exchange;
  notes: string | null;
}
