import { randomUUID } from 'node:crypto';
import { type Broker, LIVE_INTENT_STATUSES } from '../../../domain/trading';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { keysetPageSql, type Page, toPage } from '../../common/pagination';
import { conflict, notFound } from '../../common/problem';
import { SqlParams } from '../../database/sql-params';
import { Transactions } from '../../database/transactions';
import type { BrokerSession } from '../brokers/broker-adapter';
import { type PlainTokens, type SealedTokens, BrokerTokensService } from './broker-tokens.service';
import {
  type BrokerConnectionResponseDto,
  type BrokerConnectionRow,
  toBrokerConnectionResponse,
} from './dto/broker-connection-response.dto';

/** Metadata of a connection `c` and its tokens `t`: never a token or ciphertext. */
const CONNECTION_VIEW = `c.id, c.broker, c.account_ref AS "accountRef", c.status, c.created_at AS "createdAt",
  t.access_token IS NOT NULL AS "hasAccessToken", t.refresh_token IS NOT NULL AS "hasRefreshToken",
  t.expires_at AS "tokenExpiresAt", t.key_version AS "keyVersion"`;

export interface TokenInput extends PlainTokens {
  tokenExpiresAt?: string | null;
}

/** A live connection with its decrypted credentials, for one call to its broker. */
export interface OpenedConnection {
  broker: Broker;
  session: BrokerSession;
}

/**
 * The caller's broker connections. Deleting one revokes it: its tokens are deleted, the row
 * stays (as `revoked`) for the orders that reference it, and the API no longer shows it.
 */
