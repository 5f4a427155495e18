import { ApiProperty } from '@nestjs/swagger';
import { EXCHANGES, type Exchange } from '../../common/market';

/** One watched symbol. */
export class WatchlistItemResponseDto {
  /** @example "M&M" */
  symbol: string;
  @ApiProperty({ enum: EXCHANGES, enumName: 'Exchange' })
  exchange: Exchange;
  /** Null when there are none. @example "Breakout above 3,000?" */
  notes: string | null;
  /** When the symbol was first added; kept by bulk replaces that keep the symbol. */
  addedAt: Date;
  /** Place in the list, 0-based; positions are always 0..count-1. @example 0 */
  @ApiProperty({ type: 'integer' })
  position: number;
}

/** The caller's watchlist in position order. */
export class WatchlistResponseDto {
  items: WatchlistItemResponseDto[];
  /** @example 8 */
  @ApiProperty({ type: 'integer' })
  count: number;
}

/** A stored item as `SELECT symbol, exchange, notes, added_at, position` answers it. */
export interface WatchlistRow {
  symbol: string;
  exchange: Exchange;
  notes: string | null;
  added_at: Date;
  position: number;
}

export function toWatchlistItemResponse(row: WatchlistRow): WatchlistItemResponseDto {
  return { symbol: row.symbol, exchange: row.exchange, notes: row.notes, addedAt: row.added_at, position: row.position };
}

export function toWatchlistResponse(rows: WatchlistRow[]): WatchlistResponseDto {
  return { items: rows.map(toWatchlistItemResponse), count: rows.length };
}
