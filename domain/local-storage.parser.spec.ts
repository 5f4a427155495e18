import { loadDump } from '../test/fixtures/local-storage/load';
import { modes } from '../test/support/preferences';
import type { PreferenceValues } from './preferences.rules';
import { PREFERENCE_KEYS, SESSION_CACHE_KEYS } from './local-storage.keys';
import { parseLocalStorage, type ParsedKey, type WatchlistEntry } from './local-storage.parser';

/** Parses a one-key dump, through the public entry point. */
const parseOne = (key: string, raw: string): ParsedKey => {
  const results = parseLocalStorage({ [key]: raw });
  expect(results).toHaveLength(1);
  return results[0];
};

const K = PREFERENCE_KEYS;
const fieldOf = (key: string) => Object.entries(PREFERENCE_KEYS).find(([, k]) => k === key)![0];
const nseEntry = (symbol: string): WatchlistEntry => ({ symbol, exchange: 'NSE' });
const nse = (...symbols: string[]): WatchlistEntry[] => symbols.map(nseEntry);

describe('parseLocalStorage: preference keys', () => {
  it.each<[string, string, PreferenceValues[keyof PreferenceValues]]>([
    // disclosure: booleans in every form a client version wrote
    [K.disclosureAccepted, 'true', true],
    [K.disclosureAccepted, 'false', false],
    [K.disclosureAccepted, '1', true],
    [K.disclosureAccepted, '0', false],
    [K.disclosureAccepted, 'yes', true],
    [K.disclosureAccepted, 'NO', false],
    [K.disclosureAccepted, 'True', true],
    [K.disclosureAccepted, '"true"', true],
    [K.disclosureAccepted, '"1"', true],
    [K.disclosureAccepted, ' true\n', true],
    // enumerations: plain or JSON-quoted, any case, spaces and separators ignored
    [K.universe, 'NIFTY500', 'NIFTY500'],
    [K.universe, '"NIFTY50"', 'NIFTY50'],
    [K.universe, 'nifty50', 'NIFTY50'],
    [K.universe, 'Nifty 50', 'NIFTY50'],
    [K.universe, 'nifty_bank', 'NIFTYBANK'],
    [K.universe, '"niftySmallcap250"', 'NIFTYSMALLCAP250'],
    [K.marketRegion, 'India', 'India'],
    [K.marketRegion, '"Global"', 'Global'],
    [K.marketRegion, 'GLOBAL', 'Global'],
    [K.riskProfile, 'Aggressive', 'Aggressive'],
    [K.riskProfile, '"Aggressive"', 'Aggressive'],
    [K.riskProfile, 'conservative', 'Conservative'],
    [K.riskProfile, '  Moderate ', 'Moderate'],
    [K.riskProfile, JSON.stringify(JSON.stringify('Aggressive')), 'Aggressive'],
    // modes: objects with booleans, strings or numbers; absent modes are off
    [
      K.tradingModes,
      '{"Intraday": true, "Swing": true, "Options": true, "Futures": false}',
      modes('Intraday', 'Swing', 'Options'),
    ],
    [K.tradingModes, '{"Intraday": "false", "Swing": "true", "Options": 0, "Futures": 1}', modes('Swing', 'Futures')],
    [K.tradingModes, '{"intraday": "TRUE", "SWING": "no", "options": "yes"}', modes('Intraday', 'Options')],
    [K.tradingModes, '{"Options": true}', modes('Options')],
    [K.tradingModes, '{}', modes()],
    [K.tradingModes, '["Swing", "options"]', modes('Swing', 'Options')],
    [K.tradingModes, '{"Swing": true, "swing": "1"}', modes('Swing')],
    [K.tradingModes, JSON.stringify(JSON.stringify({ Futures: true })), modes('Futures')],
    // primary mode
    [K.primaryMode, 'Intraday', 'Intraday'],
    [K.primaryMode, '"Futures"', 'Futures'],
    [K.primaryMode, 'swing', 'Swing'],
    [K.primaryMode, 'null', null],
    [K.primaryMode, '', null],
    // auxiliary modes: array, bare string, comma-separated text, empty
    [K.auxiliaryModes, '["Swing", "Options"]', ['Swing', 'Options']],
    [K.auxiliaryModes, 'Swing', ['Swing']],
    [K.auxiliaryModes, '"Options"', ['Options']],
    [K.auxiliaryModes, 'swing, Options', ['Swing', 'Options']],
    [K.auxiliaryModes, '["Swing", "swing", "SWING"]', ['Swing']],
    [K.auxiliaryModes, '[]', []],
    [K.auxiliaryModes, '', []],
    [K.auxiliaryModes, 'null', []],
  ])('%s = %j → %j', (key, raw, value) => {
    expect(parseOne(key, raw)).toEqual({ key, kind: 'preference', field: fieldOf(key), value });
  });

  it.each([
    [K.disclosureAccepted, 'maybe', 'expected true or false (also "1"/"0", "yes"/"no"), not string "maybe"'],
    [K.disclosureAccepted, '', 'not string ""'],
    [K.disclosureAccepted, '2', 'not number 2'],
    [K.disclosureAccepted, 'null', 'not null'],
    [K.disclosureAccepted, '{"accepted": true}', 'not an object'],
    [
      K.universe,
      'NIFTY9000',
      '"NIFTY9000" is not known: the universe must be one of NIFTY50, NIFTY100, NIFTY200, NIFTY500, NIFTYMIDCAP150, NIFTYSMALLCAP250, NIFTYBANK',
    ],
    [K.universe, '', 'empty value: the universe must be one of'],
    [K.universe, '50', 'not number 50'],
    [K.universe, '["NIFTY50"]', 'not an array'],
    [K.marketRegion, 'Mars', '"Mars" is not known: the market region must be one of India, Global'],
    [K.riskProfile, 'YOLO', '"YOLO" is not known: the risk profile must be one of Aggressive, Moderate, Conservative'],
    [K.riskProfile, '[object Object]', 'the browser stored "[object Object]"'],
    [K.riskProfile, 'undefined', '"undefined" is not known'],
    [K.tradingModes, '{"Intraday":true,"Swing":', 'not valid JSON (truncated or malformed)'],
    [
      K.tradingModes,
      '{"Scalping": true}',
      '"Scalping" is not known: a trading mode must be one of Intraday, Swing, Options, Futures',
    ],
    [K.tradingModes, '{"Swing": "maybe"}', 'Swing: expected true or false'],
    [K.tradingModes, '{"Swing": null}', 'Swing: expected true or false'],
    [K.tradingModes, '{"Swing": true, "swing": false}', 'Swing is given twice, on and off'],
    [K.tradingModes, 'Swing', 'expected an object such as {"Swing": true}, not string "Swing"'],
    [K.tradingModes, 'true', 'not boolean true'],
    [
      K.primaryMode,
      'Scalping',
      '"Scalping" is not known: a trading mode must be one of Intraday, Swing, Options, Futures',
    ],
    [K.primaryMode, '42', 'not number 42'],
    [K.primaryMode, '{"mode": "Swing"}', 'not an object'],
    [K.auxiliaryModes, '{"not": "an array"}', 'expected a list of trading modes, not an object'],
    [K.auxiliaryModes, '["Swing", "Scalping"]', '"Scalping" is not known'],
    [K.auxiliaryModes, '[1]', 'not number 1'],
    [K.auxiliaryModes, '5', 'expected a list of trading modes, not number 5'],
    [K.auxiliaryModes, '["Swing"', 'not valid JSON'],
  ])('%s = %j → invalid: %s', (key, raw, reason) => {
    const result = parseOne(key, raw);
    expect(result).toEqual({ key, kind: 'invalid', reason: expect.stringContaining(reason) });
  });
});

