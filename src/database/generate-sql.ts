import { encodeCursor } from '../common/pagination';

/** One call of a repository method for `npm run sql`: the arguments it is called with. */
export interface GenerateSqlCall {
  /** Names the variant when a method is called more than once (`with cursor`). */
  name?: string;
  params: unknown[];
}

/** Every repository method `npm run sql` calls, by class and method name. */
export const generateSqlCalls = new Map<object, Map<string, GenerateSqlCall[]>>();

/**
 * Marks a repository method whose SQL is written to `<name>.repository.sql` by `npm run sql`
 * (and checked by `npm run sql:check` in CI), so that a reviewer sees every query change as a
 * SQL diff. No effect at run time beyond recording the calls once.
 */
export function GenerateSql(...calls: GenerateSqlCall[]): MethodDecorator {
  return (target, key) => {
    const methods = generateSqlCalls.get(target.constructor) ?? new Map<string, GenerateSqlCall[]>();
    methods.set(String(key), calls.length > 0 ? calls : [{ params: [] }]);
    generateSqlCalls.set(target.constructor, methods);
  };
}

/** Stand-in values for the generated files (they show as parameters, never inline). */
GenerateSql.UUID = '00000000-0000-4000-8000-000000000000';
GenerateSql.DATE = new Date('2026-01-01T00:00:00.000Z');
/** The `nextCursor` of a page that ended with row UUID at DATE: the `with cursor` variant of a list. */
GenerateSql.CURSOR = encodeCursor({ at: GenerateSql.DATE, id: GenerateSql.UUID });
