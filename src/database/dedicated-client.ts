import { Client, type ClientConfig } from 'pg';
import type { DataSource, DataSourceOptions } from 'typeorm';

type PostgresOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/**
 * A connection of its own to the database of `dataSource`, outside the pool, for what must keep
 * one session: the migration lock, the change streams' LISTEN. Same URL, TLS and connect
 * timeout as the pool's connections; `purpose` names it in `pg_stat_activity`.
 */
export function dedicatedClient(
  dataSource: DataSource,
  purpose: string,
  extra: Pick<ClientConfig, 'query_timeout' | 'keepAlive'> = {},
): Client {
  const options = dataSource.options as PostgresOptions;
  return new Client({
    connectionString: options.url,
    // What TypeORM hands pg for the pool's connections.
    ssl: options.ssl as ClientConfig['ssl'],
    connectionTimeoutMillis: options.connectTimeoutMS,
    application_name: `${options.applicationName ?? 'typeorm'}:${purpose}`,
    ...extra,
  });
}
