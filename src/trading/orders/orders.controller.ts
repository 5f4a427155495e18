import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audited } from '../../audit/audited.decorator';
import type { AuthUser } from '../../auth/auth-user';
import { Authenticated } from '../../auth/auth.decorators';
import { CurrentUser } from '../../auth/current-user.decorator';
import { UuidParam } from '../../common/validation';
import { ApiInvalidRequest, ApiProblem } from '../../docs/problem-response';
import { SimulationStageGuard } from '../brokers/simulation-stage.guard';
import { ListOrdersQueryDto } from './dto/list-orders.query.dto';
import { OrderPageDto, OrderResponseDto } from './dto/order-response.dto';
import { SimulateFillDto } from './dto/simulate-fill.dto';
import { OrdersService } from './orders.service';

const NOT_FOUND = 'The caller has no order with this id.';

/** The caller's orders at brokers, one per submitted trade intent. */
@ApiTags('trading')
@Controller('orders')
@Authenticated()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** Newest first; by intent and/or status. */
  @Get()
  @ApiOkResponse({ type: OrderPageDto })
  @ApiInvalidRequest()
  listOrders(@CurrentUser() user: AuthUser, @Query() query: ListOrdersQueryDto): Promise<OrderPageDto> {
    return this.orders.list(user.id, query);
  }

  /** One of the caller's orders. */
  @Get(':id')
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, NOT_FOUND)
  getOrder(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<OrderResponseDto> {
    return this.orders.get(user.id, id);
  }

  /**
   * Asks the broker for the order's current state and records it (fills, status), moving its
   * trade intent along. Filled, cancelled and rejected orders are answered as they are. The
   * paper broker's book is this service's own record, so paper orders never change here.
   */
  @Post(':id/refresh')
  @HttpCode(200)
  @Audited('trade_intent')
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(409, 'The broker reports a state the intent cannot move to.')
  refreshOrder(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<OrderResponseDto> {
    return this.orders.refresh(user.id, id);
  }

  /**
   * **Dev and test only** (`APP_STAGE=dev|test`; staging and prod answer 404 as for an unknown
   * route). The paper broker reports a fill of an open or partially filled order: the order's
   * filled quantity and volume-weighted average price move on, and it and its intent become
   * `partially_filled` or `filled`. This is the paper broker's only way to fill: nothing fills
   * by itself.
   */
  @Post(':id/simulated-fills')
  @HttpCode(200)
  @UseGuards(SimulationStageGuard)
  @Audited('trade_intent')
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, `${NOT_FOUND} In staging and prod: always (the route does not exist there).`)
  @ApiProblem(409, 'The order is filled, cancelled or rejected, or not a paper order.')
  @ApiProblem(422, 'More than is open, no price for a MARKET/SL-M order, or a price worse than the limit.')
  simulateOrderFill(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: SimulateFillDto,
  ): Promise<OrderResponseDto> {
    return this.orders.simulateFill(user.id, id, dto);
  }
}