@Injectable()
export class BrokerConnectionsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly tokens: BrokerTokensService,
    private readonly audit: AuditService,
  ) {}

  /** Connection and tokens in one statement; 409 when this broker account is already connected. */
  async create(
    userId: string,
    input: { broker: Broker; accountRef: string } & TokenInput,
  ): Promise<BrokerConnectionResponseDto> {
    const tokenId = randomUUID();
    const sealed = this.tokens.seal(tokenId, input);
    const [row] = await this.transactions.rows<BrokerConnectionRow>(
      `WITH c AS (
         INSERT INTO broker_connections (user_id, broker, account_ref) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, broker, account_ref) WHERE revoked_at IS NULL DO NOTHING
         RETURNING *
       ), t AS (
         INSERT INTO broker_tokens (id, connection_id, access_token, refresh_token, key_version, expires_at)
         SELECT $4, c.id, $5, $6, $7, $8 FROM c
         RETURNING *
       )
       SELECT ${CONNECTION_VIEW} FROM c JOIN t ON t.connection_id = c.id`,
      [userId, input.broker, input.accountRef, tokenId, ...sealedParams(sealed, input.tokenExpiresAt)],
    );
    if (!row) throw conflict(`A live connection to ${input.broker} account ${input.accountRef} already exists.`);
    const created = toBrokerConnectionResponse(row);
    this.audit.record({ action: 'create', before: null, after: created });
    return created;
  }

  async list(userId: string, page: { limit: number; cursor?: string }): Promise<Page<BrokerConnectionResponseDto>> {
    const params = new SqlParams();
    const rows = await this.transactions.rows<BrokerConnectionRow>(
      keysetPageSql({
        select: CONNECTION_VIEW,
        table: 'broker_connections',
        alias: 'c',
        joins: 'LEFT JOIN broker_tokens t ON t.connection_id = c.id',
        timeColumn: 'created_at',
        conditions: [`c.user_id = ${params.add(userId)}`, `c.status = 'active'`],
        params,
        ...page,
      }),
      params.values,
    );
    return toPage(rows, page.limit, (r) => ({ at: r.createdAt, id: r.id }), toBrokerConnectionResponse);
  }

  async get(userId: string, id: string): Promise<BrokerConnectionResponseDto> {
    return toBrokerConnectionResponse(await this.findLive(userId, id));
  }

  /**
   * Revokes the connection and deletes its tokens. 409 while an order placed through it is
   * live: after the revocation nothing could cancel it. The connection row is locked first,
   * so a concurrent submit through it either finishes before (and is seen here) or finds it revoked.
   * The check is a separate statement on purpose: it starts once the lock is granted, so it sees
   * the intent of a submit that held the connection; the locking SELECT's snapshot is older.
   */
  async revoke(userId: string, id: string): Promise<void> {
    const before = toBrokerConnectionResponse(await this.findLive(userId, id, { lock: 'FOR UPDATE OF c' }));
    const [{ live }] = await this.transactions.rows<{ live: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM trade_intents WHERE user_id = $1 AND connection_id = $2 AND status = ANY($3)) AS live`,
      [userId, id, LIVE_INTENT_STATUSES],
    );
    if (live) throw conflict('Orders placed through this connection are still live; cancel them before deleting it.');
    await this.transactions.rows(
      `WITH gone AS (DELETE FROM broker_tokens WHERE connection_id = $1)
       UPDATE broker_connections SET status = 'revoked', revoked_at = now(), updated_at = now() WHERE id = $1`,
      [id],
    );
    this.audit.record({ action: 'delete', before, after: null });
  }

  /** New tokens, encrypted under the newest key, in place of the old ones. */
  async replaceTokens(userId: string, id: string, input: TokenInput): Promise<BrokerConnectionResponseDto> {
    const current = await this.findLive(userId, id, { lock: 'FOR UPDATE OF c, t' });
    const [row] = await this.transactions.rows<BrokerConnectionRow>(
      `WITH t AS (
         UPDATE broker_tokens SET access_token = $2, refresh_token = $3, key_version = $4, expires_at = $5, updated_at = now()
          WHERE id = $1 RETURNING *
       ), c AS (
         UPDATE broker_connections SET updated_at = now() WHERE id = $6 RETURNING *
       )
       SELECT ${CONNECTION_VIEW} FROM c JOIN t ON t.connection_id = c.id`,
      [current.tokenId, ...sealedParams(this.tokens.seal(current.tokenId, input), input.tokenExpiresAt), id],
    );
    const after = toBrokerConnectionResponse(row);
    this.audit.record({ action: 'replace-tokens', before: toBrokerConnectionResponse(current), after });
    return after;
  }

  /**
   * The caller's live connection with its decrypted credentials, or undefined. `lock` keeps it
   * from being revoked until the transaction ends (see `revoke`).
   */
  async open(userId: string, id: string, lock = false): Promise<OpenedConnection | undefined> {
    const [row] = await this.transactions.rows<SealedTokens & { broker: Broker; accountRef: string; tokenId: string }>(
      `SELECT c.broker, c.account_ref AS "accountRef", t.id AS "tokenId",
              t.access_token AS "accessToken", t.refresh_token AS "refreshToken", t.key_version AS "keyVersion"
         FROM broker_connections c JOIN broker_tokens t ON t.connection_id = c.id
        WHERE c.id = $1 AND c.user_id = $2 AND c.status = 'active' ${lock ? 'FOR SHARE OF c' : ''}`,
      [id, userId],
    );
    if (!row) return undefined;
    const tokens = this.tokens.open(row.tokenId, row);
    return { broker: row.broker, session: { connectionId: id, accountRef: row.accountRef, ...tokens } };
  }

  /**
   * The caller's live connection and its token row (a live connection always has one: they are
   * created and deleted together); 404 otherwise. `lock` locks the connection, or it and its tokens.
   */
  private async findLive(
    userId: string,
    id: string,
    { lock }: { lock?: 'FOR UPDATE OF c' | 'FOR UPDATE OF c, t' } = {},
  ): Promise<BrokerConnectionRow & { tokenId: string }> {
    const [row] = await this.transactions.rows<BrokerConnectionRow & { tokenId: string }>(
      `SELECT ${CONNECTION_VIEW}, t.id AS "tokenId" FROM broker_connections c JOIN broker_tokens t ON t.connection_id = c.id
        WHERE c.id = $1 AND c.user_id = $2 AND c.status = 'active' ${lock ?? ''}`,
      [id, userId],
    );
    if (!row) throw connectionNotFound();
    return row;
  }
}

export function connectionNotFound() {
  return notFound('No such broker connection.');
}

function sealedParams(sealed: SealedTokens, expiresAt: string | null | undefined): unknown[] {
  return [sealed.accessToken, sealed.refreshToken, sealed.keyVersion, expiresAt ?? null];
}
