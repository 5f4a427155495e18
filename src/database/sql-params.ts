/**
 * Numbered parameters for SQL assembled from optional parts: `params.add(value)` returns the
 * placeholder (`$3`) to put in the text, so values never get spliced into SQL.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
