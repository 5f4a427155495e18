import { badRequest } from './problem';

/** A strong entity tag for a version number: `"7"`. */
export const etagOf = (version: number) => `"${version}"`;

/**
 * The versions an `If-Match` header accepts: undefined when absent or `*` (any version);
 * 400 when malformed. Weak tags (`W/"7"`) never match under If-Match (RFC 9110 §13.1.1).
 */
export function parseIfMatch(header: string | undefined): number[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const versions = header.split(',').map((part) => {
    const match = /^\s*"(\d{1,9})"\s*$/.exec(part);
    if (!match) {
      throw badRequest('If-Match must be an ETag of this resource, such as "3".', [
        { field: 'If-Match', message: 'If-Match must be a quoted version number, a list of them, or *' },
      ]);
    }
    return Number(match[1]);
  });
  return versions;
}
