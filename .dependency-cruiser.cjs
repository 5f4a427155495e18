/**
 * Import boundaries, checked by `npm run deps:check` (dependency-cruiser; `.ci/run` runs it).
 *
 * - `domain/` is what the server and the browser client share: the localStorage keys, parser and
 *   import planner, the preference rules, the market vocabulary and limits. It must run in a
 *   browser as it runs in Node, so it imports nothing but itself: no server code (`src/`), no npm
 *   package, no Node built-in. (Globals such as `Buffer` or `document` are no imports:
 *   `domain/tsconfig.json`, which has neither Node nor DOM types, refuses those.)
 * - `client/src/` is the package `@fyntrix/api-client` that web apps install: it imports its own
 *   files, `domain/` (bundled into the package) and `openapi-fetch` (its one dependency) only;
 *   above all never the server (`src/`), which would bring NestJS and Node into the browser.
 *
 * Specs and test doubles run in Jest under Node and may read fixtures from `test/`: they are
 * not shipped, so the rules leave them out. Rules for the server's own modules go below, one
 * commented rule each.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const TESTS = '\\.spec\\.ts$|^client/src/testing/';

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment:
        'domain/ runs in the browser and in the server alike: it may import other domain/ files only ' +
        '(not src/, not an npm package, not a Node built-in).',
      severity: 'error',
      from: { path: '^domain/', pathNot: TESTS },
      to: { pathNot: '^domain/' },
    },
    {
      name: 'client-imports-only-domain-and-openapi-fetch',
      comment:
        'The client package ships client/src with domain/ bundled in and openapi-fetch as its one ' +
        'dependency; anything else (the server in src/, another package, a Node built-in) would break ' +
        'the web app that installs it.',
      severity: 'error',
      from: { path: '^client/src/', pathNot: TESTS },
      to: { pathNot: '^(client/src/|domain/|node_modules/openapi-fetch/)' },
    },
  ],
  options: {
    // `import type` counts too: a type from src/ would pull NestJS's types into the package's .d.ts.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|client/dist|examples/[^/]+/(dist|node_modules))/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
