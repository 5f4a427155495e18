import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { TokensService } from '../auth/tokens.service';
import { dedicatedClient } from '../database/dedicated-client';
import { CHANNELS, NotificationListener } from '../database/notifications';
import { ChangeStreamsService } from './change-streams.service';

const CHANGE = z.object({ userId: z.string(), seq: z.number().int(), entity: z.string() });
const REVOCATION = z.object({ userId: z.string(), sid: z.string().optional() });

/**
 * This instance's one LISTEN connection (not a pool connection), for the change streams: a
 * committed change anywhere (`fyntrix_changes`, from the audit trail's trigger) wakes the
 * streams of its user here, a revocation (`fyntrix_revocations`) ends streams (and, for all of a
 * user's sessions, forgets the access tokens verified for them), and after the
 * connection was lost every stream is told to resync. CLIs, which serve no streams, do not listen.
 */
@Injectable()
export class ChangeListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ChangeListener');
  private listener?: NotificationListener;

  constructor(
    private readonly dataSource: DataSource,
    private readonly adapterHost: HttpAdapterHost,
    private readonly streams: ChangeStreamsService,
    private readonly tokens: TokensService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.adapterHost.httpAdapter) return;
    this.listener = new NotificationListener(
      // TCP keep-alive and a query timeout for its ping: a silently dead connection is noticed.
      () => dedicatedClient(this.dataSource, 'change-streams', { keepAlive: true, query_timeout: 5_000 }),
      [CHANNELS.changes, CHANNELS.revocations],
      {
        notification: (channel, payload) => this.dispatch(channel, payload),
        resumed: () => void this.streams.missedNotifications(),
      },
    );
    await this.listener.start();
  }

  /** Before the pool and the embedded database close: nothing is streamed past this point. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  private dispatch(channel: string, payload: string): void {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      message = undefined;
    }
    const change = channel === CHANNELS.changes ? CHANGE.safeParse(message) : undefined;
    const revocation = channel === CHANNELS.revocations ? REVOCATION.safeParse(message) : undefined;
    if (change?.success) this.streams.changed(change.data.userId, change.data.seq, change.data.entity);
    else if (revocation?.success) {
      // Every session of the user ended (an erasure): their access tokens stop working here too.
      if (revocation.data.sid === undefined) this.tokens.forgetVerifiedTokensOf(revocation.data.userId);
      this.streams.revoked(revocation.data);
    } else this.logger.warn(`unreadable notification on ${channel}`);
  }
}
