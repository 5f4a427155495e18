import type { Broker, OrderSide, OrderStatus, OrderType, Product } from '../../../domain/trading';
import type { Exchange } from '../../../domain/market';

/** The connection an order goes through, with its decrypted credentials. Lives for one call: never stored, logged or returned. */
export interface BrokerSession {
  connectionId: string;
  accountRef: string;
  accessToken: string;
  refreshToken: string | null;
}

/** An order as sent to a broker. Quantities are whole units; prices decimal strings. */
export interface OrderRequest {
  /** The trade intent's id, sent as the broker's client tag so an order can be found again after a crash. */
  clientOrderId: string;
  symbol: string;
  exchange: Exchange;
  side: OrderSide;
  quantity: number;
  orderType: OrderType;
  limitPrice: string | null;
  triggerPrice: string | null;
  product: Product;
}

/** The broker's view of one order. */
export interface BrokerOrderState {
  brokerOrderId: string;
  status: OrderStatus;
  filledQuantity: number;
  averagePrice: string | null;
  /** Why the broker rejected or cancelled it, in its words; null otherwise. */
  reason: string | null;
  /** The broker's own payload, kept in `broker_orders.raw_payload`; never credentials. */
  raw: Record<string, unknown>;
}

/** An order as this service recorded it: what a broker needs to find it again. */
export interface RecordedOrder {
  brokerOrderId: string;
  status: OrderStatus;
  quantity: number;
  filledQuantity: number;
  averagePrice: string | null;
}

/**
 * What every broker integration implements; `BrokerRegistry` picks one by the connection's
 * broker. Calls run inside the caller's database transaction (the intent stays locked), so
 * an adapter must answer promptly and must not retry on its own. It throws only when the
 * broker could not be reached; a broker's refusal is a state (`rejected`, or an unchanged
 * status from `cancelOrder`).
 */
export interface BrokerAdapter {
  readonly broker: Broker;
  placeOrder(session: BrokerSession, order: OrderRequest): Promise<BrokerOrderState>;
  /** Asks the broker to cancel; the answer is the order's state afterwards (still `filled` if it was too late). */
  cancelOrder(session: BrokerSession, order: RecordedOrder): Promise<BrokerOrderState>;
  /** The order's current state at the broker. */
  fetchOrder(session: BrokerSession, order: RecordedOrder): Promise<BrokerOrderState>;
}
