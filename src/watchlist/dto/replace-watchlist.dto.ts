import { Type } from 'class-transformer';
import { WATCHLIST_MAX_ITEMS } from '../../../domain/market';
import { ApiList } from '../../docs/schema-bounds';
import { IsArray, ValidateNested } from 'class-validator';
import { WatchlistItemInputDto } from './watchlist-item-input.dto';

/** `PUT /watchlist`: the whole new list, in order. */
export class ReplaceWatchlistDto {
  /** The list in display order: at most 500 items, each symbol once (after normalisation). */
  // More items are refused by the list rules (422, with the duplicates), not by validation.
  @ApiList(WatchlistItemInputDto, WATCHLIST_MAX_ITEMS)
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WatchlistItemInputDto)
  items: WatchlistItemInputDto[];
}
