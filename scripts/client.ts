/**
 * `npm run client`: regenerates the frontend client's types (client/src/schema.d.ts) from the
 * committed OpenAPI document (openapi.json) with openapi-typescript. The output depends only
 * on openapi.json, whose keys are sorted, so it diffs cleanly.
 *
 * `npm run client:check` writes nothing and fails when the types are stale (run
 * `npm run openapi` first when the API itself changed).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..');
const OPENAPI_FILE = join(root, 'openapi.json');
export const SCHEMA_FILE = join(root, 'client', 'src', 'schema.d.ts');

/** The client's types for openapi.json as it is now. */
export async function renderClientSchema(): Promise<string> {
  const { default: openapiTS, astToString, COMMENT_HEADER } = await import('openapi-typescript');
  const ast = await openapiTS(pathToFileURL(OPENAPI_FILE), { silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

async function main(): Promise<void> {
  const fresh = await renderClientSchema();
  const target = relative(root, SCHEMA_FILE);
  if (process.argv.includes('--check')) {
    if (fresh !== readFileSync(SCHEMA_FILE, 'utf8')) {
      console.error(`stale: ${target} — run \`npm run client\` and commit the result`);
      process.exit(1);
    }
    console.log(`${target} is up to date`);
    return;
  }
  writeFileSync(SCHEMA_FILE, fresh);
  console.log(`wrote ${target}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
