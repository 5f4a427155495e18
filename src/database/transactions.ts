import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { type AppConfig, appConfig } from '../config/app-config';

/**
 * A hot statement, prepared once per connection and then only bound and run: PostgreSQL plans
 * it once instead of on every call (for the preferences write, most of its cost). It is the
 * `{name, text}` config pg's `client.query()` takes, and TypeORM hands its query to pg as it is;
 * `toString` keeps TypeORM's messages readable. Names are unique per process, as they must be
 * per connection.
 */
export class PreparedSql {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }
}

const preparedNames = new Set<string>();

export function preparedSql(name: string, text: string): PreparedSql {
  if (preparedNames.has(name)) throw new Error(`prepared statement ${name} is defined twice`);
  preparedNames.add(name);
  return Object.freeze(new PreparedSql(name, text));
}

/**
 * Where services reach the database: `manager` is the transaction `run()` opened further up
 * the call (kept in AsyncLocalStorage), or the pool when none is open. So a write joins its
 * caller's transaction without a manager being passed around.
 *
 * Written here rather than taken from nestjs-cls: that module always mounts a global guard
 * and interceptor, and those two alone measured at a third of a simple route's throughput.
 */
@Injectable()
export class Transactions {
  private readonly current = new AsyncLocalStorage<{ manager: EntityManager; afterCommit: (() => void)[] }>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  get manager(): EntityManager {
    return this.current.getStore()?.manager ?? this.dataSource.manager;
  }

  /** Runs `fn` in a transaction, joining the one already open in this call chain. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.current.getStore()) return fn();
    const afterCommit: (() => void)[] = [];
    const result = await this.dataSource.transaction((manager) => this.current.run({ manager, afterCommit }, fn));
    for (const callback of afterCommit) callback();
    return result;
  }

  /** Runs `callback` once the current transaction has committed (at once outside one); never after a rollback. */
  afterCommit(callback: () => void): void {
    const transaction = this.current.getStore();
    if (transaction) transaction.afterCommit.push(callback);
    else callback();
  }

  /**
   * Runs SQL that returns rows. TypeORM's `query()` answers `[rows, count]` for
   * UPDATE/DELETE … RETURNING; this always gives the rows.
   */
  async rows<T>(sql: string | PreparedSql, parameters: unknown[] = []): Promise<T[]> {
    const result = await this.manager.query(this.queryOf(sql), parameters);
    const updateResult =
      Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
    return (updateResult ? result[0] : result) as T[];
  }

  /** A prepared statement goes to pg as its config (typed as TypeORM's string), or as plain text when they are off. */
  private queryOf(sql: string | PreparedSql): string {
    if (typeof sql === 'string') return sql;
    return this.config.database.preparedStatements ? (sql as unknown as string) : sql.text;
  }
}
