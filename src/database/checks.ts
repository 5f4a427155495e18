/**
 * The text of a CHECK that a column holds one of `values`, exactly as the migrations write it
 * (`role IN ('user', 'admin')`), so that an entity's `@Check` takes its list from the enum the
 * code uses and the drift check (`npm run migration:check`) compares it with the database's.
 */
export function oneOf(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map((value) => `'${value}'`).join(', ')})`;
}
