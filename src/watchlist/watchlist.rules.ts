import type { FieldError } from '../../domain/field-error';
import { DEFAULT_EXCHANGE, type Exchange, normalizeSymbol, WATCHLIST_MAX_ITEMS } from '../../domain/market';
import type { WatchlistEntry } from '../../domain/watchlist';

/** A symbol to add, as the routes and the localStorage import hand it over. */
export interface WatchlistItemInput {
  symbol: string;
  exchange?: Exchange | null;
  notes?: string | null;
}

export function toEntry(input: WatchlistItemInput): WatchlistEntry {
  return {
    symbol: normalizeSymbol(input.symbol),
    exchange: input.exchange ?? DEFAULT_EXCHANGE,
    notes: input.notes ?? null,
  };
}

/** Drops repeated symbols; the first occurrence wins. */
export function firstOfEachSymbol(entries: WatchlistEntry[]): WatchlistEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(entry.symbol) && seen.add(entry.symbol));
}

/** The rules of a full list: at most 500 items, each symbol once. */
export function checkListRules(entries: WatchlistEntry[]): FieldError[] {
  const errors: FieldError[] = [];
  if (entries.length > WATCHLIST_MAX_ITEMS) {
    errors.push({
      field: 'items',
      message: `a watchlist holds at most ${WATCHLIST_MAX_ITEMS} items (got ${entries.length})`,
    });
  }
  const firstIndex = new Map<string, number>();
  entries.forEach(({ symbol }, index) => {
    const first = firstIndex.get(symbol);
    if (first === undefined) firstIndex.set(symbol, index);
    else errors.push({ field: `items.${index}.symbol`, message: `${symbol} is already listed at items.${first}` });
  });
  return errors;
}

const sameEntry = (a: WatchlistEntry, b: WatchlistEntry) =>
  a.symbol === b.symbol && a.exchange === b.exchange && a.notes === b.notes;

/** True when `next` is exactly the saved list: same symbols, order, exchanges and notes. */
export function isSameList(saved: WatchlistEntry[], next: WatchlistEntry[]): boolean {
  return saved.length === next.length && saved.every((entry, i) => sameEntry(entry, next[i]));
}

/** What the audit trail keeps of one item. */
export const auditedItem = ({ symbol, exchange, notes, position }: WatchlistEntry & { position: number }) => ({
  symbol,
  exchange,
  notes,
  position,
});

interface ListSnapshot {
  /** The whole list, in order. */
  symbols: string[];
  /** Exchange and notes of the items this change added, removed or edited only. */
  items: Record<string, { exchange: Exchange; notes: string | null }>;
}

/**
 * The before/after of a bulk replace, kept small: the full order as `symbols`, and details only
 * of the items that changed. The event's changed fields then read `symbols` (membership or
 * order) and `items.<SYMBOL>` for each symbol added, removed or edited.
 */
export function listChange(
  before: WatchlistEntry[],
  after: WatchlistEntry[],
): { before: ListSnapshot; after: ListSnapshot } {
  const saved = new Map(before.map((entry) => [entry.symbol, entry]));
  const next = new Map(after.map((entry) => [entry.symbol, entry]));
  const touched = (entry: WatchlistEntry, other: Map<string, WatchlistEntry>) => {
    const counterpart = other.get(entry.symbol);
    return !counterpart || !sameEntry(entry, counterpart);
  };
  const snapshot = (list: WatchlistEntry[], other: Map<string, WatchlistEntry>): ListSnapshot => ({
    symbols: list.map((entry) => entry.symbol),
    items: Object.fromEntries(
      list.filter((entry) => touched(entry, other)).map(({ symbol, exchange, notes }) => [symbol, { exchange, notes }]),
    ),
  });
  return { before: snapshot(before, next), after: snapshot(after, saved) };
}
