#!/usr/bin/env node
/**
 * Runs one of this repo's TypeScript entry points, or the TypeORM CLI on `ormconfig`, so that
 * the same npm script works in both places it is used:
 * - a checkout with dev dependencies: straight from source, through @swc-node/register;
 * - the production image (no dev dependencies, no sources): from the compiled build in dist/.
 *
 * Usage: node scripts/run.cjs <src/cli/entry.ts> [args...]
 *        node scripts/run.cjs typeorm <command> [args...]
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const [target, ...args] = process.argv.slice(2);
if (!target) {
  console.error('usage: node scripts/run.cjs <entry.ts | typeorm> [args...]');
  process.exit(2);
}

function fromSource() {
  if (process.env.RUN_FROM_DIST === '1') return false;
  try {
    require.resolve('@swc-node/register');
    return existsSync(join(root, 'ormconfig.ts'));
  } catch {
    return false;
  }
}

const source = fromSource();
if (source) {
  // @swc-node reads tsconfig.json from the working directory; decorators need this repo's.
  process.env.SWC_NODE_PROJECT ??= join(root, 'tsconfig.json');
  require('@swc-node/register');
  // Processes forked from the entry (the workers of WEB_CONCURRENCY > 1) load TypeScript too.
  process.execArgv.push('--require', require.resolve('@swc-node/register'));
}
const resolveEntry = (tsPath) => (source ? join(root, tsPath) : join(root, 'dist', tsPath.replace(/\.ts$/, '.js')));

// Run the entry as the main module, so `require.main === module` holds inside it.
if (target === 'typeorm') {
  // The CLI wants the data source after the command: `typeorm migration:run -d ormconfig.ts`.
  process.argv = [process.argv[0], require.resolve('typeorm/cli.js'), ...args, '-d', resolveEntry('ormconfig.ts')];
} else {
  process.argv = [process.argv[0], resolveEntry(target), ...args];
}
require('node:module').runMain();
