import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';

/**
 * Money, prices and fractional quantities travel as decimal strings (`"2500.50"`), never as
 * JSON numbers: a float cannot hold `0.1` or an 18-digit amount exactly. Arithmetic on them
 * happens in PostgreSQL `numeric`, or on scaled integers here.
 */
export interface DecimalFormat {
  /** Digits allowed before the point (the column's precision minus its scale). */
  integerDigits: number;
  /** Digits allowed after the point (the column's scale). */
  fractionDigits: number;
  /** `positive` (> 0), `non-negative` (>= 0) or `any` (a leading `-` allowed). */
  sign: 'positive' | 'non-negative' | 'any';
}

export function decimalPattern(format: DecimalFormat): RegExp {
  const minus = format.sign === 'any' ? '-?' : '';
  return new RegExp(`^${minus}\\d{1,${format.integerDigits}}(\\.\\d{1,${format.fractionDigits}})?$`);
}

/** The longest string `decimalPattern(format)` accepts: sign, digits, point, decimals. */
export function decimalMaxLength(format: DecimalFormat): number {
  return (format.sign === 'any' ? 1 : 0) + format.integerDigits + 1 + format.fractionDigits;
}

/** A decimal string of a response, documented with its bound (the column's precision and scale). */
export const ApiDecimal = (format: DecimalFormat, options: { nullable?: boolean } = {}) =>
  ApiProperty({ type: String, maxLength: decimalMaxLength(format), ...options });

const SIGN_WORDS = { positive: 'greater than 0', 'non-negative': 'not negative', any: 'with an optional leading -' };

/** A body field holding a decimal string of the given shape (400 otherwise, numbers included). */
export function IsDecimalString(format: DecimalFormat, example: string) {
  const pattern = decimalPattern(format);
  const rule = `a decimal string ${SIGN_WORDS[format.sign]}, at most ${format.integerDigits} digits before the point and ${format.fractionDigits} after (e.g. "${example}"; JSON numbers are not accepted)`;
  return applyDecorators(
    ValidateBy({
      name: 'isDecimalString',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && pattern.test(value) && (format.sign !== 'positive' || /[1-9]/.test(value)),
        defaultMessage: (args) => `${args?.property} must be ${rule}`,
      },
    }),
    // The field's doc comment describes it; the pattern and example say the shape.
    ApiProperty({ type: String, pattern: pattern.source, maxLength: decimalMaxLength(format), example }),
  );
}

/** The value in units of 10^-scale, exactly (`"12.5"` at scale 4 → 125000n). */
function toScaledInteger(value: string, scale: number): bigint {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  if (fraction.length > scale) throw new RangeError(`${value} has more than ${scale} decimals`);
  const units = BigInt(whole + fraction.padEnd(scale, '0'));
  return negative ? -units : units;
}

/** -1, 0 or 1, like `a - b` compared to 0, computed exactly. */
export function compareDecimals(a: string, b: string): number {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const difference = toScaledInteger(a, scale) - toScaledInteger(b, scale);
  return difference === 0n ? 0 : difference > 0n ? 1 : -1;
}

/**
 * (a×m + b×n) / (m + n) for non-negative decimals `a`, `b` and whole weights `m`, `n`, rounded
 * half up to `scale` decimals, exactly (e.g. the average price of an order after a fill).
 */
export function weightedAverage(a: string, m: number, b: string, n: number, scale: number): string {
  const total = toScaledInteger(a, scale) * BigInt(m) + toScaledInteger(b, scale) * BigInt(n);
  const weight = BigInt(m + n);
  const units = ((total * 2n + weight) / (weight * 2n)).toString().padStart(scale + 1, '0');
  return `${units.slice(0, -scale)}.${units.slice(-scale)}`;
}
