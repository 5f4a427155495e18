/**
 * `npm run openapi`: regenerates the Swagger CLI plugin's metadata (src/metadata.ts, the same
 * output `nest build` produces) and then the committed OpenAPI document (openapi.json), from
 * the app in Nest preview mode: no database is needed.
 *
 * `npm run openapi -- --check` writes nothing and fails when either file is stale.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
process.chdir(root); // the Nest CLI helpers resolve tsconfig paths from the working directory
process.env.LOG_LEVEL ??= 'error'; // the app's start-up lines would bury the result
export const METADATA_FILE = join(root, 'src', 'metadata.ts');
export const OPENAPI_FILE = join(root, 'openapi.json');

interface NestCliPlugin {
  name: string;
  options?: Record<string, unknown>;
}

/** Runs the Swagger plugin's metadata generator with the options of nest-cli.json. */
export function generatePluginMetadata(filename = 'metadata.ts'): string {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { PluginMetadataGenerator } = require('@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js');
  const { ReadonlyVisitor } = require('@nestjs/swagger/plugin');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const nestCli = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8'));
  const plugin = (nestCli.compilerOptions.plugins as NestCliPlugin[]).find((p) => p.name === '@nestjs/swagger');
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

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  if (check) {
    const scratch = 'metadata.check.ts';
    let fresh: string;
    try {
      fresh = generatePluginMetadata(scratch);
    } finally {
      rmSync(join(root, 'src', scratch), { force: true });
    }
    const stale: string[] = [];
    if (fresh !== readFileSync(METADATA_FILE, 'utf8')) stale.push('src/metadata.ts');
    if ((await renderOpenApi()) !== readFileSync(OPENAPI_FILE, 'utf8')) stale.push('openapi.json');
    if (stale.length > 0) {
      console.error(`stale: ${stale.join(', ')} — run \`npm run openapi\` and commit the result`);
      process.exit(1);
    }
    console.log('openapi.json and src/metadata.ts are up to date');
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
