import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Broker } from '../../../domain/trading';
import { AuditService } from '../../audit/audit.service';
import type { Page } from '../../common/pagination';
import { conflict, notFound } from '../../common/problem';
import { Database } from '../../database/database';
import type { BrokerSession } from '../brokers/broker-adapter';
import { TradeIntentsService } from '../trade-intents/trade-intents.service';
import { BrokerConnectionsRepository, type ConnectionLock, type TokenRow } from './broker-connections.repository';
import { type PlainTokens, BrokerTokensService } from './broker-tokens.service';
import { type BrokerConnectionResponseDto, toBrokerConnectionResponse } from './dto/broker-connection-response.dto';

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
    private readonly repository: BrokerConnectionsRepository,
    private readonly tokens: BrokerTokensService,
    private readonly intents: TradeIntentsService,
    private readonly audit: AuditService,
    private readonly database: Database,
  ) {}

  /** Connection and tokens in one statement; 409 when this broker account is already connected. */
  async create(
    userId: string,
    input: { broker: Broker; accountRef: string } & TokenInput,
  ): Promise<BrokerConnectionResponseDto> {
    const tokenId = randomUUID();
    const tokens = this.sealed(tokenId, input);
    return this.database.transaction(async (tx) => {
      const row = await this.repository.create(userId, input, tokenId, tokens);
      if (!row) throw conflict(`A live connection to ${input.broker} account ${input.accountRef} already exists.`);
      const created = toBrokerConnectionResponse(row);
      await this.audit.record(tx, { action: 'create', before: null, after: created });
      return created;
    });
  }

  async list(userId: string, page: { limit: number; cursor?: string }): Promise<Page<BrokerConnectionResponseDto>> {
    const { items, nextCursor } = await this.repository.list(userId, page);
    return { items: items.map(toBrokerConnectionResponse), nextCursor };
  }

  async get(userId: string, id: string): Promise<BrokerConnectionResponseDto> {
    return toBrokerConnectionResponse(await this.findLive(userId, id));
  }

  /** 404 unless the connection is one of the caller's live ones. */
  async assertLive(userId: string, id: string): Promise<void> {
    await this.findLive(userId, id);
  }

  /**
   * Revokes the connection and deletes its tokens. 409 while an order placed through it is
   * live: after the revocation nothing could cancel it. The connection row is locked first,
   * so a concurrent submit through it either finishes before (and is seen here) or finds it revoked.
   * The check is a separate statement on purpose: it starts once the lock is granted, so it sees
   * the intent of a submit that held the connection; the locking SELECT's snapshot is older.
   */
  async revoke(userId: string, id: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      const before = toBrokerConnectionResponse(await this.findLive(userId, id, 'connection'));
      if (await this.intents.hasLiveOn(userId, id)) {
        throw conflict('Orders placed through this connection are still live; cancel them before deleting it.');
      }
      await this.repository.revoke(id);
      await this.audit.record(tx, { action: 'delete', before, after: null });
    });
  }

  /** New tokens, encrypted under the newest key, in place of the old ones. */
  async replaceTokens(userId: string, id: string, input: TokenInput): Promise<BrokerConnectionResponseDto> {
    return this.database.transaction(async (tx) => {
      const current = await this.findLive(userId, id, 'connection and tokens');
      const after = toBrokerConnectionResponse(
        await this.repository.replaceTokens(id, current.tokenId, this.sealed(current.tokenId, input)),
      );
      await this.audit.record(tx, { action: 'replace-tokens', before: toBrokerConnectionResponse(current), after });
      return after;
    });
  }

  /**
   * The caller's live connection with its decrypted credentials, or undefined. `lock` keeps it
   * from being revoked until the transaction ends (see `revoke`).
   */
  async open(userId: string, id: string, lock = false): Promise<OpenedConnection | undefined> {
    const row = await this.repository.findCredentials(userId, id, lock);
    if (!row) return undefined;
    const tokens = this.tokens.open(row.tokenId, row);
    return { broker: row.broker, session: { connectionId: id, accountRef: row.accountRef, ...tokens } };
  }

  /** The caller's live connection and the id of its token row; 404 otherwise. */
  private async findLive(userId: string, id: string, lock?: ConnectionLock) {
    const row = await this.repository.findLive(userId, id, lock);
    if (!row) throw connectionNotFound();
    return row;
  }

  /** The token row of `tokenId`: the tokens sealed to it, and their expiry. */
  private sealed(tokenId: string, input: TokenInput): TokenRow {
    return { ...this.tokens.seal(tokenId, input), expiresAt: input.tokenExpiresAt ?? null };
  }
}

export function connectionNotFound() {
  return notFound('No such broker connection.');
}
