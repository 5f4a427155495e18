import { POWER_USER_EXPECTED } from '../test/fixtures/local-storage/expected';
import { type LocalStorageDump, loadDump } from '../test/fixtures/local-storage/load';
import { modes } from '../test/support/preferences';
import { checkPreferenceRules, DEFAULT_PREFERENCES, type PreferenceValues } from './preferences.rules';
import { PREFERENCE_KEYS, SESSION_CACHE_KEYS } from './local-storage.keys';
import {
  type ImportPlan,
  type KeyResult,
  planChangesSomething,
  planImport,
  type ServerState,
} from './local-storage.merge';
import { parseLocalStorage, type WatchlistEntry } from './local-storage.parser';

const EMPTY_SERVER: ServerState = { preferences: null, watchlist: [], dismissedInsightIds: [], profileName: '' };
const DUMPS: LocalStorageDump[] = ['new-user', 'power-user', 'legacy-formats', 'damaged'];

const nse = (...symbols: string[]): WatchlistEntry[] => symbols.map((symbol) => ({ symbol, exchange: 'NSE' }));
const plan = (entries: Record<string, string>, server: ServerState = EMPTY_SERVER) =>
  planImport(parseLocalStorage(entries), server);
const planDump = (name: LocalStorageDump, server: ServerState = EMPTY_SERVER) => plan(loadDump(name), server);
const resultOf = (importPlan: ImportPlan, key: string): KeyResult =>
  importPlan.results.find((result) => result.key === key)!;
const outcomes = (importPlan: ImportPlan) =>
  Object.fromEntries(importPlan.results.map((result) => [result.key, result.outcome]));

/** What the endpoint does with a plan, on an in-memory server. */
function applyPlan(server: ServerState, importPlan: ImportPlan): ServerState {
  return {
    preferences: importPlan.preferences ?? server.preferences,
    watchlist: [...server.watchlist, ...importPlan.watchlistToAdd],
    dismissedInsightIds: [...server.dismissedInsightIds, ...importPlan.insightIdsToAdd],
    profileName: importPlan.profileName ?? server.profileName,
  };
}

const PREFERENCE_KEY_LIST = Object.values(PREFERENCE_KEYS);
const SESSION_IGNORED: KeyResult['detail'] = 'a session cache of market data: not kept on the server';

/** What a user saved on the server from another device, before importing this browser. */
const SAVED_PREFERENCES: PreferenceValues = {
  ...DEFAULT_PREFERENCES,
  disclosureAccepted: false,
  universe: 'NIFTY100',
  marketRegion: 'India',
  riskProfile: 'Moderate',
  tradingModes: modes('Swing', 'Futures'),
  primaryMode: 'Swing',
  auxiliaryModes: ['Futures'],
};

