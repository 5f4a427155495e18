import { Injectable } from '@nestjs/common';
import { UsersService } from '../users/users.service';
import type { AuthUser } from './auth-user';

/**
 * Maps an identity provider's (issuer, subject) to our user, creating the user on first sight.
 * Runs once per token and AUTH_TOKEN_CACHE_MS: the JWT guard remembers the answer that long
 * (`VerifiedTokens`), so a provider's token costs no query per request.
 */
@Injectable()
export class ExternalIdentityService {
  constructor(private readonly users: UsersService) {}

  async resolve(issuer: string, subject: string, name: string): Promise<Pick<AuthUser, 'id' | 'role'> | false> {
    const user = await this.users.findOrProvisionExternal(issuer, subject, name.slice(0, 100));
    return user.status === 'active' && !user.deletedAt ? { id: user.id, role: user.role } : false;
  }
}
