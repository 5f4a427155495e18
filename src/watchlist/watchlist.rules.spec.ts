import type { WatchlistEntry } from '../../domain/watchlist';
import { checkListRules, firstOfEachSymbol, isSameList, listChange, toEntry } from './watchlist.rules';

const entry = (symbol: string, notes: string | null = null, exchange: WatchlistEntry['exchange'] = 'NSE') => ({
  symbol,
  exchange,
  notes,
});

describe('watchlist rules', () => {
  it('normalises an input item and fills its defaults', () => {
    expect(toEntry({ symbol: ' m&m ' })).toEqual(entry('M&M'));
    expect(toEntry({ symbol: 'aapl', exchange: 'NASDAQ', notes: 'x' })).toEqual(entry('AAPL', 'x', 'NASDAQ'));
    expect(toEntry({ symbol: 'tcs', exchange: null, notes: null })).toEqual(entry('TCS'));
  });

  it('keeps the first of repeated symbols', () => {
    expect(firstOfEachSymbol([entry('A', '1'), entry('B'), entry('A', '2')])).toEqual([entry('A', '1'), entry('B')]);
  });

  it('accepts 500 distinct items and reports a 501st and every repeat', () => {
    const list = Array.from({ length: 500 }, (_, i) => entry(`S${i}`));
    expect(checkListRules(list)).toEqual([]);
    expect(checkListRules([...list, entry('S0')]).map((e) => e.field)).toEqual(['items', 'items.500.symbol']);
  });

  it.each([
    ['the same list', [entry('A'), entry('B', 'n')], true],
    ['another order', [entry('B', 'n'), entry('A')], false],
    ['other notes', [entry('A'), entry('B', 'm')], false],
    ['another exchange', [entry('A', null, 'BSE'), entry('B', 'n')], false],
    ['one item less', [entry('A')], false],
  ])('compares %s', (_name, next, same) => {
    expect(isSameList([entry('A'), entry('B', 'n')], next)).toBe(same);
  });

  it('keeps details in the audit snapshots only for items added, removed or edited', () => {
    const change = listChange([entry('A'), entry('B', 'old'), entry('C')], [entry('C'), entry('B', 'new'), entry('D')]);
    expect(change).toEqual({
      before: {
        symbols: ['A', 'B', 'C'],
        items: { A: { exchange: 'NSE', notes: null }, B: { exchange: 'NSE', notes: 'old' } },
      },
      after: {
        symbols: ['C', 'B', 'D'],
        items: { B: { exchange: 'NSE', notes: 'new' }, D: { exchange: 'NSE', notes: null } },
      },
    });
  });
});
