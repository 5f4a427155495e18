/**
 * `npm run client`: regenerates what the client package takes from the committed OpenAPI
 * document (openapi.json): its types (client/src/schema.d.ts, by openapi-typescript) and its
 * version (client/package.json's `version` is the document's `info.version`: the package is the
 * client of that contract). Both depend only on openapi.json, whose keys are sorted, so they
 * diff cleanly.
 *
 * `npm run client:check` writes nothing and fails when either is stale (run `npm run openapi`
 * first when the API itself changed).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..');
const OPENAPI_FILE = join(root, 'openapi.json');
export const SCHEMA_FILE = join(root, 'client', 'src', 'schema.d.ts');
export const CLIENT_PACKAGE_FILE = join(root, 'client', 'package.json');

/** The client's types for openapi.json as it is now. */
export async function renderClientSchema(): Promise<string> {
  const { default: openapiTS, astToString, COMMENT_HEADER } = await import('openapi-typescript');
  const ast = await openapiTS(pathToFileURL(OPENAPI_FILE), { silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

/** client/package.json with the version of openapi.json as it is now (the rest as committed). */
export function renderClientPackage(): string {
  const { info } = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { info: { version: string } };
  const manifest = JSON.parse(readFileSync(CLIENT_PACKAGE_FILE, 'utf8')) as Record<string, unknown>;
  return `${JSON.stringify({ ...manifest, version: info.version }, null, 2)}\n`;
}

async function main(): Promise<void> {
  const generated = [
    { path: SCHEMA_FILE, fresh: await renderClientSchema() },
    { path: CLIENT_PACKAGE_FILE, fresh: renderClientPackage() },
  ];
  if (process.argv.includes('--check')) {
    const stale = generated.filter(({ path, fresh }) => fresh !== readFileSync(path, 'utf8'));
    for (const { path } of stale)
      console.error(`stale: ${relative(root, path)} — run \`npm run client\` and commit the result`);
    if (stale.length > 0) process.exit(1);
    console.log('client/src/schema.d.ts and the version in client/package.json are up to date');
    return;
  }
  for (const { path, fresh } of generated) {
    writeFileSync(path, fresh);
    console.log(`wrote ${relative(root, path)}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
