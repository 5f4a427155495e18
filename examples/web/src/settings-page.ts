/**
 * The settings page: sign in; read the feature flags; run the one-time import of what this
 * browser's `localStorage` holds; show the preferences and watchlist from the API, or this
 * browser's values with a notice when the API cannot be reached; edit a preference without
 * overwriting a change made elsewhere; show changes made in other tabs and devices as they happen.
 */
import {
  type ChangeHandlers,
  type FeaturesResponse,
  FyntrixApiError,
  FyntrixRefreshError,
  type LocalWatchlistItem,
  type MigrationResult,
  migrateLocalStorage,
  type PreferenceValues,
  type Preferences,
  problemOf,
  readPreferences,
  readWatchlist,
  RISK_PROFILES,
  savePreferences,
  subscribeToChanges,
  TRADING_MODES,
  UNIVERSES,
} from '@fyntrix/api-client';
import { client, session } from './api';
import { element, fillSelect, formValue, showNotice } from './dom';

const signInForm = element<HTMLFormElement>('#sign-in');
const signInError = element('#sign-in-error');
const signOutButton = element<HTMLButtonElement>('#sign-out');
const account = element('#account');
const editForm = element<HTMLFormElement>('#edit');

/** The preferences shown, as the API answered them: an edit is made to this version. Null while they come from this browser. */
let shown: Preferences | null = null;
/** Stops following the account's changes (at sign-out). */
let following: AbortController | null = null;

export function startSettingsPage(): void {
  fillSelect(editForm, 'riskProfile', RISK_PROFILES);
  fillSelect(editForm, 'universe', UNIVERSES);
  signInForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void guarded(signIn);
  });
  editForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void guarded(() => busy(editForm, saveEdit));
  });
  signOutButton.addEventListener('click', () => void guarded(signOut));
  if (session.get()) void guarded(showAccount);
  else showSignIn();
}

