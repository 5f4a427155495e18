import { forEachConcurrently, type Scenario } from './scenario';

/**
 * The bodies `../shared/bench/compare.sh` sends (its `wrk/fyntrix/*.jsonl`), so that both
 * benchmarks measure the same writes. A user's writes take them in turn: consecutive writes of
 * one user always change the row, none is a no-op.
 */
const PUT_BODIES = [
  {
    disclosureAccepted: true,
    universe: 'NIFTY100',
    marketRegion: 'India',
    riskProfile: 'Moderate',
    tradingModes: { Intraday: false, Swing: true, Options: true, Futures: false },
    primaryMode: 'Swing',
    auxiliaryModes: ['Options'],
  },
  {
    disclosureAccepted: true,
    universe: 'NIFTY50',
    marketRegion: 'India',
    riskProfile: 'Aggressive',
    tradingModes: { Intraday: true, Swing: true, Options: false, Futures: false },
    primaryMode: 'Swing',
    auxiliaryModes: ['Intraday'],
  },
  {
    disclosureAccepted: true,
    universe: 'NIFTY500',
    marketRegion: 'Global',
    riskProfile: 'Conservative',
    tradingModes: { Intraday: false, Swing: true, Options: false, Futures: false },
    primaryMode: 'Swing',
    auxiliaryModes: [],
  },
].map((body) => JSON.stringify(body));

const PATCH_BODIES = ['Aggressive', 'Moderate', 'Conservative'].map((riskProfile) => JSON.stringify({ riskProfile }));

/** Each user's next body, by user id. */
const turns = new Map<string, number>();
const nextOf = (bodies: readonly string[], userId: string): string => {
  const turn = turns.get(userId) ?? 0;
  turns.set(userId, turn + 1);
  return bodies[turn % bodies.length];
};

/** As compare.sh does: every user has saved preferences before anything is measured. */
const savePreferences: Scenario['setup'] = (ctx) =>
  forEachConcurrently(8, ctx.users, async (user) => {
    const res = await fetch(`${ctx.baseUrl}/api/v1/preferences`, {
      method: 'PUT',
      headers: { authorization: user.authorization, 'content-type': 'application/json' },
      body: nextOf(PUT_BODIES, user.id),
    });
    if (res.status !== 200) throw new Error(`preferences setup answered ${res.status}: ${await res.text()}`);
  });

export const getPreferences: Scenario = {
  name: 'GET /preferences',
  setup: savePreferences,
  request: () => ({ method: 'GET', path: '/api/v1/preferences' }),
};

export const putPreferences: Scenario = {
  name: 'PUT /preferences',
  setup: savePreferences,
  request: (user) => ({ method: 'PUT', path: '/api/v1/preferences', body: nextOf(PUT_BODIES, user.id) }),
};

export const patchPreferences: Scenario = {
  name: 'PATCH /preferences',
  setup: savePreferences,
  request: (user) => ({ method: 'PATCH', path: '/api/v1/preferences', body: nextOf(PATCH_BODIES, user.id) }),
};
