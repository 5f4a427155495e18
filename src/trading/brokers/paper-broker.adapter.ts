import { randomUUID } from 'node:crypto';
import { LIVE_ORDER_STATUSES } from '../../../domain/trading';
import { Injectable } from '@nestjs/common';
import { compareDecimals, weightedAverage } from '../../common/decimal';
import { ruleViolation } from '../../common/problem';
import type { BrokerAdapter, BrokerOrderState, BrokerSession, OrderRequest, RecordedOrder } from './broker-adapter';

/** Exchanges of derivatives, where nothing is delivered. */
const DERIVATIVE_EXCHANGES = new Set(['NFO', 'MCX']);

/**
 * The `paper` broker: simulated, deterministic, no money involved.
 * - Placing: every order is accepted as `open` with a `PAPER-<uuid>` id, except CNC
 *   (delivery) on NFO or MCX, which is `rejected` as Indian brokers do.
 * - Nothing fills by itself (this service has no market feed). In dev and test,
 *   `POST /orders/{id}/simulated-fills` reports fills; staging and prod have no such route.
 * - Cancelling an open or partially filled order always succeeds.
 * - Its order book is the `broker_orders` table itself, so fetching answers the recorded state.
 */
@Injectable()
export class PaperBrokerAdapter implements BrokerAdapter {
  readonly broker = 'paper';

  async placeOrder(_session: BrokerSession, order: OrderRequest): Promise<BrokerOrderState> {
    const brokerOrderId = `PAPER-${randomUUID()}`;
    const reason =
      order.product === 'CNC' && DERIVATIVE_EXCHANGES.has(order.exchange)
        ? `CNC (delivery) is not available on ${order.exchange}; use NRML or MIS`
        : null;
    const status = reason ? 'rejected' : 'open';
    return {
      brokerOrderId,
      status,
      filledQuantity: 0,
      averagePrice: null,
      reason,
      raw: { broker: 'paper', event: 'place', orderId: brokerOrderId, tag: order.clientOrderId, status, reason },
    };
  }

  async cancelOrder(_session: BrokerSession, order: RecordedOrder): Promise<BrokerOrderState> {
    const status = LIVE_ORDER_STATUSES.includes(order.status) ? 'cancelled' : order.status;
    return {
      ...this.stateOf(order),
      status,
      raw: { broker: 'paper', event: 'cancel', orderId: order.brokerOrderId, status },
    };
  }

  async fetchOrder(_session: BrokerSession, order: RecordedOrder): Promise<BrokerOrderState> {
    return this.stateOf(order);
  }

  /**
   * A simulated execution of a live order: its state after `fill`. LIMIT and SL orders fill at
   * their limit price by default and never worse; MARKET and SL-M orders need a price.
   */
  fill(
    order: RecordedOrder,
    terms: Pick<OrderRequest, 'side' | 'orderType' | 'limitPrice'>,
    fill: { quantity: number; price?: string },
  ): BrokerOrderState {
    const open = order.quantity - order.filledQuantity;
    if (fill.quantity > open) {
      throw ruleViolation('The fill is larger than what is still open.', [
        { field: 'quantity', message: `only ${open} of ${order.quantity} are still open` },
      ]);
    }
    const price = fill.price ?? terms.limitPrice;
    if (!price) {
      throw ruleViolation('The fill needs a price.', [
        { field: 'price', message: `a fill of a ${terms.orderType} order needs a price` },
      ]);
    }
    const worse = terms.limitPrice
      ? compareDecimals(price, terms.limitPrice) * (terms.side === 'BUY' ? 1 : -1) > 0
      : false;
    if (worse) {
      const bound = terms.side === 'BUY' ? 'at or below' : 'at or above';
      throw ruleViolation('A limit order never fills at a worse price.', [
        {
          field: 'price',
          message: `a ${terms.side} ${terms.orderType} order fills ${bound} its limit price ${terms.limitPrice}`,
        },
      ]);
    }
    const filledQuantity = order.filledQuantity + fill.quantity;
    const averagePrice = weightedAverage(order.averagePrice ?? '0', order.filledQuantity, price, fill.quantity, 4);
    const status = filledQuantity === order.quantity ? 'filled' : 'partially_filled';
    return {
      brokerOrderId: order.brokerOrderId,
      status,
      filledQuantity,
      averagePrice,
      reason: null,
      raw: {
        broker: 'paper',
        event: 'fill',
        orderId: order.brokerOrderId,
        fill: { quantity: fill.quantity, price },
        filledQuantity,
        averagePrice,
        status,
      },
    };
  }

  private stateOf(order: RecordedOrder): BrokerOrderState {
    const { brokerOrderId, status, filledQuantity, averagePrice } = order;
    return {
      brokerOrderId,
      status,
      filledQuantity,
      averagePrice,
      reason: null,
      raw: { broker: 'paper', event: 'fetch', orderId: brokerOrderId, status },
    };
  }
}