/** Runs a step of the page; whatever it throws is shown, never left uncaught. */
async function guarded(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (error instanceof FyntrixRefreshError) {
      session.set(null);
      showSignIn();
      showNotice('Your session has ended: sign in again.', 'warning');
    } else if (error instanceof FyntrixApiError) {
      const { title, detail, requestId } = error.problem;
      showNotice(`${title}: ${detail}${requestId ? ` (request ${requestId})` : ''}`, 'error');
    } else {
      showNotice(`Something went wrong: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  }
}

function showSignIn(): void {
  account.hidden = true;
  signOutButton.hidden = true;
  signInForm.hidden = false;
}

async function signIn(): Promise<void> {
  signInError.hidden = true;
  const body = { email: formValue(signInForm, 'email'), password: formValue(signInForm, 'password') };
  const answer = await client.POST('/api/v1/auth/login', { body });
  if (!answer.data) {
    signInError.textContent = problemOf(answer).detail;
    signInError.hidden = false;
    return;
  }
  session.set(answer.data);
  signInForm.reset();
  await showAccount();
}

async function signOut(): Promise<void> {
  following?.abort();
  const refreshToken = session.get()?.refreshToken;
  session.set(null);
  showSignIn();
  showNotice('Signed out.');
  // Ends the session on the server too; signed out here whatever it answers.
  if (refreshToken) await client.POST('/api/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined);
}

/** While `step` runs, `region` is marked busy (for assistive technology, and for the tests to wait on). */
async function busy(region: HTMLElement, step: () => Promise<void>): Promise<void> {
  region.setAttribute('aria-busy', 'true');
  try {
    await step();
  } finally {
    region.setAttribute('aria-busy', 'false');
  }
}

/** After sign-in and on every visit: flags, the one-time import, then what the account holds. */
function showAccount(): Promise<void> {
  signInForm.hidden = true;
  signOutButton.hidden = false;
  account.hidden = false;
  element('#notice').hidden = true;
  return busy(account, async () => {
    await loadAccount();
    if (shown) followChanges();
  });
}

/**
 * Live sync: a change of the preferences or the watchlist made anywhere else (another tab, the
 * phone) is read again and shown, without a reload; `resync` (changes may have been missed) reads
 * both. This tab's own saves come back too: a preferences event of the version shown is skipped.
 */
function followChanges(): void {
  following?.abort();
  const stop = (following = new AbortController());
  const status = element('#live');
  const onEvent: ChangeHandlers['onEvent'] = (event) => {
    if (event.event === 'ready') status.textContent = 'Live: changes made elsewhere appear here.';
    else if (event.event === 'preferences' && event.data.version !== shown?.version) void guarded(showPreferences);
    else if (event.event === 'watchlist') void guarded(showWatchlist);
    else if (event.event === 'resync') void guarded(() => Promise.all([showPreferences(), showWatchlist()]).then());
  };
  const onDisconnect = () => (status.textContent = 'Not live: reconnecting…');
  subscribeToChanges(client, { onEvent, onDisconnect }, { signal: stop.signal }).catch((error: unknown) => {
    status.textContent = 'Not live.';
    void guarded(() => Promise.reject(error));
  });
}

async function showPreferences(): Promise<void> {
  const read = await readPreferences(client, localStorage);
  if (read.source !== 'api') return;
  shown = read.preferences;
  renderPreferences(shown);
}

async function showWatchlist(): Promise<void> {
  const read = await readWatchlist(client, localStorage);
  if (read.source === 'api') renderWatchlist(read.items);
}

async function loadAccount(): Promise<void> {
  const features = await readFeatures();
  element('#features').textContent = features
    ? `Preferences on the server: ${onOff(features.serverPreferences)}; import of this browser's data: ${onOff(features.localStorageImport)}.`
    : 'The feature flags could not be read.';
  // Once done, the import returns at once without a request (its marker is in localStorage).
  const migration = features ? await migrateLocalStorage(client, localStorage, { features }) : null;
  element('#migration').textContent = describeMigration(migration);

  const [preferences, watchlist] = await Promise.all([
    readPreferences(client, localStorage),
    readWatchlist(client, localStorage),
  ]);
  shown = preferences.source === 'api' ? preferences.preferences : null;
  renderPreferences(preferences.preferences);
  renderWatchlist(watchlist.items);
  const fromApi = preferences.source === 'api' && watchlist.source === 'api';
  element('#preferences-source').textContent =
    preferences.source === 'api' ? 'from your account' : 'saved in this browser';
  element('#watchlist-source').textContent = watchlist.source === 'api' ? 'from your account' : 'saved in this browser';
  editForm.querySelector('button')!.disabled = shown === null;
  if (!fromApi) {
    showNotice(
      'The fyntrix API cannot be reached: showing the preferences and watchlist saved in this browser. Editing is off until it is back.',
      'warning',
    );
  }
}

/** The caller's flags; null when the API cannot be reached (other failures are thrown). */
async function readFeatures(): Promise<FeaturesResponse | null> {
  try {
    const answer = await client.GET('/api/v1/features');
    if (answer.data) return answer.data;
    throw new FyntrixApiError(problemOf(answer));
  } catch (error) {
    if (error instanceof TypeError) return null; // fetch's network error
    throw error;
  }
}

function describeMigration(migration: MigrationResult | null): string {
  switch (migration?.status) {
    case undefined:
      return 'The import of what this browser holds waits until the API can be reached.';
    case 'migrated':
      return `Imported this browser's data: ${migration.removedKeys.length} keys moved to your account, ${migration.keptKeys.length} kept here.`;
    case 'already-migrated':
      return `This browser's data was imported${migration.marker ? ` on ${new Date(migration.marker.importedAt).toLocaleString()}` : ''}.`;
    case 'nothing-to-import':
      return 'This browser holds nothing to import.';
    case 'disabled':
      return "The import of this browser's data is not rolled out to your account yet.";
    case 'failed':
      return 'The import failed; it runs again on your next visit.';
  }
}

const onOff = (on: boolean) => (on ? 'on' : 'off');
const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : 'none');

/** The fields shown, each in a `<dd data-field="…">`. */
const FIELDS: [label: string, field: keyof PreferenceValues, show: (values: PreferenceValues) => string][] = [
  ['Disclosure', 'disclosureAccepted', (v) => (v.disclosureAccepted ? 'accepted' : 'not accepted')],
  ['Universe', 'universe', (v) => v.universe],
  ['Market region', 'marketRegion', (v) => v.marketRegion],
  ['Risk profile', 'riskProfile', (v) => v.riskProfile],
  ['Trading modes', 'tradingModes', (v) => list(TRADING_MODES.filter((mode) => v.tradingModes[mode]))],
  ['Primary mode', 'primaryMode', (v) => v.primaryMode ?? 'none'],
  ['Auxiliary modes', 'auxiliaryModes', (v) => list(v.auxiliaryModes)],
];

function renderPreferences(values: PreferenceValues): void {
  const rows = FIELDS.flatMap(([label, field, show]) => {
    const term = document.createElement('dt');
    term.textContent = label;
    const value = document.createElement('dd');
    value.dataset.field = field;
    value.textContent = show(values);
    return [term, value];
  });
  element('#preferences').replaceChildren(...rows);
  for (const name of ['riskProfile', 'universe'] as const) {
    editForm.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!.value = values[name];
  }
}

function renderWatchlist(items: readonly LocalWatchlistItem[]): void {
  const rows = items.map(({ symbol, exchange }) => {
    const row = document.createElement('li');
    row.textContent = `${symbol} (${exchange})`;
    return row;
  });
  element('#watchlist').replaceChildren(...rows);
}

/** Saves the edit onto the version shown; a change made elsewhere meanwhile is shown, not overwritten. */
async function saveEdit(): Promise<void> {
  if (!shown) return;
  const changes = {
    riskProfile: formValue(editForm, 'riskProfile') as Preferences['riskProfile'],
    universe: formValue(editForm, 'universe') as Preferences['universe'],
  };
  const result = await savePreferences(client, shown, changes);
  if (result.status === 'saved') {
    shown = result.preferences;
    renderPreferences(shown);
    showNotice(`Saved (version ${shown.version}).`);
    return;
  }
  shown = result.current;
  renderPreferences(shown);
  showNotice(
    `Your preferences were changed elsewhere (now version ${shown.version}), so your edit was not saved. ` +
      'They are shown as saved now: make your change again.',
    'warning',
  );
}
