import type { FieldError } from './field-error';
import { TRADING_MODES, type TradingMode } from './market';
import type { MarketRegion, RiskProfile, TradingModes, Universe } from './preferences.enums';

/** The writable part of a user's preferences. */
export interface PreferenceValues {
  disclosureAccepted: boolean;
  universe: Universe;
  marketRegion: MarketRegion;
  riskProfile: RiskProfile;
  tradingModes: TradingModes;
  primaryMode: TradingMode | null;
  auxiliaryModes: TradingMode[];
}

/** What `GET /preferences` answers before anything was saved (the contract's defaults). */
export const DEFAULT_PREFERENCES: Readonly<PreferenceValues> = Object.freeze({
  disclosureAccepted: false,
  universe: 'NIFTY50',
  marketRegion: 'India',
  riskProfile: 'Moderate',
  tradingModes: { Intraday: false, Swing: true, Options: false, Futures: false },
  primaryMode: 'Swing',
  auxiliaryModes: [],
});

/**
 * The writable fields, in the contract's order: what a write takes from a request, and what the
 * server stores (each in the column of its name in snake_case). The keys of the defaults are exactly
 * the fields: the literal above must have each one and may have no other.
 */
export const PREFERENCE_FIELDS = Object.keys(DEFAULT_PREFERENCES) as readonly (keyof PreferenceValues)[];

/**
 * The cross-field rules: the primary mode is an enabled mode (or null), and auxiliary modes
 * are enabled modes other than the primary one, each at most once.
 */
export function checkPreferenceRules(values: PreferenceValues): FieldError[] {
  const errors: FieldError[] = [];
  const enabled = (mode: TradingMode) => values.tradingModes[mode] === true;
  if (values.primaryMode !== null && !enabled(values.primaryMode)) {
    errors.push({
      field: 'primaryMode',
      message: `primaryMode ${values.primaryMode} must be one of the enabled trading modes`,
    });
  }
  values.auxiliaryModes.forEach((mode, index) => {
    if (!enabled(mode)) {
      errors.push({
        field: `auxiliaryModes.${index}`,
        message: `auxiliary mode ${mode} must be an enabled trading mode`,
      });
    } else if (mode === values.primaryMode) {
      errors.push({ field: `auxiliaryModes.${index}`, message: `auxiliary mode ${mode} is already the primary mode` });
    } else if (values.auxiliaryModes.indexOf(mode) !== index) {
      errors.push({ field: `auxiliaryModes.${index}`, message: `auxiliary mode ${mode} is listed twice` });
    }
  });
  return errors;
}

/**
 * Makes imported modes consistent instead of rejecting them: the primary mode is switched on,
 * auxiliary modes are switched on, and repeats of the primary mode are dropped.
 */
export function repairModes(values: PreferenceValues): PreferenceValues {
  const tradingModes = { ...values.tradingModes };
  if (values.primaryMode) tradingModes[values.primaryMode] = true;
  const auxiliaryModes = [...new Set(values.auxiliaryModes)].filter((mode) => mode !== values.primaryMode);
  for (const mode of auxiliaryModes) tradingModes[mode] = true;
  return { ...values, tradingModes, auxiliaryModes: TRADING_MODES.filter((m) => auxiliaryModes.includes(m)) };
}
