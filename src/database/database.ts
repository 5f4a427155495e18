import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type CompiledQuery,
  Kysely,
  PostgresDialect,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
  type Transaction,
} from 'kysely';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { type AppConfig, appConfig } from '../config/app-config';
import { preparedNameOf } from './prepared-query';
import type { DB } from './schema.generated';

/** A statement slower than this is logged (without its SQL or parameters). */
const SLOW_QUERY_MS = 1_000;

interface Unit {
  trx: Transaction<DB>;
  afterCommit: (() => void)[];
}

/**
 * Proof, for the type checker, that code runs inside `Database.transaction()`: a write that must
 * commit together with another one (an audit event with its change) asks for it.
 */
export interface InTransaction {
  readonly inTransaction: true;
}
const IN_TRANSACTION: InTransaction = Object.freeze({ inTransaction: true });

/**
 * A pool client that runs the statements of `preparedQuery()` under their names: PostgreSQL then
 * plans each once per connection instead of on every call.
 */
class NamingClient implements PostgresPoolClient {
  constructor(
    private readonly client: PoolClient,
    private readonly prepared: boolean,
    private readonly held: Set<PoolClient>,
    onError: (error: Error) => void,
  ) {
    // The server may end a connection while Kysely holds it (a restart, a terminated backend):
    // pg then emits 'error' on the client, which unheard crashes the process. The statement in
    // flight, or the next one, fails instead (503), and the pool drops the client on release.
    client.on('error', onError);
  }

  get processID(): number | undefined {
    return (this.client as PoolClient & { processID?: number }).processID;
  }

  query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    statement: string | PostgresCursor<R>,
    parameters: readonly unknown[] = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof statement !== 'string') throw new Error('cursors are not used');
    const values = parameters as unknown[];
    const name = this.prepared ? preparedNameOf(statement) : undefined;
    // pg types `command` as any string; Kysely names the ones it reads.
    return this.client.query<R & QueryResultRow>(
      name ? { name, text: statement, values } : { text: statement, values },
    ) as Promise<PostgresQueryResult<R>>;
  }

  release(destroy?: boolean): void {
    this.held.delete(this.client);
    this.client.release(destroy);
  }
}

/**
 * TypeORM's pg pool as Kysely's dialect wants it. The pool stays TypeORM's: it opens it, migrates
 * (dev) and closes it, and its health check pings it; `end()` is a no-op here for that reason.
 * The clients Kysely holds at a time are in `held`.
 */
function kyselyPool(
  pool: Pool,
  prepared: boolean,
  held: Set<PoolClient>,
  onError: (error: Error) => void,
): PostgresPool {
  const clients = new WeakMap<PoolClient, NamingClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      let naming = clients.get(client);
      if (!naming) clients.set(client, (naming = new NamingClient(client, prepared, held, onError)));
      held.add(client);
      return naming;
    },
    end: async () => undefined,
    options: pool.options,
  };
}

/**
 * Where repositories reach PostgreSQL: `db` is the transaction `transaction()` opened further up
 * the call (kept in AsyncLocalStorage), or the pool when none is open, so a write joins its
 * caller's transaction without one being passed around. Queries are Kysely's, typed by the
 * schema generated from the migrations (`schema.generated.ts`).
 *
 * The AsyncLocalStorage is ours rather than nestjs-cls's: that module always mounts a global
 * guard and interceptor, measured at a third of a simple route's throughput.
 */
@Injectable()
export class Database {
  private readonly root: Kysely<DB>;
  private readonly current = new AsyncLocalStorage<Unit>();
  private readonly held = new Set<PoolClient>();

  constructor(dataSource: DataSource, @Inject(appConfig.KEY) config: AppConfig) {
    const logger = new Logger('Database');
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const lost = (error: Error) => logger.warn(`connection lost: ${error.message}`);
    this.root = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: kyselyPool(pool, config.database.preparedStatements, this.held, lost) }),
      log: (event) => {
        if (event.level === 'query' && event.queryDurationMillis >= SLOW_QUERY_MS) {
          logger.warn(`slow query: ${Math.round(event.queryDurationMillis)} ms`);
        }
      },
    });
  }

  /** The current transaction, or the pool. */
  get db(): Kysely<DB> {
    return this.current.getStore()?.trx ?? this.root;
  }

  /** Runs `fn` in a transaction, joining the one already open in this call chain. */
  async transaction<T>(fn: (tx: InTransaction) => Promise<T>): Promise<T> {
    if (this.current.getStore()) return fn(IN_TRANSACTION);
    const afterCommit: (() => void)[] = [];
    const result = await this.root
      .transaction()
      .execute((trx) => this.current.run({ trx, afterCommit }, () => fn(IN_TRANSACTION)));
    for (const callback of afterCommit) callback();
    return result;
  }

  /** Runs `callback` once the current transaction has committed (at once outside one); never after a rollback. */
  afterCommit(callback: () => void): void {
    const unit = this.current.getStore();
    if (unit) unit.afterCommit.push(callback);
    else callback();
  }

  /**
   * Ends the connections statements or transactions still hold: at shutdown, once the requests
   * that ran them are past their grace (`GracefulShutdown`), so that closing the pool next does
   * not wait for them up to a statement timeout.
   */
  async endHeldConnections(): Promise<void> {
    await Promise.all([...this.held].map((client) => client.end().catch(() => undefined)));
  }

  /** Runs a compiled query (`preparedQuery(…).bind(…)`) on the current transaction or the pool. */
  async run<R>(query: CompiledQuery<R>): Promise<R[]> {
    return (await this.db.executeQuery(query)).rows;
  }
}
