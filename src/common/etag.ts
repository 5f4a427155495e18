import { badRequest } from './problem';

/** A strong entity tag for a version number: `"7"`. */
export const etagOf = (version: number) => `"${version}"`;

/** A quoted `integer` version: at most 10 digits and the quotes. */
export const ETAG_MAX_LENGTH = 12;

/** Longer If-Match headers are refused unread: a list of a few versions is all a client needs. */
export const IF_MATCH_MAX_LENGTH = 256;

/**
 * The versions an `If-Match` header accepts: undefined when absent or `*` (any version);
 * 400 when malformed. Weak tags (`W/"7"`) are refused as malformed: If-Match compares strongly
 * (RFC 9110 §13.1.1) and this API issues strong tags only. A version has 1 to 9 digits here, more
 * edits than any resource will see; a longer number is refused rather than parsed inexactly.
 */
export function parseIfMatch(header: string | undefined): number[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const malformed = () =>
    badRequest('If-Match must be an ETag of this resource, such as "3".', [
      {
        field: 'If-Match',
        message: `If-Match must be a quoted version number, a list of them, or *, at most ${IF_MATCH_MAX_LENGTH} characters`,
      },
    ]);
  if (header.length > IF_MATCH_MAX_LENGTH) throw malformed();
  const versions = header.split(',').map((part) => {
    const match = /^\s*"(\d{1,9})"\s*$/.exec(part);
    if (!match) throw malformed();
    return Number(match[1]);
  });
  return versions;
}
