import { checkPreferenceRules, DEFAULT_PREFERENCES, type PreferenceValues, repairModes } from './preferences.rules';

const withModes = (patch: Partial<PreferenceValues>): PreferenceValues => ({ ...DEFAULT_PREFERENCES, ...patch });
const modes = (on: string[]) => ({
  Intraday: on.includes('Intraday'),
  Swing: on.includes('Swing'),
  Options: on.includes('Options'),
  Futures: on.includes('Futures'),
});

describe('preference rules', () => {
  it('accepts the defaults', () => {
    expect(checkPreferenceRules(DEFAULT_PREFERENCES)).toEqual([]);
  });

  it('accepts no primary mode at all', () => {
    expect(checkPreferenceRules(withModes({ primaryMode: null, tradingModes: modes([]) }))).toEqual([]);
  });

  it.each([
    ['a disabled primary mode', { primaryMode: 'Options' as const }, ['primaryMode']],
    ['a disabled auxiliary mode', { auxiliaryModes: ['Futures' as const] }, ['auxiliaryModes.0']],
    [
      'the primary mode as auxiliary',
      { tradingModes: modes(['Swing', 'Options']), auxiliaryModes: ['Options' as const, 'Swing' as const] },
      ['auxiliaryModes.1'],
    ],
    [
      'a repeated auxiliary mode',
      { tradingModes: modes(['Swing', 'Options']), auxiliaryModes: ['Options' as const, 'Options' as const] },
      ['auxiliaryModes.1'],
    ],
  ])('rejects %s', (_name, patch, fields) => {
    expect(checkPreferenceRules(withModes(patch)).map((e) => e.field)).toEqual(fields);
  });

  it('repairs imported modes so that they pass the rules', () => {
    const broken = withModes({
      tradingModes: modes([]),
      primaryMode: 'Futures',
      auxiliaryModes: ['Swing', 'Futures', 'Swing'],
    });
    const repaired = repairModes(broken);
    expect(repaired.tradingModes).toEqual(modes(['Futures', 'Swing']));
    expect(repaired.auxiliaryModes).toEqual(['Swing']);
    expect(checkPreferenceRules(repaired)).toEqual([]);
  });
});
