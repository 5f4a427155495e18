import { createParser } from 'eventsource-parser';
import type { FyntrixClient } from './client';
import { FyntrixApiError, FyntrixRefreshError, problemOf } from './errors';
import type { components } from './schema';

type Schemas = components['schemas'];

/** One event of `GET /api/v1/events`, told apart by `event`; `data` is parsed. */
export type ChangeStreamEvent =
  | Schemas['PreferencesChangeEvent']
  | Schemas['WatchlistChangeEvent']
  | Schemas['InsightsChangeEvent']
  | Schemas['ProfileChangeEvent']
  | Schemas['ImportChangeEvent']
  | Schemas['ResyncEvent']
  | Schemas['ReadyEvent'];

export interface ChangeHandlers {
  /**
   * Every event, in order: a change (`preferences`, `watchlist`, `insights`, `profile`, `import`:
   * refetch what it names), `resync` (refetch everything shown: changes may have been missed), or
   * `ready` (live from here on; after a reconnect, the missed changes came before it).
   */
  onEvent(event: ChangeStreamEvent): void;
  /**
   * The stream is not connected (`error`: why; a `FyntrixProblem` for an answer other than 200): it is
   * retried with backoff. Show a "not live" hint if you like.
   */
  onDisconnect?(error: unknown): void;
}

export interface SubscribeOptions {
  /** Stops the subscription (and its open request). */
  signal?: AbortSignal;
  /** Resume after this event id (one kept from an earlier subscription); from now on otherwise. */
  lastEventId?: string;
  /** Reconnection backoff: doubling from `minMs` up to `maxMs`, with jitter. Defaults: 1 s, 30 s. */
  backoff?: { minMs: number; maxMs: number };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

/** Answers where a retry only makes it worse or cannot help: the app must act (sign in, fix the request). */
const isFatal = (status: number) => status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429;

/**
 * Follows the signed-in user's changes made anywhere (this tab, another tab, another device) as
 * they happen: `GET /api/v1/events` read with `fetch` streaming (`EventSource` cannot send the
 * `Authorization` header), through `client` (its access token, and its `refresh` on a 401).
 *
 * The stream ends by itself (the access token expired, the session was signed out, the server
 * restarted): it is opened again with the token current then and `Last-Event-ID`, so the changes
 * made meanwhile arrive first, in order (or a `resync`, if too many). Failures are retried with
 * exponential backoff and jitter (honouring `Retry-After`). Resolves when `signal` aborts; rejects
 * with `FyntrixRefreshError` when the session cannot be renewed, and with `FyntrixApiError` for an
 * answer that retrying cannot fix (400, 403, 404).
 */
export async function subscribeToChanges(
  client: FyntrixClient,
  handlers: ChangeHandlers,
  { signal, lastEventId: resumeAfter, backoff = { minMs: 1_000, maxMs: 30_000 } }: SubscribeOptions = {},
): Promise<void> {
  let lastEventId = resumeAfter;
  let retryMs = backoff.minMs;
  let failures = 0;
  while (!signal?.aborted) {
    let waitMs: number;
    try {
      const answer = await client.GET('/api/v1/events', {
        params: { header: lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId } },
        parseAs: 'stream',
        signal,
      });
      if (!answer.response.ok) {
        const problem = problemOf(answer);
        if (isFatal(problem.status)) throw new FyntrixApiError(problem);
        handlers.onDisconnect?.(problem);
        const retryAfter = Number(answer.response.headers.get('Retry-After')) * 1_000;
        waitMs = Math.max(retryAfter || 0, delay(backoff, failures++));
      } else {
        let live = false;
        const parser = createParser({
          onRetry: (ms) => (retryMs = ms),
          onEvent: (message) => {
            if (message.id !== undefined) lastEventId = message.id;
            const data: unknown = JSON.parse(message.data);
            const event = { event: message.event, id: message.id, data } as ChangeStreamEvent;
            if (event.event === 'ready') {
              live = true;
              failures = 0;
            }
            handlers.onEvent(event);
          },
        });
        const reader = answer.response.body!.pipeThrough(new TextDecoderStream()).getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(chunk.value);
        // Ended by the server: at once with the server's `retry:` advice if it was live, else backing off.
        waitMs = live ? retryMs : delay(backoff, failures++);
        handlers.onDisconnect?.(new Error('the change stream ended'));
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (error instanceof FyntrixRefreshError || error instanceof FyntrixApiError) throw error;
      handlers.onDisconnect?.(error);
      waitMs = delay(backoff, failures++);
    }
    await sleep(waitMs, signal);
  }
}

/** The `attempt`-th backoff: doubling from `minMs`, at most `maxMs`, less up to a half at random. */
const delay = ({ minMs, maxMs }: { minMs: number; maxMs: number }, attempt: number) =>
  Math.min(maxMs, minMs * 2 ** attempt) * (0.5 + Math.random() * 0.5);
