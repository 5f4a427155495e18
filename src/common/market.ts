import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';

/**
 * Market vocabulary shared by the watchlist, trade intents and preferences, so one symbol or
 * mode means the same everywhere (the database checks repeat these lists).
 */
export const EXCHANGES = ['NSE', 'BSE', 'NFO', 'MCX', 'NYSE', 'NASDAQ'] as const;
export type Exchange = (typeof EXCHANGES)[number];

/** 1 to 32 of A-Z 0-9 & - . _ after trimming and upper-casing (`M&M`, `BAJAJ-AUTO`). */
export const SYMBOL_PATTERN = /^[A-Z0-9&._-]{1,32}$/;

export const TRADING_MODES = ['Intraday', 'Swing', 'Options', 'Futures'] as const;
export type TradingMode = (typeof TRADING_MODES)[number];

/** Trims and upper-cases a symbol as the browser might have stored it (` wipro ` → `WIPRO`). */
export function normalizeSymbol(raw: string): string {
  return raw.trim().toUpperCase();
}

/** A symbol body field: normalised (`normalizeSymbol`), then checked against `SYMBOL_PATTERN` (400 otherwise). */
export function IsSymbol() {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? normalizeSymbol(value) : value)),
    IsString(),
    Matches(SYMBOL_PATTERN, { message: '$property must be 1 to 32 of A-Z 0-9 & - . _ after trimming and upper-casing (e.g. M&M, BAJAJ-AUTO)' }),
  );
}
