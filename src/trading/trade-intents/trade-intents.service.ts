import { Injectable } from '@nestjs/common';
import type { IntentStatus, OrderSide, OrderType, Product } from '../../../domain/trading';
import { AuditService } from '../../audit/audit.service';
import { DEFAULT_EXCHANGE, type Exchange, type TradingMode } from '../../../domain/market';
import type { Page } from '../../common/pagination';
import { notFound, ruleViolation } from '../../common/problem';
import { Database } from '../../database/database';
import { type TradeIntentResponseDto, toTradeIntentResponse } from './dto/trade-intent-response.dto';
import { illegalTransition, statusesLeadingTo } from './intent-status';
import { checkOrderPrices } from './trade-intent.rules';
import { TradeIntentsRepository } from './trade-intents.repository';

export interface NewTradeIntent {
  symbol: string;
  exchange?: Exchange;
  side: OrderSide;
  quantity: number;
  orderType: OrderType;
  limitPrice?: string;
  triggerPrice?: string;
  product: Product;
  mode: TradingMode;
}

/** An intent before and after a move of its status. */
export interface IntentMoved {
  before: TradeIntentResponseDto;
  after: TradeIntentResponseDto;
}

/** What the audit trail keeps of an intent: its fields, not the bookkeeping timestamps. */
export const auditedIntent = ({ createdAt: _c, updatedAt: _u, submittedAt: _s, ...intent }: TradeIntentResponseDto) =>
  intent;

/**
 * The caller's trade intents and their status machine (`intent-status.ts`); the only writer of
 * an intent, its status included (orders move it through `move`). Every move is one statement
 * that locks the intent, checks its status and updates it: concurrent moves run one after the
 * other, each sees the status the one before left, and a move that is illegal by then gets 409
 * (two submits of one draft: exactly one wins). Never a lost update.
 */
@Injectable()
export class TradeIntentsService {
  constructor(
    private readonly repository: TradeIntentsRepository,
    private readonly audit: AuditService,
    private readonly database: Database,
  ) {}

  async create(userId: string, input: NewTradeIntent): Promise<TradeIntentResponseDto> {
    const violations = checkOrderPrices(input);
    if (violations.length > 0) throw ruleViolation(`The prices do not fit a ${input.orderType} order.`, violations);
    return this.database.transaction(async (tx) => {
      const created = toTradeIntentResponse(
        await this.repository.create(userId, {
          symbol: input.symbol,
          exchange: input.exchange ?? DEFAULT_EXCHANGE,
          side: input.side,
          quantity: input.quantity,
          orderType: input.orderType,
          limitPrice: input.limitPrice ?? null,
          triggerPrice: input.triggerPrice ?? null,
          product: input.product,
          mode: input.mode,
        }),
      );
      await this.audit.record(tx, { action: 'create', before: null, after: auditedIntent(created) });
      return created;
    });
  }

  async list(
    userId: string,
    query: { status?: IntentStatus; limit: number; cursor?: string },
  ): Promise<Page<TradeIntentResponseDto>> {
    const { items, nextCursor } = await this.repository.list(userId, query);
    return { items: items.map(toTradeIntentResponse), nextCursor };
  }

  async get(userId: string, id: string): Promise<TradeIntentResponseDto> {
    const row = await this.repository.find(userId, id);
    if (!row) throw intentNotFound();
    return toTradeIntentResponse(row);
  }

  /** The caller's intent, locked against every other move until the transaction ends; 404 if none. */
  async lock(userId: string, id: string): Promise<TradeIntentResponseDto> {
    const row = await this.repository.find(userId, id, true);
    if (!row) throw intentNotFound();
    return toTradeIntentResponse(row);
  }

  /** Whether an intent of the caller submitted through the connection is still live (its order may be working). */
  hasLiveOn(userId: string, connectionId: string): Promise<boolean> {
    return this.repository.hasLiveOn(userId, connectionId);
  }

  /**
   * Moves the intent to `to` along the status machine, in one statement (see the class). `reason`
   * is the broker's word on the move (none: the reason stays); `submittedThrough` the connection
   * a submit goes through. 404 when the caller has no such intent, 409 when the move is illegal.
   */
  async move(
    userId: string,
    id: string,
    to: IntentStatus,
    details: { reason?: string | null; submittedThrough?: string } = {},
  ): Promise<IntentMoved> {
    const { before, after } = await this.repository.move(userId, id, { to, from: statusesLeadingTo(to), ...details });
    if (!before) throw intentNotFound();
    if (!after) throw illegalTransition(before.status, to);
    return { before: toTradeIntentResponse(before), after: toTradeIntentResponse(after) };
  }
}

function intentNotFound() {
  return notFound('No such trade intent.');
}
