import { Injectable } from '@nestjs/common';
import { UsersService } from '../users/users.service';
import type { AuthUser } from './auth-user';

const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Maps an identity provider's (issuer, subject) to our user, creating the user on first sight.
 * Kept in memory for a minute so that a provider's token costs no query per request.
 */
@Injectable()
export class ExternalIdentityService {
  private readonly cache = new Map<string, { user: AuthUser | false; expiresAt: number }>();

  constructor(private readonly users: UsersService) {}

  async resolve(issuer: string, subject: string, name: string): Promise<AuthUser | false> {
    const key = `${issuer}\u0000${subject}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.user;

    const user = await this.users.findOrProvisionExternal(issuer, subject, name.slice(0, 100));
    const resolved: AuthUser | false =
      user.status === 'active' && !user.deletedAt ? { id: user.id, role: user.role } : false;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { user: resolved, expiresAt: Date.now() + CACHE_TTL_MS });
    return resolved;
  }
}
