/**
 * The test page's script, bundled with the client (support/page-server.ts): a stand-in for the
 * web app around sign-in. The API's address comes from the page's URL (`?api=…`).
 */
import { createFyntrixClient, migrateLocalStorage, readPreferences, readWatchlist } from '../../../client/src';
import type { PageGlobals, TestApp } from './test-app';

const apiUrl = new URL(location.href).searchParams.get('api');
if (!apiUrl) throw new Error('the page needs ?api=<the API origin>');

let accessToken: string | null = null;
const client = createFyntrixClient({ baseUrl: apiUrl, getAccessToken: () => accessToken });

const testApp: TestApp = {
  async signUp(email, password, name) {
    const { data, error } = await client.POST('/api/v1/auth/register', { body: { email, password, name } });
    if (!data) throw new Error(`sign-up failed: ${JSON.stringify(error)}`);
    accessToken = data.accessToken;
    return accessToken;
  },
  async signIn(email, password) {
    const { data, error } = await client.POST('/api/v1/auth/login', { body: { email, password } });
    if (!data) throw new Error(`sign-in failed: ${JSON.stringify(error)}`);
    accessToken = data.accessToken;
    return accessToken;
  },
  async features() {
    const { data, error } = await client.GET('/api/v1/features');
    if (!data) throw new Error(`GET /features failed: ${JSON.stringify(error)}`);
    return data;
  },
  migrate: (features) => migrateLocalStorage(client, localStorage, { features }),
  readPreferences: () => readPreferences(client, localStorage),
  readWatchlist: () => readWatchlist(client, localStorage),
  seedStorage(entries) {
    localStorage.clear();
    for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value);
  },
  storage: () => ({ ...localStorage }),
};

(window as unknown as PageGlobals).testApp = testApp;
