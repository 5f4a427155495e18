import { createFyntrixClient } from './client';
import { FyntrixRefreshError } from './errors';
import { fakeApi, type Handler, json, problem } from './testing/fakes';

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
      {
        route: 'POST /api/v1/auth/login',
        authorization: null,
        ifMatch: null,
        body: { email: 'priya@example.com', password: 'pw' },
      },
    ]);
  });
});

describe('createFyntrixClient with refresh', () => {
  const ME = 'GET /api/v1/users/me';
  const me = { id: 'u-1', name: 'Priya' };
  const expired = () => problem(401, 'The access token expired.');

  /**
   * An API that accepts only the access token `valid()` names, and a session whose refresh makes
   * the next token (`t1`, `t2`, …) valid; `refreshes` counts the calls of `refresh`.
   */
  function setup(routes: Record<string, Handler> = {}, refresh?: () => Promise<string | null>) {
    const valid = 't1';
    let token: string | null = 'old';
    let refreshes = 0;
    const accepting =
      (answer: Handler): Handler =>
      (body, request) =>
        request.headers.get('Authorization') === `Bearer ${valid}` ? answer(body, request) : expired();
    const api = fakeApi({
      [ME]: accepting(() => json(200, me)),
      ...Object.fromEntries(Object.entries(routes).map(([route, answer]) => [route, accepting(answer)])),
    });
    const client = createFyntrixClient({
      baseUrl: 'http://api.test',
      getAccessToken: () => token,
      fetch: api.fetch,
      refresh: async () => {
        refreshes++;
        if (refresh) return refresh();
        // A real refresh is a round trip: the other refused requests arrive meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 10));
        token = valid;
        return token;
      },
    });
    return { api, client, refreshes: () => refreshes };
  }

  it('renews the session once for ten parallel 401s, and sends each request once more with the new token', async () => {
    const { api, client, refreshes } = setup();

    const answers = await Promise.all(Array.from({ length: 10 }, () => client.GET('/api/v1/users/me')));

    expect(answers.map(({ data, response }) => [response.status, data])).toEqual(Array(10).fill([200, me]));
    expect(refreshes()).toBe(1);
    expect(api.seen.map((request) => request.authorization)).toEqual([
      ...Array(10).fill('Bearer old'),
      ...Array(10).fill('Bearer t1'),
    ]);
  });

  it('sends the body again with the retried request', async () => {
    const { api, client } = setup({ 'PATCH /api/v1/users/me': (body) => json(200, body) });

    const { data } = await client.PATCH('/api/v1/users/me', { body: { name: 'Priya R.' } });

    expect(data).toEqual({ name: 'Priya R.' });
    expect(api.seen.map(({ authorization, body }) => [authorization, body])).toEqual([
      ['Bearer old', { name: 'Priya R.' }],
      ['Bearer t1', { name: 'Priya R.' }],
    ]);
  });

  it('retries once only: a second 401 is the answer', async () => {
    const { api, client, refreshes } = setup({}, async () => 'still-refused');

    const { error, response } = await client.GET('/api/v1/users/me');

    expect(response.status).toBe(401);
    expect(error).toMatchObject({ status: 401, detail: 'The access token expired.' });
    expect(refreshes()).toBe(1);
    expect(api.seen).toHaveLength(2);
  });

  it('does not renew again for a 401 that comes back after the session was renewed meanwhile', async () => {
    let token = 't1';
    let refreshes = 0;
    const api = fakeApi({
      [ME]: (_, request) => {
        if (request.headers.get('Authorization') === 'Bearer t2') return json(200, me);
        token = 't2'; // another request renewed the session while this one was out
        return expired();
      },
    });
    const client = createFyntrixClient({
      baseUrl: 'http://api.test',
      getAccessToken: () => token,
      fetch: api.fetch,
      refresh: async () => `t${++refreshes + 2}`,
    });

    const { data } = await client.GET('/api/v1/users/me');

    expect(data).toEqual(me);
    expect(refreshes).toBe(0);
    expect(api.seen.map((request) => request.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it.each<[string, () => Promise<string | null>]>([
    ['throws', () => Promise.reject(new Error('refresh token revoked'))],
    ['gives no token', async () => null],
  ])('rejects every refused request with FyntrixRefreshError when the refresh %s', async (_, refresh) => {
    const { api, client, refreshes } = setup({}, refresh);

    const calls = Array.from({ length: 3 }, () => client.GET('/api/v1/users/me'));

    for (const call of calls) await expect(call).rejects.toBeInstanceOf(FyntrixRefreshError);
    expect(refreshes()).toBe(1);
    expect(api.seen).toHaveLength(3);
  });

  it('keeps the failure that made the refresh fail as its cause', async () => {
    const cause = new Error('refresh token revoked');
    const { client } = setup({}, () => Promise.reject(cause));

    await expect(client.GET('/api/v1/users/me')).rejects.toMatchObject({ name: 'FyntrixRefreshError', cause });
  });

  it('never renews for the sign-in routes: their 401 is a wrong password or refresh token', async () => {
    const { api, client, refreshes } = setup({
      'POST /api/v1/auth/login': () => problem(401, 'Wrong email or password.'),
    });

    const { response } = await client.POST('/api/v1/auth/login', { body: { email: 'p@example.com', password: 'x' } });

    expect(response.status).toBe(401);
    expect(refreshes()).toBe(0);
    expect(api.seen).toHaveLength(1);
  });

  it('answers a 401 as it is when no refresh is given', async () => {
    const api = fakeApi({ [ME]: expired });
    const client = createFyntrixClient({ baseUrl: 'http://api.test', getAccessToken: () => 'old', fetch: api.fetch });

    const { response } = await client.GET('/api/v1/users/me');

    expect(response.status).toBe(401);
    expect(api.seen).toHaveLength(1);
  });
});
