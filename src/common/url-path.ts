/**
 * The longest path parameter routed (Fastify's `maxParamLength`): longer ones answer 414. Its
 * default, 100, would answer 414 for valid insight ids (up to 128 characters); up to this, a
 * parameter reaches validation and gets a 400 naming the field.
 */
export const PATH_PARAM_MAX_LENGTH = 256;

/** The path of a request URL, without its query string: what problem documents and the access log show. */
export function urlPath(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
