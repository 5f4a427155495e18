import { Injectable } from '@nestjs/common';
import { WATCHLIST_MAX_ITEMS } from '../../domain/market';
import { AuditService } from '../audit/audit.service';
import { notFound, ruleViolation } from '../common/problem';
import { Database, type InTransaction } from '../database/database';
import { lockUserList } from '../database/list-locks';
import {
  toWatchlistResponse,
  type WatchlistItemResponseDto,
  type WatchlistResponseDto,
} from './dto/watchlist-response.dto';
import { type WatchlistMerge, WatchlistRepository } from './watchlist.repository';
import {
  auditedItem,
  checkListRules,
  firstOfEachSymbol,
  isSameList,
  listChange,
  toEntry,
  type WatchlistItemInput,
} from './watchlist.rules';

/**
 * The caller's watchlist. Every write locks the user's list first (`lockUserList`): positions
 * are dense and the limit is counted, so two writers must not both decide from the same count.
 * Reads take no lock: each is one statement, consistent on its own.
 */
@Injectable()
export class WatchlistService {
  constructor(
    private readonly repository: WatchlistRepository,
    private readonly database: Database,
    private readonly audit: AuditService,
  ) {}

  async list(userId: string): Promise<WatchlistResponseDto> {
    return toWatchlistResponse(await this.repository.list(userId));
  }

  /**
   * `POST /watchlist`: adds a symbol at the end (`created`), or answers the saved item unchanged
   * when the symbol is already listed (its exchange and notes are not touched); 422 when full.
   */
  add(userId: string, input: WatchlistItemInput): Promise<{ item: WatchlistItemResponseDto; created: boolean }> {
    return this.database.transaction(async (tx) => {
      const { added, present } = await this.mergeSymbols(userId, [input]);
      if (added[0]) {
        await this.audit.record(tx, { action: 'add', before: null, after: auditedItem(added[0]) });
        return { item: added[0], created: true };
      }
      if (present[0]) return { item: present[0], created: false };
      throw ruleViolation(`The watchlist already holds ${WATCHLIST_MAX_ITEMS} symbols; remove one first.`, [
        { field: 'symbol', message: `a watchlist holds at most ${WATCHLIST_MAX_ITEMS} items` },
      ]);
    });
  }

  /** `DELETE /watchlist/{symbol}`: removes it and shifts the items after it up; 404 if not listed. */
  remove(userId: string, symbol: string): Promise<void> {
    return this.database.transaction(async (tx) => {
      await lockUserList(this.database, tx, 'watchlist', userId);
      const removed = await this.repository.remove(userId, symbol);
      if (!removed) throw notFound(`${symbol} is not in your watchlist.`);
      await this.audit.record(tx, { action: 'remove', before: auditedItem(removed), after: null });
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
    return this.database.transaction(async (tx) => {
      await lockUserList(this.database, tx, 'watchlist', userId);
      const saved = await this.repository.list(userId);
      if (isSameList(saved, next)) return toWatchlistResponse(saved);
      const replaced = await this.repository.replace(userId, next);
      await this.audit.record(tx, { action: 'replace', ...listChange(saved, replaced) });
      return toWatchlistResponse(replaced);
    });
  }

  /**
   * Adds symbols the list does not hold yet, after the saved ones, up to the limit: a union that
   * keeps the saved order and never changes a saved item. Repeated input symbols count once
   * (the first wins). Records no audit event: the caller does (`add`, or the localStorage
   * import with its own single event). Joins the caller's transaction, or opens one.
   */
  mergeSymbols(userId: string, items: WatchlistItemInput[]): Promise<WatchlistMerge> {
    const entries = firstOfEachSymbol(items.map(toEntry));
    return this.database.transaction(async (tx) => {
      await lockUserList(this.database, tx, 'watchlist', userId);
      return this.repository.merge(userId, entries, WATCHLIST_MAX_ITEMS);
    });
  }

  /** Deletes the user's watchlist: part of the account's erasure, which records it. */
  async eraseUser(_tx: InTransaction, userId: string): Promise<void> {
    await this.repository.deleteAllOf(userId);
  }
}
