import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { LIVE_ORDER_STATUSES, type OrderStatus } from '../../../domain/trading';
import { Database } from '../../database/database';
import { GenerateSql } from '../../database/generate-sql';
import { keysetPage } from '../../database/keyset';
import type { BrokerOrderState } from '../brokers/broker-adapter';

/** An order as the API shows it (numeric columns arrive as strings); never the broker's raw payload. */
const ORDER_COLUMNS = [
  'id',
  'intent_id as intentId',
  'connection_id as connectionId',
  'broker_order_id as brokerOrderId',
  'status',
  'quantity',
  'filled_quantity as filledQuantity',
  'average_price as averagePrice',
  'placed_at as placedAt',
  'updated_at as updatedAt',
] as const;

const NOW = sql<Date>`now()`;

/** The columns a broker's answer sets; its raw payload is stored as JSON text. */
const stateColumns = (state: BrokerOrderState) => ({
  status: state.status,
  filled_quantity: state.filledQuantity,
  average_price: state.averagePrice,
  raw_payload: JSON.stringify(state.raw),
});

export type OrderRow = NonNullable<Awaited<ReturnType<OrdersRepository['find']>>>;

const PLACED: BrokerOrderState = {
  brokerOrderId: 'PAPER-1',
  status: 'open',
  filledQuantity: 0,
  averagePrice: null,
  reason: null,
  raw: { broker: 'paper', event: 'place' },
};

/** `broker_orders`: the only writer of the table. */
@Injectable()
export class OrdersRepository {
  constructor(private readonly database: Database) {}

  /** The caller's orders newest first, by intent and/or status, a page at a time. */
  @GenerateSql(
    { params: [GenerateSql.UUID, { limit: 50 }] },
    {
      name: 'by intent and status, with cursor',
      params: [GenerateSql.UUID, { intentId: GenerateSql.UUID, status: 'open', limit: 50, cursor: GenerateSql.CURSOR }],
    },
  )
  list(userId: string, filter: { intentId?: string; status?: OrderStatus; limit: number; cursor?: string }) {
    let query = this.database.db.selectFrom('broker_orders as o').select(ORDER_COLUMNS).where('o.user_id', '=', userId);
    if (filter.intentId) query = query.where('o.intent_id', '=', filter.intentId);
    if (filter.status) query = query.where('o.status', '=', filter.status);
    return keysetPage(query, { table: 'broker_orders', alias: 'o', time: 'placed_at', key: 'placedAt' }, filter);
  }

  @GenerateSql({ params: [GenerateSql.UUID, GenerateSql.UUID] })
  find(userId: string, id: string) {
    return this.database.db
      .selectFrom('broker_orders')
      .select(ORDER_COLUMNS)
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  /** The order, locked until the transaction ends (lock its intent first). */
  @GenerateSql({ params: [GenerateSql.UUID] })
  lock(id: string) {
    return this.database.db
      .selectFrom('broker_orders')
      .select(ORDER_COLUMNS)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow();
  }

  /** The caller's live order of an intent, locked until the transaction ends (lock the intent first). */
  @GenerateSql({ params: [GenerateSql.UUID, GenerateSql.UUID] })
  lockLiveOfIntent(userId: string, intentId: string) {
    return this.database.db
      .selectFrom('broker_orders')
      .select(ORDER_COLUMNS)
      .where('intent_id', '=', intentId)
      .where('user_id', '=', userId)
      .where('status', 'in', LIVE_ORDER_STATUSES)
      .forUpdate()
      .executeTakeFirst();
  }

  /** Records the order a broker placed for an intent, through a connection. */
  @GenerateSql({ params: [GenerateSql.UUID, { id: GenerateSql.UUID, quantity: 10 }, GenerateSql.UUID, PLACED] })
  async insert(
    userId: string,
    intent: { id: string; quantity: number },
    connectionId: string,
    state: BrokerOrderState,
  ): Promise<void> {
    await this.database.db
      .insertInto('broker_orders')
      .values({
        user_id: userId,
        intent_id: intent.id,
        connection_id: connectionId,
        broker_order_id: state.brokerOrderId,
        quantity: intent.quantity,
        ...stateColumns(state),
      })
      .execute();
  }

  /** Records the broker's new state of an order; the order as it is then. */
  @GenerateSql({ params: [GenerateSql.UUID, PLACED] })
  update(id: string, state: BrokerOrderState) {
    return this.database.db
      .updateTable('broker_orders')
      .set({ ...stateColumns(state), updated_at: NOW })
      .where('id', '=', id)
      .returning(ORDER_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  /** Deletes the user's orders (the account's erasure). */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async deleteAllOf(userId: string): Promise<void> {
    await this.database.db.deleteFrom('broker_orders').where('user_id', '=', userId).execute();
  }
}