describe('planImport: the contract dumps against a server that holds nothing', () => {
  it('new-user: the disclosure is imported, the caches ignored', () => {
    const result = planDump('new-user');
    expect(result.results).toEqual([
      { key: 'arise_disclosure_accepted_v1', outcome: 'imported', detail: 'imported: accepted' },
      { key: 'arise_market', outcome: 'ignored', detail: SESSION_IGNORED },
      { key: 'arise_market_asof', outcome: 'ignored', detail: SESSION_IGNORED },
      { key: 'arise_news', outcome: 'ignored', detail: SESSION_IGNORED },
    ]);
    expect(result.preferences).toEqual({ ...DEFAULT_PREFERENCES, disclosureAccepted: true });
    expect(result.acceptsDisclosure).toBe(true);
    expect(result).toMatchObject({ watchlistToAdd: [], watchlistOverflow: [], insightIdsToAdd: [], profileName: null });
  });

  it('power-user: every preference imported, 8 symbols in order, 3 insights, the name, account_id reported', () => {
    const result = planDump('power-user');
    expect(result.results).toEqual([
      { key: 'arise_disclosure_accepted_v1', outcome: 'imported', detail: 'imported: accepted' },
      {
        key: 'arise_account_profile_v1',
        outcome: 'imported',
        detail: `name set to "Priya Raman"; account_id "FY-204981" not imported: the account id is the server's own`,
      },
      { key: 'arise_universe', outcome: 'imported', detail: 'imported: NIFTY500' },
      { key: 'arise_market_region', outcome: 'imported', detail: 'imported: India' },
      { key: 'arise_risk', outcome: 'imported', detail: 'imported: Aggressive' },
      { key: 'arise_modes', outcome: 'imported', detail: 'imported: Intraday, Swing, Options on' },
      { key: 'arise_primary_mode', outcome: 'imported', detail: 'imported: Intraday' },
      { key: 'arise_auxiliary_modes', outcome: 'imported', detail: 'imported: Swing, Options' },
      { key: 'arise_watchlist', outcome: 'imported', detail: '8 symbols added' },
      { key: 'arise_dismissed_insights_v1', outcome: 'imported', detail: '3 dismissed insights added' },
      ...SESSION_CACHE_KEYS.map((key) => ({ key, outcome: 'ignored', detail: SESSION_IGNORED })),
    ]);
    expect(result.preferences).toEqual(POWER_USER_EXPECTED.preferences);
    expect(result.acceptsDisclosure).toBe(true);
    expect(result.watchlistToAdd).toEqual(nse(...POWER_USER_EXPECTED.watchlist));
    expect(result.watchlistOverflow).toEqual([]);
    expect(result.insightIdsToAdd).toEqual(POWER_USER_EXPECTED.dismissedInsightIds);
    expect(result.profileName).toBe(POWER_USER_EXPECTED.name);
  });

  it('legacy-formats: old encodings read as the contract says', () => {
    const result = planDump('legacy-formats');
    expect(outcomes(result)).toEqual({
      arise_disclosure_accepted_v1: 'imported',
      arise_account_profile_v1: 'imported',
      arise_universe: 'imported',
      arise_market_region: 'imported',
      arise_risk: 'imported',
      arise_modes: 'imported',
      arise_primary_mode: 'imported',
      arise_auxiliary_modes: 'imported',
      arise_watchlist: 'imported',
      arise_dismissed_insights_v1: 'imported',
    });
    expect(result.preferences).toEqual({
      disclosureAccepted: true, // "1"
      universe: 'NIFTY50', // "\"NIFTY50\""
      marketRegion: 'Global',
      riskProfile: 'Conservative', // "conservative"
      tradingModes: modes('Swing', 'Futures'), // "false"/"true"/0/1
      primaryMode: 'Futures',
      auxiliaryModes: ['Swing'], // a bare string
    });
    expect(result.watchlistToAdd).toEqual([
      ...nse('SBIN', 'ITC', 'RELIANCE'),
      { symbol: '500325', exchange: 'BSE' },
      ...nse('WIPRO', 'TCS'),
    ]);
    expect(resultOf(result, 'arise_watchlist').detail).toBe(
      '6 symbols added; 1 item skipped: index 6 "TCS": repeats TCS (index 5)',
    );
    expect(result.insightIdsToAdd).toEqual(['ins-9', 'ins-10']);
    expect(result.profileName).toBe('Arjun');
    expect(resultOf(result, 'arise_account_profile_v1').detail).toBe('name set to "Arjun"');
  });

  it('damaged: each bad value invalid with its reason, the good parts land, the overflow is reported', () => {
    const result = planDump('damaged');
    const s = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `S${from + i}`);
    expect(result.results.map(({ key, outcome }) => [key, outcome])).toEqual([
      ['arise_disclosure_accepted_v1', 'invalid'],
      ['arise_universe', 'invalid'],
      ['arise_risk', 'invalid'],
      ['arise_modes', 'invalid'],
      ['arise_primary_mode', 'invalid'],
      ['arise_auxiliary_modes', 'invalid'],
      ['arise_watchlist', 'imported'],
      ['arise_dismissed_insights_v1', 'imported'],
      ['arise_account_profile_v1', 'invalid'],
      ['arise_picks', 'ignored'],
      ['totally_unrelated', 'ignored'],
    ]);
    const detail = (key: string) => resultOf(result, key).detail;
    expect(detail('arise_disclosure_accepted_v1')).toBe(
      'expected true or false (also "1"/"0", "yes"/"no"), not string "maybe"',
    );
    expect(detail('arise_universe')).toBe(
      '"NIFTY9000" is not known: the universe must be one of NIFTY50, NIFTY100, NIFTY200, NIFTY500, NIFTYMIDCAP150, NIFTYSMALLCAP250, NIFTYBANK',
    );
    expect(detail('arise_risk')).toBe(
      '"YOLO" is not known: the risk profile must be one of Aggressive, Moderate, Conservative',
    );
    expect(detail('arise_modes')).toBe('not valid JSON (truncated or malformed)');
    expect(detail('arise_primary_mode')).toBe(
      '"Scalping" is not known: a trading mode must be one of Intraday, Swing, Options, Futures',
    );
    expect(detail('arise_auxiliary_modes')).toBe('expected a list of trading modes, not an object');
    expect(detail('arise_account_profile_v1')).toBe(
      'the browser stored "[object Object]" (an object saved without JSON.stringify): the value is lost',
    );
    expect(detail('totally_unrelated')).toBe('not a key of this app: not imported');

    // No preference was usable: nothing is written, not even the defaults.
    expect(result.preferences).toBeNull();
    expect(result.acceptsDisclosure).toBe(false);
    expect(result.profileName).toBeNull();

    expect(result.watchlistToAdd).toEqual(nse('GOOD1', ...s(0, 498)));
    expect(result.watchlistOverflow).toEqual(nse(...s(499, 599)));
    expect(detail('arise_watchlist')).toBe(
      `500 symbols added; 101 did not fit the 500-item limit: ${s(499, 599).join(', ')}; 4 items skipped: ` +
        'index 1 "BAD SYMBOL": a symbol is made of A-Z 0-9 & - . _ only; index 2 "": empty symbol; ' +
        `index 3 "${'X'.repeat(38)}…: a symbol is at most 32 characters; ` +
        `index 4 "RELIANCE'; DROP TABLE users;--": a symbol is made of A-Z 0-9 & - . _ only`,
    );

    expect(result.insightIdsToAdd).toEqual(['ok-id']);
    expect(detail('arise_dismissed_insights_v1')).toBe(
      `1 dismissed insight added; 2 items skipped: index 1 "${'x'.repeat(38)}…: an insight id is 1 to 128 of A-Z a-z 0-9 _ . : -; ` +
        'index 2 42: an insight id is text, not number 42',
    );
  });

  it.each(DUMPS)('%s: the preferences planned pass the preference rules', (name) => {
    const { preferences } = planDump(name);
    if (preferences) expect(checkPreferenceRules(preferences)).toEqual([]);
  });
});