describe('parseLocalStorage: watchlist', () => {
  it.each<[string, string, WatchlistEntry[], Array<[index: number, reason: string]>]>([
    ['plain symbols', '["RELIANCE", "TCS", "M&M", "BAJAJ-AUTO"]', nse('RELIANCE', 'TCS', 'M&M', 'BAJAJ-AUTO'), []],
    ['padded and lower-case symbols', '[" wipro ", "sbin", "\\tinfy\\n"]', nse('WIPRO', 'SBIN', 'INFY'), []],
    [
      'exchange-qualified strings',
      '["NSE:ITC", "bse:500325", "NASDAQ: aapl"]',
      [nseEntry('ITC'), { symbol: '500325', exchange: 'BSE' }, { symbol: 'AAPL', exchange: 'NASDAQ' }],
      [],
    ],
    [
      'Yahoo-style suffixes',
      '["RELIANCE.NS", "500325.BO", "tcs.ns"]',
      [nseEntry('RELIANCE'), { symbol: '500325', exchange: 'BSE' }, nseEntry('TCS')],
      [],
    ],
    [
      'objects, exchange optional and in any case',
      '[{"symbol": "sbin", "exchange": "NSE"}, {"symbol": "GOLD", "exchange": "mcx"}, {"symbol": "INFY"}, ' +
        '{"symbol": "ITC", "exchange": null}, {"symbol": "LT", "exchange": ""}]',
      [nseEntry('SBIN'), { symbol: 'GOLD', exchange: 'MCX' }, ...nse('INFY', 'ITC', 'LT')],
      [],
    ],
    [
      'an object with a qualified symbol that agrees',
      '[{"symbol": "RELIANCE.NS", "exchange": "NSE"}]',
      nse('RELIANCE'),
      [],
    ],
    [
      'strings and objects mixed',
      '[{"symbol": "sbin", "exchange": "NSE"}, "NSE:ITC", "RELIANCE.NS", "500325.BO", " wipro ", "TCS", "TCS"]',
      [...nse('SBIN', 'ITC', 'RELIANCE'), { symbol: '500325', exchange: 'BSE' }, ...nse('WIPRO', 'TCS')],
      [[6, 'repeats TCS (index 5)']],
    ],
    [
      'repeats in other spellings: the first one wins',
      '["TCS", "tcs", " TCS", {"symbol": "TCS", "exchange": "BSE"}, "BSE:TCS"]',
      nse('TCS'),
      [
        [1, 'repeats TCS (index 0)'],
        [2, 'repeats TCS (index 0)'],
        [3, 'repeats TCS (index 0)'],
        [4, 'repeats TCS (index 0)'],
      ],
    ],
    [
      'bad items skipped, good ones kept',
      `["GOOD1", "BAD SYMBOL", "", "${'X'.repeat(33)}", "RELIANCE'; DROP TABLE users;--", "${'Y'.repeat(32)}"]`,
      nse('GOOD1', 'Y'.repeat(32)),
      [
        [1, 'a symbol is made of A-Z 0-9 & - . _ only'],
        [2, 'empty symbol'],
        [3, 'a symbol is at most 32 characters'],
        [4, 'a symbol is made of A-Z 0-9 & - . _ only'],
      ],
    ],
    [
      'non-string items',
      '["OK", 42, null, true, ["TCS"], {}, {"symbol": 5}, {"ticker": "TCS"}]',
      nse('OK'),
      [
        [1, 'expected a symbol or {symbol, exchange}, not number 42'],
        [2, 'not null'],
        [3, 'not boolean true'],
        [4, 'not an array'],
        [5, 'symbol must be text, not undefined'],
        [6, 'symbol must be text, not number 5'],
        [7, 'symbol must be text, not undefined'],
      ],
    ],
    [
      'unknown or conflicting exchanges',
      '["OK", "LSE:VOD", {"symbol": "VOD", "exchange": "LSE"}, "BSE:RELIANCE.NS", ' +
        '{"symbol": "NSE:ITC", "exchange": "BSE"}, "NSE:", "NSE:BAD SYMBOL"]',
      nse('OK'),
      [
        [1, '"LSE" is not known: the exchange must be one of NSE, BSE, NFO, MCX, NYSE, NASDAQ'],
        [2, '"LSE" is not known: the exchange must be one of'],
        [3, 'names two exchanges, BSE and NSE (.NS)'],
        [4, 'names two exchanges, BSE and NSE'],
        [5, 'empty symbol'],
        [6, 'a symbol is made of A-Z 0-9 & - . _ only'],
      ],
    ],
    ['an empty list', '[]', [], []],
    ['an array stringified twice', JSON.stringify(JSON.stringify(['TCS', 'INFY'])), nse('TCS', 'INFY'), []],
  ])('%s', (_name, raw, items, skipped) => {
    const result = parseOne('arise_watchlist', raw);
    expect(result).toMatchObject({ key: 'arise_watchlist', kind: 'watchlist', items });
    if (result.kind !== 'watchlist') return;
    expect(result.skipped.map((item) => [item.index, item.reason])).toEqual(
      skipped.map(([index, reason]) => [index, expect.stringContaining(reason)]),
    );
  });

  it('reports the raw value of every skipped item', () => {
    const result = parseOne('arise_watchlist', '["A", "B C", 7]');
    expect(result).toMatchObject({
      skipped: [
        { index: 1, value: 'B C', reason: expect.any(String) },
        { index: 2, value: 7, reason: expect.any(String) },
      ],
    });
  });

  it('keeps every valid symbol beyond 500: the merge applies the limit', () => {
    const symbols = Array.from({ length: 650 }, (_, i) => `S${i}`);
    const result = parseOne('arise_watchlist', JSON.stringify(symbols));
    expect(result).toMatchObject({ kind: 'watchlist', items: nse(...symbols), skipped: [] });
  });

  it.each([
    ['every item bad', '["BAD SYMBOL", "", 42]', 'no valid symbol among 3 items', 3],
    ['only blank items', '[" ", "  "]', 'no valid symbol among 2 items', 2],
    ['a plain string', 'TCS', 'expected a JSON array of symbols, not string "TCS"', 0],
    ['comma-separated text', 'TCS,INFY', 'expected a JSON array of symbols', 0],
    ['an object', '{"TCS": true}', 'expected a JSON array of symbols, not an object', 0],
    ['truncated JSON', '["TCS", "INF', 'not valid JSON (truncated or malformed)', 0],
    ['[object Object]', '[object Object]', 'the browser stored "[object Object]"', 0],
    ['an empty string', '', 'expected a JSON array of symbols, not string ""', 0],
    ['null', 'null', 'expected a JSON array of symbols, not null', 0],
  ])('invalid: %s', (_name, raw, reason, skippedCount) => {
    const result = parseOne('arise_watchlist', raw);
    expect(result).toMatchObject({ key: 'arise_watchlist', kind: 'invalid', reason: expect.stringContaining(reason) });
    expect(result.kind === 'invalid' ? (result.skipped ?? []).length : -1).toBe(skippedCount);
  });
});

