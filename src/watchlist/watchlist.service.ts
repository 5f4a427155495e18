import { Injectable } from '@nestjs/common';
import { WATCHLIST_MAX_ITEMS } from '../../domain/market';
import type { WatchlistEntry } from '../../domain/watchlist';
import { AuditService } from '../audit/audit.service';
import { notFound, ruleViolation } from '../common/problem';
import { lockUserList } from '../database/list-locks';
import { Transactions } from '../database/transactions';
import {
  toWatchlistItemResponse,
  toWatchlistResponse,
  type WatchlistItemResponseDto,
  type WatchlistResponseDto,
  type WatchlistRow,
} from './dto/watchlist-response.dto';
import {
  auditedItem,
  checkListRules,
  firstOfEachSymbol,
  isSameList,
  listChange,
  toEntry,
  type WatchlistItemInput,
} from './watchlist.rules';

const COLUMNS = 'symbol, exchange, notes, added_at, position';

/**
 * Appends the input's new symbols after the saved ones, as ONE statement: symbols already saved
 * are answered as they are ('present'), new ones get positions count, count+1, … in input order
 * and are inserted while they fit under the limit ('added'); the rest are answered, not stored
 * ('overflow'). It runs under the list lock: the count must be current, and a concurrent add of
 * the same symbol must see the winner's row (with ON CONFLICT alone, the loser's snapshot would
 * predate the winner's commit and find the row neither present nor insertable). ON CONFLICT
 * stays as the guard that a repeat can never be an error.
 */
const MERGE_SQL = `
WITH input AS (
  SELECT t.symbol, t.exchange, t.notes, t.ord
  FROM unnest($2::varchar[], $3::varchar[], $4::varchar[]) WITH ORDINALITY AS t(symbol, exchange, notes, ord)
), present AS (
  SELECT ${COLUMNS} FROM user_watchlists WHERE user_id = $1 AND symbol = ANY ($2::varchar[])
), fresh AS (
  SELECT i.symbol, i.exchange, i.notes,
    ((SELECT count(*) FROM user_watchlists WHERE user_id = $1) + row_number() OVER (ORDER BY i.ord) - 1)::int AS position
  FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM present p WHERE p.symbol = i.symbol)
), added AS (
  INSERT INTO user_watchlists (user_id, symbol, exchange, notes, position)
  SELECT $1, symbol, exchange, notes, position FROM fresh WHERE position < $5
  ON CONFLICT (user_id, symbol) DO NOTHING
  RETURNING ${COLUMNS}
)
SELECT 'added' AS outcome, ${COLUMNS} FROM added
UNION ALL SELECT 'present', ${COLUMNS} FROM present
UNION ALL SELECT 'overflow', symbol, exchange, notes, NULL, NULL FROM fresh WHERE position >= $5`;

/** Removes one symbol and closes the gap it leaves, in one statement. */
const REMOVE_SQL = `
WITH removed AS (
  DELETE FROM user_watchlists WHERE user_id = $1 AND symbol = $2 RETURNING ${COLUMNS}
), compacted AS (
  UPDATE user_watchlists w SET position = w.position - 1
  FROM removed r WHERE w.user_id = $1 AND w.position > r.position
)
SELECT ${COLUMNS} FROM removed`;

/**
 * A bulk replace in one statement: symbols no longer listed are deleted; listed ones are
 * inserted or, when already saved, updated in place (so `added_at` stays) with their new
 * exchange, notes and position. Positions may cross mid-statement: their unique constraint is
 * checked at commit.
 */
const REPLACE_SQL = `
WITH input AS (
  SELECT t.symbol, t.exchange, t.notes, (t.ord - 1)::int AS position
  FROM unnest($2::varchar[], $3::varchar[], $4::varchar[]) WITH ORDINALITY AS t(symbol, exchange, notes, ord)
), removed AS (
  DELETE FROM user_watchlists WHERE user_id = $1 AND symbol <> ALL ($2::varchar[])
)
INSERT INTO user_watchlists (user_id, symbol, exchange, notes, position)
SELECT $1, symbol, exchange, notes, position FROM input
ON CONFLICT (user_id, symbol) DO UPDATE
  SET exchange = EXCLUDED.exchange, notes = EXCLUDED.notes, position = EXCLUDED.position
RETURNING ${COLUMNS}`;

type MergeOutcome = 'added' | 'present' | 'overflow';

/** What `mergeSymbols` did with each distinct input symbol. */
export interface WatchlistMerge {
  /** New symbols, appended at the end in input order. */
  added: WatchlistItemResponseDto[];
  /** Symbols already saved: left exactly as they were. */
  present: WatchlistItemResponseDto[];
  /** New symbols that did not fit under the limit: not stored. */
  overflow: WatchlistEntry[];
}

