import type { DataSource } from 'typeorm';
import { migrationDataSource, withDatabase } from './support/database';

/**
 * The entities' enum CHECKs take their lists from the code's enums (`oneOf`); the migrations wrote
 * theirs by hand. TypeORM's drift check compares constraints by name only, so this compares the
 * values: every `column IN (...)` CHECK of an entity allows exactly what the database's allows.
 */
const ENUM_CHECK = /^(\w+) IN \((.*)\)$/;
const quoted = (text: string) => [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]).sort();

describe('enum CHECK constraints', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = await migrationDataSource(process.env.DATABASE_URL!);
  });
  afterAll(() => dataSource?.destroy());

  it('allow in the database exactly the values of the enums the entities name', async () => {
    const expected = dataSource.entityMetadatas.flatMap((entity) =>
      entity.checks
        .filter((check) => ENUM_CHECK.test(check.expression ?? ''))
        .map((check) => ({ name: check.name, values: quoted(ENUM_CHECK.exec(check.expression)![2]) })),
    );
    expect(expected.length).toBeGreaterThanOrEqual(15);
    const actual = await withDatabase(async (client) => {
      const { rows } = await client.query<{ name: string; definition: string }>(
        `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE contype = 'c'`,
      );
      return new Map(rows.map((row) => [row.name, quoted(row.definition)]));
    });
    for (const check of expected) expect({ name: check.name, values: actual.get(check.name) }).toEqual(check);
  });
});
