import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type IntentStatus, LIVE_INTENT_STATUSES } from '../../../domain/trading';
import { Database } from '../../database/database';
import { GenerateSql } from '../../database/generate-sql';
import { keysetPage } from '../../database/keyset';

/** An intent as the API shows it (numeric columns arrive as strings). */
const INTENT_COLUMNS = [
  'id',
  'symbol',
  'exchange',
  'side',
  'quantity',
  'order_type as orderType',
  'limit_price as limitPrice',
  'trigger_price as triggerPrice',
  'product',
  'mode',
  'status',
  'status_reason as statusReason',
  'connection_id as connectionId',
  'created_at as createdAt',
  'updated_at as updatedAt',
  'submitted_at as submittedAt',
] as const;

const NOW = sql<Date>`now()`;

export type TradeIntentRow = NonNullable<Awaited<ReturnType<TradeIntentsRepository['find']>>>;

/** A draft as it is inserted: its terms, the quantity as a number. */
export type NewIntentRow = Pick<
  TradeIntentRow,
  'symbol' | 'exchange' | 'side' | 'orderType' | 'limitPrice' | 'triggerPrice' | 'product' | 'mode'
> & { quantity: number };

/**
 * A move of an intent's status: to `to`, only from one of `from`. `reason` replaces the status
 * reason (absent or null: the reason stays); `submittedThrough` records the connection and
 * the submit time.
 */
export interface IntentMove {
  to: IntentStatus;
  from: readonly IntentStatus[];
  reason?: string | null;
  submittedThrough?: string;
}

const DRAFT: NewIntentRow = {
  symbol: 'RELIANCE',
  exchange: 'NSE',
  side: 'BUY',
  quantity: 10,
  orderType: 'LIMIT',
  limitPrice: '2500.5',
  triggerPrice: null,
  product: 'CNC',
  mode: 'Swing',
};

/** `trade_intents`: the only writer of the table, so of an intent's status. */
@Injectable()
export class TradeIntentsRepository {
  constructor(private readonly database: Database) {}

  @GenerateSql({ params: [GenerateSql.UUID, DRAFT] })
  create(userId: string, draft: NewIntentRow) {
    return this.database.db
      .insertInto('trade_intents')
      .values({
        user_id: userId,
        symbol: draft.symbol,
        exchange: draft.exchange,
        side: draft.side,
        quantity: draft.quantity,
        order_type: draft.orderType,
        limit_price: draft.limitPrice,
        trigger_price: draft.triggerPrice,
        product: draft.product,
        mode: draft.mode,
      })
      .returning(INTENT_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  /** The caller's intents newest first, optionally of one status, a page at a time. */
  @GenerateSql(
    { params: [GenerateSql.UUID, { limit: 50 }] },
    {
      name: 'by status, with cursor',
      params: [GenerateSql.UUID, { status: 'open', limit: 50, cursor: GenerateSql.CURSOR }],
    },
  )
  list(userId: string, filter: { status?: IntentStatus; limit: number; cursor?: string }) {
    let query = this.database.db
      .selectFrom('trade_intents as i')
      .select(INTENT_COLUMNS)
      .where('i.user_id', '=', userId);
    if (filter.status) query = query.where('i.status', '=', filter.status);
    return keysetPage(query, { table: 'trade_intents', alias: 'i', time: 'created_at', key: 'createdAt' }, filter);
  }

  /** The caller's intent; `lock` keeps others from moving it until the transaction ends. */
  @GenerateSql(
    { params: [GenerateSql.UUID, GenerateSql.UUID] },
    { name: 'locked', params: [GenerateSql.UUID, GenerateSql.UUID, true] },
  )
  find(userId: string, id: string, lock = false) {
    let query = this.database.db
      .selectFrom('trade_intents')
      .select(INTENT_COLUMNS)
      .where('id', '=', id)
      .where('user_id', '=', userId);
    if (lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** Whether an intent of the caller placed through the connection is live (`LIVE_INTENT_STATUSES`). */
  @GenerateSql({ params: [GenerateSql.UUID, GenerateSql.UUID] })
  async hasLiveOn(userId: string, connectionId: string): Promise<boolean> {
    const live = await this.database.db
      .selectFrom('trade_intents')
      .select('id')
      .where('user_id', '=', userId)
      .where('connection_id', '=', connectionId)
      .where('status', 'in', LIVE_INTENT_STATUSES)
      .limit(1)
      .executeTakeFirst();
    return live !== undefined;
  }

  /**
   * Moves an intent in ONE statement: lock the row, check that its status is one of
   * `move.from`, update it. Answers the intent before (none: the caller has no such intent)
   * and after (none: its status did not allow the move). Concurrent moves of one intent run one
   * after the other, and each sees the status the one before left: never a lost update.
   */
  @GenerateSql(
    { name: 'cancel', params: [GenerateSql.UUID, GenerateSql.UUID, { to: 'cancelled', from: ['draft', 'open'] }] },
    {
      name: 'submit',
      params: [
        GenerateSql.UUID,
        GenerateSql.UUID,
        { to: 'submitted', from: ['draft'], submittedThrough: GenerateSql.UUID },
      ],
    },
    {
      name: 'with a reason',
      params: [GenerateSql.UUID, GenerateSql.UUID, { to: 'rejected', from: ['open'], reason: 'no' }],
    },
  )
  async move(
    userId: string,
    id: string,
    move: IntentMove,
  ): Promise<{ before?: TradeIntentRow; after?: TradeIntentRow }> {
    const rows = await this.database.db
      .with('old', (qb) =>
        qb.selectFrom('trade_intents').selectAll().where('id', '=', id).where('user_id', '=', userId).forUpdate(),
      )
      .with('moved', (qb) =>
        qb
          .updateTable('trade_intents as t')
          .from('old')
          .set({
            status: move.to,
            updated_at: NOW,
            ...(move.reason ? { status_reason: move.reason } : {}),
            ...(move.submittedThrough ? { connection_id: move.submittedThrough, submitted_at: NOW } : {}),
          })
          .whereRef('t.id', '=', 'old.id')
          .where('old.status', 'in', move.from)
          .returningAll('t'),
      )
      .selectFrom('old')
      .select(sql.lit<'before' | 'after'>('before').as('version'))
      .select(INTENT_COLUMNS)
      .unionAll((eb) =>
        eb.selectFrom('moved').select(sql.lit<'before' | 'after'>('after').as('version')).select(INTENT_COLUMNS),
      )
      .execute();
    return {
      before: rows.find((row) => row.version === 'before'),
      after: rows.find((row) => row.version === 'after'),
    };
  }

  /** Deletes the user's trade intents (their orders first: `OrdersRepository.deleteAllOf`) (the account's erasure). */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async deleteAllOf(userId: string): Promise<void> {
    await this.database.db.deleteFrom('trade_intents').where('user_id', '=', userId).execute();
  }
}