const arraysOf = (entries: WatchlistEntry[]) => [
  entries.map((e) => e.symbol),
  entries.map((e) => e.exchange),
  entries.map((e) => e.notes),
];

/**
 * The caller's watchlist. Every write locks the user's list first (`lockUserList`): positions
 * are dense and the limit is counted, so two writers must not both decide from the same count.
 * Reads take no lock: each is one statement, consistent on its own.
 */
@Injectable()
export class WatchlistService {
  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  /** One indexed range scan, in position order. */
  async list(userId: string): Promise<WatchlistResponseDto> {
    return toWatchlistResponse(await this.rows(userId));
  }

  /**
   * `POST /watchlist`: adds a symbol at the end (`created`), or answers the saved item unchanged
   * when the symbol is already listed (its exchange and notes are not touched); 422 when full.
   */
  async add(userId: string, input: WatchlistItemInput): Promise<{ item: WatchlistItemResponseDto; created: boolean }> {
    const { added, present } = await this.mergeSymbols(userId, [input]);
    if (added[0]) {
      this.audit.record({ action: 'add', before: null, after: auditedItem(added[0]) });
      return { item: added[0], created: true };
    }
    if (present[0]) return { item: present[0], created: false };
    throw ruleViolation(`The watchlist already holds ${WATCHLIST_MAX_ITEMS} symbols; remove one first.`, [
      { field: 'symbol', message: `a watchlist holds at most ${WATCHLIST_MAX_ITEMS} items` },
    ]);
  }

  /** `DELETE /watchlist/{symbol}`: removes it and shifts the items after it up; 404 if not listed. */
  async remove(userId: string, symbol: string): Promise<void> {
    await this.transactions.run(async () => {
      await lockUserList(this.transactions, 'watchlist', userId);
      const [removed] = await this.transactions.rows<WatchlistRow>(REMOVE_SQL, [userId, symbol]);
      if (!removed) throw notFound(`${symbol} is not in your watchlist.`);
      this.audit.record({ action: 'remove', before: auditedItem(removed), after: null });
    });
  }

  /**
   * `PUT /watchlist`: the list becomes exactly `items`, in that order, in one transaction.
   * Symbols that stay keep `addedAt`; duplicates or more than 500 items are a 422 and nothing
   * changes. A replace by the identical list writes nothing (and no audit event).
   */
  async replace(userId: string, items: WatchlistItemInput[]): Promise<WatchlistResponseDto> {
    const next = items.map(toEntry);
    const violations = checkListRules(next);
    if (violations.length > 0) throw ruleViolation('The watchlist breaks a rule.', violations);
    return this.transactions.run(async () => {
      await lockUserList(this.transactions, 'watchlist', userId);
      const saved = await this.rows(userId);
      if (isSameList(saved, next)) return toWatchlistResponse(saved);
      const rows = await this.transactions.rows<WatchlistRow>(REPLACE_SQL, [userId, ...arraysOf(next)]);
      rows.sort((a, b) => a.position - b.position);
      this.audit.record({ action: 'replace', ...listChange(saved, rows) });
      return toWatchlistResponse(rows);
    });
  }

  /**
   * Adds symbols the list does not hold yet, after the saved ones, up to the limit: a union that
   * keeps the saved order and never changes a saved item. Repeated input symbols count once
   * (the first wins). Records no audit event: the caller does (`add`, or the localStorage
   * import with its own single event). Joins the caller's transaction, or opens one.
   */
  async mergeSymbols(userId: string, items: WatchlistItemInput[]): Promise<WatchlistMerge> {
    const entries = firstOfEachSymbol(items.map(toEntry));
    return this.transactions.run(async () => {
      await lockUserList(this.transactions, 'watchlist', userId);
      const rows = await this.transactions.rows<WatchlistRow & { outcome: MergeOutcome }>(MERGE_SQL, [
        userId,
        ...arraysOf(entries),
        WATCHLIST_MAX_ITEMS,
      ]);
      const order = new Map(entries.map((e, i) => [e.symbol, i]));
      rows.sort((a, b) => order.get(a.symbol)! - order.get(b.symbol)!);
      const outcome = (name: MergeOutcome) => rows.filter((row) => row.outcome === name);
      return {
        added: outcome('added').map(toWatchlistItemResponse),
        present: outcome('present').map(toWatchlistItemResponse),
        overflow: outcome('overflow').map(({ symbol, exchange, notes }) => ({ symbol, exchange, notes })),
      };
    });
  }

  private rows(userId: string): Promise<WatchlistRow[]> {
    return this.transactions.rows<WatchlistRow>(
      `SELECT ${COLUMNS} FROM user_watchlists WHERE user_id = $1 ORDER BY position`,
      [userId],
    );
  }
}
