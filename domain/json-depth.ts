/**
 * How deep JSON may nest: far beyond any request body or browser value this API reads (3 or 4
 * levels), and far below what exhausts the stack of the code that walks it (class-transformer,
 * JSON.stringify): a 20,000-deep `[[[…]]]` fits in a 256 KB body and answered 500 before.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests objects or arrays deeper than `max`; iterative, so any depth is safe to check. */
export function exceedsJsonDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}
