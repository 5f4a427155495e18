/**
 * Reads what a browser kept in `localStorage` (every value a string, written by client
 * versions of different ages) into typed values, one result per key, without ever throwing:
 * a bad value makes its own key `invalid` and leaves every other key alone.
 *
 * Decoding rules, shared by every key:
 * - A value is JSON text or plain text. It is read as JSON when it parses; a value that starts
 *   like JSON (`{`, `[`, `"`) but does not parse is truncated or malformed, so it is invalid
 *   rather than taken for text. JSON strings are unquoted (`"\"Aggressive\""` → `Aggressive`),
 *   and a string that is itself JSON again (a value stringified twice) is decoded again.
 * - `[object Object]` is what a browser stores for an object saved without `JSON.stringify`:
 *   the value is lost, so the key is invalid.
 * - Booleans: `true`/`false`, `1`/`0`, `"true"`/`"false"`, `"1"`/`"0"`, `"yes"`/`"no"`
 *   (case-insensitive); anything else (`maybe`) is invalid.
 * - Enumerations match case-insensitively, ignoring spaces, `-` and `_` (`conservative` →
 *   `Conservative`, `nifty 50` → `NIFTY50`); an unknown value is invalid and the reason lists
 *   the accepted ones.
 *
 * Per key:
 * - `arise_modes`: an object keyed by mode (keys case-insensitive, values booleans in any form
 *   above). The browser always stored the full object, so a mode it does not name is off. An
 *   array of mode names is read as the enabled modes. An unknown mode name is invalid.
 * - `arise_primary_mode`: a mode; `null` or an empty value means no primary mode.
 * - `arise_auxiliary_modes`: a JSON array of modes, or text: one mode (`Swing`) or several
 *   separated by commas (`Swing,Options`); empty text and `null` are the empty list. Anything else
 *   (an object, a number, an unknown mode) is invalid. Repeats are dropped.
 * - `arise_watchlist`: a JSON array of symbols. Items are strings (`TCS`, ` wipro `,
 *   `NSE:ITC`, Yahoo-style `RELIANCE.NS` → NSE and `500325.BO` → BSE) or `{symbol, exchange}`
 *   objects (exchange optional, NSE by default, case-insensitive). Symbols are trimmed and
 *   upper-cased and must match SYMBOL_PATTERN. A bad item is skipped and reported (index and
 *   reason) while the others are kept; repeats of a symbol are skipped too (the first one
 *   wins, since a user's watchlist holds a symbol once). The key is invalid only when it is
 *   not an array or no item at all is usable. The 500-item limit is the merge's to apply,
 *   because what fits depends on what the server already holds.
 * - `arise_dismissed_insights_v1`: a JSON array of ids, or an object keyed by id whose value
 *   says whether it is dismissed (`{"ins-9": true}`; a false value means not dismissed). Ids
 *   are trimmed and must match INSIGHT_ID_PATTERN; bad ids are skipped and reported like
 *   watchlist items.
 * - `arise_account_profile_v1`: a JSON object `{name, account_id}`; the name is trimmed and
 *   must be 1 to 100 characters. `account_id` is kept only to be reported: the server's
 *   account id is its own.
 * - Session caches and unknown keys are recognised, never decoded.
 */
import {
  DEFAULT_EXCHANGE,
  EXCHANGES,
  type Exchange,
  normalizeSymbol,
  SYMBOL_MAX_LENGTH,
  SYMBOL_PATTERN,
  TRADING_MODES,
  type TradingMode,
} from './market';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth';
import { INSIGHT_ID_PATTERN } from './insight-id';
import { MARKET_REGIONS, RISK_PROFILES, type TradingModes, UNIVERSES } from './preferences.enums';
import type { PreferenceValues } from './preferences.rules';
import type { WatchlistEntry as StoredWatchlistEntry } from './watchlist';
import {
  ACCOUNT_PROFILE_KEY,
  DISMISSED_INSIGHTS_KEY,
  PREFERENCE_KEYS,
  SESSION_CACHE_KEYS,
  type StoredPreferenceField,
  WATCHLIST_KEY,
} from './local-storage.keys';

/** One symbol of a watchlist: a stored item without its notes (the browser kept none). */
export type WatchlistEntry = Pick<StoredWatchlistEntry, 'symbol' | 'exchange'>;

/** An item of a list that was left out, and why; `index` is its 0-based position in the browser's list or object. */
export interface SkippedItem {
  index: number;
  value: unknown;
  reason: string;
}

type PreferenceField = StoredPreferenceField;

/** A valid preference key: which field it sets, and to what. */
export type ParsedPreference = {
  [F in PreferenceField]: { key: string; kind: 'preference'; field: F; value: PreferenceValues[F] };
}[PreferenceField];