describe('parseLocalStorage: dismissed insights', () => {
  it.each<[string, string, string[], Array<[index: number, reason: string]>]>([
    [
      'an array of ids',
      '["insight:momentum:TCS:2026-11-20", "welcome-tour", "a_b.c"]',
      ['insight:momentum:TCS:2026-11-20', 'welcome-tour', 'a_b.c'],
      [],
    ],
    ['an object keyed by id', '{"ins-9": true, "ins-10": true}', ['ins-9', 'ins-10'], []],
    [
      'object values saying "not dismissed" are left out',
      '{"ins-1": true, "ins-2": false, "ins-3": "0", "ins-4": "2026-11-20T10:00:00Z", "ins-5": 1}',
      ['ins-1', 'ins-4', 'ins-5'],
      [],
    ],
    [
      'padded ids are trimmed, repeats kept once',
      '[" ins-1 ", "ins-1", "INS-1"]',
      ['ins-1', 'INS-1'],
      [[1, 'repeats ins-1 (index 0)']],
    ],
    [
      'bad ids skipped',
      `["ok-id", "${'x'.repeat(129)}", 42, "has space", "", "slash/id", null]`,
      ['ok-id'],
      [
        [1, 'an insight id is 1 to 128 of A-Z a-z 0-9 _ . : -'],
        [2, 'an insight id is text, not number 42'],
        [3, 'an insight id is 1 to 128'],
        [4, 'an insight id is 1 to 128'],
        [5, 'an insight id is 1 to 128'],
        [6, 'an insight id is text, not null'],
      ],
    ],
    [
      'bad keys of an object keep their position',
      '{"ok": true, "bad id": true, "off": false, "fine": true}',
      ['ok', 'fine'],
      [[1, 'an insight id is 1 to 128']],
    ],
    ['an id of 128 characters', `["${'a'.repeat(128)}"]`, ['a'.repeat(128)], []],
    ['an empty list', '[]', [], []],
    ['an object where nothing is dismissed', '{"ins-1": false}', [], []],
  ])('%s', (_name, raw, ids, skipped) => {
    const result = parseOne('arise_dismissed_insights_v1', raw);
    expect(result).toMatchObject({ key: 'arise_dismissed_insights_v1', kind: 'insights', ids });
    if (result.kind !== 'insights') return;
    expect(result.skipped.map((item) => [item.index, item.reason])).toEqual(
      skipped.map(([index, reason]) => [index, expect.stringContaining(reason)]),
    );
  });

  it.each([
    ['every id bad', '[42, "bad id"]', 'no valid insight id among 2 items'],
    ['a bare id', 'ins-1', 'expected a JSON array of insight ids or an object keyed by id, not string "ins-1"'],
    ['a number', '7', 'not number 7'],
    ['truncated JSON', '["ins-1", "in', 'not valid JSON'],
  ])('invalid: %s', (_name, raw, reason) => {
    expect(parseOne('arise_dismissed_insights_v1', raw)).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining(reason),
    });
  });
});

