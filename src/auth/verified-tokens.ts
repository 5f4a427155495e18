import { decode, type JwtPayload } from 'jsonwebtoken';
import type { AuthUser } from './auth-user';

const MAX_ENTRIES = 10_000;

/**
 * Access tokens this process has already verified, with who they stand for. A client sends the
 * same token on every request for its 15 minutes; verifying it again each time (passport +
 * jsonwebtoken) measured at a third of a simple read's CPU, and a provider's token costs a read
 * of its user too. Verifying reads that user's status and role from the database, so an entry
 * lives only `ttlMs` (AUTH_TOKEN_CACHE_MS), and never past the token's exp: a cached answer is
 * at most that much older than verifying again would give.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { user: AuthUser; expiresAt: number }>();
  /** Users forgotten within the last `ttlMs`, by until when: a verification that began before is not remembered. */
  private readonly forgotten = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  /** Forgets every token verified for the user (their sessions ended: the account was erased). */
  forgetUser(userId: string): void {
    for (const [token, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(token);
    const now = Date.now();
    for (const [id, until] of this.forgotten) if (until <= now) this.forgotten.delete(id);
    this.forgotten.set(userId, now + this.ttlMs);
  }

  get(token: string): AuthUser | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.user;
    this.entries.delete(token);
    return undefined;
  }

  remember(token: string, user: AuthUser): void {
    const exp = (decode(token) as JwtPayload | null)?.exp;
    if (typeof exp !== 'number' || (this.forgotten.get(user.id) ?? 0) > Date.now()) return;
    // Oldest first out: Map keeps insertion order.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { user, expiresAt: Math.min(exp * 1_000, Date.now() + this.ttlMs) });
  }
}
