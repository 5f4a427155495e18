/** The API client and the signed-in session, shared by every page of the app. */
import { type components, createFyntrixClient } from '@fyntrix/api-client';

export type Session = components['schemas']['SessionResponseDto'];

/**
 * Where the API is: `?api=<origin>` (the tests serve the built app against a service on a port
 * of their own), else a local one (`npm start` in the repository).
 */
export const API_URL = new URL(location.href).searchParams.get('api') ?? 'http://localhost:3000';

const SESSION_KEY = 'fyntrix_example_session';

/**
 * The session lives in `sessionStorage`: this tab only, and gone with it. Never in
 * `localStorage`, which every script of the origin can read for as long as it is kept.
 */
export const session = {
  get(): Session | null {
    const stored = sessionStorage.getItem(SESSION_KEY);
    return stored ? (JSON.parse(stored) as Session) : null;
  },
  set(value: Session | null): void {
    if (value) sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(SESSION_KEY);
  },
};

export const client = createFyntrixClient({
  baseUrl: API_URL,
  getAccessToken: () => session.get()?.accessToken,
  // Called once for all the requests a 401 refused; a null answer ends the session (FyntrixRefreshError).
  refresh: async () => {
    const refreshToken = session.get()?.refreshToken;
    if (!refreshToken) return null;
    const { data } = await client.POST('/api/v1/auth/refresh', { body: { refreshToken } });
    session.set(data ?? null);
    return data?.accessToken;
  },
});