describe('parseLocalStorage: account profile', () => {
  it.each([
    ['name and account id', '{"name": "Priya Raman", "account_id": "FY-204981"}', 'Priya Raman', 'FY-204981'],
    ['a null account id', '{"name": "Arjun", "account_id": null}', 'Arjun', null],
    ['no account id', '{"name": "Arjun"}', 'Arjun', null],
    ['a numeric account id', '{"name": "Arjun", "account_id": 204981}', 'Arjun', '204981'],
    ['a padded name', '{"name": "  Meera Iyer  "}', 'Meera Iyer', null],
    ['a name of 100 characters', JSON.stringify({ name: 'n'.repeat(100) }), 'n'.repeat(100), null],
    ['a name with quotes and markup', JSON.stringify({ name: '<b>"Ravi"</b>' }), '<b>"Ravi"</b>', null],
  ])('%s', (_name, raw, name, accountId) => {
    expect(parseOne('arise_account_profile_v1', raw)).toEqual({
      key: 'arise_account_profile_v1',
      kind: 'profile',
      name,
      accountId,
    });
  });

  it.each([
    [
      '[object Object]',
      '[object Object]',
      'the browser stored "[object Object]" (an object saved without JSON.stringify): the value is lost',
    ],
    ['a plain string', 'Priya', 'expected a JSON object {name, account_id}, not string "Priya"'],
    ['an array', '["Priya"]', 'not an array'],
    ['no name', '{"account_id": "FY-1"}', 'name must be text, not undefined'],
    ['a numeric name', '{"name": 42}', 'name must be text, not number 42'],
    ['an empty name', '{"name": "   "}', 'name must be 1 to 100 characters after trimming'],
    ['a name of 101 characters', JSON.stringify({ name: 'n'.repeat(101) }), 'name must be 1 to 100 characters'],
    ['truncated JSON', '{"name": "Pri', 'not valid JSON'],
    ['an empty string', '', 'not string ""'],
  ])('invalid: %s', (_name, raw, reason) => {
    expect(parseOne('arise_account_profile_v1', raw)).toEqual({
      key: 'arise_account_profile_v1',
      kind: 'invalid',
      reason: expect.stringContaining(reason),
    });
  });
});

