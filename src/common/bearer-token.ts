/**
 * The token of an `Authorization: Bearer <token>` header, if that is what was sent. The one
 * parser of that header: the JWT guard's cache and the JWT strategy must read the same token.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header || !/^bearer /i.test(header)) return undefined;
  return header.slice(7).trim() || undefined;
}
