import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { EXCHANGES, type Exchange } from '../../../domain/market';
import { IsEnumValue, IsSymbol, MaxChars } from '../../common/validation';

export const WATCHLIST_NOTES_MAX_LENGTH = 500;

/** A symbol to watch: the body of `POST /watchlist` and each item of `PUT /watchlist`. */
export class WatchlistItemInputDto {
  @IsSymbol()
  symbol: string;

  /** Where the symbol trades; `NSE` when absent or null. */
  @IsOptional()
  @IsEnumValue(EXCHANGES, 'Exchange')
  @ApiPropertyOptional({ default: 'NSE' })
  exchange?: Exchange | null;

  /** Free text, at most 500 characters; absent or null for none. @example "Breakout above 3,000?" */
  @IsOptional()
  @IsString()
  @MaxChars(WATCHLIST_NOTES_MAX_LENGTH)
  @ApiPropertyOptional({ type: String, maxLength: WATCHLIST_NOTES_MAX_LENGTH })
  notes?: string | null;
}
