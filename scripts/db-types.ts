/**
 * `npm run db:types`: regenerates the query layer's database types (src/database/schema.generated.ts)
 * with kysely-codegen (settings in .kysely-codegenrc.json) from a brand-new database migrated with
 * the real migrations, on the embedded PostgreSQL: the types are exactly what the migrations make.
 *
 * `npm run db:types:check` writes nothing and fails when the committed file is stale (CI runs it,
 * and so does the test suite against its own migrated database).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cli } from 'kysely-codegen';
import { loadDatabaseConfig } from '../src/config/app-config';
import { locateDatabase } from '../src/database/embedded-postgres';
import { adminUrl, createMigratedDatabase, dropDatabase } from '../test/support/database';

export const SCHEMA_TYPES_FILE = join(__dirname, '..', 'src', 'database', 'schema.generated.ts');

/** The types kysely-codegen generates from the database of `url`. */
export async function renderSchemaTypes(url: string): Promise<string> {
  const outFile = join(tmpdir(), `schema-${process.pid}-${Date.now()}.ts`);
  try {
    await new Cli().run({ argv: ['--url', url, '--out-file', outFile, '--log-level', 'error'] });
    return readFileSync(outFile, 'utf8');
  } finally {
    rmSync(outFile, { force: true });
  }
}

async function main(): Promise<void> {
  const verify = process.argv.includes('--check');
  const { url: serverUrl, handle } = await locateDatabase(loadDatabaseConfig());
  const database = `fyntrix_types_${process.pid}`;
  try {
    const fresh = await renderSchemaTypes(await createMigratedDatabase(serverUrl, database));
    if (!verify) {
      writeFileSync(SCHEMA_TYPES_FILE, fresh);
      console.log('wrote src/database/schema.generated.ts');
    } else if (fresh !== readFileSync(SCHEMA_TYPES_FILE, 'utf8')) {
      console.error('stale: src/database/schema.generated.ts — run `npm run db:types` and commit the result');
      process.exitCode = 1;
    } else {
      console.log('src/database/schema.generated.ts is up to date');
    }
  } finally {
    await dropDatabase(adminUrl(serverUrl), database);
    if (handle?.owned) await handle.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
