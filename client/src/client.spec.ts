import { createFyntrixClient } from './client';
import { fakeApi, json } from './testing/fakes';

describe('createFyntrixClient', () => {
  it('sends the access token current at each request, and none while signed out', async () => {
    const api = fakeApi({ 'GET /api/v1/users/me': () => json(200, {}) });
    let token: string | null = 'first';
    const client = createFyntrixClient({
      baseUrl: 'http://api.test',
      getAccessToken: async () => token,
      fetch: api.fetch,
    });

    await client.GET('/api/v1/users/me');
    token = 'refreshed';
    await client.GET('/api/v1/users/me');
    token = null;
    await client.GET('/api/v1/users/me');

    expect(api.seen.map((request) => request.authorization)).toEqual(['Bearer first', 'Bearer refreshed', null]);
  });

  it('keeps an Authorization header given for one call', async () => {
    const api = fakeApi({ 'GET /api/v1/users/me': () => json(200, {}) });
    const client = createFyntrixClient({
      baseUrl: 'http://api.test',
      getAccessToken: () => 'current',
      fetch: api.fetch,
    });

    await client.GET('/api/v1/users/me', { headers: { Authorization: 'Bearer other' } });

    expect(api.seen[0].authorization).toBe('Bearer other');
  });

  it('sends JSON bodies to the path under the base URL and parses the answer', async () => {
    const session = { accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 };
    const api = fakeApi({ 'POST /api/v1/auth/login': () => json(200, session) });
    const client = createFyntrixClient({ baseUrl: 'http://api.test', getAccessToken: () => null, fetch: api.fetch });

    const { data } = await client.POST('/api/v1/auth/login', { body: { email: 'priya@example.com', password: 'pw' } });

    expect(data).toEqual(session);
    expect(api.seen).toEqual([
      { route: 'POST /api/v1/auth/login', authorization: null, body: { email: 'priya@example.com', password: 'pw' } },
    ]);
  });
});