describe('planImport: a server with saved preferences', () => {
  const saved = (patch: Partial<PreferenceValues> = {}): ServerState => ({
    ...EMPTY_SERVER,
    preferences: { ...SAVED_PREFERENCES, ...patch },
  });

  it('keeps every saved preference and names the browser value it did not take', () => {
    const result = planDump('power-user', saved({ disclosureAccepted: true }));
    expect(result.results.filter((r) => PREFERENCE_KEY_LIST.includes(r.key as never))).toEqual([
      {
        key: 'arise_disclosure_accepted_v1',
        outcome: 'kept-server',
        detail: "the server's saved value is the same: accepted",
      },
      {
        key: 'arise_universe',
        outcome: 'kept-server',
        detail: "the server's saved value wins: NIFTY100 (this browser: NIFTY500)",
      },
      { key: 'arise_market_region', outcome: 'kept-server', detail: "the server's saved value is the same: India" },
      {
        key: 'arise_risk',
        outcome: 'kept-server',
        detail: "the server's saved value wins: Moderate (this browser: Aggressive)",
      },
      {
        key: 'arise_modes',
        outcome: 'kept-server',
        detail: "the server's saved value wins: Swing, Futures on (this browser: Intraday, Swing, Options on)",
      },
      {
        key: 'arise_primary_mode',
        outcome: 'kept-server',
        detail: "the server's saved value wins: Swing (this browser: Intraday)",
      },
      {
        key: 'arise_auxiliary_modes',
        outcome: 'kept-server',
        detail: "the server's saved value wins: Futures (this browser: Swing, Options)",
      },
    ]);
    expect(result.preferences).toBeNull();
    expect(result.acceptsDisclosure).toBe(false);
  });

  it('still imports the watchlist and insights as unions', () => {
    const server: ServerState = {
      ...saved(),
      watchlist: nse('INFY', 'SBIN'),
      dismissedInsightIds: ['welcome-tour', 'other'],
    };
    const result = planDump('power-user', server);
    expect(resultOf(result, 'arise_watchlist')).toEqual({
      key: 'arise_watchlist',
      outcome: 'merged',
      detail: '7 symbols added; 1 already present',
    });
    expect(result.watchlistToAdd).toEqual(
      nse('RELIANCE', 'TCS', 'HDFCBANK', 'M&M', 'BAJAJ-AUTO', 'NIFTYBEES', 'TATAMOTORS'),
    );
    expect(resultOf(result, 'arise_dismissed_insights_v1')).toEqual({
      key: 'arise_dismissed_insights_v1',
      outcome: 'merged',
      detail: '2 dismissed insights added; 1 already dismissed',
    });
    expect(result.insightIdsToAdd).toEqual(['insight:momentum:TCS:2026-11-20', 'insight:breakout:INFY:2026-11-21']);
  });

  it.each<[string, boolean, string, string, boolean]>([
    // [browser value, server value, outcome, detail, disclosure becomes accepted]
    ['true', false, 'merged', 'accepted: this browser had accepted the disclosure', true],
    ['1', false, 'merged', 'accepted: this browser had accepted the disclosure', true],
    ['true', true, 'kept-server', "the server's saved value is the same: accepted", false],
    ['false', true, 'kept-server', "the server's saved value wins: accepted (this browser: not accepted)", false],
    ['false', false, 'kept-server', "the server's saved value is the same: not accepted", false],
  ])('disclosure %s in the browser, %s on the server → %s', (raw, server, outcome, detail, accepts) => {
    const result = plan(
      { arise_disclosure_accepted_v1: raw, arise_risk: 'Aggressive' },
      saved({ disclosureAccepted: server }),
    );
    expect(result.results[0]).toEqual({ key: 'arise_disclosure_accepted_v1', outcome, detail });
    expect(result.results[1].outcome).toBe('kept-server');
    expect(result.acceptsDisclosure).toBe(accepts);
    // Accepting changes that one field and keeps every other saved value.
    expect(result.preferences).toEqual(accepts ? { ...SAVED_PREFERENCES, disclosureAccepted: true } : null);
  });

  it('reports an invalid preference as invalid, not as kept', () => {
    expect(outcomes(plan({ arise_risk: 'YOLO', arise_universe: 'NIFTY500' }, saved()))).toEqual({
      arise_risk: 'invalid',
      arise_universe: 'kept-server',
    });
  });

  it('compares modes as sets, whatever order or spelling the browser used', () => {
    const result = plan(
      { arise_modes: '{"futures": 1, "swing": "true"}', arise_auxiliary_modes: 'futures' },
      saved({ auxiliaryModes: ['Futures'] }),
    );
    expect(result.results.map((r) => r.detail)).toEqual([
      "the server's saved value is the same: Swing, Futures on",
      "the server's saved value is the same: Futures",
    ]);
  });
});

