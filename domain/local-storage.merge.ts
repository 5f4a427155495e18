/**
 * Decides what an import changes, given what the server already holds. Nothing here reads or
 * writes: the endpoint locks the user's rows, reads them into a `ServerState`, calls
 * `planImport` and applies the plan, so a replay of the same payload plans no change.
 *
 * The rules (DESIGN.md, "One-time localStorage import"):
 * - Preferences: once the user saved preferences on the server (`preferences !== null`), the
 *   server's values win and every preference key is `kept-server` (its detail names the
 *   browser's value when it differs). The one exception is the disclosure, accepted when
 *   either side accepted: a browser that accepted it turns a server `false` into `true`
 *   (`merged`). With nothing saved yet, the valid imported values are applied over the
 *   defaults (`imported`), then the modes are made consistent with `repairModes` rather than
 *   rejected (the primary and auxiliary modes are switched on, the primary mode is dropped
 *   from the auxiliary ones) and the repaired key's detail says what changed. A default
 *   primary mode never switches on a mode the browser had switched off: if the browser sent
 *   its modes but no usable primary mode, and the default one is off, there is no primary mode.
 * - Watchlist and dismissed insights are unions: new entries are appended after the saved
 *   ones in the browser's order. The outcome is `merged` when the server already held at
 *   least one entry, `imported` otherwise. The watchlist keeps at most WATCHLIST_MAX_ITEMS
 *   symbols and the dismissed insights at most DISMISSED_INSIGHTS_MAX ids: what does not fit
 *   is listed in the plan and in the detail, never dropped silently. A symbol already saved
 *   keeps the server's exchange.
 * - Profile: the browser's name fills the server's profile name only when that is empty;
 *   `account_id` is the server's own and is only reported.
 * - Session caches and unknown keys are `ignored`; invalid keys are `invalid` with the reason,
 *   and never stop the other keys.
 */
import { TRADING_MODES, type TradingMode, WATCHLIST_MAX_ITEMS } from './market';
import { DISMISSED_INSIGHTS_MAX } from './insight-id';
import { DEFAULT_PREFERENCES, type PreferenceValues, repairModes } from './preferences.rules';
import type { StoredPreferenceField } from './local-storage.keys';
import {
  type ParsedInsights,
  type ParsedLocalStorage,
  type ParsedPreference,
  type ParsedProfile,
  type ParsedWatchlist,
  type SkippedItem,
  showValue,
  type WatchlistEntry,
} from './local-storage.parser';

