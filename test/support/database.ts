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

/**
 * A brand-new empty database on the embedded server, for specs that must own their schema
 * (migration round trips, schema verification). Drop it with the returned function.
 */
export async function createScratchDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `fyntrix_${label}_${process.pid}_${Date.now()}`.toLowerCase();
  const admin = adminUrl(process.env.DATABASE_URL!);
  await withDatabase((c) => c.query(`CREATE DATABASE ${name}`), admin);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withDatabase((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), admin).then(() => undefined),
  };
}
