import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../database/database';
import { GenerateSql } from '../database/generate-sql';
import type { WatchlistEntry } from '../../domain/watchlist';

/** An item as the routes answer it: the columns, and their names in a CTE that selected them. */
const ITEM = ['symbol', 'exchange', 'notes', 'added_at as addedAt', 'position'] as const;
const ITEM_FIELDS = ['symbol', 'exchange', 'notes', 'addedAt', 'position'] as const;

/** `entries` as the table `t(symbol, exchange, notes, ord)`, `ord` counting from 1 in their order. */
function entriesTable(entries: WatchlistEntry[]) {
  const columns = [entries.map((e) => e.symbol), entries.map((e) => e.exchange), entries.map((e) => e.notes)];
  const arrays = sql.join(columns.map((values) => sql`${values}::varchar[]`));
  return sql<WatchlistEntry & { ord: number }>`unnest(${arrays}) WITH ORDINALITY`.as<'t'>(
    sql`t(symbol, exchange, notes, ord)`,
  );
}

type MergeOutcome = 'added' | 'present' | 'overflow';

export type WatchlistItem = Awaited<ReturnType<WatchlistRepository['list']>>[number];

/** What a merge did with each distinct input symbol, each list in input order. */
export interface WatchlistMerge {
  /** New symbols, appended at the end in input order. */
  added: WatchlistItem[];
  /** Symbols already saved: left exactly as they were. */
  present: WatchlistItem[];
  /** New symbols that did not fit under the limit: not stored. */
  overflow: WatchlistEntry[];
}

const SAMPLE_ENTRIES: WatchlistEntry[] = [
  { symbol: 'TCS', exchange: 'NSE', notes: null },
  { symbol: 'M&M', exchange: 'BSE', notes: 'Breakout above 3,000?' },
];

/** `user_watchlists`: one row per watched symbol, `position` dense 0..n-1 per user. */
@Injectable()
export class WatchlistRepository {
  constructor(private readonly database: Database) {}

  /** One indexed range scan, in position order. */
  @GenerateSql({ params: [GenerateSql.UUID] })
  list(userId: string) {
    return this.database.db
      .selectFrom('user_watchlists')
      .select(ITEM)
      .where('user_id', '=', userId)
      .orderBy('position')
      .execute();
  }

  /**
   * Appends the entries' new symbols after the saved ones, as ONE statement: symbols already
   * saved are answered as they are ('present'), new ones get positions count, count+1, … in
   * input order and are inserted while they fit under `limit` ('added'); the rest are answered,
   * not stored ('overflow'). The caller holds the list lock: the count must be current, and a
   * concurrent add of the same symbol must see the winner's row (with ON CONFLICT alone, the
   * loser's snapshot would predate the winner's commit and find the row neither present nor
   * insertable). ON CONFLICT stays as the guard that a repeat can never be an error.
   * `entries` hold each symbol once.
   */
  @GenerateSql({ params: [GenerateSql.UUID, SAMPLE_ENTRIES, 500] })
  async merge(userId: string, entries: WatchlistEntry[], limit: number): Promise<WatchlistMerge> {
    const rows = await this.database.db
      .with('input', (qb) => qb.selectFrom(entriesTable(entries)).selectAll())
      .with('present', (qb) =>
        qb
          .selectFrom('user_watchlists')
          .select(ITEM)
          .where('user_id', '=', userId)
          .where('symbol', 'in', (eb) => eb.selectFrom('input').select('symbol')),
      )
      .with('saved', (qb) =>
        qb
          .selectFrom('user_watchlists')
          .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('count'))
          .where('user_id', '=', userId),
      )
      .with('fresh', (qb) =>
        qb
          .selectFrom(['input as i', 'saved as s'])
          .where((eb) =>
            eb.not(eb.exists(eb.selectFrom('present as p').select('p.symbol').whereRef('p.symbol', '=', 'i.symbol'))),
          )
          .select(['i.symbol', 'i.exchange', 'i.notes'])
          .select((eb) =>
            eb
              .cast<number>(sql`${eb.ref('s.count')} + row_number() OVER (ORDER BY ${eb.ref('i.ord')}) - 1`, 'integer')
              .as('position'),
          ),
      )
      .with('added', (qb) =>
        qb
          .insertInto('user_watchlists')
          .columns(['user_id', 'symbol', 'exchange', 'notes', 'position'])
          .expression((eb) =>
            eb
              .selectFrom('fresh')
              .select([eb.val(userId).as('user_id'), 'symbol', 'exchange', 'notes', 'position'])
              .where('position', '<', limit),
          )
          .onConflict((oc) => oc.columns(['user_id', 'symbol']).doNothing())
          .returning(ITEM),
      )
      // Kysely types a union by its first branch: the overflow's, whose NULL time and place
      // the others' values fit.
      .selectFrom('fresh')
      .select([
        sql.lit<MergeOutcome>('overflow').as('outcome'),
        'symbol',
        'exchange',
        'notes',
        sql.lit<Date | null>(null).as('addedAt'),
        sql.lit<number | null>(null).as('position'),
      ])
      .where('position', '>=', limit)
      .unionAll((eb) => eb.selectFrom('added').select([sql.lit<MergeOutcome>('added').as('outcome'), ...ITEM_FIELDS]))
      .unionAll((eb) =>
        eb.selectFrom('present').select([sql.lit<MergeOutcome>('present').as('outcome'), ...ITEM_FIELDS]),
      )
      .execute();

