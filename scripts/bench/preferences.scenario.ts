import { RISK_PROFILES, UNIVERSES } from '../../domain/preferences.enums';
import { pick, type Scenario } from './scenario';

export const getPreferences: Scenario = {
  name: 'GET /preferences',
  request: () => ({ method: 'GET', path: '/api/v1/preferences' }),
};

/** A random universe and risk profile: all but ~5% of these writes really change the row. */
export const patchPreferences: Scenario = {
  name: 'PATCH /preferences',
  request: () => ({
    method: 'PATCH',
    path: '/api/v1/preferences',
    body: JSON.stringify({ universe: pick(UNIVERSES), riskProfile: pick(RISK_PROFILES) }),
  }),
};
