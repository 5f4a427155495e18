import { HttpStatus, Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { TokensService } from '../auth/tokens.service';
import { GracefulShutdown } from '../common/graceful-shutdown';
import { ProblemException, problemTypes, tooManyRequests, unauthorized } from '../common/problem';
import { type AppConfig, appConfig } from '../config/app-config';
import type { Revocation } from '../database/notifications';
import { isStreamed, isStreamedChange, STREAMED_ENTITIES, toChangeEvent } from './change-events';
import { ChangeStream } from './change-stream';
import type { ResyncReason } from './dto/change-event.dto';
import { UserFeed } from './user-feed';

/** A comment on every stream this often, so that proxies keep idle streams open. */
/** A stream resuming further behind than this many changes, or than this age, gets a `resync` instead. */
export const REPLAY_MAX_EVENTS = 500;
export const REPLAY_MAX_AGE_MS = 24 * 3_600_000;

const unavailable = (detail: string) =>
  new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, detail, {
    type: problemTypes.unavailable,
    headers: { 'Retry-After': '5' },
  });

/** Where a new stream starts: after `cursor`, told to resync first when the client is too far behind. */
interface Start {
  cursor: number;
  resync?: ResyncReason;
}

/**
 * The change streams of this instance (`GET /events`): opens them within the limits, feeds each
 * user's streams from the audit trail when a notification says their history grew, and ends
 * them at sign-out, when the token expires, and when the instance stops.
 */
