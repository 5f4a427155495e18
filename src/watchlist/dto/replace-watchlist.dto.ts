import { Type } from 'class-transformer';
import { IsArray, ValidateNested } from 'class-validator';
import { WatchlistItemInputDto } from './watchlist-item-input.dto';

/** `PUT /watchlist`: the whole new list, in order. */
export class ReplaceWatchlistDto {
  /** The list in display order: at most 500 items, each symbol once (after normalisation). */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WatchlistItemInputDto)
  items: WatchlistItemInputDto[];
}
