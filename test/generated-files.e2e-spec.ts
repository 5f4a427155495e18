import { readFileSync } from 'node:fs';
import { renderSchemaTypes, SCHEMA_TYPES_FILE } from '../scripts/db-types';
import { renderSqlFiles } from '../scripts/sql';

/**
 * The query layer's generated files are current: the schema types are what kysely-codegen makes
 * of the run's database (migrated with the real migrations), and every repository's SQL file is
 * what its methods produce. `npm run db:types` / `npm run sql` regenerate them.
 */
describe('generated files of the data layer', () => {
  it('src/database/schema.generated.ts matches the migrated schema', async () => {
    const fresh = await renderSchemaTypes(process.env.DATABASE_URL!);
    expect(fresh).toBe(readFileSync(SCHEMA_TYPES_FILE, 'utf8'));
  });

  it('every <name>.repository.sql matches what its repository sends', async () => {
    const files = await renderSqlFiles();
    expect(files.size).toBeGreaterThanOrEqual(10);
    for (const [path, content] of files)
      expect({ path, content }).toEqual({ path, content: readFileSync(path, 'utf8') });
  });
});
