import { Client } from 'pg';

/** The database every e2e spec of one run shares; recreated by the global setup. */
export const TEST_DATABASE = 'fyntrix_e2e';

export function adminUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  return url.toString();
}

export function testDatabaseUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${TEST_DATABASE}`;
  return url.toString();
}

/** A plain pg client on the test database, for assertions on what was really stored. */
export async function withDatabase<T>(fn: (client: Client) => Promise<T>, url = process.env.DATABASE_URL): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
