import { IsSymbol } from '../../common/validation';

/** `/watchlist/{symbol}`: URL-encoded (`M%26M`), normalised like a body symbol (`m%26m` is `M&M`). */
export class WatchlistSymbolParamDto {
  @IsSymbol()
  symbol: string;
}
