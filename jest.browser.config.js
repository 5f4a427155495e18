/**
 * Browser specs (`npm run test:browser`): headless Chromium (Debian's `chromium`, driven by
 * playwright-core) against the real app on the embedded PostgreSQL, which the same global
 * setup starts and migrates. Apart from `npm test`, which so runs where no browser is installed.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testTimeout: 60_000,
  // One browser at a time: Chromium and the app share the machine's two cores.
  maxWorkers: 1,
};
