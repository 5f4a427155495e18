import { Injectable } from '@nestjs/common';
import { type ExpressionBuilder, sql } from 'kysely';
import type { Broker } from '../../../domain/trading';
import { Database } from '../../database/database';
import { GenerateSql } from '../../database/generate-sql';
import { keysetPage } from '../../database/keyset';
import type { BrokerConnections, BrokerTokens } from '../../database/schema.generated';

/** The encrypted columns of one `broker_tokens` row. */
export type SealedTokens = Omit<Awaited<ReturnType<BrokerConnectionsRepository['lockTokensNotUnder']>>[number], 'id'>;

/** A token row as it is written: the sealed tokens and, if the broker says, when they expire. */
export interface TokenRow extends SealedTokens {
  expiresAt: string | null;
}

/** Which rows a read of a live connection locks until the transaction ends. */
export type ConnectionLock = 'connection' | 'connection and tokens';

const NOW = sql<Date>`now()`;

/**
 * A connection `c` with its tokens `t` as the API shows it: metadata, never a token or a
 * ciphertext. A live connection always has its token row (they are created and deleted together).
 */
const connectionView = (eb: ExpressionBuilder<{ c: BrokerConnections; t: BrokerTokens }, 'c' | 't'>) => [
  eb.ref('c.id').as('id'),
  eb.ref('c.broker').as('broker'),
  eb.ref('c.account_ref').as('accountRef'),
  eb.ref('c.status').as('status'),
  eb.ref('c.created_at').as('createdAt'),
  eb('t.access_token', 'is not', null).$castTo<boolean>().as('hasAccessToken'),
  eb('t.refresh_token', 'is not', null).$castTo<boolean>().as('hasRefreshToken'),
  eb.ref('t.expires_at').as('tokenExpiresAt'),
  eb.ref('t.key_version').as('keyVersion'),
];

export type BrokerConnectionView = NonNullable<Awaited<ReturnType<BrokerConnectionsRepository['create']>>>;

const SEALED: TokenRow = {
  accessToken: Buffer.from('sealed access'),
  refreshToken: null,
  keyVersion: 1,
  expiresAt: null,
};

/**
 * `broker_connections` and `broker_tokens`, the only writer of both. Connections are never
 * deleted: revoking one deletes its tokens and keeps the row (as `revoked`) for its orders.
 */
@Injectable()
export class BrokerConnectionsRepository {
  constructor(private readonly database: Database) {}

  /**
   * Connection and tokens in one statement; undefined when this broker account already has a
   * live connection. `tokenId` is chosen before, because the ciphertexts are bound to it.
   */
  @GenerateSql({ params: [GenerateSql.UUID, { broker: 'paper', accountRef: 'ZX4821' }, GenerateSql.UUID, SEALED] })
  create(userId: string, account: { broker: Broker; accountRef: string }, tokenId: string, tokens: TokenRow) {
    return this.database.db
      .with('c', (qb) =>
        qb
          .insertInto('broker_connections')
          .values({ user_id: userId, broker: account.broker, account_ref: account.accountRef })
          .onConflict((oc) =>
            oc.columns(['user_id', 'broker', 'account_ref']).where('revoked_at', 'is', null).doNothing(),
          )
          .returningAll(),
      )
      .with('t', (qb) =>
        qb
          .insertInto('broker_tokens')
          .columns(['id', 'connection_id', 'access_token', 'refresh_token', 'key_version', 'expires_at'])
          .expression((eb) =>
            eb
              .selectFrom('c')
              .select((eb) => [
                eb.val(tokenId).as('id'),
                'c.id as connection_id',
                eb.val(tokens.accessToken).as('access_token'),
                eb.val(tokens.refreshToken).as('refresh_token'),
                eb.val(tokens.keyVersion).as('key_version'),
                eb.val(tokens.expiresAt).as('expires_at'),
              ]),
          )
          .returningAll(),
      )
      .selectFrom('c')
      .innerJoin('t', 't.connection_id', 'c.id')
      .select(connectionView)
      .executeTakeFirst();
  }

  /** The caller's live connections, newest first, a page at a time. */
  @GenerateSql(
    { params: [GenerateSql.UUID, { limit: 50 }] },
    { name: 'with cursor', params: [GenerateSql.UUID, { limit: 50, cursor: GenerateSql.CURSOR }] },
  )
  list(userId: string, page: { limit: number; cursor?: string }) {
    const query = this.database.db
      .selectFrom('broker_connections as c')
      .innerJoin('broker_tokens as t', 't.connection_id', 'c.id')
      .select(connectionView)
      .where('c.user_id', '=', userId)
      .where('c.status', '=', 'active');
    return keysetPage(query, { table: 'broker_connections', alias: 'c', time: 'created_at', key: 'createdAt' }, page);
  }

  /** The caller's live connection and the id of its token row; undefined if there is none. */
  @GenerateSql(
    { params: [GenerateSql.UUID, GenerateSql.UUID] },
    { name: 'locking the connection', params: [GenerateSql.UUID, GenerateSql.UUID, 'connection'] },
    { name: 'locking connection and tokens', params: [GenerateSql.UUID, GenerateSql.UUID, 'connection and tokens'] },
  )
  findLive(userId: string, id: string, lock?: ConnectionLock) {
    let query = this.database.db
      .selectFrom('broker_connections as c')
      .innerJoin('broker_tokens as t', 't.connection_id', 'c.id')
      .select(connectionView)
      .select('t.id as tokenId')
      .where('c.id', '=', id)
      .where('c.user_id', '=', userId)
      .where('c.status', '=', 'active');
    if (lock) query = query.forUpdate(lock === 'connection' ? 'c' : ['c', 't']);
    return query.executeTakeFirst();
  }

