import { isDeepStrictEqual } from 'node:util';

type Fields = Record<string, unknown>;
/** Plain objects only: a Date or an array is one value. */
const isObject = (v: unknown): v is Fields =>
  !!v && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);

/**
 * The fields that differ between two snapshots, one level into nested objects
 * (`tradingModes.Swing`); arrays compare as a whole (`auxiliaryModes`). A missing snapshot
 * (creation, deletion) counts as an empty object.
 */
export function changedFields(before: unknown, after: unknown, prefix = '', depth = 2): string[] {
  const b = before ?? (isObject(after) ? {} : before);
  const a = after ?? (isObject(before) ? {} : after);
  if (depth === 0 || !isObject(b) || !isObject(a)) {
    return isDeepStrictEqual(b, a) ? [] : [prefix || '*'];
  }
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return keys.flatMap((key) => changedFields(b[key], a[key], prefix ? `${prefix}.${key}` : key, depth - 1));
}
