import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '../audit/audited.decorator';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated } from '../auth/auth.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiInvalidRequest, ApiProblem } from '../docs/problem-response';
import { ReplaceWatchlistDto } from './dto/replace-watchlist.dto';
import { WatchlistItemInputDto } from './dto/watchlist-item-input.dto';
import { WatchlistItemResponseDto, WatchlistResponseDto } from './dto/watchlist-response.dto';
import { WatchlistSymbolParamDto } from './dto/watchlist-symbol-param.dto';
import { WatchlistService } from './watchlist.service';

/** The caller's watchlist (replaces `arise_watchlist`): at most 500 symbols, in the user's order. */
@ApiTags('watchlist')
@Controller('watchlist')
@Authenticated()
export class WatchlistController {
  constructor(private readonly watchlist: WatchlistService) {}

  /** The watchlist in position order. */
  @Get()
  @ApiOkResponse({ type: WatchlistResponseDto })
  getWatchlist(@CurrentUser() user: AuthUser): Promise<WatchlistResponseDto> {
    return this.watchlist.list(user.id);
  }

  /**
   * Adds a symbol at the end (201). A symbol already listed answers 200 with the saved item,
   * unchanged: the exchange and notes of the repeat are ignored (change them with `PUT`).
   */
  @Post()
  @Audited('watchlist')
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: WatchlistItemResponseDto, description: 'Added at the end of the list.' })
  @ApiOkResponse({ type: WatchlistItemResponseDto, description: 'Already listed: the saved item, unchanged.' })
  @ApiInvalidRequest()
  @ApiProblem(422, 'The watchlist already holds 500 symbols.')
  async addWatchlistItem(
    @CurrentUser() user: AuthUser,
    @Body() dto: WatchlistItemInputDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WatchlistItemResponseDto> {
    const { item, created } = await this.watchlist.add(user.id, dto);
    if (!created) reply.status(HttpStatus.OK);
    return item;
  }

  /**
   * Replaces the whole list in one transaction: the order is the array order; symbols that stay
   * keep `addedAt` and take the exchange and notes sent; the others are removed.
   */
  @Put()
  @Audited('watchlist')
  @ApiOkResponse({ type: WatchlistResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(422, 'More than 500 items, or a symbol listed twice (after normalisation); nothing was changed.')
  replaceWatchlist(@CurrentUser() user: AuthUser, @Body() dto: ReplaceWatchlistDto): Promise<WatchlistResponseDto> {
    return this.watchlist.replace(user.id, dto.items);
  }

  /** Removes a symbol (URL-encoded: `M%26M`); the items after it move up one place. */
  @Delete(':symbol')
  @Audited('watchlist')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiInvalidRequest()
  @ApiProblem(404, 'The symbol is not in the watchlist.')
  removeWatchlistItem(@CurrentUser() user: AuthUser, @Param() params: WatchlistSymbolParamDto): Promise<void> {
    return this.watchlist.remove(user.id, params.symbol);
  }
}
