/** Test doubles for the client's unit specs: a `localStorage` and an API behind a fake fetch. */
import type { Problem } from '../errors';
import type { StorageLike } from '../local-storage';

/** An in-memory `localStorage`. */
export class FakeStorage implements StorageLike {
  private readonly items: Map<string, string>;

  constructor(entries: Record<string, string> = {}) {
    this.items = new Map(Object.entries(entries));
  }

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }

  /** Everything stored, as `{key: value}`. */
  snapshot(): Record<string, string> {
    return Object.fromEntries(this.items);
  }
}

/** What the fake API saw of one request. */
export interface SeenRequest {
  route: string;
  authorization: string | null;
  ifMatch: string | null;
  body: unknown;
}

/** Answers one route (`request` is what was sent); throwing stands for a network error. */
export type Handler = (body: unknown, request: Request) => Response | Promise<Response>;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A problem+json answer as the API sends them; `fields` adds to or replaces the document's fields. */
export const problem = (
  status: number,
  detail: string,
  fields: Partial<Problem> = {},
  headers: Record<string, string> = {},
): Response =>
  new Response(
    JSON.stringify({ type: 'about:blank', title: 'Error', status, detail, instance: '/', requestId: 'r-1', ...fields }),
    { status, headers: { 'content-type': 'application/problem+json', ...headers } },
  );

export const networkError: Handler = () => {
  throw new TypeError('Failed to fetch');
};

/**
 * A fetch that answers `'METHOD /path'` routes with their handlers (404 for any other) and
 * records every request it saw.
 */
export function fakeApi(routes: Record<string, Handler>) {
  const seen: SeenRequest[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const route = `${request.method} ${new URL(request.url).pathname}`;
    const text = await request.text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    seen.push({
      route,
      authorization: request.headers.get('Authorization'),
      ifMatch: request.headers.get('If-Match'),
      body,
    });
    const handler = routes[route];
    return handler ? handler(body, request) : problem(404, `no route ${route}`);
  };
  return { fetch, seen, routes: () => seen.map((request) => request.route) };
}
