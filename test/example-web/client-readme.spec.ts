import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

/**
 * The code samples of client/README.md, each ```ts block a module of a small app (the block's
 * info string names its file: ```ts src/api.ts), type-checked as a web app compiles (strict, DOM
 * types, no Node types, the package's declarations checked too) and bundled for the browser,
 * against the package as a web app installs it: the tarball installed into examples/web
 * (`npm run example:web`).
 */
const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'client', 'README.md'), 'utf8');
const INSTALLED = join(ROOT, 'examples', 'web', 'node_modules');

const samples = [...README.matchAll(/^```ts(?: (\S+))?\n([\s\S]*?)^```$/gm)].map(([, file, code], index) => ({
  file: file ?? `src/sample-${index}.ts`,
  code,
}));

describe('the samples of client/README.md, against the packed package', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'client-readme-'));
    symlinkSync(INSTALLED, join(dir, 'node_modules'), 'dir');
    for (const { file, code } of samples) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), code);
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('show every helper the frontend needs', () => {
    const all = samples.map(({ code }) => code).join('\n');
    for (const name of [
      'createFyntrixClient',
      'refresh:',
      'migrateLocalStorage',
      'readPreferences',
      'readWatchlist',
      'savePreferences',
      'problemOf',
      'dataOrThrow',
      'FyntrixRefreshError',
    ])
      expect(all).toContain(name);
  });

  it('type-check strictly for the browser', () => {
    const { options } = ts.convertCompilerOptionsFromJson(
      {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: [],
        strict: true,
        noEmit: true,
        isolatedModules: true,
        skipLibCheck: false,
      },
      dir,
    );
    const program = ts.createProgram(
      samples.map(({ file }) => join(dir, file)),
      options,
    );
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const where = diagnostic.file
        ? `${diagnostic.file.fileName.slice(dir.length + 1)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start!).line + 1}: `
        : '';
      return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    });

    expect(diagnostics).toEqual([]);
  });

  it('bundle for the browser', async () => {
    const result = await build({
      entryPoints: samples.map(({ file }) => join(dir, file)),
      absWorkingDir: dir,
      outdir: join(dir, 'out'),
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
      metafile: true,
    });

    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContainEqual(expect.stringMatching(/@fyntrix\/api-client\/dist\/index\.js$/));
    expect(inputs).toContainEqual(expect.stringMatching(/openapi-fetch\/dist\/index\.mjs$/));
  });
});
