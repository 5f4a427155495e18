import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { KEY_RING_FORMAT, TokenKeyRing } from '../crypto/token-cipher';

/**
 * Every setting the service reads, validated once at start. Stages differ only by
 * environment variables; staging and prod refuse to start without their secrets.
 */
export const STAGES = ['dev', 'test', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * A whole number within bounds, with one message for every way to miss. A blank value is refused:
 * coercion would read it as 0, which for a percentage silently closes a rollout.
 */
const int = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? Number.NaN : v),
    z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
};
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const percent = int(0, 100);
/** An optional variable set to the empty string counts as not set (`KEY=` in an env file). */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
/** Parsed here, so a malformed key ring stops the start with a clear message (never quoting a key). */
const keyRing = z.string().transform((spec, ctx) => {
  try {
    return TokenKeyRing.parse(spec);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** proxy-addr's names for address ranges, accepted by Fastify beside addresses and CIDRs. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (rest.length > 0 || family === 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * `true`, `false`, or the proxies' addresses/CIDRs, checked here: Fastify reads `1` as the
 * address 0.0.0.1 (it has no hop counts) and crashes on a typo with a bare stack.
 */
const trustProxy = z
  .string()
  .trim()
  .refine(
    (v) => ['true', 'false', ''].includes(v) || v.split(',').every((e) => isProxyAddress(e.trim())),
    'must be true, false, or a comma-separated list of proxy IP addresses/CIDRs (e.g. the VPC CIDR)',
  )
  .transform((v): boolean | string => (v === 'true' ? true : v === 'false' || v === '' ? false : v));

/**
 * Upper bounds of settings that clients can observe: the OpenAPI document states them as the
 * limits of the rate-limit headers, the access token and the localStorage import's values.
 */
export const CONFIG_BOUNDS = {
  bodyLimitBytes: 10 * 1024 * 1024,
  rateLimitMax: 1_000_000,
  rateLimitTtlMs: 3_600_000,
  lockoutWindowMs: 86_400_000,
  /** JWT_LOCAL_ISSUER and JWT_LOCAL_AUDIENCE, claims of every access token this service issues. */
  jwtClaimLength: 255,
} as const;

/** SHUTDOWN_DRAIN_MS when not set in staging and prod (dev and test drain for 0 ms). */
export const DEFAULT_SHUTDOWN_DRAIN_MS = 5_000;

/** EVENTS_MAX_STREAMS when not set: change streams one instance holds at most. */
export const DEFAULT_EVENTS_MAX_STREAMS = 10_000;

/** EVENTS_HEARTBEAT_MS when not set: a change stream's comment line this often keeps proxies from closing it. */
export const DEFAULT_EVENTS_HEARTBEAT_MS = 25_000;

/** BODY_LIMIT_BYTES when not set: 256 KiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * What the database needs, and nothing else: the migration commands (`ormconfig.ts`) and
 * `db:verify` read only these, so they run with a stage's DATABASE_URL and without its app secrets.
 */
const DATABASE_ENV = {
  APP_STAGE: z.enum(STAGES).default('dev'),
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: optional(z.string().url()),
  DATABASE_SSL: z.enum(['disable', 'require', 'verify-full']).optional(),
  DATABASE_SSL_CA_FILE: optional(z.string()),
  DATABASE_POOL_SIZE: int(1, 200).default(20),
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 120_000).default(3_000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(5_000),
  DATABASE_PREPARED_STATEMENTS: z.enum(['true', 'false']).default('true'),
  EMBEDDED_PG_PORT: int(1024, 65535).optional(),
  /** Unset: migrate at start only on dev's embedded database. */
  MIGRATE_ON_START: optional(z.enum(['true', 'false'])),
};

const isDeployed = (stage: Stage) => stage === 'staging' || stage === 'prod';

/** Staging and prod refuse to start without these (dev and test generate or embed them). */
function requireWhenDeployed<K extends string>(keys: readonly K[]) {
  return (env: { APP_STAGE: Stage } & Partial<Record<K, unknown>>, ctx: z.RefinementCtx) => {
    if (!isDeployed(env.APP_STAGE)) return;
    for (const key of keys) {
      if (!env[key]) {
        const format = key === 'TOKEN_ENCRYPTION_KEYS' ? ` (${KEY_RING_FORMAT})` : '';
        ctx.addIssue({ code: 'custom', path: [key], message: `is required when APP_STAGE=${env.APP_STAGE}${format}` });
      }
    }
  };
}

const databaseEnvSchema = z.object(DATABASE_ENV).superRefine(requireWhenDeployed(['DATABASE_URL']));

const envSchema = z
  .object({
    HOST: z.string().default('0.0.0.0'),
    PORT: int(0, 65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CORS_ORIGINS: list.default([]),
    /** false, true (trust every hop), or a comma-separated list of proxy addresses/CIDRs */
    TRUST_PROXY: trustProxy.default(false),
    BODY_LIMIT_BYTES: int(1024, CONFIG_BOUNDS.bodyLimitBytes).default(DEFAULT_BODY_LIMIT_BYTES),
    REQUEST_TIMEOUT_MS: int(100, 600_000).default(10_000),
    SHUTDOWN_GRACE_MS: int(0, 600_000).default(10_000),
    /** Unset: 0 in dev/test, DEFAULT_SHUTDOWN_DRAIN_MS in staging/prod. */
    SHUTDOWN_DRAIN_MS: int(0, 600_000).optional(),
    /** Worker processes serving HTTP (node:cluster); 1 = the process itself serves. */
    WEB_CONCURRENCY: int(1, 64).default(1),

    ...DATABASE_ENV,

    JWT_SIGNING_KEY: optional(z.string().min(32, 'must be at least 32 characters')),
    JWT_ACCESS_TTL_SECONDS: int(30, 86_400).default(900),
    JWT_REFRESH_TTL_SECONDS: int(300, 365 * 86_400).default(30 * 86_400),
    JWT_LOCAL_ISSUER: z.string().max(CONFIG_BOUNDS.jwtClaimLength).default('fyntrix-api'),
    JWT_LOCAL_AUDIENCE: z.string().max(CONFIG_BOUNDS.jwtClaimLength).default('fyntrix-app'),
    JWKS_URI: optional(z.string().url()),
    JWT_ISSUER: optional(z.string()),
    JWT_AUDIENCE: optional(z.string()),
    /** How long a verified access token is remembered (never past its exp): how stale a provider user's status and role may be. */
    AUTH_TOKEN_CACHE_MS: int(0, 300_000).default(60_000),

    METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
    REDIS_URL: optional(z.string().url()),
    RATE_LIMIT_TTL_MS: int(1_000, CONFIG_BOUNDS.rateLimitTtlMs).default(60_000),
    RATE_LIMIT_MAX: int(1, CONFIG_BOUNDS.rateLimitMax).default(600),
    RATE_LIMIT_BURST_TTL_MS: int(100, 60_000).default(1_000),
    RATE_LIMIT_BURST_MAX: int(1, 100_000).default(50),
    AUTH_RATE_LIMIT_TTL_MS: int(1_000, CONFIG_BOUNDS.rateLimitTtlMs).default(60_000),
    AUTH_RATE_LIMIT_MAX: int(1, 100_000).default(20),
    DATA_EXPORT_INTERVAL_MS: int(1_000, CONFIG_BOUNDS.rateLimitTtlMs).default(600_000),
    LOGIN_LOCKOUT_ATTEMPTS: int(1, 1_000).default(10),
    LOGIN_LOCKOUT_WINDOW_MS: int(1_000, CONFIG_BOUNDS.lockoutWindowMs).default(15 * 60_000),

    /** Broker-token keys, `1:<base64 32 bytes>,2:<…>`; see KEY_RING_FORMAT. Generated under DATA_DIR in dev/test. */
    TOKEN_ENCRYPTION_KEYS: optional(keyRing),

    FEATURE_SERVER_PREFERENCES_PERCENT: percent.default(100),
    FEATURE_LOCAL_STORAGE_IMPORT_PERCENT: percent.default(100),

    EVENTS_MAX_STREAMS_PER_USER: int(1, 1_000).default(10),
    EVENTS_MAX_STREAMS: int(1, 1_000_000).default(DEFAULT_EVENTS_MAX_STREAMS),
    EVENTS_STREAM_BUFFER_BYTES: int(16 * 1024, 64 * 1024 * 1024).default(256 * 1024),
    EVENTS_HEARTBEAT_MS: int(100, 300_000).default(DEFAULT_EVENTS_HEARTBEAT_MS),
  })
  .superRefine(requireWhenDeployed(['DATABASE_URL', 'JWT_SIGNING_KEY', 'METRICS_TOKEN', 'TOKEN_ENCRYPTION_KEYS']))
  .superRefine((env, ctx) => {
    const idp = [env.JWKS_URI, env.JWT_ISSUER, env.JWT_AUDIENCE].filter(Boolean).length;
    if (idp !== 0 && idp !== 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWKS_URI'],
        message: 'JWKS_URI, JWT_ISSUER and JWT_AUDIENCE must be set together',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** The settings of the database alone: what `loadDatabaseConfig` returns, part of every AppConfig. */
export interface DatabaseConfig {
  stage: Stage;
  /** Where dev and test keep the embedded PostgreSQL and their generated secrets. */
  dataDir: string;
  database: {
    /** Absent in dev/test: an embedded PostgreSQL is started instead. */
    url?: string;
    ssl: 'disable' | 'require' | 'verify-full';
    sslCaFile?: string;
    poolSize: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    /** The hot statements are prepared once per connection; off behind a pooler that cannot keep them. */
    preparedStatements: boolean;
    embeddedPort: number;
    /**
     * Apply pending migrations at start (under the migration lock): by default only dev on its
     * embedded database; a stage with a DATABASE_URL leaves that to CI unless MIGRATE_ON_START=true.
     */
    migrateOnStart: boolean;
  };
}

export interface AppConfig extends DatabaseConfig {
  host: string;
  port: number;
  logLevel: Env['LOG_LEVEL'];
  corsOrigins: string[];
  /** Fastify's `trustProxy`: every hop, none, or the proxies' addresses. */
  trustProxy: boolean | string;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  /**
   * After SIGTERM: how long the service keeps serving (readiness 503, `Connection: close` on
   * every answer) so that the load balancer stops sending before the listener closes.
   */
  shutdownDrainMs: number;
  /** HTTP worker processes (`WEB_CONCURRENCY`): more than 1 runs a cluster (`src/cluster.ts`). */
  webConcurrency: number;
  /** Then: how long in-flight requests may take before their connections are cut. */
  shutdownGraceMs: number;
  auth: {
    /** HS256 key of the access tokens this service issues. */
    signingKey: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    issuer: string;
    audience: string;
    identityProvider?: { jwksUri: string; issuer: string; audience: string };
    lockoutAttempts: number;
    lockoutWindowMs: number;
    /**
     * How long a verified access token is remembered (never past its exp). An identity provider's
     * user is read from the database when its token is verified, so a disabled or demoted one
     * keeps access at most this long.
     */
    tokenCacheMs: number;
  };
  metricsToken?: string;
  redisUrl?: string;
  rateLimit: {
    ttlMs: number;
    max: number;
    burstTtlMs: number;
    burstMax: number;
    authTtlMs: number;
    authMax: number;
    /** One data export per user per this long. */
    exportIntervalMs: number;
  };
  /** Keys of the broker tokens at rest; dev/test generate version 1 under `<DATA_DIR>/secrets/`. */
  tokenKeys: TokenKeyRing;
  features: { serverPreferences: number; localStorageImport: number };
  /** The change streams (`GET /api/v1/events`). */
  events: {
    maxStreamsPerUser: number;
    /** Per instance. */
    maxStreams: number;
    /** A stream whose client leaves more than this unread is closed (with a `resync` hint). */
    streamBufferBytes: number;
    /** How often every open stream gets a comment line. */
    heartbeatMs: number;
  };
}

export class ConfigValidationError extends Error {
  override name = 'ConfigValidationError';
}

/**
 * A secret for dev/test that survives restarts (so sessions and ciphertexts stay valid):
 * generated once under `<DATA_DIR>/secrets/`, readable by the owner only. Staging and prod
 * must configure theirs (the schema refuses to start without them).
 */
function devSecret(dataDir: string, name: string): string {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  // DATA_DIR itself stays traversable: the embedded PostgreSQL (another system user) lives in it.
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

let dotEnvLoaded = false;

/** Reads `.env` (when present) into process.env once; real environment variables win. */
function loadDotEnv(): void {
  if (dotEnvLoaded) return;
  dotEnvLoaded = true;
  const file = resolve(process.cwd(), '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Parses `env` with `schema`, or throws one ConfigValidationError listing every problem. */
function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigValidationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

function databaseConfig(e: z.infer<typeof databaseEnvSchema>): DatabaseConfig {
  return {
    stage: e.APP_STAGE,
    dataDir: resolve(e.DATA_DIR),
    database: {
      url: e.DATABASE_URL,
      ssl: e.DATABASE_SSL ?? (isDeployed(e.APP_STAGE) ? 'verify-full' : 'disable'),
      sslCaFile: e.DATABASE_SSL_CA_FILE,
      poolSize: e.DATABASE_POOL_SIZE,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      preparedStatements: e.DATABASE_PREPARED_STATEMENTS === 'true',
      embeddedPort: e.EMBEDDED_PG_PORT ?? (e.APP_STAGE === 'test' ? 54329 : 54320),
      migrateOnStart: e.MIGRATE_ON_START ? e.MIGRATE_ON_START === 'true' : e.APP_STAGE === 'dev' && !e.DATABASE_URL,
    },
  };
}

/**
 * The database settings alone (stage, DATABASE_*, the embedded server's), for the migration
 * commands and `db:verify`: a stage's DATABASE_URL is all they need, not its JWT or token keys.
 */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = (loadDotEnv(), process.env)): DatabaseConfig {
  return databaseConfig(parseEnv(databaseEnvSchema, env));
}

export function loadAppConfig(env: NodeJS.ProcessEnv = (loadDotEnv(), process.env)): AppConfig {
  const e = parseEnv(envSchema, env);
  const { stage, dataDir, database } = databaseConfig(e);
  return {
    stage,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS ?? (isDeployed(stage) ? DEFAULT_SHUTDOWN_DRAIN_MS : 0),
    webConcurrency: e.WEB_CONCURRENCY,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    dataDir,
    database,
    auth: {
      signingKey: e.JWT_SIGNING_KEY ?? devSecret(dataDir, 'jwt-signing-key'),
      accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: e.JWT_REFRESH_TTL_SECONDS,
      issuer: e.JWT_LOCAL_ISSUER,
      audience: e.JWT_LOCAL_AUDIENCE,
      identityProvider:
        e.JWKS_URI && e.JWT_ISSUER && e.JWT_AUDIENCE
          ? { jwksUri: e.JWKS_URI, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE }
          : undefined,
      lockoutAttempts: e.LOGIN_LOCKOUT_ATTEMPTS,
      lockoutWindowMs: e.LOGIN_LOCKOUT_WINDOW_MS,
      tokenCacheMs: e.AUTH_TOKEN_CACHE_MS,
    },
    metricsToken: e.METRICS_TOKEN,
    redisUrl: e.REDIS_URL,
    rateLimit: {
      ttlMs: e.RATE_LIMIT_TTL_MS,
      max: e.RATE_LIMIT_MAX,
      burstTtlMs: e.RATE_LIMIT_BURST_TTL_MS,
      burstMax: e.RATE_LIMIT_BURST_MAX,
      authTtlMs: e.AUTH_RATE_LIMIT_TTL_MS,
      authMax: e.AUTH_RATE_LIMIT_MAX,
      exportIntervalMs: e.DATA_EXPORT_INTERVAL_MS,
    },
    tokenKeys: e.TOKEN_ENCRYPTION_KEYS ?? TokenKeyRing.parse(`1:${devSecret(dataDir, 'token-encryption-key')}`),
    features: {
      serverPreferences: e.FEATURE_SERVER_PREFERENCES_PERCENT,
      localStorageImport: e.FEATURE_LOCAL_STORAGE_IMPORT_PERCENT,
    },
    events: {
      maxStreamsPerUser: e.EVENTS_MAX_STREAMS_PER_USER,
      maxStreams: e.EVENTS_MAX_STREAMS,
      streamBufferBytes: e.EVENTS_STREAM_BUFFER_BYTES,
      heartbeatMs: e.EVENTS_HEARTBEAT_MS,
    },
  };
}

/**
 * The typed configuration as a Nest provider: inject with `@Inject(appConfig.KEY)`. Its value is
 * the one `loadAppConfig()` the process made at start (`AppModule.forRoot(config)`).
 */
export const appConfig = { KEY: 'APP_CONFIG' } as const;
