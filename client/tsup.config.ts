import { defineConfig } from 'tsup';

/**
 * `npm run client:build`: the package's one entry as ESM for browsers and bundlers, with one
 * bundled declaration file. `domain/` is bundled in (web apps install no server code);
 * `openapi-fetch`, the package's dependency, stays an import.
 */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  platform: 'browser',
  target: 'es2022',
  // tsup 8 sets `baseUrl` for its declaration build, which TypeScript 6 deprecates.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  tsconfig: 'tsconfig.build.json',
  clean: true,
  outDir: 'dist',
});
