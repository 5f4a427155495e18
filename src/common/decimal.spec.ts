import { compareDecimals, decimalPattern, weightedAverage } from './decimal';

describe('decimal strings', () => {
  it.each([
    ['1', '1.0000', 0],
    ['0.3', '0.29999', 1],
    ['12345678901234.5678', '12345678901234.5679', -1],
    ['-0.5', '0.1', -1],
    ['-2', '-10', 1],
    ['99999999999999999999.9999', '100000000000000000000', -1],
  ])('compares %s with %s exactly', (a, b, expected) => {
    expect(compareDecimals(a, b)).toBe(expected);
    expect(compareDecimals(b, a)).toBe(-expected || 0);
  });

  it('builds the pattern of a column', () => {
    const price = decimalPattern({ integerDigits: 3, fractionDigits: 2, sign: 'positive' });
    expect(['1', '999.99', '0.5', '007'].every((v) => price.test(v))).toBe(true);
    expect(['1000', '1.234', '-1', '1.', '.5', '1e3', ' 1', ''].some((v) => price.test(v))).toBe(false);
    const cash = decimalPattern({ integerDigits: 3, fractionDigits: 2, sign: 'any' });
    expect(cash.test('-12.5')).toBe(true);
    expect(cash.test('+12.5')).toBe(false);
  });

  it.each([
    ['0', 0, '100.25', 4, '100.2500'],
    ['100.2500', 4, '100.5', 4, '100.3750'],
    ['10', 1, '10.0001', 2, '10.0001'],
    ['0.0001', 1, '0', 2, '0.0000'],
    ['0.0002', 1, '0', 2, '0.0001'],
    ['99999999999999.9999', 999999999999, '99999999999999.9999', 1, '99999999999999.9999'],
    ['0.1', 1, '0.2', 1, '0.1500'],
  ])('averages %s ×%i and %s ×%i exactly to %s', (a, m, b, n, expected) => {
    expect(weightedAverage(a, m, b, n, 4)).toBe(expected);
  });
});
