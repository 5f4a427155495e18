/**
 * Import boundaries, checked by `npm run deps:check` (dependency-cruiser; `.ci/run` runs it).
 *
 * - `domain/` is what the server and the browser client share: the localStorage keys, parser and
 *   import planner, the preference rules, the market vocabulary and limits. It must run in a
 *   browser as it runs in Node, so it imports nothing but itself: no server code (`src/`), no npm
 *   package, no Node built-in. (Globals such as `Buffer` or `document` are no imports:
 *   `domain/tsconfig.json`, which has neither Node nor DOM types, refuses those.)
 * - `client/src/` is the package `@fyntrix/api-client` that web apps install: it imports its own
 *   files, `domain/` (bundled into the package) and its dependencies `openapi-fetch` and
 *   `eventsource-parser` (the change stream's parser) only;
 *   above all never the server (`src/`), which would bring NestJS and Node into the browser.
 *
 * - The server (`src/`) is one folder per feature module plus infrastructure (`common/`, `config/`,
 *   `database/`, `docs/`, `crypto/`) and the composition root (`app.ts`, `app.module.ts`, `main.ts`):
 *   infrastructure imports no feature module; a module reaches another only through what that
 *   module exports (its module, services, guards, decorators, DTOs); SQL (Kysely) only in
 *   repositories and `database/`, so every table is read and written by its own module only.
 *
 * Specs and test doubles run in Jest under Node and may read fixtures from `test/`: they are
 * not shipped, so the rules leave them out.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const TESTS = '\\.spec\\.ts$|^client/src/testing/';
const INFRASTRUCTURE = '^src/(common|config|database|docs|crypto)/';
/** What a module exports to others. Its repositories, entities and rules stay its own. */
const PUBLIC = [
  '\\.(module|service|guard|decorators?)\\.ts$',
  '/dto/',
  '^src/auth/auth-user\\.ts$',
  '^src/audit/inline-audit-event\\.ts$',
];

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
      name: 'client-imports-only-domain-and-its-dependencies',
      comment:
        'The client package ships client/src with domain/ bundled in and openapi-fetch and ' +
        'eventsource-parser as its dependencies; anything else (the server in src/, another package, a Node built-in) would break ' +
        'the web app that installs it.',
      severity: 'error',
      from: { path: '^client/src/', pathNot: TESTS },
      to: { pathNot: '^(client/src/|domain/|node_modules/(openapi-fetch|eventsource-parser)/)' },
    },
    {
      name: 'infrastructure-imports-no-feature-module',
      comment:
        'common/, config/, database/, docs/ and crypto/ serve every module: importing one would tie them ' +
        'to it (and invite cycles).',
      severity: 'error',
      from: { path: INFRASTRUCTURE, pathNot: TESTS },
      to: { path: '^src/[^/]+/', pathNot: INFRASTRUCTURE },
    },
    {
      name: 'modules-meet-through-their-public-api',
      comment:
        'A module reaches another only through what that module exports (its module, services, guards, ' +
        'decorators, DTOs), never its repository or entities: a table is read and written by its own module.',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: [INFRASTRUCTURE, TESTS] },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', INFRASTRUCTURE, ...PUBLIC] },
    },
    {
      name: 'trading-parts-meet-through-their-public-api',
      comment:
        'The trading module is one Nest module in parts (connections, intents, orders, portfolio, brokers): ' +
        "a part reaches another's services, DTOs and the broker adapters, never its repository or entities.",
      severity: 'error',
      from: { path: '^src/trading/([^/]+)/', pathNot: TESTS },
      to: { path: '^src/trading/[^/]+/', pathNot: ['^src/trading/$1/', '^src/trading/brokers/', ...PUBLIC] },
    },
    {
      name: 'sql-only-in-repositories',
      comment:
        'Queries are built with Kysely in repositories (and the database layer) only: services keep the rules, ' +
        "and every query of a table is in its module's repository.",
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['\\.repository\\.ts$', '^src/database/', '^src/audit/inline-audit-event\\.ts$', TESTS],
      },
      to: { path: 'node_modules/kysely/' },
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
