import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import type { DB } from './schema.generated';

/** Builds and compiles queries without a connection. */
const compiler = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** Stands in for a parameter while the query is compiled; `bind()` puts the value in its place. */
class Slot {
  constructor(readonly key: string) {}
}

/** The prepared statements' names by their text, for the pool that runs them (`Database`). */
const namesByText = new Map<string, string>();

export const preparedNameOf = (text: string): string | undefined => namesByText.get(text);

/** A query compiled once, with its parameters bound per call; rows typed as Kysely infers them. */
export interface PreparedQuery<P, R> {
  readonly name: string;
  readonly sql: string;
  bind(params: P): CompiledQuery<R>;
}

/**
 * A hot query, built with Kysely (so its columns are type-checked against the schema) but
 * compiled once, not on every call, and run as a named prepared statement that PostgreSQL
 * plans once per connection. `build` gets the query builder and a stand-in for each parameter:
 * use `params.x` wherever the value goes. Names are unique per process, as they must be per
 * connection.
 */
export function preparedQuery<P extends object, R>(
  name: string,
  build: (db: Kysely<DB>, params: P) => Compilable<R>,
): PreparedQuery<P, R> {
  if ([...namesByText.values()].includes(name)) throw new Error(`prepared statement ${name} is defined twice`);
  const slots = new Proxy({}, { get: (_, key) => new Slot(String(key)) }) as P;
  const compiled = build(compiler, slots).compile();
  const keys = compiled.parameters.map((parameter) => {
    if (!(parameter instanceof Slot)) throw new Error(`${name}: every parameter must come from params`);
    return parameter.key as keyof P;
  });
  namesByText.set(compiled.sql, name);
  return {
    name,
    sql: compiled.sql,
    bind: (params) => ({
      query: compiled.query,
      queryId: createQueryId(),
      sql: compiled.sql,
      parameters: keys.map((key) => params[key]),
    }),
  };
}
