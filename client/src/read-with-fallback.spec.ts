import { POWER_USER_EXPECTED } from '../../test/fixtures/local-storage/expected';
import { loadDump } from '../../test/fixtures/local-storage/load';
import { modes } from '../../test/support/preferences';
import { createFyntrixClient } from './client';
import { FyntrixApiError } from './errors';
import { readPreferences, readWatchlist } from './read-with-fallback';
import { FakeStorage, fakeApi, type Handler, json, networkError, problem } from './testing/fakes';

const PREFERENCES = 'GET /api/v1/preferences';
const WATCHLIST = 'GET /api/v1/watchlist';

const SAVED_PREFERENCES = {
  disclosureAccepted: true,
  disclosureAcceptedAt: '2026-11-20T10:00:00.000Z',
  universe: 'NIFTY100',
  marketRegion: 'India',
  riskProfile: 'Moderate',
  tradingModes: { Intraday: false, Swing: true, Options: false, Futures: false },
  primaryMode: 'Swing',
  auxiliaryModes: [],
  version: 3,
  updatedAt: '2026-11-21T10:00:00.000Z',
};
const SAVED_WATCHLIST = {
  items: [{ symbol: 'ITC', exchange: 'NSE', notes: null, addedAt: '2026-11-21T10:00:00.000Z', position: 0 }],
  count: 1,
};

function setup(routes: Record<string, Handler>, entries: Record<string, string> = loadDump('power-user')) {
  const api = fakeApi(routes);
  const client = createFyntrixClient({ baseUrl: 'http://api.test', getAccessToken: () => 'token-1', fetch: api.fetch });
  return { client, storage: new FakeStorage(entries), entries };
}

const UNREACHABLE: [string, Handler, number | undefined][] = [
  ['a network error', networkError, undefined],
  ['500', () => problem(500, 'internal'), 500],
  ['503', () => problem(503, 'database unavailable'), 503],
];

describe('readPreferences', () => {
  it("answers the API's preferences when it is reachable", async () => {
    const { client, storage } = setup({ [PREFERENCES]: () => json(200, SAVED_PREFERENCES) });

    expect(await readPreferences(client, storage)).toEqual({ source: 'api', preferences: SAVED_PREFERENCES });
  });

  it.each(UNREACHABLE)(
    "on %s reads this browser's keys instead, leniently, leaving storage alone",
    async (_, failure, httpStatus) => {
      const { client, storage, entries } = setup({ [PREFERENCES]: failure });

      const read = await readPreferences(client, storage);

      expect(read).toEqual({
        source: 'local-storage',
        preferences: POWER_USER_EXPECTED.preferences,
        error: expect.anything(),
        ...(httpStatus && { httpStatus }),
      });
      expect(storage.snapshot()).toEqual(entries);
    },
  );

  it('reads old encodings as the import does', async () => {
    const { client, storage } = setup({ [PREFERENCES]: networkError }, loadDump('legacy-formats'));

    expect((await readPreferences(client, storage)).preferences).toEqual({
      disclosureAccepted: true,
      universe: 'NIFTY50',
      marketRegion: 'Global',
      riskProfile: 'Conservative',
      tradingModes: modes('Swing', 'Futures'),
      primaryMode: 'Futures',
      auxiliaryModes: ['Swing'],
    });
  });

  it('falls back to the defaults for the keys this browser lacks or holds damaged', async () => {
    const { client, storage } = setup(
      { [PREFERENCES]: networkError },
      { arise_universe: 'NIFTY9000', arise_risk: 'conservative' },
    );

    expect((await readPreferences(client, storage)).preferences).toEqual({
      disclosureAccepted: false,
      universe: 'NIFTY50',
      marketRegion: 'India',
      riskProfile: 'Conservative',
      tradingModes: modes('Swing'),
      primaryMode: 'Swing',
      auxiliaryModes: [],
    });
  });

  it('gives fresh defaults that the caller may change', async () => {
    const { client, storage } = setup({ [PREFERENCES]: networkError }, {});
    const first = await readPreferences(client, storage);
    first.preferences.tradingModes.Options = true;

    expect((await readPreferences(client, storage)).preferences.tradingModes).toEqual(modes('Swing'));
  });

  it.each([
    [401, 'expired'],
    [429, 'slow down'],
  ])('leaves a %i to the caller: it throws', async (status, detail) => {
    const { client, storage } = setup({ [PREFERENCES]: () => problem(status, detail) });

    const read = readPreferences(client, storage);

    await expect(read).rejects.toBeInstanceOf(FyntrixApiError);
    await expect(read).rejects.toMatchObject({ status, problem: { status, detail }, message: `${status}: ${detail}` });
  });
});

describe('readWatchlist', () => {
  it("answers the API's watchlist when it is reachable", async () => {
    const { client, storage } = setup({ [WATCHLIST]: () => json(200, SAVED_WATCHLIST) });

    expect(await readWatchlist(client, storage)).toEqual({ source: 'api', items: SAVED_WATCHLIST.items });
  });

  it.each(UNREACHABLE)("on %s reads this browser's watchlist in its order", async (_, failure, httpStatus) => {
    const { client, storage } = setup({ [WATCHLIST]: failure });

    const read = await readWatchlist(client, storage);

    expect(read).toMatchObject({ source: 'local-storage', ...(httpStatus && { httpStatus }) });
    expect(read.items).toEqual(
      ['RELIANCE', 'TCS', 'HDFCBANK', 'INFY', 'M&M', 'BAJAJ-AUTO', 'NIFTYBEES', 'TATAMOTORS'].map((symbol) => ({
        symbol,
        exchange: 'NSE',
      })),
    );
  });

  it('normalises old encodings and drops repeats and bad items', async () => {
    const legacy = setup({ [WATCHLIST]: networkError }, loadDump('legacy-formats'));
    expect((await readWatchlist(legacy.client, legacy.storage)).items).toEqual([
      { symbol: 'SBIN', exchange: 'NSE' },
      { symbol: 'ITC', exchange: 'NSE' },
      { symbol: 'RELIANCE', exchange: 'NSE' },
      { symbol: '500325', exchange: 'BSE' },
      { symbol: 'WIPRO', exchange: 'NSE' },
      { symbol: 'TCS', exchange: 'NSE' },
    ]);

    const damaged = setup({ [WATCHLIST]: networkError }, loadDump('damaged'));
    const items = (await readWatchlist(damaged.client, damaged.storage)).items;
    expect(items.slice(0, 3).map((item) => item.symbol)).toEqual(['GOOD1', 'S0', 'S1']);
    expect(items).toHaveLength(500);
  });

  it('is empty without a watchlist in this browser', async () => {
    const { client, storage } = setup({ [WATCHLIST]: networkError }, {});

    expect(await readWatchlist(client, storage)).toMatchObject({ source: 'local-storage', items: [] });
  });
});