export interface ParsedWatchlist {
  key: string;
  kind: 'watchlist';
  /** Distinct symbols, in the browser's order. */
  items: WatchlistEntry[];
  /** Invalid items and repeats. */
  skipped: SkippedItem[];
}

export interface ParsedInsights {
  key: string;
  kind: 'insights';
  /** Distinct ids, in the browser's order. */
  ids: string[];
  skipped: SkippedItem[];
}

export interface ParsedProfile {
  key: string;
  kind: 'profile';
  name: string;
  /** The browser's `account_id`, reported and never imported. */
  accountId: string | null;
}

/** A session cache (`session`) or a key the import does not know (`unknown`). */
export interface IgnoredKey {
  key: string;
  kind: 'session' | 'unknown';
}

/** A known key whose value cannot be used; `skipped` lists the bad items of a list. */
export interface InvalidKey {
  key: string;
  kind: 'invalid';
  reason: string;
  skipped?: SkippedItem[];
}

export type ParsedKey = ParsedPreference | ParsedWatchlist | ParsedInsights | ParsedProfile | IgnoredKey | InvalidKey;

/** One result per key sent, in the order they were sent. */
export type ParsedLocalStorage = ParsedKey[];

type Result<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (reason: string): Result<never> => ({ ok: false, reason });

const PROFILE_NAME_MAX_LENGTH = 100; // users.name, as PATCH /users/me accepts it
const MAX_JSON_DECODES = 3; // JSON text inside JSON text: more levels is not a browser's doing
const SHOWN_VALUE_LENGTH = 40;