describe('planImport: preferences over the defaults', () => {
  it('applies what was sent over the defaults and leaves the rest at their defaults', () => {
    const result = plan({ arise_risk: 'aggressive', arise_disclosure_accepted_v1: 'false' });
    expect(result.preferences).toEqual({ ...DEFAULT_PREFERENCES, riskProfile: 'Aggressive' });
    expect(result.acceptsDisclosure).toBe(false);
    expect(outcomes(result)).toEqual({ arise_risk: 'imported', arise_disclosure_accepted_v1: 'imported' });
  });

  it('writes nothing when no preference key was sent', () => {
    const result = plan({ arise_watchlist: '["TCS"]', arise_market: '{}' });
    expect(result.preferences).toBeNull();
    expect(result.acceptsDisclosure).toBe(false);
  });

  it.each<[string, Record<string, string>, Partial<PreferenceValues>, Record<string, string>]>([
    [
      'a primary mode that was off is switched on',
      { arise_modes: '{"Swing": true}', arise_primary_mode: 'Futures' },
      { tradingModes: modes('Swing', 'Futures'), primaryMode: 'Futures', auxiliaryModes: [] },
      {
        arise_modes: 'imported: Swing, Futures on; repaired: Futures switched on as the primary mode',
        arise_primary_mode: 'imported: Futures',
      },
    ],
    [
      'auxiliary modes that were off are switched on, the primary one dropped from them',
      {
        arise_modes: '{"Intraday": true}',
        arise_primary_mode: 'Intraday',
        arise_auxiliary_modes: '["Options", "Intraday"]',
      },
      { tradingModes: modes('Intraday', 'Options'), primaryMode: 'Intraday', auxiliaryModes: ['Options'] },
      {
        arise_modes: 'imported: Intraday, Options on; repaired: Options switched on as an auxiliary mode',
        arise_primary_mode: 'imported: Intraday',
        arise_auxiliary_modes: 'imported: Options; repaired: Intraday dropped as it is the primary mode',
      },
    ],
    [
      'without a modes key, the repair is reported on the key that caused it',
      { arise_primary_mode: 'Options', arise_auxiliary_modes: 'Futures' },
      { tradingModes: modes('Swing', 'Options', 'Futures'), primaryMode: 'Options', auxiliaryModes: ['Futures'] },
      {
        arise_primary_mode: 'imported: Options; repaired: Options switched on as the primary mode',
        arise_auxiliary_modes: 'imported: Futures; repaired: Futures switched on as an auxiliary mode',
      },
    ],
    [
      'modes without a primary mode: the default primary mode does not switch Swing back on',
      { arise_modes: '{"Intraday": true, "Swing": false}' },
      { tradingModes: modes('Intraday'), primaryMode: null, auxiliaryModes: [] },
      { arise_modes: 'imported: Intraday on; repaired: no primary mode, as the default one (Swing) is off' },
    ],
    [
      'modes with an invalid primary mode: the same',
      { arise_modes: '{"Options": true}', arise_primary_mode: 'Scalping' },
      { tradingModes: modes('Options'), primaryMode: null, auxiliaryModes: [] },
      {
        arise_modes: 'imported: Options on; repaired: no primary mode, as the default one (Swing) is off',
        arise_primary_mode: '"Scalping" is not known: a trading mode must be one of Intraday, Swing, Options, Futures',
      },
    ],
    [
      'modes that keep the default primary mode on need no repair',
      { arise_modes: '{"Swing": true, "Options": true}' },
      { tradingModes: modes('Swing', 'Options'), primaryMode: 'Swing', auxiliaryModes: [] },
      { arise_modes: 'imported: Swing, Options on' },
    ],
    [
      'no primary mode at all, and no mode on',
      { arise_modes: '{}', arise_primary_mode: 'null' },
      { tradingModes: modes(), primaryMode: null, auxiliaryModes: [] },
      { arise_modes: 'imported: none on', arise_primary_mode: 'imported: none' },
    ],
  ])('%s', (_name, entries, expected, details) => {
    const result = plan(entries);
    expect(result.preferences).toEqual({ ...DEFAULT_PREFERENCES, ...expected });
    expect(checkPreferenceRules(result.preferences!)).toEqual([]);
    expect(Object.fromEntries(result.results.map((r) => [r.key, r.detail]))).toEqual(details);
  });

  it('repairs every combination of modes into values that pass the rules', () => {
    const modeNames = ['Intraday', 'Swing', 'Options', 'Futures'];
    const subsets = Array.from({ length: 16 }, (_, bits) => modeNames.filter((_, i) => bits & (1 << i)));
    for (const on of subsets) {
      for (const primary of [...modeNames, null]) {
        for (const auxiliary of subsets) {
          const entries = {
            arise_modes: JSON.stringify(modes(...on)),
            arise_primary_mode: JSON.stringify(primary),
            arise_auxiliary_modes: JSON.stringify(auxiliary),
          };
          const { preferences } = plan(entries);
          expect({ entries, errors: checkPreferenceRules(preferences!) }).toEqual({ entries, errors: [] });
          // Repairs only switch modes on: nothing the browser had on is lost.
          for (const mode of on)
            expect(preferences!.tradingModes[mode as keyof PreferenceValues['tradingModes']]).toBe(true);
          expect(preferences!.primaryMode).toBe(primary);
        }
      }
    }
  });
});

