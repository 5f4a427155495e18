/**
 * `npm run openapi`: regenerates the Swagger CLI plugin's metadata (src/metadata.ts, the same
 * output `nest build` produces) and then the committed OpenAPI document (openapi.json), from
 * the app in Nest preview mode: no database is needed.
 *
 * `npm run openapi -- --check` writes nothing and fails when either file, or what the client
 * takes from openapi.json (`npm run client`: its types and version), is stale.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CLIENT_PACKAGE_FILE, renderClientPackage, renderClientSchema, SCHEMA_FILE } from './client';

const root = join(__dirname, '..');
process.chdir(root); // the Nest CLI helpers resolve tsconfig paths from the working directory
process.env.LOG_LEVEL ??= 'error'; // the app's start-up lines would bury the result
export const METADATA_FILE = join(root, 'src', 'metadata.ts');
export const OPENAPI_FILE = join(root, 'openapi.json');

// An internal module of the Nest CLI (what `nest build` runs), required when used; it ships its typings.
const PLUGIN_METADATA_GENERATOR = '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js';
type PluginMetadataGeneratorModule = typeof import('@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js');

/** What this script reads of nest-cli.json. */
interface NestCliConfig {
  compilerOptions: { plugins: { name: string; options?: Record<string, unknown> }[] };
}

/** Runs the Swagger plugin's metadata generator with the options of nest-cli.json. */
export function generatePluginMetadata(filename = 'metadata.ts'): string {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { PluginMetadataGenerator } = require(PLUGIN_METADATA_GENERATOR) as PluginMetadataGeneratorModule;
  const { ReadonlyVisitor } = require('@nestjs/swagger/plugin') as typeof import('@nestjs/swagger/plugin');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const nestCli = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')) as NestCliConfig;
  const plugin = nestCli.compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger');
  const sourceDir = join(root, 'src');
  new PluginMetadataGenerator().generate({
    visitors: [new ReadonlyVisitor({ ...plugin?.options, pathToSource: sourceDir })],
    outputDir: sourceDir,
    filename,
    tsconfigPath: 'tsconfig.build.json',
    printDiagnostics: false,
  });
  return readFileSync(join(sourceDir, filename), 'utf8');
}

/** The OpenAPI document of the app as it is now, sorted for stable diffs. */
export async function renderOpenApi(): Promise<string> {
  // Required late, so that a freshly generated metadata.ts is the one the app loads.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createApp } = require('../src/app') as typeof import('../src/app');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createOpenApiDocument, stableJson } = require('../src/docs/openapi') as typeof import('../src/docs/openapi');
  const app = await createApp({ preview: true });
  try {
    return stableJson(createOpenApiDocument(app));
  } finally {
    await app.close();
  }
}

/** Where two texts first differ, with a little context, for a readable failure. */
function firstDifference(generated: string, committed: string): string {
  let at = 0;
  while (at < generated.length && generated[at] === committed[at]) at++;
  const line = generated.slice(0, at).split('\n').length;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 60), at + 60));
  return `first difference on line ${line}: committed ${around(committed)}, generated ${around(generated)}`;
}

export interface StaleFile {
  /** Relative to the repository. */
  file: string;
  /** The command that regenerates it. */
  fix: string;
  difference: string;
}

/**
 * The committed generated files (src/metadata.ts, openapi.json, client/src/schema.d.ts and the
 * version in client/package.json) that differ from what their generators produce now; writes
 * nothing. The app's document is rendered with the committed metadata, the client's types and
 * version from the committed openapi.json.
 */
export async function staleGeneratedFiles(): Promise<StaleFile[]> {
  // A scratch name of its own: the real file is not touched, and parallel runs do not collide.
  const scratch = `metadata.check-${process.pid}.ts`;
  let metadata: string;
  try {
    metadata = generatePluginMetadata(scratch);
  } finally {
    rmSync(join(root, 'src', scratch), { force: true });
  }
  const generated = [
    { path: METADATA_FILE, fresh: metadata, fix: 'npm run openapi' },
    { path: OPENAPI_FILE, fresh: await renderOpenApi(), fix: 'npm run openapi' },
    { path: SCHEMA_FILE, fresh: await renderClientSchema(), fix: 'npm run client' },
    { path: CLIENT_PACKAGE_FILE, fresh: renderClientPackage(), fix: 'npm run client' },
  ];
  return generated.flatMap(({ path, fresh, fix }) => {
    const committed = readFileSync(path, 'utf8');
    return fresh === committed
      ? []
      : [{ file: relative(root, path), fix, difference: firstDifference(fresh, committed) }];
  });
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleGeneratedFiles();
    for (const { file, fix, difference } of stale)
      console.error(`stale: ${file} — run \`${fix}\` and commit the result (${difference})`);
    if (stale.length > 0) process.exit(1);
    console.log('src/metadata.ts, openapi.json, client/src/schema.d.ts and client/package.json are up to date');
    return;
  }
  generatePluginMetadata();
  writeFileSync(OPENAPI_FILE, await renderOpenApi());
  console.log(`wrote src/metadata.ts and ${OPENAPI_FILE}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