@Injectable()
export class ChangeStreamsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChangeStreams');
  private readonly feeds = new Map<string, UserFeed>();
  private open = 0;
  private stopped = false;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly tokens: TokensService,
    private readonly shutdown: GracefulShutdown,
  ) {}

  onModuleInit(): void {
    this.shutdown.onStop(() => this.stop());
    this.heartbeat = setInterval(() => this.each((stream) => stream.heartbeat()), this.config.events.heartbeatMs);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    this.stop();
  }

  /** Open streams on this instance. */
  get size(): number {
    return this.open;
  }

  /**
   * Answers `reply` with the caller's change stream: the changes after `lastEventId` (or from
   * now), then every new one. Errors before the first byte are problem documents: 429 past the
   * per-user limit, 503 past the instance's or while it stops, 401 for a signed-out session.
   */
  async stream(user: AuthUser, lastEventId: number | undefined, reply: FastifyReply): Promise<void> {
    const { maxStreams, maxStreamsPerUser, streamBufferBytes } = this.config.events;
    if (this.stopped) throw unavailable('The service is shutting down: reconnect to another instance.');
    const feed = this.feeds.get(user.id) ?? this.feedOf(user.id);
    if (feed.streams.size >= maxStreamsPerUser) {
      throw tooManyRequests(
        `You have ${maxStreamsPerUser} change streams open, the most allowed: close one (another tab or device) first.`,
        { 'Retry-After': String(Math.ceil(this.config.events.heartbeatMs / 1_000)) },
      );
    }
    if (this.open >= maxStreams) throw unavailable('This instance holds as many change streams as it may: retry.');

    // Registered before anything is read: a sign-out or a change from now on reaches it.
    const stream = new ChangeStream(
      { userId: user.id, sessionId: user.sessionId, tokenExpiresAt: user.tokenExpiresAt },
      streamBufferBytes,
      (ended) => this.forget(feed, ended),
    );
    feed.streams.add(stream);
    this.open++;
    let start: Start;
    try {
      if (user.sessionId && !(await this.tokens.isSessionLive(user.sessionId))) stream.end();
      start = await this.startOf(user.id, lastEventId);
    } catch (error) {
      stream.end();
      throw error;
    }
    if (this.stopped) throw unavailable('The service is shutting down: reconnect to another instance.');
    if (stream.isEnded) throw unauthorized('This session has been signed out.', { 'WWW-Authenticate': 'Bearer' });
    // Past REQUEST_TIMEOUT_MS, Fastify has answered 503 already.
    if (reply.sent) return stream.end();

    // From here on the answer is ours (and Fastify's handler timeout no longer applies).
    reply.hijack();
    stream.start(
      reply.raw,
      {
        ...reply.getHeaders(),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        // nginx and other proxies would otherwise buffer the stream.
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      },
      start.cursor,
    );
    if (start.resync) stream.resync(start.resync, start.cursor);
    await feed.catchUp();
    stream.ready(stream.sent);
  }

  /** A change of `userId` committed (a notification): their streams here read what they lack. */
  changed(userId: string, seq: number, entity: string): void {
    const feed = this.feeds.get(userId);
    if (feed && isStreamed(entity) && feed.lacks(seq)) void feed.catchUp();
  }

  /**
   * Notifications may have been missed (the listening connection was lost): every stream is told
   * to resync, and goes on from its user's newest change.
   */
  async missedNotifications(): Promise<void> {
    // One user after the other: after a database restart, the pool is just coming back.
    for (const [userId, feed] of this.feeds) {
      const head = await this.audit.lastSeqOf(userId).catch(() => undefined);
      for (const stream of feed.streams) if (stream.isOpen) stream.resync('missed-notifications', head);
    }
  }

  /**
   * A session of a user was signed out (`sid`), or every session of the user ended (the account's
   * erasure notifies `{userId}`): those streams end, on every instance. (Forgetting the user's
   * verified tokens on every instance, at erasure, belongs here too.)
   */
  revoked({ userId, sid }: Revocation): void {
    for (const stream of [...(this.feeds.get(userId)?.streams ?? [])]) {
      if (sid === undefined || stream.owner.sessionId === sid) stream.end();
    }
  }

  /** Ends every stream and opens no more: the instance stops accepting connections. */
  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeat);
    if (this.open > 0) this.logger.log(`stopping: ending ${this.open} change streams`);
    this.each((stream) => stream.end(), true);
  }

  private feedOf(userId: string): UserFeed {
    const feed = new UserFeed(async (afterSeq, limit) => {
      const changes = await this.audit.changesAfter(userId, afterSeq, STREAMED_ENTITIES, limit);
      return changes.filter(isStreamedChange).map(toChangeEvent);
    });
    this.feeds.set(userId, feed);
    return feed;
  }

  private forget(feed: UserFeed, stream: ChangeStream): void {
    if (!feed.streams.delete(stream)) return;
    this.open--;
    if (feed.streams.size === 0 && this.feeds.get(stream.owner.userId) === feed) {
      this.feeds.delete(stream.owner.userId);
    }
  }

  /** Runs `fn` on every stream; `ending`: `fn` may end it (the sets are copied first). */
  private each(fn: (stream: ChangeStream) => unknown, ending = false): void {
    for (const feed of [...this.feeds.values()]) {
      for (const stream of ending ? [...feed.streams] : feed.streams) fn(stream);
    }
  }

  /**
   * Where a stream resuming after `lastEventId` starts: right after it, unless that misses more
   * than REPLAY_MAX_EVENTS changes or older than REPLAY_MAX_AGE_MS, or the id is not one of this
   * user's history: then from their newest change, after a `resync`. Without an id: from now.
   */
  private async startOf(userId: string, lastEventId: number | undefined): Promise<Start> {
    const head = await this.audit.lastSeqOf(userId);
    if (lastEventId === undefined) return { cursor: head };
    if (lastEventId > head) return { cursor: head, resync: 'unknown-event-id' };
    const backlog = await this.audit.backlogAfter(userId, lastEventId, STREAMED_ENTITIES, REPLAY_MAX_EVENTS);
    const tooOld = backlog.oldest !== null && Date.now() - new Date(backlog.oldest).getTime() > REPLAY_MAX_AGE_MS;
    if (backlog.count > REPLAY_MAX_EVENTS || tooOld) return { cursor: head, resync: 'too-far-behind' };
    return { cursor: lastEventId };
  }
}