describe('planImport: the list limits and unions', () => {
  const symbols = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it('appends what fits after the saved items and reports the rest by name', () => {
    const server: ServerState = { ...EMPTY_SERVER, watchlist: nse(...symbols('OLD', 495)) };
    const result = plan(
      { arise_watchlist: JSON.stringify(['OLD3', 'NEW1', 'NEW2', 'OLD7', 'NEW3', 'NEW4', 'NEW5', 'NEW6', 'NEW7']) },
      server,
    );
    expect(result.watchlistToAdd).toEqual(nse('NEW1', 'NEW2', 'NEW3', 'NEW4', 'NEW5'));
    expect(result.watchlistOverflow).toEqual(nse('NEW6', 'NEW7'));
    expect(result.results).toEqual([
      {
        key: 'arise_watchlist',
        outcome: 'merged',
        detail: '5 symbols added; 2 already present; 2 did not fit the 500-item limit: NEW6, NEW7',
        notStored: 2,
      },
    ]);
  });

  it('adds nothing to a full watchlist but reports everything new', () => {
    const server: ServerState = { ...EMPTY_SERVER, watchlist: nse(...symbols('OLD', 500)) };
    const result = plan({ arise_watchlist: '["OLD0", "NEW1"]' }, server);
    expect(result.watchlistToAdd).toEqual([]);
    expect(result.watchlistOverflow).toEqual(nse('NEW1'));
    expect(result.results[0].detail).toBe('0 symbols added; 1 already present; 1 did not fit the 500-item limit: NEW1');
    expect(planChangesSomething(result)).toBe(false);
  });

  it('counts symbols already saved as present, not as overflow, wherever they are in the browser list', () => {
    const server: ServerState = { ...EMPTY_SERVER, watchlist: nse('S599', 'S598') };
    const result = plan({ arise_watchlist: JSON.stringify(symbols('S', 600)) }, server);
    expect(result.watchlistToAdd).toEqual(nse(...symbols('S', 498)));
    expect(result.watchlistOverflow).toEqual(nse(...symbols('S', 598).slice(498)));
    expect(result.results[0].detail).toMatch(
      /^498 symbols added; 2 already present; 100 did not fit the 500-item limit: S498, S499, /,
    );
    expect(result.results[0].notStored).toBe(100);
  });

  it('caps the dismissed insights the same way: what fits is added, the rest named', () => {
    const server: ServerState = { ...EMPTY_SERVER, dismissedInsightIds: symbols('old-', 4998) };
    const result = plan({ arise_dismissed_insights_v1: JSON.stringify(['old-1', 'new-1', 'new-2', 'new-3']) }, server);
    expect(result.insightIdsToAdd).toEqual(['new-1', 'new-2']);
    expect(result.insightIdsOverflow).toEqual(['new-3']);
    expect(result.results[0].detail).toBe(
      '2 dismissed insights added; 1 already dismissed; 1 did not fit the 5000-item limit: new-3',
    );
    expect(result.results[0].notStored).toBe(1);
  });

  it('keeps the exchange of a symbol already saved, and says so', () => {
    const server: ServerState = { ...EMPTY_SERVER, watchlist: [{ symbol: 'RELIANCE', exchange: 'BSE' }] };
    const result = plan({ arise_watchlist: '["RELIANCE.NS", "TCS"]' }, server);
    expect(result.watchlistToAdd).toEqual(nse('TCS'));
    expect(result.results[0].detail).toBe(
      '1 symbol added; 1 already present; RELIANCE stays on BSE (this browser: NSE)',
    );
  });

  it('reports an invalid watchlist with its bad items, and imports the rest of the dump', () => {
    const result = plan({ arise_watchlist: '["BAD SYMBOL", 7]', arise_risk: 'Aggressive' });
    expect(result.results).toEqual([
      {
        key: 'arise_watchlist',
        outcome: 'invalid',
        detail:
          'no valid symbol among 2 items; 2 items skipped: index 0 "BAD SYMBOL": a symbol is made of A-Z 0-9 & - . _ only; ' +
          'index 1 7: expected a symbol or {symbol, exchange}, not number 7',
      },
      { key: 'arise_risk', outcome: 'imported', detail: 'imported: Aggressive' },
    ]);
    expect(result.watchlistToAdd).toEqual([]);
  });

  it('lists at most 20 bad items in a detail', () => {
    const result = plan({ arise_watchlist: JSON.stringify(['OK', ...Array.from({ length: 25 }, () => 'BAD SYMBOL')]) });
    const detail = result.results[0].detail;
    expect(detail).toMatch(/^1 symbol added; 25 items skipped: index 1 "BAD SYMBOL"/);
    expect(detail.match(/index \d+/g)).toHaveLength(20);
    expect(detail).toMatch(/; and 5 more$/);
  });

  it('an empty browser watchlist adds nothing', () => {
    expect(plan({ arise_watchlist: '[]' }).results[0]).toEqual({
      key: 'arise_watchlist',
      outcome: 'imported',
      detail: '0 symbols added',
    });
  });
});

