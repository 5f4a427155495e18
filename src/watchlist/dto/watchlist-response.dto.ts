import { ApiProperty } from '@nestjs/swagger';
import { EXCHANGES, type Exchange, SYMBOL_MAX_LENGTH, WATCHLIST_MAX_ITEMS } from '../../../domain/market';
import { ApiList, ApiText, ApiTimestamp } from '../../docs/schema-bounds';
import { WATCHLIST_NOTES_MAX_LENGTH } from './watchlist-item-input.dto';

/** One watched symbol. */
export class WatchlistItemResponseDto {
  /** @example "M&M" */
  @ApiText(SYMBOL_MAX_LENGTH)
  symbol: string;
  @ApiProperty({ enum: EXCHANGES, enumName: 'Exchange' })
  exchange: Exchange;
  /** Null when there are none. @example "Breakout above 3,000?" */
  @ApiText(WATCHLIST_NOTES_MAX_LENGTH)
  notes: string | null;
  /** When the symbol was first added; kept by bulk replaces that keep the symbol. */
  @ApiTimestamp()
  addedAt: Date;
  /** Place in the list, 0-based; positions are always 0..count-1. @example 0 */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: WATCHLIST_MAX_ITEMS - 1 })
  position: number;
}

/** The caller's watchlist in position order. */
export class WatchlistResponseDto {
  @ApiList(WatchlistItemResponseDto, WATCHLIST_MAX_ITEMS)
  items: WatchlistItemResponseDto[];
  /** @example 8 */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: WATCHLIST_MAX_ITEMS })
  count: number;
}

export function toWatchlistResponse(items: WatchlistItemResponseDto[]): WatchlistResponseDto {
  return { items, count: items.length };
}
