import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { FyntrixRefreshError } from './errors';
import type { paths } from './schema';

/** A client of every route of the API (`paths`, generated from openapi.json). */
export type FyntrixClient = Client<paths>;

type Fetch = (request: Request) => Promise<Response>;
type MaybePromise<T> = T | Promise<T>;

export interface FyntrixClientOptions {
  /** Where the API is served, without `/api/v1` (the paths carry it): `https://api.fyntrix.in`. */
  baseUrl: string;
  /** The current access token, or null when signed out; asked before every request. */
  getAccessToken: () => MaybePromise<string | null | undefined>;
  /**
   * Renews the session when the API refuses the access token (401): typically
   * `POST /api/v1/auth/refresh` with the refresh token the app keeps, storing the new pair where
   * `getAccessToken` reads it. Answers the new access token, or null when the session cannot be
   * renewed. The refused request is then sent once more with the new token. Without it, a 401 is
   * answered as it is.
   */
  refresh?: () => Promise<string | null | undefined>;
  /** A fetch to use instead of the global one (tests). */
  fetch?: Fetch;
}

/**
 * An openapi-fetch client for this API: `client.GET('/api/v1/preferences')` is typed from the
 * OpenAPI document, path, body and answer alike. Every request carries the access token that
 * `getAccessToken` returns at that moment, so a refreshed token is used from the next request on.
 */
export function createFyntrixClient(options: FyntrixClientOptions): FyntrixClient {
  const fetch = options.refresh
    ? renewingFetch(options.fetch ?? ((request) => globalThis.fetch(request)), options.getAccessToken, options.refresh)
    : options.fetch;
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch });
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

/** The public sign-in routes: their 401 means a wrong password or refresh token, never an expired access token. */
const AUTH_ROUTES = /\/api\/v1\/auth\//;

/**
 * A fetch that answers a 401 by renewing the session and sending the request once more.
 * Renewals are single-flight: every request refused while one runs waits for it, so ten
 * parallel 401s make one `refresh` call (the API revokes the whole session when a refresh
 * token is presented twice). A request refused after another one renewed the session is
 * simply sent again with the new token.
 */
function renewingFetch(
  fetch: Fetch,
  getAccessToken: FyntrixClientOptions['getAccessToken'],
  refresh: NonNullable<FyntrixClientOptions['refresh']>,
): Fetch {
  let renewal: Promise<string> | undefined;
  const renew = async (): Promise<string> => {
    let token: string | null | undefined;
    try {
      token = await refresh();
    } catch (error) {
      throw new FyntrixRefreshError(error);
    }
    if (!token) throw new FyntrixRefreshError();
    return token;
  };

  return async (request) => {
    if (AUTH_ROUTES.test(new URL(request.url).pathname)) return fetch(request);
    // Sent bodies cannot be read twice: keep a copy for the second attempt.
    const again = request.clone();
    const response = await fetch(request);
    if (response.status !== 401) return response;
    await response.body?.cancel();

    const current = await getAccessToken();
    // With no renewal running, a token other than the one sent means one has finished meanwhile.
    const token =
      !renewal && current && request.headers.get('Authorization') !== `Bearer ${current}`
        ? current
        : await (renewal ??= renew().finally(() => (renewal = undefined)));
    again.headers.set('Authorization', `Bearer ${token}`);
    return fetch(again);
  };
}