describe('planImport: profile', () => {
  it.each<[string, string, string | null, string, string]>([
    ['an empty server name is filled', '', 'Priya Raman', 'imported', 'name set to "Priya Raman"'],
    ['a blank server name is filled', '  ', 'Priya Raman', 'imported', 'name set to "Priya Raman"'],
    [
      'a different server name wins',
      'Priya R.',
      null,
      'kept-server',
      `the server's name wins: "Priya R." (this browser: "Priya Raman")`,
    ],
    [
      'the same name changes nothing',
      'Priya Raman',
      null,
      'kept-server',
      `the server's name is the same: "Priya Raman"`,
    ],
  ])('%s', (_name, profileName, planned, outcome, detail) => {
    const result = plan(
      { arise_account_profile_v1: '{"name": " Priya Raman ", "account_id": "FY-204981"}' },
      { ...EMPTY_SERVER, profileName },
    );
    expect(result.profileName).toBe(planned);
    expect(result.results).toEqual([
      {
        key: 'arise_account_profile_v1',
        outcome,
        detail: `${detail}; account_id "FY-204981" not imported: the account id is the server's own`,
      },
    ]);
  });
});

describe('planImport: replaying the same payload changes nothing', () => {
  const servers: Array<[string, ServerState]> = [
    ['an empty server', EMPTY_SERVER],
    [
      'a server with saved data',
      {
        preferences: SAVED_PREFERENCES,
        watchlist: nse('INFY', 'SBIN'),
        dismissedInsightIds: ['welcome-tour'],
        profileName: 'Priya',
      },
    ],
  ];

  it.each(DUMPS.flatMap((dump) => servers.map(([name, server]) => [dump, name, server] as const)))(
    '%s against %s',
    (dump, _name, server) => {
      const first = planDump(dump, server);
      const after = applyPlan(server, first);
      const replay = planDump(dump, after);

      expect(planChangesSomething(replay)).toBe(false);
      expect(replay).toMatchObject({
        preferences: null,
        acceptsDisclosure: false,
        watchlistToAdd: [],
        insightIdsToAdd: [],
        profileName: null,
      });
      expect(replay.watchlistOverflow).toEqual(first.watchlistOverflow);
      // Every key taken the first time is now kept-server or merged; ignored and invalid ones stay so.
      const taken = (outcome: string) => (outcome === 'ignored' || outcome === 'invalid' ? outcome : 'taken');
      const held = (outcome: string) => (outcome === 'kept-server' || outcome === 'merged' ? 'taken' : outcome);
      expect(replay.results.map((r) => [r.key, held(r.outcome)])).toEqual(
        first.results.map((r) => [r.key, taken(r.outcome)]),
      );
    },
  );

  it('the first import changed something, so the replay check is meaningful', () => {
    for (const dump of DUMPS) expect([dump, planChangesSomething(planDump(dump))]).toEqual([dump, true]);
  });

  it('power-user replayed: preferences, watchlist and insights kept, and said so', () => {
    const after = applyPlan(EMPTY_SERVER, planDump('power-user'));
    const replay = planDump('power-user', after);
    expect(outcomes(replay)).toMatchObject({
      ...Object.fromEntries(PREFERENCE_KEY_LIST.map((key) => [key, 'kept-server'])),
      arise_account_profile_v1: 'kept-server',
      arise_watchlist: 'merged',
      arise_dismissed_insights_v1: 'merged',
    });
    expect(resultOf(replay, 'arise_watchlist').detail).toBe('0 symbols added; 8 already present');
    expect(resultOf(replay, 'arise_dismissed_insights_v1').detail).toBe(
      '0 dismissed insights added; 3 already dismissed',
    );
    expect(resultOf(replay, 'arise_risk').detail).toBe("the server's saved value is the same: Aggressive");
  });
});
