import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { EXCHANGES, type Exchange } from '../../../../domain/market';
import { type DecimalFormat, IsDecimalString } from '../../../common/decimal';
import { IsEnumValue, IsSymbol, IsTimestamp, IsUuid } from '../../../common/validation';
import { ApiList } from '../../../docs/schema-bounds';

/** Holdings' quantities (fractional units allowed: funds, US shares) and prices: 12 digits, 4 decimals. */
export const QUANTITY_FORMAT: DecimalFormat = { integerDigits: 12, fractionDigits: 4, sign: 'positive' };
export const HOLDING_PRICE_FORMAT: DecimalFormat = { integerDigits: 12, fractionDigits: 4, sign: 'non-negative' };
/** Cash may be negative (a margin debit). */
export const CASH_FORMAT: DecimalFormat = { integerDigits: 20, fractionDigits: 4, sign: 'any' };

export const MAX_HOLDINGS = 1000;

export class HoldingDto {
  /** Normalised like watchlist symbols. @example "INFY" */
  @IsSymbol()
  symbol: string;

  /** Default `NSE`. */
  @IsOptional()
  @IsEnumValue(EXCHANGES, 'Exchange')
  exchange?: Exchange;

  /** Units held, a decimal string > 0: up to 12 digits and 4 decimals (fractional units allowed). */
  @IsDecimalString(QUANTITY_FORMAT, '25')
  quantity: string;

  /** A decimal string >= 0: up to 12 digits and 4 decimals. */
  @IsDecimalString(HOLDING_PRICE_FORMAT, '1450.25')
  averagePrice: string;

  /** The latest price, a decimal string >= 0: up to 12 digits and 4 decimals. */
  @IsDecimalString(HOLDING_PRICE_FORMAT, '1502.8')
  lastPrice: string;
}

/**
 * A portfolio as it stood at `takenAt`. The server computes each holding's value
 * (quantity × lastPrice, rounded half up to 4 decimals), `holdingsValue` (their sum) and
 * `totalValue` (cash + holdingsValue) in exact decimal arithmetic.
 */
export class CreatePortfolioSnapshotDto {
  /** One of the caller's live broker connections this portfolio is held at, if any. */
  @IsOptional()
  @IsUuid()
  connectionId?: string;

  /** When the portfolio stood like this (ISO 8601); default now; at most 5 minutes ahead of the server's clock. */
  @IsOptional()
  @IsTimestamp()
  takenAt?: string;

  /** A decimal string, negative for a margin debit: up to 20 digits and 4 decimals. */
  @IsDecimalString(CASH_FORMAT, '125000.50')
  cash: string;

  /** At most 1000, one per symbol and exchange (422 otherwise); may be empty. */
  @IsArray()
  @ArrayMaxSize(MAX_HOLDINGS)
  @ApiList(HoldingDto, MAX_HOLDINGS)
  @ValidateNested({ each: true })
  @Type(() => HoldingDto)
  holdings: HoldingDto[];
}
