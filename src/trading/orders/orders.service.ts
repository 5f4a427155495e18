import { Injectable } from '@nestjs/common';
import { LIVE_ORDER_STATUSES, type OrderStatus } from '../../../domain/trading';
import { AuditService } from '../../audit/audit.service';
import { compareDecimals } from '../../common/decimal';
import type { Page } from '../../common/pagination';
import { conflict, notFound } from '../../common/problem';
import { Database } from '../../database/database';
import { BrokerConnectionsService, connectionNotFound } from '../broker-connections/broker-connections.service';
import type { BrokerAdapter, BrokerOrderState, BrokerSession, RecordedOrder } from '../brokers/broker-adapter';
import { BrokerRegistry } from '../brokers/broker-registry';
import { PaperBrokerAdapter } from '../brokers/paper-broker.adapter';
import type { TradeIntentResponseDto } from '../trade-intents/dto/trade-intent-response.dto';
import { auditedIntent, TradeIntentsService } from '../trade-intents/trade-intents.service';
import { type OrderResponseDto, toOrderResponse } from './dto/order-response.dto';
import { type OrderRow, OrdersRepository } from './orders.repository';

function recorded(order: OrderRow): RecordedOrder {
  const { brokerOrderId, status, averagePrice } = order;
  return {
    brokerOrderId,
    status,
    averagePrice,
    quantity: Number(order.quantity),
    filledQuantity: Number(order.filledQuantity),
  };
}

function unchanged(order: OrderRow, state: BrokerOrderState): boolean {
  const sameAverage =
    state.averagePrice === null || order.averagePrice === null
      ? state.averagePrice === order.averagePrice
      : compareDecimals(state.averagePrice, order.averagePrice) === 0;
  return state.status === order.status && state.filledQuantity === Number(order.filledQuantity) && sameAverage;
}

/** What the audit trail keeps of an order's change. */
const auditedOrder = (order: OrderResponseDto) => {
  const { id, intentId, brokerOrderId, status, filledQuantity, averagePrice } = order;
  return { orderId: id, intentId, brokerOrderId, status, filledQuantity, averagePrice };
};

