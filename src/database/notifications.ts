import { Logger } from '@nestjs/common';
import { sql } from 'kysely';
import type { Client, Notification } from 'pg';
import type { Database, InTransaction } from './database';

/**
 * The PostgreSQL notification channels between instances. PostgreSQL delivers a notification
 * when the transaction that sent it commits, to every session LISTENing at that moment, in
 * commit order; never when it rolls back.
 */
export const CHANNELS = {
  /** `{userId, seq, entity}` for every new audit event: sent by its trigger (migration 0009). */
  changes: 'fyntrix_changes',
  /** `{userId, sid}` at a session's sign-out, `{userId}` when every session of a user ends (erasure). */
  revocations: 'fyntrix_revocations',
} as const;

/**
 * A session of `userId` that ended (`sid`: sign-out, a refresh token replayed), or without `sid`
 * every session of the user (the account's erasure).
 */
export interface Revocation {
  userId: string;
  sid?: string;
}

/**
 * Tells every instance that `revocation` happened, once the current transaction commits (and
 * never if it rolls back). Asks for the transaction: the notification belongs with the change.
 */
export async function notifyRevocation(database: Database, _tx: InTransaction, revocation: Revocation): Promise<void> {
  await sql`SELECT pg_notify(${CHANNELS.revocations}, ${JSON.stringify(revocation)})`.execute(database.db);
}

export interface NotificationHandlers {
  notification(channel: string, payload: string): void;
  /**
   * LISTENing again after the connection was lost (or never made at first): notifications sent
   * meanwhile are lost, so whatever depends on them must catch up.
   */
  resumed(): void;
}

/** Backoff of reconnection attempts: doubling from the first, up to the last, with ±20% jitter. */
const RECONNECT_MS = { first: 250, max: 10_000 };
/** A connection that stops answering (no FIN, e.g. a failed-over host) is noticed by this ping. */
const PING_MS = 30_000;

/**
 * One dedicated connection (not from the pool) that LISTENs on `channels`, kept alive: when it
 * fails or ends it is replaced, with backoff, and `resumed()` says that notifications may have
 * been missed. A client from `connect()` per attempt (pg clients cannot reconnect).
 */
export class NotificationListener {
  private readonly logger = new Logger('NotificationListener');
  private client?: Client;
  private attempts = 0;
  private missed = false;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private ping?: NodeJS.Timeout;

  constructor(
    private readonly connect: () => Client,
    private readonly channels: readonly string[],
    private readonly handlers: NotificationHandlers,
  ) {}

  /** Connects and LISTENs; resolves once listening, or after a failed first attempt (retried in the background). */
  start(): Promise<void> {
    return this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.ping);
    await this.client?.end().catch(() => undefined);
  }

  private async open(): Promise<void> {
    const client = this.connect();
    this.client = client;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      this.lost(client, error);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      client.on('notification', (message: Notification) =>
        this.handlers.notification(message.channel, message.payload ?? ''),
      );
      for (const channel of this.channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.stopped || lost) return;
    this.attempts = 0;
    this.ping = setInterval(() => void client.query('SELECT 1').catch((error: Error) => onLost(error)), PING_MS);
    this.ping.unref();
    // One line per connection: a process holds one listener (one per worker in a cluster).
    this.logger.log(`listening ${this.missed ? 'again ' : ''}on ${this.channels.join(', ')}`);
    if (this.missed) {
      this.missed = false;
      this.handlers.resumed();
    }
  }

  private lost(client: Client, error?: Error): void {
    clearInterval(this.ping);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.missed = true;
    const delay = Math.min(RECONNECT_MS.max, RECONNECT_MS.first * 2 ** this.attempts++) * (0.8 + Math.random() * 0.4);
    this.logger.warn(`connection lost (${error?.message ?? 'ended'}): reconnecting in ${Math.round(delay)} ms`);
    this.retry = setTimeout(() => void this.open(), delay);
    this.retry.unref();
  }
}