    const order = new Map(entries.map((entry, i) => [entry.symbol, i]));
    rows.sort((a, b) => order.get(a.symbol)! - order.get(b.symbol)!);
    const merge: WatchlistMerge = { added: [], present: [], overflow: [] };
    for (const { outcome, addedAt, position, ...entry } of rows) {
      // Only overflow rows lack a time and place: the others are rows of the table.
      if (outcome === 'overflow') merge.overflow.push(entry);
      else if (addedAt !== null && position !== null) merge[outcome].push({ ...entry, addedAt, position });
    }
    return merge;
  }

  /** Removes one symbol and closes the gap it leaves, in one statement; undefined when it is not listed. */
  @GenerateSql({ params: [GenerateSql.UUID, 'TCS'] })
  remove(userId: string, symbol: string) {
    return this.database.db
      .with('removed', (qb) =>
        qb.deleteFrom('user_watchlists').where('user_id', '=', userId).where('symbol', '=', symbol).returning(ITEM),
      )
      .with('compacted', (qb) =>
        qb
          .updateTable('user_watchlists as w')
          .from('removed as r')
          .set((eb) => ({ position: eb('w.position', '-', sql.lit(1)) }))
          .where('w.user_id', '=', userId)
          .whereRef('w.position', '>', 'r.position'),
      )
      .selectFrom('removed')
      .selectAll()
      .executeTakeFirst();
  }

  /**
   * A bulk replace in one statement: symbols no longer listed are deleted; listed ones are
   * inserted or, when already saved, updated in place (so `added_at` stays) with their new
   * exchange, notes and position. Positions may cross mid-statement: their unique constraint is
   * checked at commit. Answers the new list in position order.
   */
  @GenerateSql({ params: [GenerateSql.UUID, SAMPLE_ENTRIES] })
  async replace(userId: string, entries: WatchlistEntry[]) {
    const rows = await this.database.db
      .with('input', (qb) =>
        qb
          .selectFrom(entriesTable(entries))
          .select(['t.symbol', 't.exchange', 't.notes'])
          .select((eb) => eb.cast<number>(eb('t.ord', '-', sql.lit(1)), 'integer').as('position')),
      )
      .with('removed', (qb) =>
        qb
          .deleteFrom('user_watchlists')
          .where('user_id', '=', userId)
          .where('symbol', 'not in', (eb) => eb.selectFrom('input').select('symbol')),
      )
      .insertInto('user_watchlists')
      .columns(['user_id', 'symbol', 'exchange', 'notes', 'position'])
      .expression((eb) =>
        eb.selectFrom('input').select([eb.val(userId).as('user_id'), 'symbol', 'exchange', 'notes', 'position']),
      )
      .onConflict((oc) =>
        oc.columns(['user_id', 'symbol']).doUpdateSet((eb) => ({
          exchange: eb.ref('excluded.exchange'),
          notes: eb.ref('excluded.notes'),
          position: eb.ref('excluded.position'),
        })),
      )
      .returning(ITEM)
      .execute();
    return rows.sort((a, b) => a.position - b.position);
  }
}
