import { createHash, createSecretKey, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { unauthorized } from '../common/problem';
import { type AppConfig, appConfig } from '../config/app-config';
import { Database, type InTransaction } from '../database/database';
import { notifyRevocation } from '../database/notifications';
import { type StoredUser, UsersService } from '../users/users.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { VerifiedTokens } from './verified-tokens';

export const LOCAL_JWT_ALGORITHM = 'HS256';

/**
 * The HS256 key as a KeyObject, made once: given a string, jsonwebtoken first tries to parse
 * it as a PEM key on every sign and verify, which cost a third of a request's CPU.
 */
export const localSigningKey = (secret: string): KeyObject => createSecretKey(Buffer.from(secret, 'utf8'));

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Access token lifetime in seconds. */
  expiresIn: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest();

const invalidRefreshToken = () => unauthorized('The refresh token is invalid, expired or already used.');

/**
 * Access tokens (short-lived HS256 JWTs) and refresh tokens (opaque 256-bit values stored only
 * as SHA-256 hashes, grouped in families: one family per sign-in). Refresh tokens are single
 * use; presenting one that was already rotated revokes its whole family, since either the
 * client or a thief holds a copy.
 */
@Injectable()
export class TokensService {
  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly database: Database,
    private readonly verifiedTokens: VerifiedTokens,
  ) {}

  /** Starts a new session (a new refresh-token family) for a user who just proved who they are. */
  issueSession(user: Pick<StoredUser, 'id' | 'role'>): Promise<IssuedTokens> {
    return this.issue(user, randomUUID());
  }

  private async issue(user: Pick<StoredUser, 'id' | 'role'>, familyId: string): Promise<IssuedTokens> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.refreshTokens.insert({
      userId: user.id,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(Date.now() + this.config.auth.refreshTtlSeconds * 1_000),
    });
    // `sid`: the session the token belongs to, so that signing it out can end its change streams.
    const accessToken = await this.jwt.signAsync(
      { role: user.role, sid: familyId },
      { subject: user.id, jwtid: randomUUID() },
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.config.auth.accessTtlSeconds };
  }

  /**
   * Exchanges a refresh token for a new pair. The token is consumed by one conditional UPDATE,
   * so of two concurrent uses exactly one succeeds; the loser is treated as a replay. The
   * consumption and the new token commit together: a failure leaves the presented token usable.
   */
  async rotate(refreshToken: string): Promise<{ user: StoredUser; tokens: IssuedTokens }> {
    const tokenHash = hashToken(refreshToken);
    const rotated = await this.database.transaction(async () => {
      const consumed = await this.refreshTokens.consume(tokenHash);
      if (!consumed) return undefined;
      const user = await this.users.findById(consumed.userId);
      if (!user || user.status !== 'active' || user.deletedAt) return undefined;
      return { user, tokens: await this.issue(user, consumed.familyId) };
    });
    if (rotated) return rotated;

    // Unknown, expired or revoked — or already used: a replay, or consumed just now by a user
    // who may no longer sign in. A used token's session ends here.
    await this.endSession(tokenHash, true);
    throw invalidRefreshToken();
  }

  /**
   * Ends every session of the user (the account's erasure): every refresh token is revoked, and
   * once the transaction commits the access tokens verified for the user are forgotten, here at
   * once and on the other instances through the revocations channel. An access token not
   * verified yet fails its verification, which reads the account.
   */
  async revokeAllOf(tx: InTransaction, userId: string): Promise<void> {
    await this.refreshTokens.revokeAllOf(userId);
    await notifyRevocation(this.database, tx, { userId });
    this.database.afterCommit(() => this.verifiedTokens.forgetUser(userId));
  }

  /**
   * An instance announced that every session of the user ended (`revokeAllOf`, on the
   * revocations channel): this one forgets the access tokens it verified for them too.
   */
  forgetVerifiedTokensOf(userId: string): void {
    this.verifiedTokens.forgetUser(userId);
  }

  /** Signs the session out: every token of the presented token's family stops working. */
  async revokeSessionOf(refreshToken: string): Promise<void> {
    await this.endSession(hashToken(refreshToken), false);
  }

  /** Whether the session `sid` names is still signed in (a change stream opens only then). */
  isSessionLive(sessionId: string): Promise<boolean> {
    return this.refreshTokens.isFamilyLive(sessionId);
  }

  /** Revokes the family of the token with this hash and, if that ended a session, tells every instance. */
  private endSession(tokenHash: Buffer, onlyIfUsed: boolean): Promise<void> {
    return this.database.transaction(async (tx) => {
      const session = await this.refreshTokens.revokeFamilyOf(tokenHash, onlyIfUsed);
      if (session) await notifyRevocation(this.database, tx, { userId: session.userId, sid: session.familyId });
    });
  }
}
