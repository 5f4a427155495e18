import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { jsonBuildObject } from 'kysely/helpers/postgres';
import type { Holding } from '../../../domain/trading';
import { Database } from '../../database/database';
import { GenerateSql } from '../../database/generate-sql';
import { keysetPage } from '../../database/keyset';

/** A snapshot as the API shows it (numeric columns arrive as strings). */
const SNAPSHOT_COLUMNS = [
  'id',
  'connection_id as connectionId',
  'taken_at as takenAt',
  'cash',
  'holdings',
  'holdings_value as holdingsValue',
  'total_value as totalValue',
  'created_at as createdAt',
] as const;

export type PortfolioSnapshotRow = NonNullable<Awaited<ReturnType<PortfolioSnapshotsRepository['find']>>>;

/** A holding as sent: the server computes its value. */
export type HoldingInput = Omit<Holding, 'value'>;

export interface NewSnapshot {
  connectionId: string | null;
  /** ISO 8601 as sent; null for now. */
  takenAt: string | null;
  cash: string;
  holdings: HoldingInput[];
}

const SAMPLE: NewSnapshot = {
  connectionId: null,
  takenAt: null,
  cash: '125000.50',
  holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: '25', averagePrice: '1450.25', lastPrice: '1502.8' }],
};

/** `portfolio_snapshots`: append-only, the only writer of the table. */
@Injectable()
export class PortfolioSnapshotsRepository {
  constructor(private readonly database: Database) {}

  /**
   * Inserts a snapshot with its totals computed by PostgreSQL numeric arithmetic, exactly, in
   * one statement: each holding's value is quantity × lastPrice rounded to 4 decimals,
   * `holdings_value` their sum, `total_value` cash plus that sum. The decimals in `holdings`
   * are stored as numeric text with 4 decimals, in the order sent.
   */
  @GenerateSql({ params: [GenerateSql.UUID, SAMPLE] })
  insert(userId: string, snapshot: NewSnapshot) {
    const holdings = sql<{
      h: HoldingInput;
      ord: number;
    }>`jsonb_array_elements(${JSON.stringify(snapshot.holdings)}::jsonb)
      WITH ORDINALITY`.as<'e'>(sql`e(h, ord)`);
    return this.database.db
      .with('valued', (qb) =>
        qb.selectFrom(holdings).select((eb) => {
          const field = (key: keyof HoldingInput) => eb.ref('e.h', '->>').key(key);
          const decimal = (key: keyof HoldingInput) => eb.cast<string>(field(key), 'numeric(16, 4)');
          return [
            'e.ord',
            field('symbol').as('symbol'),
            field('exchange').as('exchange'),
            decimal('quantity').as('quantity'),
            decimal('averagePrice').as('average_price'),
            decimal('lastPrice').as('last_price'),
            eb
              .fn<string>('round', [
                eb(eb.cast(field('quantity'), 'numeric'), '*', eb.cast(field('lastPrice'), 'numeric')),
                sql.lit(4),
              ])
              .as('value'),
          ];
        }),
      )
      .insertInto('portfolio_snapshots')
      .columns(['user_id', 'connection_id', 'taken_at', 'cash', 'holdings', 'holdings_value', 'total_value'])
      .expression((eb) =>
        eb.selectFrom('valued').select((eb) => {
          const cash = eb.cast<string>(eb.val(snapshot.cash), 'numeric');
          const holdingsValue = eb.fn.coalesce(eb.fn.sum<string>('value'), sql.lit(0));
          const stored = jsonBuildObject({
            symbol: eb.ref('symbol'),
            exchange: eb.ref('exchange'),
            quantity: eb.cast<string>('quantity', 'text'),
            averagePrice: eb.cast<string>('average_price', 'text'),
            lastPrice: eb.cast<string>('last_price', 'text'),
            value: eb.cast<string>('value', 'text'),
          });
          return [
            eb.val(userId).as('user_id'),
            eb.val(snapshot.connectionId).as('connection_id'),
            eb.fn.coalesce(eb.cast<Date>(eb.val(snapshot.takenAt), 'timestamptz'), sql<Date>`now()`).as('taken_at'),
            cash.as('cash'),
            eb.fn.coalesce(eb.fn.agg('jsonb_agg', [stored]).orderBy('ord'), sql`'[]'::jsonb`).as('holdings'),
            holdingsValue.as('holdings_value'),
            eb(cash, '+', holdingsValue).as('total_value'),
          ];
        }),
      )
      .returning(SNAPSHOT_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  /** The caller's snapshots, newest `takenAt` first, optionally within [from, to), a page at a time. */
  @GenerateSql(
    { params: [GenerateSql.UUID, { limit: 50 }] },
    {
      name: 'within a range, with cursor',
      params: [
        GenerateSql.UUID,
        { from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', limit: 50, cursor: GenerateSql.CURSOR },
      ],
    },
  )
  list(userId: string, filter: { from?: string; to?: string; limit: number; cursor?: string }) {
    let query = this.database.db
      .selectFrom('portfolio_snapshots as s')
      .select(SNAPSHOT_COLUMNS)
      .where('s.user_id', '=', userId);
    // The bounds go to PostgreSQL as sent (ISO 8601), as every timestamp input does.
    if (filter.from)
      query = query.where((eb) => eb('s.taken_at', '>=', eb.cast<Date>(eb.val(filter.from), 'timestamptz')));
    if (filter.to) query = query.where((eb) => eb('s.taken_at', '<', eb.cast<Date>(eb.val(filter.to), 'timestamptz')));
    return keysetPage(query, { table: 'portfolio_snapshots', alias: 's', time: 'taken_at', key: 'takenAt' }, filter);
  }

  /** The caller's snapshot with the newest `takenAt`. */
  @GenerateSql({ params: [GenerateSql.UUID] })
  latest(userId: string) {
    return this.database.db
      .selectFrom('portfolio_snapshots')
      .select(SNAPSHOT_COLUMNS)
      .where('user_id', '=', userId)
      .orderBy('taken_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  @GenerateSql({ params: [GenerateSql.UUID, GenerateSql.UUID] })
  find(userId: string, id: string) {
    return this.database.db
      .selectFrom('portfolio_snapshots')
      .select(SNAPSHOT_COLUMNS)
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  /** Deletes the user's portfolio snapshots (the account's erasure). */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async deleteAllOf(userId: string): Promise<void> {
    await this.database.db.deleteFrom('portfolio_snapshots').where('user_id', '=', userId).execute();
  }
}