describe('parseLocalStorage: values nested deeper than any of the app', () => {
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  it.each([
    ['watchlist', 'arise_watchlist', deep(30_000)],
    ['watchlist item', 'arise_watchlist', `[{"symbol": ${deep(30_000)}}]`],
    ['dismissed insights', 'arise_dismissed_insights_v1', deep(30_000)],
    ['JSON inside a JSON string', 'arise_watchlist', JSON.stringify(deep(40))],
  ])('%s: invalid, not a stack overflow', (_name, key, raw) => {
    expect(parseOne(key, raw)).toEqual({ key, kind: 'invalid', reason: expect.stringContaining('levels deep') });
  });
});

describe('parseLocalStorage: keys it does not import', () => {
  it.each(SESSION_CACHE_KEYS.map((key) => [key]))('%s is a session cache, whatever its value', (key) => {
    expect(parseOne(key, '{broken')).toEqual({ key, kind: 'session' });
  });

  const unknownKeys = [
    'totally_unrelated',
    'ARISE_UNIVERSE',
    'arise_universe_v2',
    '',
    '__proto__',
    'constructor',
    'toString',
  ];
  it.each(unknownKeys.map((key) => [key]))('%j is unknown', (key) => {
    expect(parseOne(key, 'NIFTY50')).toEqual({ key, kind: 'unknown' });
  });
});

