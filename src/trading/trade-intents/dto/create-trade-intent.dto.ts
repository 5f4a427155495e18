import {
  ORDER_SIDES,
  ORDER_TYPES,
  type OrderSide,
  type OrderType,
  PRICE_FORMAT,
  PRODUCTS,
  type Product,
} from '../../../../domain/trading';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsDecimalString } from '../../../common/decimal';
import { EXCHANGES, type Exchange, TRADING_MODES, type TradingMode } from '../../../../domain/market';
import { IsEnumValue, IsSymbol } from '../../../common/validation';

/**
 * A draft order. Prices by order type (422 otherwise): MARKET none; LIMIT `limitPrice`;
 * SL `limitPrice` and `triggerPrice` (a BUY triggers at or below its limit, a SELL at or
 * above); SL-M `triggerPrice`.
 */
export class CreateTradeIntentDto {
  /** Trimmed and upper-cased, then 1 to 32 of `A-Z 0-9 & - . _`, as in the watchlist. @example "RELIANCE" */
  @IsSymbol()
  symbol: string;

  /** Default `NSE`. */
  @IsOptional()
  @IsEnumValue(EXCHANGES, 'Exchange')
  exchange?: Exchange;

  @IsEnumValue(ORDER_SIDES, 'OrderSide')
  side: OrderSide;

  /** Whole units, 1 to 10^12, as a JSON integer. @example 10 */
  @IsInt()
  @Min(1)
  @Max(1e12)
  quantity: number;

  @IsEnumValue(ORDER_TYPES, 'OrderType')
  orderType: OrderType;

  /** LIMIT and SL orders only. A decimal string > 0, up to 14 digits and 4 decimals; JSON numbers are rejected. */
  @IsOptional()
  @IsDecimalString(PRICE_FORMAT, '2500.50')
  limitPrice?: string;

  /** SL and SL-M orders only: the price that activates the order. A decimal string like `limitPrice`. */
  @IsOptional()
  @IsDecimalString(PRICE_FORMAT, '2480')
  triggerPrice?: string;

  /** CNC delivery, MIS intraday, NRML carry-forward (derivatives). */
  @IsEnumValue(PRODUCTS, 'Product')
  product: Product;

  /** The trading mode this trade belongs to. */
  @IsEnumValue(TRADING_MODES, 'TradingMode')
  mode: TradingMode;
}
