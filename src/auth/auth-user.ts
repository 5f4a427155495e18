import type { UserRole } from '../../domain/users';

/** Who is calling: put on the request by the JWT strategy, read with `@CurrentUser()`. */
export interface AuthUser {
  id: string;
  role: UserRole;
  /**
   * When the person last proved who they are, in seconds since the epoch: the identity
   * provider's `auth_time` (else the token's `iat`), or the `iat` of this service's token.
   */
  authenticatedAt?: number;
  /** The sign-in the access token belongs to (`sid`: its refresh-token family); none for an identity provider's token. */
  sessionId?: string;
  /** When the access token expires, in ms since the epoch: a long-lived answer (a change stream) ends then. */
  tokenExpiresAt: number;
}