describe('parseLocalStorage: whole dumps', () => {
  it('answers one result per key, in the order sent, without throwing on damaged values', () => {
    const dump = loadDump('damaged');
    const results = parseLocalStorage(dump);
    expect(results.map((result) => result.key)).toEqual(Object.keys(dump));
    expect(results.map((result) => result.kind)).toEqual([
      'invalid', // disclosure "maybe"
      'invalid', // universe NIFTY9000
      'invalid', // risk YOLO
      'invalid', // truncated modes
      'invalid', // primary mode Scalping
      'invalid', // auxiliary modes object
      'watchlist',
      'insights',
      'invalid', // [object Object]
      'session',
      'unknown',
    ]);
  });

  it('reads the legacy formats', () => {
    const byKey = Object.fromEntries(
      parseLocalStorage(loadDump('legacy-formats')).map((result) => [result.key, result]),
    );
    expect(byKey).toEqual({
      arise_disclosure_accepted_v1: {
        key: 'arise_disclosure_accepted_v1',
        kind: 'preference',
        field: 'disclosureAccepted',
        value: true,
      },
      arise_account_profile_v1: { key: 'arise_account_profile_v1', kind: 'profile', name: 'Arjun', accountId: null },
      arise_universe: { key: 'arise_universe', kind: 'preference', field: 'universe', value: 'NIFTY50' },
      arise_market_region: { key: 'arise_market_region', kind: 'preference', field: 'marketRegion', value: 'Global' },
      arise_risk: { key: 'arise_risk', kind: 'preference', field: 'riskProfile', value: 'Conservative' },
      arise_modes: { key: 'arise_modes', kind: 'preference', field: 'tradingModes', value: modes('Swing', 'Futures') },
      arise_primary_mode: { key: 'arise_primary_mode', kind: 'preference', field: 'primaryMode', value: 'Futures' },
      arise_auxiliary_modes: {
        key: 'arise_auxiliary_modes',
        kind: 'preference',
        field: 'auxiliaryModes',
        value: ['Swing'],
      },
      arise_watchlist: {
        key: 'arise_watchlist',
        kind: 'watchlist',
        items: [...nse('SBIN', 'ITC', 'RELIANCE'), { symbol: '500325', exchange: 'BSE' }, ...nse('WIPRO', 'TCS')],
        skipped: [{ index: 6, value: 'TCS', reason: 'repeats TCS (index 5)' }],
      },
      arise_dismissed_insights_v1: {
        key: 'arise_dismissed_insights_v1',
        kind: 'insights',
        ids: ['ins-9', 'ins-10'],
        skipped: [],
      },
    });
  });

  it('reports a value that is not a string instead of throwing', () => {
    const entries = { arise_risk: 5, arise_universe: 'NIFTY100' } as unknown as Record<string, string>;
    expect(parseLocalStorage(entries)).toEqual([
      { key: 'arise_risk', kind: 'invalid', reason: 'expected the text the browser stored, not number 5' },
      { key: 'arise_universe', kind: 'preference', field: 'universe', value: 'NIFTY100' },
    ]);
  });

  it('answers nothing for nothing sent', () => {
    expect(parseLocalStorage({})).toEqual([]);
  });
});