  /**
   * The caller's live connection with its sealed tokens, for a call to its broker; `lock`
   * shares the connection row until the transaction ends, so that it cannot be revoked meanwhile.
   */
  @GenerateSql(
    { params: [GenerateSql.UUID, GenerateSql.UUID] },
    { name: 'locked', params: [GenerateSql.UUID, GenerateSql.UUID, true] },
  )
  findCredentials(userId: string, id: string, lock = false) {
    let query = this.database.db
      .selectFrom('broker_connections as c')
      .innerJoin('broker_tokens as t', 't.connection_id', 'c.id')
      .select([
        'c.broker',
        'c.account_ref as accountRef',
        't.id as tokenId',
        't.access_token as accessToken',
        't.refresh_token as refreshToken',
        't.key_version as keyVersion',
      ])
      .where('c.id', '=', id)
      .where('c.user_id', '=', userId)
      .where('c.status', '=', 'active');
    if (lock) query = query.forShare('c');
    return query.executeTakeFirst();
  }

  /** Deletes the connection's tokens and marks it revoked, in one statement. */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async revoke(id: string): Promise<void> {
    await this.database.db
      .with('gone', (qb) => qb.deleteFrom('broker_tokens').where('connection_id', '=', id))
      .updateTable('broker_connections')
      .set({ status: 'revoked', revoked_at: NOW, updated_at: NOW })
      .where('id', '=', id)
      .execute();
  }

  /** New tokens in place of the old ones (row `tokenId` of connection `id`); the connection as it is then. */
  @GenerateSql({ params: [GenerateSql.UUID, GenerateSql.UUID, SEALED] })
  replaceTokens(id: string, tokenId: string, tokens: TokenRow) {
    return this.database.db
      .with('t', (qb) =>
        qb
          .updateTable('broker_tokens')
          .set({
            access_token: tokens.accessToken,
            refresh_token: tokens.refreshToken,
            key_version: tokens.keyVersion,
            expires_at: tokens.expiresAt,
            updated_at: NOW,
          })
          .where('id', '=', tokenId)
          .returningAll(),
      )
      .with('c', (qb) =>
        qb.updateTable('broker_connections').set({ updated_at: NOW }).where('id', '=', id).returningAll(),
      )
      .selectFrom('c')
      .innerJoin('t', 't.connection_id', 'c.id')
      .select(connectionView)
      .executeTakeFirstOrThrow();
  }

  /**
   * Up to `limit` token rows not under key `keyVersion`, locked until the transaction ends;
   * rows another transaction holds are skipped (a concurrent writer already seals them anew).
   */
  @GenerateSql({ params: [2, 500] })
  lockTokensNotUnder(keyVersion: number, limit: number) {
    return this.database.db
      .selectFrom('broker_tokens')
      .select(['id', 'access_token as accessToken', 'refresh_token as refreshToken', 'key_version as keyVersion'])
      .where('key_version', '<>', keyVersion)
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  /** Stores resealed tokens, all under `keyVersion`, in one statement. */
  @GenerateSql({ params: [2, [{ id: GenerateSql.UUID, accessToken: SEALED.accessToken, refreshToken: null }]] })
  async storeResealed(
    keyVersion: number,
    rows: readonly { id: string; accessToken: Buffer; refreshToken: Buffer | null }[],
  ): Promise<void> {
    const ids = rows.map((row) => row.id);
    const accessTokens = rows.map((row) => row.accessToken);
    const refreshTokens = rows.map((row) => row.refreshToken);
    const resealed = sql<{ id: string; access_token: Buffer; refresh_token: Buffer | null }>`unnest(
      ${ids}::uuid[], ${accessTokens}::bytea[], ${refreshTokens}::bytea[]
    )`.as<'v'>(sql`v(id, access_token, refresh_token)`);
    await this.database.db
      .updateTable('broker_tokens as t')
      .from(resealed)
      .set((eb) => ({
        access_token: eb.ref('v.access_token'),
        refresh_token: eb.ref('v.refresh_token'),
        key_version: keyVersion,
        updated_at: NOW,
      }))
      .whereRef('t.id', '=', 'v.id')
      .execute();
  }

  /** How many token rows are not under key `keyVersion`. */
  @GenerateSql({ params: [2] })
  async countTokensNotUnder(keyVersion: number): Promise<number> {
    const { count } = await this.database.db
      .selectFrom('broker_tokens')
      .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('count'))
      .where('key_version', '<>', keyVersion)
      .executeTakeFirstOrThrow();
    return count;
  }

  /**
   * Deletes the user's connections and their tokens, the crypto material with them (the
   * account's erasure; the intents and orders that name a connection go first).
   */
  @GenerateSql({ params: [GenerateSql.UUID] })
  async deleteAllOf(userId: string): Promise<void> {
    // broker_tokens go with their connection (ON DELETE CASCADE).
    await this.database.db.deleteFrom('broker_connections').where('user_id', '=', userId).execute();
  }

  /** Every connection of the user, revoked ones too, newest first, a page at a time: metadata only (the export). */
  @GenerateSql(
    { params: [GenerateSql.UUID, { limit: 500 }] },
    { name: 'with cursor', params: [GenerateSql.UUID, { limit: 500, cursor: GenerateSql.CURSOR }] },
  )
  listAll(userId: string, page: { limit: number; cursor?: string }) {
    const query = this.database.db
      .selectFrom('broker_connections as c')
      .select([
        'c.id',
        'c.broker',
        'c.account_ref as accountRef',
        'c.status',
        'c.created_at as createdAt',
        'c.revoked_at as revokedAt',
      ])
      .where('c.user_id', '=', userId);
    return keysetPage(query, { table: 'broker_connections', alias: 'c', time: 'created_at', key: 'createdAt' }, page);
  }
}
