import { createParser } from 'eventsource-parser';

/** One event of a change stream as a client parses it (`data` is the parsed JSON). */
export interface StreamEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

export interface OpenStream {
  status: number;
  headers: Headers;
  /** Every event received so far, in order. */
  events: StreamEvent[];
  /** Everything received so far, as sent (comments, `retry:` and all). */
  readonly text: string;
  /** Resolves with the first event from index `from` on matching `match`; rejects after `timeoutMs`. */
  next(match: (event: StreamEvent) => boolean, options?: { from?: number; timeoutMs?: number }): Promise<StreamEvent>;
  /** Resolves when the server ends the stream (or the connection breaks). */
  ended: Promise<void>;
  readonly isEnded: boolean;
  close(): void;
}

/**
 * Opens `GET /api/v1/events` on `baseUrl` with `token` and parses what arrives, as a browser's
 * fetch would (the same SSE parser as the client package). A non-200 answer's body is read into
 * `text` and the stream counts as ended.
 */
export async function openStream(
  baseUrl: string,
  token: string,
  { lastEventId, query = '' }: { lastEventId?: string; query?: string } = {},
): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/events${query}`, {
    headers: {
      authorization: `Bearer ${token}`,
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    },
    signal: abort.signal,
  });
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  let text = '';
  let isEnded = false;
  const parser = createParser({
    onEvent: ({ event, id, data }) => {
      events.push({ event: event ?? 'message', id, data: JSON.parse(data) as Record<string, unknown> });
      for (const wake of waiters) wake();
    },
  });
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const piece = decoder.decode(chunk, { stream: true });
        text += piece;
        if (response.status === 200) parser.feed(piece);
      }
    } catch {
      // aborted by close(), or the connection broke
    } finally {
      isEnded = true;
      for (const wake of waiters) wake();
    }
  })();

  const next: OpenStream['next'] = (match, { from = 0, timeoutMs = 5_000 } = {}) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = events.slice(from).find(match);
        if (found) return done(null, found);
        if (isEnded) done(new Error(`the stream ended without the event; received: ${JSON.stringify(events)}`));
      };
      const timer = setTimeout(
        () => done(new Error(`no matching event within ${timeoutMs} ms; received: ${JSON.stringify(events)}`)),
        timeoutMs,
      );
      function done(error: Error | null, event?: StreamEvent) {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(event!);
      }
      waiters.add(check);
      check();
    });

  return {
    status: response.status,
    headers: response.headers,
    events,
    get text() {
      return text;
    },
    next,
    ended,
    get isEnded() {
      return isEnded;
    },
    close: () => abort.abort(),
  };
}

/** The stream's `ready` event: the stream is live from then on. */
export const isReady = (event: StreamEvent) => event.event === 'ready';
