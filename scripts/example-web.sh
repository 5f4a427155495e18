#!/usr/bin/env bash
# `npm run example:web [-- <tarball>]`: what a web app does with the client package, in
# examples/web: install its own dependencies (npm ci), install the client from the packed tarball
# (the one given, else a fresh `npm run client:pack`; --no-save, so that the app's manifest and
# lock stay free of a path on this machine), type-check strictly, and build with `vite build`
# (examples/web/dist). `npm run test:example-web` then tests the result.
set -euo pipefail
cd "$(dirname "$0")/.."

tarball=${1:-$(npm run --silent client:pack | tail -n 1)}
echo "client package: ${tarball}"
cd examples/web
npm ci --no-audit --no-fund
npm install --no-save --no-audit --no-fund "${tarball}"
npm run typecheck
npm run build
