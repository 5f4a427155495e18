/**
 * The vocabulary of preferences: the server's DTOs and entity, the localStorage parser and the
 * browser client all use these lists. The database checks of migration 0003 repeat them.
 */
import type { TradingMode } from './market';

export const UNIVERSES = [
  'NIFTY50',
  'NIFTY100',
  'NIFTY200',
  'NIFTY500',
  'NIFTYMIDCAP150',
  'NIFTYSMALLCAP250',
  'NIFTYBANK',
] as const;
export type Universe = (typeof UNIVERSES)[number];
export const MARKET_REGIONS = ['India', 'Global'] as const;
export type MarketRegion = (typeof MARKET_REGIONS)[number];
export const RISK_PROFILES = ['Aggressive', 'Moderate', 'Conservative'] as const;
export type RiskProfile = (typeof RISK_PROFILES)[number];

/** Which trading modes are on: `{Intraday, Swing, Options, Futures}`. */
export type TradingModes = Record<TradingMode, boolean>;
