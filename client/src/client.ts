import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

/** A client of every route of the API (`paths`, generated from openapi.json). */
export type FyntrixClient = Client<paths>;

export type Problem = components['schemas']['ProblemResponse'];

export interface FyntrixClientOptions {
  /** Where the API is served, without `/api/v1` (the paths carry it): `https://api.fyntrix.in`. */
  baseUrl: string;
  /** The current access token, or null when signed out; asked before every request. */
  getAccessToken: () => string | null | undefined | Promise<string | null | undefined>;
  /** A fetch to use instead of the global one (tests). */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * An openapi-fetch client for this API: `client.GET('/api/v1/preferences')` is typed from the
 * OpenAPI document, path, body and answer alike. Every request carries the access token that
 * `getAccessToken` returns at that moment, so a refreshed token is used from the next request on.
 */
export function createFyntrixClient(options: FyntrixClientOptions): FyntrixClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  client.use(bearerToken(options.getAccessToken));
  return client;
}

function bearerToken(getAccessToken: FyntrixClientOptions['getAccessToken']): Middleware {
  return {
    async onRequest({ request }) {
      // A header given for one call (say, a token being tried out) wins over the current one.
      if (request.headers.has('Authorization')) return request;
      const token = await getAccessToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
}

/** An answer other than success that the helpers do not handle themselves (4xx). */
export class FyntrixApiError extends Error {
  constructor(
    readonly status: number,
    /** The problem+json body, when the answer had one. */
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ? `${status}: ${problem.detail}` : `the API answered ${status}`);
    this.name = 'FyntrixApiError';
  }
}
