import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audited } from '../../audit/audited.decorator';
import type { AuthUser } from '../../auth/auth-user';
import { Authenticated } from '../../auth/auth.decorators';
import { CurrentUser } from '../../auth/current-user.decorator';
import { UuidParam } from '../../common/validation';
import { ApiInvalidRequest, ApiProblem } from '../../docs/problem-response';
import { OrdersService } from '../orders/orders.service';
import { CreateTradeIntentDto } from './dto/create-trade-intent.dto';
import { ListTradeIntentsQueryDto } from './dto/list-trade-intents.query.dto';
import { SubmitTradeIntentDto } from './dto/submit-trade-intent.dto';
import { TradeIntentPageDto, TradeIntentResponseDto } from './dto/trade-intent-response.dto';
import { TradeIntentsService } from './trade-intents.service';

const NOT_FOUND = 'The caller has no trade intent with this id.';

/**
 * The caller's trade intents. Status machine: draft → submitted → open → partially_filled →
 * filled; a draft, open or partially filled intent can be cancelled; the broker may reject.
 * Moves happen only through the action routes; an illegal move is 409.
 */
@ApiTags('trading')
@Controller('trade-intents')
@Authenticated()
export class TradeIntentsController {
  constructor(
    private readonly intents: TradeIntentsService,
    /** Submitting and cancelling place and cancel orders at the broker: `OrdersService` runs those flows. */
    private readonly orders: OrdersService,
  ) {}

  /** A draft order. Which prices each order type takes is described on the body. */
  @Post()
  @Audited('trade_intent')
  @ApiCreatedResponse({ type: TradeIntentResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(
    422,
    'The prices do not fit the order type (a price missing or not taken), or an SL trigger is on the wrong side of its limit.',
  )
  createTradeIntent(@CurrentUser() user: AuthUser, @Body() dto: CreateTradeIntentDto): Promise<TradeIntentResponseDto> {
    return this.intents.create(user.id, dto);
  }

  /** The caller's intents, newest first, optionally of one status. */
  @Get()
  @ApiOkResponse({ type: TradeIntentPageDto })
  @ApiInvalidRequest()
  listTradeIntents(
    @CurrentUser() user: AuthUser,
    @Query() query: ListTradeIntentsQueryDto,
  ): Promise<TradeIntentPageDto> {
    return this.intents.list(user.id, query);
  }

  /** One of the caller's intents. */
  @Get(':id')
  @ApiOkResponse({ type: TradeIntentResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, NOT_FOUND)
  getTradeIntent(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<TradeIntentResponseDto> {
    return this.intents.get(user.id, id);
  }

  /**
   * Places the draft's order through one of the caller's connections. The answer is the intent
   * after the broker's reply: `open`, or `rejected` with `statusReason` (the paper broker
   * rejects CNC on NFO and MCX). Of concurrent submits of one draft exactly one wins, the
   * others get 409; a cancel racing a submit either takes the draft first (the submit gets
   * 409) or waits for the order to be placed and then cancels it.
   */
  @Post(':id/submit')
  @HttpCode(200)
  @Audited('trade_intent')
  @ApiOkResponse({ type: TradeIntentResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, `${NOT_FOUND} Or the caller has no live broker connection with \`connectionId\`.`)
  @ApiProblem(409, 'The intent is not a draft (already submitted, cancelled, …).')
  @ApiProblem(422, "The connection's broker does not support orders yet (only `paper` does).")
  submitTradeIntent(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: SubmitTradeIntentDto,
  ): Promise<TradeIntentResponseDto> {
    return this.orders.submitIntent(user.id, id, dto.connectionId);
  }

  /** Cancels a draft, or an open or partially filled intent together with its order at the broker (filled units stay filled). */
  @Post(':id/cancel')
  @HttpCode(200)
  @Audited('trade_intent')
  @ApiOkResponse({ type: TradeIntentResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(409, 'The intent is already filled, cancelled or rejected, or the broker could not cancel its order.')
  cancelTradeIntent(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<TradeIntentResponseDto> {
    return this.orders.cancelIntent(user.id, id);
  }
}
