import {
  type IntentStatus,
  LIVE_ORDER_STATUSES,
  type OrderSide,
  type OrderStatus,
  type OrderType,
} from '../../../domain/trading';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { compareDecimals } from '../../common/decimal';
import { keysetPageSql, type Page, toPage } from '../../common/pagination';
import { conflict, notFound } from '../../common/problem';
import { SqlParams } from '../../database/sql-params';
import { Transactions } from '../../database/transactions';
import { BrokerConnectionsService } from '../broker-connections/broker-connections.service';
import type { BrokerAdapter, BrokerOrderState, BrokerSession, RecordedOrder } from '../brokers/broker-adapter';
import { BrokerRegistry } from '../brokers/broker-registry';
import { PaperBrokerAdapter } from '../brokers/paper-broker.adapter';
import { assertTransition } from '../trade-intents/intent-status';
import type { TradeIntentResponseDto } from '../trade-intents/dto/trade-intent-response.dto';
import { type OrderResponseDto, type OrderRow, toOrderResponse } from './dto/order-response.dto';

const ORDER_VIEW = `o.id, o.intent_id AS "intentId", o.connection_id AS "connectionId", o.broker_order_id AS "brokerOrderId",
  o.status, o.quantity, o.filled_quantity AS "filledQuantity", o.average_price AS "averagePrice",
  o.placed_at AS "placedAt", o.updated_at AS "updatedAt"`;

/** What a locked intent tells about its order. */
interface IntentTerms {
  status: IntentStatus;
  side: OrderSide;
  orderType: OrderType;
  limitPrice: string | null;
}

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
 * Orders at brokers, one per submitted intent. Every writer locks the intent before its order
 * (no deadlocks), and an intent's status follows its order's as the broker reports it.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly connections: BrokerConnectionsService,
    private readonly brokers: BrokerRegistry,
    private readonly paper: PaperBrokerAdapter,
    private readonly audit: AuditService,
  ) {}

  async list(
    userId: string,
    query: { intentId?: string; status?: OrderStatus; limit: number; cursor?: string },
  ): Promise<Page<OrderResponseDto>> {
    const params = new SqlParams();
    const conditions = [`o.user_id = ${params.add(userId)}`];
    if (query.intentId) conditions.push(`o.intent_id = ${params.add(query.intentId)}`);
    if (query.status) conditions.push(`o.status = ${params.add(query.status)}`);
    const rows = await this.transactions.rows<OrderRow>(
      keysetPageSql({
        select: ORDER_VIEW,
        table: 'broker_orders',
        alias: 'o',
        timeColumn: 'placed_at',
        conditions,
        params,
        ...query,
      }),
      params.values,
    );
    return toPage(rows, query.limit, (r) => ({ at: r.placedAt, id: r.id }), toOrderResponse);
  }

  async get(userId: string, id: string): Promise<OrderResponseDto> {
    const [row] = await this.transactions.rows<OrderRow>(
      `SELECT ${ORDER_VIEW} FROM broker_orders o WHERE o.id = $1 AND o.user_id = $2`,
      [id, userId],
    );
    if (!row) throw orderNotFound();
    return toOrderResponse(row);
  }

  /** Places the order of a just-submitted (and locked) intent and records it; the broker's answer decides the intent's next status. */
  async place(
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
    await this.transactions.rows(
      `INSERT INTO broker_orders (user_id, intent_id, connection_id, broker_order_id, status, quantity, filled_quantity, average_price, raw_payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        userId,
        id,
        session.connectionId,
        state.brokerOrderId,
        state.status,
        quantity,
        state.filledQuantity,
        state.averagePrice,
        state.raw,
      ],
    );
    return state;
  }

  /**
   * Cancels the live order of an intent the caller has just cancelled (and locked). 409 when
   * the broker could not (the order filled meanwhile): the whole cancellation is rolled back.
   */
  async cancelForIntent(userId: string, intentId: string): Promise<void> {
    const [order] = await this.transactions.rows<OrderRow>(
      `SELECT ${ORDER_VIEW} FROM broker_orders o
        WHERE o.intent_id = $1 AND o.user_id = $2 AND o.status = ANY($3) FOR UPDATE`,
      [intentId, userId, LIVE_ORDER_STATUSES],
    );
    if (!order) return;
    const { session, adapter } = await this.brokerOf(userId, order);
    const state = await adapter.cancelOrder(session, recorded(order));
    if (state.status !== 'cancelled') throw conflict(`The broker could not cancel the order: it is ${state.status}.`);
    await this.write(order.id, state);
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

  /**
   * Locks the order's intent, then the order, asks `next` for the order's new state and records
   * it: the order, and the intent's status along the status machine (409 if the broker reports
   * an illegal move). Nothing changed → nothing written, nothing audited.
   */
  private async update(
    userId: string,
    id: string,
    action: 'refresh' | 'fill',
    next: (
      order: OrderRow,
      intent: IntentTerms,
      broker: { session: BrokerSession; adapter: BrokerAdapter },
    ) => Promise<BrokerOrderState>,
  ): Promise<OrderResponseDto> {
    const [intent] = await this.transactions.rows<IntentTerms & { id: string }>(
      `SELECT id, status, side, order_type AS "orderType", limit_price AS "limitPrice" FROM trade_intents
        WHERE id = (SELECT intent_id FROM broker_orders WHERE id = $1 AND user_id = $2) FOR UPDATE`,
      [id, userId],
    );
    if (!intent) throw orderNotFound();
    const [order] = await this.transactions.rows<OrderRow>(
      `SELECT ${ORDER_VIEW} FROM broker_orders o WHERE o.id = $1 FOR UPDATE`,
      [id],
    );
    if (!LIVE_ORDER_STATUSES.includes(order.status)) {
      if (action === 'fill') throw conflict(`The order is ${order.status}; only open or partially filled orders fill.`);
      return toOrderResponse(order);
    }
    const state = await next(order, intent, await this.brokerOf(userId, order));
    if (unchanged(order, state)) return toOrderResponse(order);
    if (state.status !== intent.status) assertTransition(intent.status, state.status);
    const after = await this.write(id, state);
    if (state.status !== intent.status) {
      await this.transactions.rows(
        `UPDATE trade_intents SET status = $2, status_reason = COALESCE($3, status_reason), updated_at = now() WHERE id = $1`,
        [intent.id, state.status, state.reason],
      );
    }
    this.audit.record({ action, before: auditedOrder(toOrderResponse(order)), after: auditedOrder(after) });
    return after;
  }

  private async write(id: string, state: BrokerOrderState): Promise<OrderResponseDto> {
    const [row] = await this.transactions.rows<OrderRow>(
      `UPDATE broker_orders o SET status = $2, filled_quantity = $3, average_price = $4, raw_payload = $5, updated_at = now()
        WHERE o.id = $1 RETURNING ${ORDER_VIEW}`,
      [id, state.status, state.filledQuantity, state.averagePrice, state.raw],
    );
    return toOrderResponse(row);
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
