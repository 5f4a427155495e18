/**
 * The vocabulary of preferences, apart from the entity so that code without TypeORM (the
 * localStorage parser, which the browser client bundles) can use it. The database checks of
 * migration 0003 repeat these lists.
 */
import type { TradingMode } from '../common/market';

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
