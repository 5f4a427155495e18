import type { ServerResponse } from 'node:http';
import type { ChangeEvent } from './change-events';
import type { ResyncReason } from './dto/change-event.dto';

/** How long a client waits before reconnecting after the stream ends (the `retry:` advice), in ms. */
export const RETRY_MS = 3_000;
/** setTimeout's longest delay (about 24.8 days): a token's expiry further away is not waited for. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** An ended stream whose client still has not read what was written is cut after this. */
const FLUSH_MS = 5_000;

/** Whose stream it is: the user, the session (sign-in) of its token, and when that token expires. */
export interface StreamOwner {
  userId: string;
  sessionId?: string;
  tokenExpiresAt: number;
}

/** One SSE event: `id:` (when given), `event:`, `data:` (one line of JSON), and the blank line that ends it. */
const frame = (event: string, data: object, id?: number) =>
  `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * One open `text/event-stream` answer: what it has sent so far (`cursor`), and its end — when the
 * client leaves, its access token expires, its session is signed out, the instance stops, or the
 * client reads too slowly: past `bufferBytes` of unread data it gets a `resync` and is closed, so
 * a stalled client costs a bounded amount of memory.
 */
export class ChangeStream {
  /** The seq of the last change this stream accounted for (sent, or covered by a resync); only later ones are sent. */
  cursor = 0;
  /** Changes sent, replayed ones included. */
  sent = 0;
  private response?: ServerResponse;
  private ended = false;
  private expiry?: NodeJS.Timeout;

  constructor(
    readonly owner: StreamOwner,
    private readonly bufferBytes: number,
    private readonly onEnd: (stream: ChangeStream) => void,
  ) {}

  /** Answering events now (not still opening, not ended). */
  get isOpen(): boolean {
    return this.response !== undefined && !this.ended;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Starts answering on `response`, from `cursor` on; the stream ends by itself when the token expires. */
  start(
    response: ServerResponse,
    headers: Record<string, number | string | string[] | undefined>,
    cursor: number,
  ): void {
    if (this.ended) return;
    this.response = response;
    this.cursor = cursor;
    response.once('close', () => this.end());
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) response.setHeader(name, value);
    response.writeHead(200);
    this.write(`retry: ${RETRY_MS}\n\n`);
    const expiresIn = Math.min(Math.max(0, this.owner.tokenExpiresAt - Date.now()), MAX_TIMER_MS);
    this.expiry = setTimeout(() => this.end(), expiresIn);
  }

  /** Sends the changes after the cursor, in order. */
  deliver(events: readonly ChangeEvent[]): void {
    for (const { seq, event, data } of events) {
      if (!this.isOpen) return;
      if (seq <= this.cursor) continue;
      this.cursor = seq;
      this.sent++;
      this.write(frame(event, data, seq));
    }
  }

  /** Tells the client to refetch; with `head`, the stream goes on from there (and a reconnect too). */
  resync(reason: ResyncReason, head?: number): void {
    if (head !== undefined) this.cursor = Math.max(this.cursor, head);
    this.write(frame('resync', { reason }, head));
  }

  /** Live from here: what a reconnect resumes after is the cursor. */
  ready(replayed: number): void {
    this.write(frame('ready', { replayed }, this.cursor));
  }

  /** A comment line: keeps proxies from closing an idle connection, and finds dead ones. */
  heartbeat(): void {
    this.write(': heartbeat\n\n');
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.expiry);
    const response = this.response;
    if (response && !response.writableEnded && !response.destroyed) {
      response.end();
      const cut = setTimeout(() => response.destroy(), FLUSH_MS).unref();
      response.once('close', () => clearTimeout(cut));
    }
    this.onEnd(this);
  }

  private write(text: string): void {
    const response = this.response;
    if (!response || this.ended) return;
    response.write(text);
    if (response.writableLength > this.bufferBytes) {
      response.write(frame('resync', { reason: 'slow-reader' }));
      this.end();
    }
  }
}
