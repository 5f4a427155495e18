import type { OrderSide, OrderType } from '../../../domain/trading';
import { compareDecimals } from '../../common/decimal';
import type { FieldError } from '../../../domain/field-error';

/** Which prices each order type takes: all of them required, no others allowed. */
const PRICES_BY_ORDER_TYPE: Readonly<Record<OrderType, readonly ('limitPrice' | 'triggerPrice')[]>> = {
  MARKET: [],
  LIMIT: ['limitPrice'],
  SL: ['limitPrice', 'triggerPrice'],
  'SL-M': ['triggerPrice'],
};

export interface OrderPrices {
  side: OrderSide;
  orderType: OrderType;
  limitPrice?: string | null;
  triggerPrice?: string | null;
}

/**
 * The cross-field rules of an order's prices: exactly the prices its type takes and, for a
 * stop-loss limit order, a trigger on the right side of the limit (a BUY triggers at or below
 * its limit, a SELL at or above), as brokers require.
 */
export function checkOrderPrices(order: OrderPrices): FieldError[] {
  const wanted = PRICES_BY_ORDER_TYPE[order.orderType];
  const errors: FieldError[] = [];
  for (const field of ['limitPrice', 'triggerPrice'] as const) {
    const sent = order[field] !== undefined && order[field] !== null;
    if (wanted.includes(field) && !sent) {
      errors.push({ field, message: `a ${order.orderType} order needs ${field}` });
    } else if (!wanted.includes(field) && sent) {
      errors.push({ field, message: `a ${order.orderType} order takes no ${field}` });
    }
  }
  if (errors.length === 0 && order.orderType === 'SL') {
    const triggerVsLimit = compareDecimals(order.triggerPrice!, order.limitPrice!);
    if (order.side === 'BUY' && triggerVsLimit > 0) {
      errors.push({ field: 'triggerPrice', message: 'a BUY stop-loss order triggers at or below its limitPrice' });
    } else if (order.side === 'SELL' && triggerVsLimit < 0) {
      errors.push({ field: 'triggerPrice', message: 'a SELL stop-loss order triggers at or above its limitPrice' });
    }
  }
  return errors;
}