/**
 * Orders at brokers, one per submitted intent, and every flow that talks to a broker: submitting
 * an intent (placing its order), cancelling one, refreshing and (paper) filling an order. Each
 * flow is one transaction. The intent's status is moved by `TradeIntentsService`, its only
 * writer; every flow locks the intent before its order (no deadlocks), and an intent's status
 * follows its order's as the broker reports it.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly repository: OrdersRepository,
    private readonly intents: TradeIntentsService,
    private readonly connections: BrokerConnectionsService,
    private readonly brokers: BrokerRegistry,
    private readonly paper: PaperBrokerAdapter,
    private readonly audit: AuditService,
    private readonly database: Database,
  ) {}

  async list(
    userId: string,
    query: { intentId?: string; status?: OrderStatus; limit: number; cursor?: string },
  ): Promise<Page<OrderResponseDto>> {
    const { items, nextCursor } = await this.repository.list(userId, query);
    return { items: items.map(toOrderResponse), nextCursor };
  }

  async get(userId: string, id: string): Promise<OrderResponseDto> {
    const row = await this.repository.find(userId, id);
    if (!row) throw orderNotFound();
    return toOrderResponse(row);
  }

  /**
   * draft → submitted → (the broker's answer) open / rejected / filled, in one transaction:
   * the connection is locked against revocation, the intent against other moves, and the
   * order is placed and recorded before anything commits.
   */
  submitIntent(userId: string, intentId: string, connectionId: string): Promise<TradeIntentResponseDto> {
    return this.database.transaction(async (tx) => {
      const connection = await this.connections.open(userId, connectionId, true);
      if (!connection) throw connectionNotFound();
      const adapter = this.brokers.adapterFor(connection.broker);
      const submitted = await this.intents.move(userId, intentId, 'submitted', { submittedThrough: connectionId });
      const state = await this.place(userId, submitted.after, connection.session, adapter);
      const placed = await this.intents.move(userId, intentId, state.status, { reason: state.reason });
      await this.audit.record(tx, {
        action: 'submit',
        before: auditedIntent(submitted.before),
        after: auditedIntent(placed.after),
      });
      return placed.after;
    });
  }

  /**
   * Cancels the intent and, when its order is live at the broker, the order too, in one
   * transaction: 409 when the broker could not (the order filled meanwhile), and nothing changes.
   */
  cancelIntent(userId: string, intentId: string): Promise<TradeIntentResponseDto> {
    return this.database.transaction(async (tx) => {
      const { before, after } = await this.intents.move(userId, intentId, 'cancelled');
      if (before.status !== 'draft') await this.cancelLiveOrder(userId, intentId);
      await this.audit.record(tx, { action: 'cancel', before: auditedIntent(before), after: auditedIntent(after) });
      return after;
    });
  }

  /** Asks the broker for the order's state and records what changed. Final orders are answered as they are. */
  refresh(userId: string, id: string): Promise<OrderResponseDto> {
    return this.update(userId, id, 'refresh', async (order, _intent, { session, adapter }) =>
      adapter.fetchOrder(session, recorded(order)),
    );
  }

  /** A simulated fill of a paper order (the route exists in dev and test only). */
  simulateFill(userId: string, id: string, fill: { quantity: number; price?: string }): Promise<OrderResponseDto> {
    return this.update(userId, id, 'fill', async (order, intent, { adapter }) => {
      if (adapter !== this.paper) throw conflict('Only orders through the paper broker can be filled by simulation.');
      return this.paper.fill(recorded(order), intent, fill);
    });
  }

  /** Places the order of a just-submitted (and locked) intent and records it; the broker's answer decides the intent's next status. */
  private async place(
    userId: string,
    intent: TradeIntentResponseDto,
    session: BrokerSession,
    adapter: BrokerAdapter,
  ): Promise<BrokerOrderState> {
    const { id, symbol, exchange, side, quantity, orderType, limitPrice, triggerPrice, product } = intent;
    const state = await adapter.placeOrder(session, {
      clientOrderId: id,
      symbol,
      exchange,
      side,
      quantity,
      orderType,
      limitPrice,
      triggerPrice,
      product,
    });
    await this.repository.insert(userId, intent, session.connectionId, state);
    return state;
  }

  /** Cancels at the broker the live order of an intent just cancelled (and locked); 409 when the broker could not. */
  private async cancelLiveOrder(userId: string, intentId: string): Promise<void> {
    const order = await this.repository.lockLiveOfIntent(userId, intentId);
    if (!order) return;
    const { session, adapter } = await this.brokerOf(userId, order);
    const state = await adapter.cancelOrder(session, recorded(order));
    if (state.status !== 'cancelled') throw conflict(`The broker could not cancel the order: it is ${state.status}.`);
    await this.repository.update(order.id, state);
  }

  /**
   * In one transaction: locks the order's intent, then the order, asks `next` for the order's
   * new state and records it: the intent's status along the status machine (409 if the broker
   * reports an illegal move), and the order. Nothing changed → nothing written, nothing audited.
   */
  private update(
    userId: string,
    id: string,
    action: 'refresh' | 'fill',
    next: (
      order: OrderRow,
      intent: TradeIntentResponseDto,
      broker: { session: BrokerSession; adapter: BrokerAdapter },
    ) => Promise<BrokerOrderState>,
  ): Promise<OrderResponseDto> {
    return this.database.transaction(async (tx) => {
      // An order's intent never changes: it can be read before anything is locked.
      const found = await this.repository.find(userId, id);
      if (!found) throw orderNotFound();
      const intent = await this.intents.lock(userId, found.intentId);
      const order = await this.repository.lock(id);
      if (!LIVE_ORDER_STATUSES.includes(order.status)) {
        if (action === 'fill')
          throw conflict(`The order is ${order.status}; only open or partially filled orders fill.`);
        return toOrderResponse(order);
      }
      const state = await next(order, intent, await this.brokerOf(userId, order));
      if (unchanged(order, state)) return toOrderResponse(order);
      if (state.status !== intent.status) {
        await this.intents.move(userId, intent.id, state.status, { reason: state.reason });
      }
      const after = toOrderResponse(await this.repository.update(id, state));
      await this.audit.record(tx, { action, before: auditedOrder(toOrderResponse(order)), after: auditedOrder(after) });
      return after;
    });
  }

  /** The live connection and adapter of a live order (its connection cannot be revoked while the order is live). */
  private async brokerOf(userId: string, order: OrderRow): Promise<{ session: BrokerSession; adapter: BrokerAdapter }> {
    const connection = await this.connections.open(userId, order.connectionId);
    if (!connection) throw new Error(`live order ${order.id} has no live connection`);
    return { session: connection.session, adapter: this.brokers.adapterFor(connection.broker) };
  }
}

function orderNotFound() {
  return notFound('No such order.');
}
