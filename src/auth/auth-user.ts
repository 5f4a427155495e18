import type { UserRole } from '../users/user.entity';

/** Who is calling: put on the request by the JWT strategy, read with `@CurrentUser()`. */
export interface AuthUser {
  id: string;
  role: UserRole;
}