/** A value as a reason shows it: JSON, shortened (a reason must not echo a 5 MB string back). */
export function showValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH - 1)}…` : text;
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${showValue(value)}`;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Turns the stored string into a value: JSON when it parses, plain text otherwise (see the rules above). */
function decodeStoredValue(raw: string): Result<unknown> {
  let value: unknown = raw;
  for (let decodes = 0; decodes < MAX_JSON_DECODES && typeof value === 'string'; decodes++) {
    const text = value.trim();
    if (text === '[object Object]') {
      return fail('the browser stored "[object Object]" (an object saved without JSON.stringify): the value is lost');
    }
    try {
      value = JSON.parse(text);
    } catch {
      if (/^[[{"]/.test(text)) return fail('not valid JSON (truncated or malformed)');
      return ok(text);
    }
    // No value of this app nests deeper; the parsers below (and showValue) walk values recursively.
    if (exceedsJsonDepth(value)) return fail(`nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  return ok(value);
}

const canonical = (name: string) => name.replace(/[\s_-]/g, '').toLowerCase();

/** Case- and separator-insensitive lookup of an enumeration, built once per enumeration. */
function enumeration<T extends string>(values: readonly T[], what: string) {
  const byName = new Map(values.map((value) => [canonical(value), value]));
  const accepted = `${what} must be one of ${values.join(', ')}`;
  return (input: unknown): Result<T> => {
    if (typeof input !== 'string') return fail(`${accepted}, not ${typeName(input)}`);
    if (input.trim() === '') return fail(`empty value: ${accepted}`);
    const found = byName.get(canonical(input));
    return found ? ok(found) : fail(`${showValue(input)} is not known: ${accepted}`);
  };
}

const parseUniverse = enumeration(UNIVERSES, 'the universe');
const parseMarketRegion = enumeration(MARKET_REGIONS, 'the market region');
const parseRiskProfile = enumeration(RISK_PROFILES, 'the risk profile');
const parseMode = enumeration(TRADING_MODES, 'a trading mode');
const parseExchange = enumeration(EXCHANGES, 'the exchange');

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

function parseBoolean(input: unknown): Result<boolean> {
  if (typeof input === 'boolean') return ok(input);
  const word = typeof input === 'string' || typeof input === 'number' ? String(input).trim().toLowerCase() : undefined;
  if (word !== undefined && TRUE_WORDS.has(word)) return ok(true);
  if (word !== undefined && FALSE_WORDS.has(word)) return ok(false);
  return fail(`expected true or false (also "1"/"0", "yes"/"no"), not ${typeName(input)}`);
}

function parseTradingModes(input: unknown): Result<TradingModes> {
  const modes: TradingModes = { Intraday: false, Swing: false, Options: false, Futures: false };
  if (Array.isArray(input)) {
    for (const name of input) {
      const mode = parseMode(name);
      if (!mode.ok) return mode;
      modes[mode.value] = true;
    }
    return ok(modes);
  }
  if (!isPlainObject(input)) return fail(`expected an object such as {"Swing": true}, not ${typeName(input)}`);
  const seen = new Set<TradingMode>();
  for (const [name, flag] of Object.entries(input)) {
    const mode = parseMode(name);
    if (!mode.ok) return mode;
    const on = parseBoolean(flag);
    if (!on.ok) return fail(`${mode.value}: ${on.reason}`);
    if (seen.has(mode.value) && modes[mode.value] !== on.value) return fail(`${mode.value} is given twice, on and off`);
    seen.add(mode.value);
    modes[mode.value] = on.value;
  }
  return ok(modes);
}

function parsePrimaryMode(input: unknown): Result<TradingMode | null> {
  if (input === null || input === '') return ok(null);
  return parseMode(input);
}

function parseAuxiliaryModes(input: unknown): Result<TradingMode[]> {
  let names: unknown[];
  if (input === null) names = [];
  else if (Array.isArray(input)) names = input;
  else if (typeof input === 'string') names = input.split(',').filter((name) => name.trim() !== '');
  else return fail(`expected a list of trading modes, not ${typeName(input)}`);
  const modes: TradingMode[] = [];
  for (const name of names) {
    const mode = parseMode(name);
    if (!mode.ok) return mode;
    if (!modes.includes(mode.value)) modes.push(mode.value);
  }
  return ok(modes);
}

const PREFERENCE_PARSERS: { [F in PreferenceField]: (input: unknown) => Result<PreferenceValues[F]> } = {
  disclosureAccepted: parseBoolean,
  universe: parseUniverse,
  marketRegion: parseMarketRegion,
  riskProfile: parseRiskProfile,
  tradingModes: parseTradingModes,
  primaryMode: parsePrimaryMode,
  auxiliaryModes: parseAuxiliaryModes,
};

const YAHOO_SUFFIXES: ReadonlyArray<[suffix: string, exchange: Exchange]> = [
  ['.NS', 'NSE'],
  ['.BO', 'BSE'],
];

/** A symbol as text: `TCS`, `NSE:ITC`, `RELIANCE.NS`; `exchange` is the one an object named, if any. */
function parseSymbol(text: string, named: Exchange | undefined): Result<WatchlistEntry> {
  let symbol = normalizeSymbol(text);
  let exchange = named;
  const qualified = /^([A-Z]+)\s*:(.*)$/.exec(symbol);
  if (qualified) {
    const prefix = parseExchange(qualified[1]);
    if (!prefix.ok) return prefix;
    if (exchange && exchange !== prefix.value) return fail(`names two exchanges, ${exchange} and ${prefix.value}`);
    exchange = prefix.value;
    symbol = qualified[2].trim();
  }
  const yahoo = YAHOO_SUFFIXES.find(([suffix]) => symbol.length > suffix.length && symbol.endsWith(suffix));
  if (yahoo) {
    if (exchange && exchange !== yahoo[1])
      return fail(`names two exchanges, ${exchange} and ${yahoo[1]} (${yahoo[0]})`);
    exchange = yahoo[1];
    symbol = symbol.slice(0, -yahoo[0].length);
  }
  if (symbol === '') return fail('empty symbol');
  if (symbol.length > SYMBOL_MAX_LENGTH) return fail(`a symbol is at most ${SYMBOL_MAX_LENGTH} characters`);
  if (!SYMBOL_PATTERN.test(symbol)) return fail('a symbol is made of A-Z 0-9 & - . _ only');
  return ok({ symbol, exchange: exchange ?? DEFAULT_EXCHANGE });
}

function parseWatchlistItem(item: unknown): Result<WatchlistEntry> {
  if (typeof item === 'string') return parseSymbol(item, undefined);
  if (!isPlainObject(item)) return fail(`expected a symbol or {symbol, exchange}, not ${typeName(item)}`);
  if (typeof item.symbol !== 'string') return fail(`symbol must be text, not ${typeName(item.symbol)}`);
  if (item.exchange === undefined || item.exchange === null || item.exchange === '')
    return parseSymbol(item.symbol, undefined);
  const exchange = parseExchange(item.exchange);
  return exchange.ok ? parseSymbol(item.symbol, exchange.value) : exchange;
}

/** An item of a list with its position in the browser's value. */
type Positioned = [index: number, item: unknown];
const positioned = (items: unknown[]): Positioned[] => items.map((item, index) => [index, item]);

/**
 * Parses every item of a list, keeping the valid ones once each (the first occurrence wins)
 * and reporting the others; a list that had items but none usable is invalid.
 */
function parseList<T>(
  key: string,
  items: Positioned[],
  parseItem: (item: unknown) => Result<T>,
  identity: (value: T) => string,
  what: string,
): { values: T[]; skipped: SkippedItem[] } | InvalidKey {
  const values: T[] = [];
  const skipped: SkippedItem[] = [];
  const firstIndex = new Map<string, number>();
  for (const [index, item] of items) {
    const parsed = parseItem(item);
    if (!parsed.ok) {
      skipped.push({ index, value: item, reason: parsed.reason });
      continue;
    }
    const id = identity(parsed.value);
    const first = firstIndex.get(id);
    if (first !== undefined) {
      skipped.push({ index, value: item, reason: `repeats ${id} (index ${first})` });
      continue;
    }
    firstIndex.set(id, index);
    values.push(parsed.value);
  }
  if (items.length > 0 && values.length === 0) {
    return { ...invalid(key, `no valid ${what} among ${items.length} items`), skipped };
  }
  return { values, skipped };
}

function parseWatchlist(key: string, input: unknown): ParsedWatchlist | InvalidKey {
  if (!Array.isArray(input)) return invalid(key, `expected a JSON array of symbols, not ${typeName(input)}`);
  const list = parseList(key, positioned(input), parseWatchlistItem, (entry) => entry.symbol, 'symbol');
  return 'kind' in list ? list : { key, kind: 'watchlist', items: list.values, skipped: list.skipped };
}

function parseInsightId(item: unknown): Result<string> {
  if (typeof item !== 'string') return fail(`an insight id is text, not ${typeName(item)}`);
  const id = item.trim();
  return INSIGHT_ID_PATTERN.test(id) ? ok(id) : fail('an insight id is 1 to 128 of A-Z a-z 0-9 _ . : -');
}

/** `{"ins-9": true}`: the ids are the keys; one marked false (`false`, `0`, `"no"`) was never dismissed. */
function dismissedKeys(input: Record<string, unknown>): Positioned[] {
  return positioned(Object.keys(input)).filter(([, id]) => {
    const dismissed = parseBoolean(input[id as string]);
    return !dismissed.ok || dismissed.value;
  });
}

function parseInsights(key: string, input: unknown): ParsedInsights | InvalidKey {
  let items: Positioned[];
  if (Array.isArray(input)) items = positioned(input);
  else if (isPlainObject(input)) items = dismissedKeys(input);
  else return invalid(key, `expected a JSON array of insight ids or an object keyed by id, not ${typeName(input)}`);
  const list = parseList(key, items, parseInsightId, (id) => id, 'insight id');
  return 'kind' in list ? list : { key, kind: 'insights', ids: list.values, skipped: list.skipped };
}

function parseProfile(key: string, input: unknown): ParsedProfile | InvalidKey {
  if (!isPlainObject(input)) return invalid(key, `expected a JSON object {name, account_id}, not ${typeName(input)}`);
  if (typeof input.name !== 'string') return invalid(key, `name must be text, not ${typeName(input.name)}`);
  const name = input.name.trim();
  if (name.length < 1 || name.length > PROFILE_NAME_MAX_LENGTH) {
    return invalid(key, `name must be 1 to ${PROFILE_NAME_MAX_LENGTH} characters after trimming`);
  }
  const accountId = input.account_id;
  return {
    key,
    kind: 'profile',
    name,
    accountId: typeof accountId === 'string' || typeof accountId === 'number' ? String(accountId) : null,
  };
}

function invalid(key: string, reason: string): InvalidKey {
  return { key, kind: 'invalid', reason };
}

type KeyParser = (key: string, input: unknown) => ParsedKey;

/** What each known key is; a Map, so that keys such as `__proto__` or `constructor` are just unknown. */
const PARSERS = new Map<string, KeyParser>([
  ...Object.entries(PREFERENCE_KEYS).map(([field, key]): [string, KeyParser] => [
    key,
    (key, input) => {
      const parsed = PREFERENCE_PARSERS[field as PreferenceField](input);
      return parsed.ok
        ? ({ key, kind: 'preference', field, value: parsed.value } as ParsedPreference)
        : invalid(key, parsed.reason);
    },
  ]),
  [WATCHLIST_KEY, parseWatchlist],
  [DISMISSED_INSIGHTS_KEY, parseInsights],
  [ACCOUNT_PROFILE_KEY, parseProfile],
]);
const SESSION_CACHES = new Set<string>(SESSION_CACHE_KEYS);

/** Parses one key as the browser stored it. */
function parseLocalStorageEntry(key: string, raw: unknown): ParsedKey {
  if (SESSION_CACHES.has(key)) return { key, kind: 'session' };
  const parse = PARSERS.get(key);
  if (!parse) return { key, kind: 'unknown' };
  // The endpoint's validation sends strings only; the check keeps this function total anyway.
  if (typeof raw !== 'string') return invalid(key, `expected the text the browser stored, not ${typeName(raw)}`);
  const decoded = decodeStoredValue(raw);
  return decoded.ok ? parse(key, decoded.value) : invalid(key, decoded.reason);
}

/** Parses every key sent, one result per key, in the order sent; never throws on bad values. */
export function parseLocalStorage(entries: Record<string, string>): ParsedLocalStorage {
  return Object.entries(entries).map(([key, raw]) => parseLocalStorageEntry(key, raw));
}
