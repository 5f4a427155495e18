/**
 * The trading vocabulary: brokers and their connections, order sides, types and products, the
 * statuses of trade intents and orders, the price format, a snapshot's holding. One definition
 * for the entities' checks, the DTOs, the queries and the broker adapters; browser-safe: it
 * imports only the market vocabulary.
 */
import type { Exchange } from './market';

export const BROKERS = ['paper', 'zerodha', 'upstox', 'angelone', 'dhan', 'fyers'] as const;
export type Broker = (typeof BROKERS)[number];

/** A deleted connection is kept as `revoked` for the orders placed through it. */
export const CONNECTION_STATUSES = ['active', 'revoked'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** The account at the broker (its client id): 1 to 64 of A-Z a-z 0-9 . _ - @ : after trimming. */
export const ACCOUNT_REF_PATTERN = /^[A-Za-z0-9._@:-]{1,64}$/;
export const ACCOUNT_REF_MAX_LENGTH = 64;

export const ORDER_SIDES = ['BUY', 'SELL'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];
export const ORDER_TYPES = ['MARKET', 'LIMIT', 'SL', 'SL-M'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
/** CNC delivery, MIS intraday, NRML carry-forward (derivatives). */
export const PRODUCTS = ['CNC', 'MIS', 'NRML'] as const;
export type Product = (typeof PRODUCTS)[number];

/** Prices of intents and orders: `numeric(18,4)`, greater than 0 (a `DecimalFormat`). */
export const PRICE_FORMAT = { integerDigits: 14, fractionDigits: 4, sign: 'positive' } as const;

export const INTENT_STATUSES = [
  'draft',
  'submitted',
  'open',
  'partially_filled',
  'filled',
  'cancelled',
  'rejected',
] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

export const ORDER_STATUSES = ['open', 'partially_filled', 'filled', 'cancelled', 'rejected'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Orders still working at the broker: they may fill further or be cancelled. */
export const LIVE_ORDER_STATUSES: readonly OrderStatus[] = ['open', 'partially_filled'];
/** Intents whose order is live at the broker, or being placed there (`submitted`). */
export const LIVE_INTENT_STATUSES: readonly IntentStatus[] = ['submitted', ...LIVE_ORDER_STATUSES];

/**
 * One holding of a portfolio snapshot as stored (`portfolio_snapshots.holdings`); decimals are
 * strings with 4 decimals.
 */
export interface Holding {
  symbol: string;
  exchange: Exchange;
  quantity: string;
  averagePrice: string;
  lastPrice: string;
  value: string;
}
