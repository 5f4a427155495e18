import type { UserRole } from '../../domain/users';

/** Who is calling: put on the request by the JWT strategy, read with `@CurrentUser()`. */
export interface AuthUser {
  id: string;
  role: UserRole;
}
