/**
 * Market vocabulary shared by the watchlist, trade intents and preferences, so one symbol or
 * mode means the same everywhere (the database checks repeat these lists).
 */
export const EXCHANGES = ['NSE', 'BSE', 'NFO', 'MCX', 'NYSE', 'NASDAQ'] as const;
export type Exchange = (typeof EXCHANGES)[number];
/** Where a symbol trades when nobody said: the watchlist, trade intents, holdings and the import. */
export const DEFAULT_EXCHANGE: Exchange = 'NSE';

/** 1 to 32 of A-Z 0-9 & - . _ after trimming and upper-casing (`M&M`, `BAJAJ-AUTO`). */
export const SYMBOL_PATTERN = /^[A-Z0-9&._-]{1,32}$/;
export const SYMBOL_MAX_LENGTH = 32;

/** A user's watchlist holds at most this many symbols (a 501st is refused). */
export const WATCHLIST_MAX_ITEMS = 500;

export const TRADING_MODES = ['Intraday', 'Swing', 'Options', 'Futures'] as const;
export type TradingMode = (typeof TRADING_MODES)[number];

/** Trims and upper-cases a symbol as the browser might have stored it (` wipro ` → `WIPRO`). */
export function normalizeSymbol(raw: string): string {
  return raw.trim().toUpperCase();
}
