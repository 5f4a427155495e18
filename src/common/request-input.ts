import type { FieldError } from '../../domain/field-error';
import { PROBLEM_BOUNDS } from './problem';

/**
 * One rule for every text a request carries — each string and key of a body at any depth, each
 * query and path parameter: no C0 control character but tab, line feed and carriage return (which
 * notes legitimately hold), no DEL or C1 control, and no unpaired surrogate. PostgreSQL cannot
 * store U+0000 at all (it failed the statement: a 500), an unpaired surrogate would be stored as
 * U+FFFD (silently changed), and the other controls are never text a person meant. Format
 * characters (zero-width joiners, bidirectional marks) and noncharacters are text, and pass.
 * With the `u` flag, `\p{Cs}` matches a surrogate only when it is not half of a pair.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this rule refuses
const UNACCEPTABLE_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\p{Cs}/u;

const TEXT_RULE =
  'must not contain U+0000 (NUL), other control characters or unpaired surrogates (tab, line feed and carriage return are allowed)';

/**
 * `prototype`, and the names of Object.prototype's own properties (`__proto__`, `constructor`,
 * `hasOwnProperty`, …): Nest's ValidationPipe deletes the first three and class-transformer skips
 * the rest before class-validator's whitelist looks, so they used to be dropped silently while any
 * other unknown key was refused. They are refused here, as unknown keys are.
 */
const isReservedKey = (key: string) => key === 'prototype' || Object.hasOwn(Object.prototype, key);

const fieldOf = (path: string, key: string) => (path ? `${path}.${key}` : key);

function collect(value: unknown, path: string, errors: FieldError[]): void {
  if (errors.length >= PROBLEM_BOUNDS.errors) return;
  if (typeof value === 'string') {
    if (UNACCEPTABLE_CHARACTER.test(value))
      errors.push({ field: path, message: `${path || 'the value'} ${TEXT_RULE}` });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collect(item, fieldOf(path, String(index)), errors));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (isReservedKey(key)) {
        errors.push({ field: fieldOf(path, key), message: `property ${key} should not exist` });
      } else if (UNACCEPTABLE_CHARACTER.test(key)) {
        // Named as JSON escapes it, so the answer shows which character it was.
        errors.push({ field: fieldOf(path, JSON.stringify(key).slice(1, -1)), message: `property names ${TEXT_RULE}` });
      } else {
        collect(item, fieldOf(path, key), errors);
      }
    }
  }
}

/**
 * The fields of `value` (a body, a query object or a path parameter, named `path`) that break the
 * rule above, as problem `errors`, at most PROBLEM_BOUNDS.errors of them. Bodies are at most
 * MAX_JSON_DEPTH deep (the JSON parser refuses deeper ones), query and path parameters flat.
 */
export function unacceptableInput(value: unknown, path = ''): FieldError[] {
  const errors: FieldError[] = [];
  collect(value, path, errors);
  return errors.slice(0, PROBLEM_BOUNDS.errors);
}
