import { PRICE_FORMAT } from '../../../../domain/trading';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsDecimalString } from '../../../common/decimal';

/** A fill the paper broker reports (dev and test only). */
export class SimulateFillDto {
  /** Units filled, at most what is still open (422 otherwise). @example 4 */
  @IsInt()
  @Min(1)
  @Max(1e12)
  quantity: number;

  /**
   * The fill price, a decimal string > 0 (up to 14 digits and 4 decimals). LIMIT and SL orders default to their limit price and never fill worse
   * (a BUY at or below it, a SELL at or above); MARKET and SL-M orders need one (422 otherwise).
   */
  @IsOptional()
  @IsDecimalString(PRICE_FORMAT, '2499.5')
  price?: string;
}