export const IMPORT_OUTCOMES = ['imported', 'merged', 'kept-server', 'ignored', 'invalid'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

/** The answer for one key sent. */
export interface KeyResult {
  key: string;
  outcome: ImportOutcome;
  detail: string;
  /** How many of the key's entries did not fit a limit (named in `detail`); absent when all fitted. */
  notStored?: number;
}

/** What the server holds for the user when the import runs. */
export interface ServerState {
  /** The saved preferences, or null if the user never saved any. */
  preferences: PreferenceValues | null;
  /** The saved watchlist, in position order. */
  watchlist: readonly WatchlistEntry[];
  dismissedInsightIds: readonly string[];
  /** The user's profile name; empty when the user has none. */
  profileName: string;
}

/** What to write. Empty lists and nulls mean "leave as it is". */
export interface ImportPlan {
  /** The complete preferences to save, or null to leave them alone. They pass `checkPreferenceRules`. */
  preferences: PreferenceValues | null;
  /** The import turns the disclosure from not accepted (or never saved) to accepted: stamp `disclosureAcceptedAt`. */
  acceptsDisclosure: boolean;
  /** Symbols to append after the saved ones, in this order. */
  watchlistToAdd: WatchlistEntry[];
  /** New symbols that did not fit the watchlist limit (reported, not added). */
  watchlistOverflow: WatchlistEntry[];
  insightIdsToAdd: string[];
  /** New dismissed insights that did not fit the cap (reported, not added). */
  insightIdsOverflow: string[];
  /** The profile name to set, or null to leave it. */
  profileName: string | null;
  /** One per key sent, in the order sent. */
  results: KeyResult[];
}

/** Whether applying the plan changes anything (a replay changes nothing, and is not audited). */
export function planChangesSomething(plan: ImportPlan): boolean {
  return (
    plan.preferences !== null ||
    plan.watchlistToAdd.length > 0 ||
    plan.insightIdsToAdd.length > 0 ||
    plan.profileName !== null
  );
}

/** Bad items listed in a detail: a list of thousands of bad items must not become a huge answer. */
const LISTED_SKIPPED_ITEMS = 20;

const count = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;
const inModeOrder = (modes: readonly TradingMode[]) => TRADING_MODES.filter((mode) => modes.includes(mode));
const list = (names: readonly string[]) => (names.length > 0 ? names.join(', ') : 'none');

type FieldValue = {
  [F in StoredPreferenceField]: { field: F; value: PreferenceValues[F] };
}[StoredPreferenceField];

/** A preference value as a person reads it; equal texts mean equal values (modes in a fixed order). */
function showPreference(parsed: FieldValue): string {
  switch (parsed.field) {
    case 'disclosureAccepted':
      return parsed.value ? 'accepted' : 'not accepted';
    case 'tradingModes':
      return `${list(TRADING_MODES.filter((mode) => parsed.value[mode]))} on`;
    case 'primaryMode':
      return parsed.value ?? 'none';
    case 'auxiliaryModes':
      return list(inModeOrder(parsed.value));
    default:
      return parsed.value;
  }
}

function showSkipped(skipped: readonly SkippedItem[] = []): string {
  if (skipped.length === 0) return '';
  const shown = skipped
    .slice(0, LISTED_SKIPPED_ITEMS)
    .map((item) => `index ${item.index} ${showValue(item.value)}: ${item.reason}`);
  const more = skipped.length > LISTED_SKIPPED_ITEMS ? `; and ${skipped.length - LISTED_SKIPPED_ITEMS} more` : '';
  return `${count(skipped.length, 'item')} skipped: ${shown.join('; ')}${more}`;
}

const sentences = (...parts: string[]) => parts.filter((part) => part !== '').join('; ');

/** Every entry that did not fit is named, so the import's record keeps them too. */
const didNotFit = (names: readonly string[], limit: number) =>
  names.length > 0 ? `${names.length} did not fit the ${limit}-item limit: ${names.join(', ')}` : '';

/** Counts what did not fit, so a client keeps its copy of the key (a named field, not a sentence to parse). */
const withNotStored = (result: KeyResult, notStored: number): KeyResult =>
  notStored > 0 ? { ...result, notStored } : result;

/**
 * Plans the import of parsed keys into what the server holds; pure, and total: every key
 * gets a result whatever its value.
 */
export function planImport(parsed: ParsedLocalStorage, server: ServerState): ImportPlan {
  const plan: ImportPlan = {
    preferences: null,
    acceptsDisclosure: false,
    watchlistToAdd: [],
    watchlistOverflow: [],
    insightIdsToAdd: [],
    insightIdsOverflow: [],
    profileName: null,
    results: [],
  };
  const preferenceResults = planPreferences(
    parsed.filter((entry): entry is ParsedPreference => entry.kind === 'preference'),
    server.preferences,
    plan,
  );
  plan.results = parsed.map((entry): KeyResult => {
    switch (entry.kind) {
      case 'preference':
        return preferenceResults.get(entry.key)!;
      case 'watchlist':
        return planWatchlist(entry, server.watchlist, plan);
      case 'insights':
        return planInsights(entry, server.dismissedInsightIds, plan);
      case 'profile':
        return planProfile(entry, server.profileName, plan);
      case 'session':
        return { key: entry.key, outcome: 'ignored', detail: 'a session cache of market data: not kept on the server' };
      case 'unknown':
        return { key: entry.key, outcome: 'ignored', detail: 'not a key of this app: not imported' };
      case 'invalid':
        return { key: entry.key, outcome: 'invalid', detail: sentences(entry.reason, showSkipped(entry.skipped)) };
    }
  });
  return plan;
}

function planPreferences(
  imported: ParsedPreference[],
  saved: PreferenceValues | null,
  plan: ImportPlan,
): Map<string, KeyResult> {
  const results = new Map<string, KeyResult>();
  if (saved !== null) {
    for (const entry of imported) {
      const accepts = entry.field === 'disclosureAccepted' && entry.value && !saved.disclosureAccepted;
      if (accepts) {
        plan.preferences = { ...saved, disclosureAccepted: true };
        plan.acceptsDisclosure = true;
        const detail = 'accepted: this browser had accepted the disclosure';
        results.set(entry.key, { key: entry.key, outcome: 'merged', detail });
        continue;
      }
      const server = showPreference({ field: entry.field, value: saved[entry.field] } as FieldValue);
      const browser = showPreference(entry);
      const detail =
        server === browser
          ? `the server's saved value is the same: ${server}`
          : `the server's saved value wins: ${server} (this browser: ${browser})`;
      results.set(entry.key, { key: entry.key, outcome: 'kept-server', detail });
    }
    return results;
  }
  if (imported.length === 0) return results;

  const values: PreferenceValues = { ...DEFAULT_PREFERENCES };
  for (const entry of imported) Object.assign(values, { [entry.field]: entry.value });
  const sent = new Set(imported.map((entry) => entry.field));
  const notes = new Map<keyof PreferenceValues, string[]>();
  const note = (field: keyof PreferenceValues, text: string) => notes.set(field, [...(notes.get(field) ?? []), text]);

  if (
    sent.has('tradingModes') &&
    !sent.has('primaryMode') &&
    values.primaryMode &&
    !values.tradingModes[values.primaryMode]
  ) {
    note('tradingModes', `no primary mode, as the default one (${values.primaryMode}) is off`);
    values.primaryMode = null;
  }
  const repaired = repairModes(values);
  for (const mode of TRADING_MODES) {
    if (!repaired.tradingModes[mode] || values.tradingModes[mode]) continue;
    const cause = mode === repaired.primaryMode ? 'primaryMode' : 'auxiliaryModes';
    const role = cause === 'primaryMode' ? 'the primary mode' : 'an auxiliary mode';
    note(sent.has('tradingModes') ? 'tradingModes' : cause, `${mode} switched on as ${role}`);
  }
  if (values.primaryMode && values.auxiliaryModes.includes(values.primaryMode)) {
    note('auxiliaryModes', `${values.primaryMode} dropped as it is the primary mode`);
  }

  plan.preferences = repaired;
  plan.acceptsDisclosure = repaired.disclosureAccepted;
  for (const entry of imported) {
    const repairs = notes.get(entry.field);
    const shown = showPreference({ field: entry.field, value: repaired[entry.field] } as FieldValue);
    const detail = sentences(`imported: ${shown}`, repairs ? `repaired: ${repairs.join(', ')}` : '');
    results.set(entry.key, { key: entry.key, outcome: 'imported', detail });
  }
  return results;
}

function planWatchlist(parsed: ParsedWatchlist, saved: readonly WatchlistEntry[], plan: ImportPlan): KeyResult {
  const savedBySymbol = new Map(saved.map((entry) => [entry.symbol, entry]));
  const room = Math.max(0, WATCHLIST_MAX_ITEMS - saved.length);
  const otherExchange: string[] = [];
  let present = 0;
  for (const item of parsed.items) {
    const existing = savedBySymbol.get(item.symbol);
    if (existing) {
      present++;
      if (existing.exchange !== item.exchange) {
        otherExchange.push(`${item.symbol} stays on ${existing.exchange} (this browser: ${item.exchange})`);
      }
    } else if (plan.watchlistToAdd.length < room) {
      plan.watchlistToAdd.push(item);
    } else {
      plan.watchlistOverflow.push(item);
    }
  }
  const detail = sentences(
    `${count(plan.watchlistToAdd.length, 'symbol')} added`,
    present > 0 ? `${present} already present` : '',
    ...otherExchange,
    didNotFit(
      plan.watchlistOverflow.map((item) => item.symbol),
      WATCHLIST_MAX_ITEMS,
    ),
    showSkipped(parsed.skipped),
  );
  return withNotStored(
    { key: parsed.key, outcome: saved.length > 0 ? 'merged' : 'imported', detail },
    plan.watchlistOverflow.length,
  );
}

function planInsights(parsed: ParsedInsights, saved: readonly string[], plan: ImportPlan): KeyResult {
  const savedIds = new Set(saved);
  const room = Math.max(0, DISMISSED_INSIGHTS_MAX - saved.length);
  const fresh = parsed.ids.filter((id) => !savedIds.has(id));
  plan.insightIdsToAdd = fresh.slice(0, room);
  plan.insightIdsOverflow = fresh.slice(room);
  const present = parsed.ids.length - fresh.length;
  const detail = sentences(
    `${count(plan.insightIdsToAdd.length, 'dismissed insight')} added`,
    present > 0 ? `${present} already dismissed` : '',
    didNotFit(plan.insightIdsOverflow, DISMISSED_INSIGHTS_MAX),
    showSkipped(parsed.skipped),
  );
  return withNotStored(
    { key: parsed.key, outcome: saved.length > 0 ? 'merged' : 'imported', detail },
    plan.insightIdsOverflow.length,
  );
}

function planProfile(parsed: ParsedProfile, savedName: string, plan: ImportPlan): KeyResult {
  const accountId =
    parsed.accountId === null
      ? ''
      : `account_id ${showValue(parsed.accountId)} not imported: the account id is the server's own`;
  if (savedName.trim() === '') {
    plan.profileName = parsed.name;
    return {
      key: parsed.key,
      outcome: 'imported',
      detail: sentences(`name set to ${JSON.stringify(parsed.name)}`, accountId),
    };
  }
  const name =
    savedName === parsed.name
      ? `the server's name is the same: ${JSON.stringify(savedName)}`
      : `the server's name wins: ${JSON.stringify(savedName)} (this browser: ${JSON.stringify(parsed.name)})`;
  return { key: parsed.key, outcome: 'kept-server', detail: sentences(name, accountId) };
}
