/**
 * The contract's defaults (DESIGN.md, "Preferences"), written out literally rather than taken
 * from the code: the specs check the code against the contract.
 */
export const CONTRACT_DEFAULTS = {
  disclosureAccepted: false,
  disclosureAcceptedAt: null,
  universe: 'NIFTY50',
  marketRegion: 'India',
  riskProfile: 'Moderate',
  tradingModes: { Intraday: false, Swing: true, Options: false, Futures: false },
  primaryMode: 'Swing',
  auxiliaryModes: [] as string[],
  version: 0,
  updatedAt: null,
};

/** The defaults without the bookkeeping a first save sets (version, updatedAt). */
export const { version: _version, updatedAt: _updatedAt, ...DEFAULT_VALUES } = CONTRACT_DEFAULTS;

/** `tradingModes` with the named modes on and the others off: `modes('Swing', 'Options')`. */
export const modes = (...on: string[]) => ({
  Intraday: on.includes('Intraday'),
  Swing: on.includes('Swing'),
  Options: on.includes('Options'),
  Futures: on.includes('Futures'),
});
