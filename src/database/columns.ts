/**
 * The columns of a table whose fields are its columns' names in camelCase (`riskProfile` is
 * stored in `risk_profile`), so that a repository can follow a list of fields instead of naming
 * each column again. The types follow the same rule as the functions: a query built from them is
 * still checked against the generated schema, and a renamed column fails `tsc`.
 */

/** `riskProfile` → `risk_profile` (ASCII: each capital letter becomes `_` and its lower case). */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? '' : '_'}${Lowercase<Head>}${SnakeCase<Tail>}`
  : S;

/** The column a field is stored in. */
export const columnOf = <F extends string>(field: F): SnakeCase<F> =>
  field.replace(/[A-Z]/g, (capital) => `_${capital.toLowerCase()}`) as SnakeCase<F>;

/** A field as Kysely selects it, each one from its own column: `'risk_profile as riskProfile'`. */
export type SelectedAs<F extends string> = F extends string ? `${SnakeCase<F>} as ${F}` : never;

export const selectedAs = <F extends string>(field: F): SelectedAs<F> =>
  `${columnOf(field)} as ${field}` as SelectedAs<F>;

/**
 * A value as its column takes it: objects and arrays as JSON text (jsonb columns are written as
 * text, `ColumnType<Shape, string, string>`, because pg would send an array as a PostgreSQL
 * array), dates and scalars as they are.
 */
export type Stored<T> = T extends Date ? T : T extends object ? string : T;

export const stored = <T>(value: T): Stored<T> =>
  (value !== null && typeof value === 'object' && !(value instanceof Date)
    ? JSON.stringify(value)
    : value) as Stored<T>;
