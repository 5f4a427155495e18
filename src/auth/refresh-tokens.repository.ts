import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { GenerateSql } from '../database/generate-sql';

/** A refresh token as it is stored: only its SHA-256 hash. */
export interface NewRefreshToken {
  userId: string;
  familyId: string;
  tokenHash: Buffer;
  expiresAt: Date;
}

const SAMPLE_HASH = Buffer.alloc(32);

/** `refresh_tokens`: the hashes of refresh tokens, one family per sign-in. */
@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly database: Database) {}

  @GenerateSql({
    params: [
      { userId: GenerateSql.UUID, familyId: GenerateSql.UUID, tokenHash: SAMPLE_HASH, expiresAt: GenerateSql.DATE },
    ],
  })
  async insert(token: NewRefreshToken): Promise<void> {
    await this.database.db
      .insertInto('refresh_tokens')
      .values({
        user_id: token.userId,
        family_id: token.familyId,
        token_hash: token.tokenHash,
        expires_at: token.expiresAt,
      })
      .execute();
  }

  /**
   * Marks the token with this hash used, if it is still usable: one conditional UPDATE, so of
   * two concurrent uses exactly one gets its user and family back; the other gets undefined.
   */
  @GenerateSql({ params: [SAMPLE_HASH] })
  consume(tokenHash: Buffer) {
    return this.database.db
      .updateTable('refresh_tokens')
      .set((eb) => ({ used_at: eb.fn('now') }))
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', (eb) => eb.fn('now'))
      .returning(['user_id as userId', 'family_id as familyId'])
      .executeTakeFirst();
  }

  /**
   * Revokes, in one statement, every token of the family of the token with this hash; with
   * `onlyIfUsed`, only when that token was already used. Answers the family (its user and id)
   * when it revoked any of its tokens (a session that was still live).
   */
  @GenerateSql({ name: 'sign-out', params: [SAMPLE_HASH, false] }, { name: 'replay', params: [SAMPLE_HASH, true] })
  async revokeFamilyOf(
    tokenHash: Buffer,
    onlyIfUsed: boolean,
  ): Promise<{ userId: string; familyId: string } | undefined> {
    const revoked = await this.database.db
      .updateTable('refresh_tokens')
      .set((eb) => ({ revoked_at: eb.fn('now') }))
      .where('revoked_at', 'is', null)
      .where('family_id', '=', (eb) => {
        const presented = eb
          .selectFrom('refresh_tokens as presented')
          .select('presented.family_id')
          .where('presented.token_hash', '=', tokenHash);
        return onlyIfUsed ? presented.where('presented.used_at', 'is not', null) : presented;
      })
      .returning(['user_id as userId', 'family_id as familyId'])
      .execute();
    return revoked[0];
  }

  /** Whether the family still has a token that is not revoked: its session has not ended. */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async isFamilyLive(familyId: string): Promise<boolean> {
    const live = await this.database.db
      .selectFrom('refresh_tokens')
      .select('id')
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return live !== undefined;
  }

  /** Revokes every token of the user that is not revoked yet. */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async revokeAllOf(userId: string): Promise<void> {
    await this.database.db
      .updateTable('refresh_tokens')
      .set((eb) => ({ revoked_at: eb.fn('now') }))
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
