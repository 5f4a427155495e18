/**
 * The client package as a web app gets it (`npm run test:example-web`, after `npm run example:web`
 * has packed the client, installed the tarball into examples/web and built the app): the README's
 * samples type-checked against the installed package, the built bundle checked for server code,
 * and the example app in headless Chromium against the real service on the embedded PostgreSQL,
 * which the same global setup starts and migrates.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/example-web/**/*.spec.ts', '<rootDir>/test/example-web/**/*.browser-spec.ts'],
  testTimeout: 60_000,
  // One browser at a time: Chromium and the app share the machine's two cores.
  maxWorkers: 1,
};
