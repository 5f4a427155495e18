import type { UserRole } from '../../domain/users';

/** Who is calling: put on the request by the JWT strategy, read with `@CurrentUser()`. */
export interface AuthUser {
  id: string;
  role: UserRole;
  /** The sign-in the access token belongs to (`sid`: its refresh-token family); none for an identity provider's token. */
  sessionId?: string;
  /** When the access token expires, in ms since the epoch: a long-lived answer (a change stream) ends then. */
  tokenExpiresAt: number;
}
