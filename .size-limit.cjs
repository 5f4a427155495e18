/**
 * `npm run client:size` (size-limit, in .ci/run): what the client package adds to a web app.
 * Its entry (client/dist, from `npm run client:build`) bundled for the browser with its
 * dependencies (openapi-fetch, eventsource-parser) by esbuild, minified, every export kept; measured gzipped.
 */
module.exports = [
  {
    name: '@fyntrix/api-client: the whole entry with its dependencies, minified',
    path: 'client/dist/index.js',
    limit: '15 kB',
    gzip: true,
  },
];
