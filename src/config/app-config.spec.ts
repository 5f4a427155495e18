import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadAppConfig, loadDatabaseConfig } from './app-config';

const SECRETS = {
  DATABASE_URL: 'postgres://app:secret@db.internal.example:5432/fyntrix',
  JWT_SIGNING_KEY: 'k'.repeat(32),
  METRICS_TOKEN: 'm'.repeat(16),
  TOKEN_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 7).toString('base64')}`,
};
const REQUIRED = Object.keys(SECRETS);

/** The message `load` (loadAppConfig by default) refuses `env` with (fails the test when it loads). */
function refusal(env: NodeJS.ProcessEnv, load: (env: NodeJS.ProcessEnv) => unknown = loadAppConfig): string {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as Error).message;
  }
  throw new Error(`expected the configuration to be refused: ${JSON.stringify(env)}`);
}

describe('loadAppConfig', () => {
  // dev and test write their generated secrets under DATA_DIR: never into the repository's .data/.
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'fyntrix-config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const local = (env: NodeJS.ProcessEnv = {}) => loadAppConfig({ DATA_DIR: dataDir, ...env });

  describe('stage defaults', () => {
    it('dev: embedded database, migrations at start, no TLS, generated secrets', () => {
      const config = local({ APP_STAGE: 'dev' });
      expect(config.stage).toBe('dev');
      expect(config.port).toBe(3000);
      expect(config.logLevel).toBe('info');
      expect(config.corsOrigins).toEqual([]);
      expect(config.trustProxy).toBe(false);
      expect(config.bodyLimitBytes).toBe(256 * 1024);
      expect(config.database).toMatchObject({
        url: undefined,
        ssl: 'disable',
        embeddedPort: 54320,
        migrateOnStart: true,
      });
      expect(config.metricsToken).toBeUndefined();
      expect(config.auth.identityProvider).toBeUndefined();
    });

    it.each(['dev', 'test', 'staging', 'prod'])(
      '%s: an account locks after 10 failed sign-ins within 15 minutes',
      (stage) => {
        const config = loadAppConfig({ APP_STAGE: stage, ...SECRETS, DATA_DIR: dataDir });
        expect(config.auth).toMatchObject({ lockoutAttempts: 10, lockoutWindowMs: 15 * 60_000 });
      },
    );

    it('every tunable has its documented default', () => {
      const config = local();
      expect(config).toMatchObject({
        host: '0.0.0.0',
        requestTimeoutMs: 10_000,
        shutdownGraceMs: 10_000,
        database: { poolSize: 20, connectTimeoutMs: 3_000, statementTimeoutMs: 5_000, preparedStatements: true },
        auth: {
          accessTtlSeconds: 900,
          refreshTtlSeconds: 30 * 86_400,
          issuer: 'fyntrix-api',
          audience: 'fyntrix-app',
          lockoutAttempts: 10,
          lockoutWindowMs: 15 * 60_000,
        },
        rateLimit: { ttlMs: 60_000, max: 600, burstTtlMs: 1_000, burstMax: 50, authTtlMs: 60_000, authMax: 20 },
        features: { serverPreferences: 100, localStorageImport: 100 },
        events: { maxStreamsPerUser: 10, maxStreams: 10_000, streamBufferBytes: 256 * 1024 },
      });
      expect(config.redisUrl).toBeUndefined();
    });

    it('is dev when APP_STAGE is not set', () => {
      expect(local().stage).toBe('dev');
    });

    it('test: its own embedded port, no migrations at start', () => {
      const config = local({ APP_STAGE: 'test' });
      expect(config.database).toMatchObject({
        url: undefined,
        ssl: 'disable',
        embeddedPort: 54329,
        migrateOnStart: false,
      });
    });

    it('migrates at start only on the embedded database of dev, unless MIGRATE_ON_START says otherwise', () => {
      const migrates = (env: NodeJS.ProcessEnv) =>
        loadDatabaseConfig({ DATA_DIR: dataDir, ...env }).database.migrateOnStart;
      expect(migrates({ APP_STAGE: 'dev' })).toBe(true);
      // The deployed dev stage: a DATABASE_URL is migrated from CI, not by every task that starts.
      expect(migrates({ APP_STAGE: 'dev', DATABASE_URL: SECRETS.DATABASE_URL })).toBe(false);
      expect(migrates({ APP_STAGE: 'dev', DATABASE_URL: SECRETS.DATABASE_URL, MIGRATE_ON_START: 'true' })).toBe(true);
      expect(migrates({ APP_STAGE: 'prod', DATABASE_URL: SECRETS.DATABASE_URL, MIGRATE_ON_START: 'true' })).toBe(true);
      expect(migrates({ APP_STAGE: 'dev', MIGRATE_ON_START: 'false' })).toBe(false);
      expect(migrates({ APP_STAGE: 'dev', MIGRATE_ON_START: '' })).toBe(true);
      expect(refusal({ DATA_DIR: dataDir, MIGRATE_ON_START: 'yes' }, loadDatabaseConfig)).toMatch(/MIGRATE_ON_START/);
    });

    it('drains for 0 ms at shutdown in dev and test, 5 s in staging and prod, unless SHUTDOWN_DRAIN_MS says otherwise', () => {
      expect(local({ APP_STAGE: 'dev' }).shutdownDrainMs).toBe(0);
      expect(local({ APP_STAGE: 'test' }).shutdownDrainMs).toBe(0);
      for (const stage of ['staging', 'prod']) {
        expect(loadAppConfig({ APP_STAGE: stage, ...SECRETS }).shutdownDrainMs).toBe(5_000);
        expect(loadAppConfig({ APP_STAGE: stage, ...SECRETS, SHUTDOWN_DRAIN_MS: '0' }).shutdownDrainMs).toBe(0);
      }
      expect(local({ SHUTDOWN_DRAIN_MS: '1500' }).shutdownDrainMs).toBe(1_500);
      expect(refusal({ DATA_DIR: dataDir, SHUTDOWN_DRAIN_MS: '-1' })).toMatch(/SHUTDOWN_DRAIN_MS/);
    });

    it('prepares the hot statements unless DATABASE_PREPARED_STATEMENTS=false', () => {
      expect(local().database.preparedStatements).toBe(true);
      expect(local({ DATABASE_PREPARED_STATEMENTS: 'false' }).database.preparedStatements).toBe(false);
      expect(refusal({ DATA_DIR: dataDir, DATABASE_PREPARED_STATEMENTS: 'no' })).toMatch(
        /DATABASE_PREPARED_STATEMENTS/,
      );
    });

    it('EMBEDDED_PG_PORT moves the embedded server', () => {
      expect(local({ APP_STAGE: 'test', EMBEDDED_PG_PORT: '54405' }).database.embeddedPort).toBe(54405);
    });

    it.each(['staging', 'prod'])('%s: verified TLS, never migrates at start, configured secrets', (stage) => {
      const config = loadAppConfig({ APP_STAGE: stage, ...SECRETS, DATA_DIR: dataDir });
      expect(config.stage).toBe(stage);
      expect(config.database).toMatchObject({ url: SECRETS.DATABASE_URL, ssl: 'verify-full', migrateOnStart: false });
      expect(config.auth.signingKey).toBe(SECRETS.JWT_SIGNING_KEY);
      expect(config.metricsToken).toBe(SECRETS.METRICS_TOKEN);
      expect(config.tokenKeys.newestVersion).toBe(1);
      // Nothing generated: deployed stages never invent a secret.
      expect(() => statSync(join(dataDir, 'secrets'))).toThrow();
    });

    it('DATABASE_SSL and its CA file override the stage default', () => {
      const config = loadAppConfig({
        APP_STAGE: 'prod',
        ...SECRETS,
        DATABASE_SSL: 'require',
        DATABASE_SSL_CA_FILE: '/etc/rds.pem',
      });
      expect(config.database).toMatchObject({ ssl: 'require', sslCaFile: '/etc/rds.pem' });
    });
  });

  describe('dev secrets', () => {
    it('are generated once under DATA_DIR/secrets, owner-only, and kept across restarts', () => {
      const first = local({ APP_STAGE: 'dev' }).auth.signingKey;
      expect(first.length).toBeGreaterThanOrEqual(32);
      const file = join(dataDir, 'secrets', 'jwt-signing-key');
      expect(readFileSync(file, 'utf8').trim()).toBe(first);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'secrets')).mode & 0o777).toBe(0o700);
      expect(local({ APP_STAGE: 'test' }).auth.signingKey).toBe(first);
    });

    it('give way to a configured JWT_SIGNING_KEY', () => {
      expect(local({ JWT_SIGNING_KEY: SECRETS.JWT_SIGNING_KEY }).auth.signingKey).toBe(SECRETS.JWT_SIGNING_KEY);
    });
  });

  describe.each(['staging', 'prod'])('%s refuses to start without its secrets', (stage) => {
    it('names every missing variable', () => {
      const message = refusal({ APP_STAGE: stage, DATA_DIR: dataDir });
      for (const name of REQUIRED) expect(message).toContain(`${name}: is required when APP_STAGE=${stage}`);
    });

    it.each(REQUIRED)('names %s alone when only it is missing', (missing) => {
      const message = refusal({ APP_STAGE: stage, ...SECRETS, [missing]: undefined, DATA_DIR: dataDir });
      expect(message).toContain(`${missing}: is required`);
      for (const other of REQUIRED.filter((n) => n !== missing)) expect(message).not.toContain(other);
    });

    it('treats an empty variable as missing', () => {
      expect(refusal({ APP_STAGE: stage, ...SECRETS, TOKEN_ENCRYPTION_KEYS: '' })).toContain(
        'TOKEN_ENCRYPTION_KEYS: is required',
      );
    });

    it('refuses weak secrets', () => {
      expect(refusal({ APP_STAGE: stage, ...SECRETS, JWT_SIGNING_KEY: 'short' })).toContain(
        'JWT_SIGNING_KEY: must be at least 32 characters',
      );
      expect(refusal({ APP_STAGE: stage, ...SECRETS, METRICS_TOKEN: 'short' })).toContain(
        'METRICS_TOKEN: must be at least 16 characters',
      );
    });
  });

  describe('invalid values fail with a message naming the variable', () => {
    it.each([
      ['PORT', 'abc', /PORT: .*number/],
      ['PORT', '70000', /PORT: .*65535/],
      ['LOG_LEVEL', 'loud', /LOG_LEVEL: .*"info"/],
      ['APP_STAGE', 'qa', /APP_STAGE: .*"dev"\|"test"\|"staging"\|"prod"/],
      ['DATABASE_URL', 'not a url', /DATABASE_URL: Invalid URL/],
      ['DATABASE_SSL', 'yes', /DATABASE_SSL: .*"verify-full"/],
      ['BODY_LIMIT_BYTES', '10', /BODY_LIMIT_BYTES: .*1024/],
    ])('%s=%s', (name, value, expected) => {
      const message = refusal({ DATA_DIR: dataDir, [name]: value });
      expect(message).toMatch(/^Invalid configuration:\n/);
      expect(message).toMatch(expected);
    });

    it.each(['FEATURE_SERVER_PREFERENCES_PERCENT', 'FEATURE_LOCAL_STORAGE_IMPORT_PERCENT'])(
      '%s outside 0 to 100, fractional or blank',
      (name) => {
        // Blank is refused rather than read as 0, which would silently close the rollout.
        for (const value of ['150', '101', '-1', 'abc', '12.5', '', ' ']) {
          expect(refusal({ DATA_DIR: dataDir, [name]: value })).toBe(
            `Invalid configuration:\n  - ${name}: must be a whole number from 0 to 100`,
          );
        }
      },
    );

    it('lists every invalid variable at once', () => {
      const message = refusal({ DATA_DIR: dataDir, PORT: 'abc', LOG_LEVEL: 'loud' });
      expect(message).toContain('PORT:');
      expect(message).toContain('LOG_LEVEL:');
    });
  });

  describe('feature rollout percentages', () => {
    it('default to 100 and take any whole number from 0 to 100', () => {
      expect(local().features).toEqual({ serverPreferences: 100, localStorageImport: 100 });
      const config = local({ FEATURE_SERVER_PREFERENCES_PERCENT: '0', FEATURE_LOCAL_STORAGE_IMPORT_PERCENT: '37' });
      expect(config.features).toEqual({ serverPreferences: 0, localStorageImport: 37 });
    });
  });

  describe('identity provider', () => {
    const IDP = {
      JWKS_URI: 'https://idp.example.test/.well-known/jwks.json',
      JWT_ISSUER: 'https://idp.example.test',
      JWT_AUDIENCE: 'fyntrix',
    };

    it('is configured when JWKS_URI, JWT_ISSUER and JWT_AUDIENCE are all set', () => {
      expect(local(IDP).auth.identityProvider).toEqual({
        jwksUri: IDP.JWKS_URI,
        issuer: IDP.JWT_ISSUER,
        audience: IDP.JWT_AUDIENCE,
      });
    });

    it.each(Object.keys(IDP))('is refused when %s is missing', (missing) => {
      expect(refusal({ DATA_DIR: dataDir, ...IDP, [missing]: undefined })).toContain(
        'JWKS_URI, JWT_ISSUER and JWT_AUDIENCE must be set together',
      );
    });

    it('is refused when only one is set', () => {
      expect(refusal({ DATA_DIR: dataDir, JWT_ISSUER: IDP.JWT_ISSUER })).toContain('must be set together');
    });
  });

  describe('TRUST_PROXY', () => {
    it.each([
      [undefined, false],
      ['false', false],
      ['', false],
      ['true', true],
      ['10.0.0.0/8', '10.0.0.0/8'],
      ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
      ['loopback,fd00::/8', 'loopback,fd00::/8'],
    ])('%j → %j', (value, expected) => {
      expect(local({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
    });

    // A hop count would be read by Fastify as the address 0.0.0.1: trusting nobody, silently.
    it.each(['1', 'yes', '10.0.0.0/33', '10.0.0.1,', 'proxy.internal'])('refuses %j', (value) => {
      expect(refusal({ DATA_DIR: dataDir, TRUST_PROXY: value })).toMatch(
        /TRUST_PROXY: must be true, false, or a comma-separated list/,
      );
    });
  });

  describe('CORS_ORIGINS', () => {
    it('is a trimmed list without empty entries', () => {
      expect(local({ CORS_ORIGINS: ' https://app.example.test ,https://admin.example.test,, ' }).corsOrigins).toEqual([
        'https://app.example.test',
        'https://admin.example.test',
      ]);
    });

    it('is empty when unset or blank', () => {
      expect(local().corsOrigins).toEqual([]);
      expect(local({ CORS_ORIGINS: '' }).corsOrigins).toEqual([]);
    });
  });
});

describe('loadDatabaseConfig (the migration commands and db:verify)', () => {
  it.each(['staging', 'prod'])('%s: DATABASE_URL is enough, without the JWT, metrics and token keys', (stage) => {
    const env = { APP_STAGE: stage, DATABASE_URL: SECRETS.DATABASE_URL };
    expect(refusal(env)).toContain('JWT_SIGNING_KEY: is required');
    expect(loadDatabaseConfig(env)).toMatchObject({
      stage,
      database: { url: SECRETS.DATABASE_URL, ssl: 'verify-full', migrateOnStart: false },
    });
  });

  it.each(['staging', 'prod'])('%s: refuses to run without DATABASE_URL, naming it and nothing else', (stage) => {
    const message = refusal({ APP_STAGE: stage }, loadDatabaseConfig);
    expect(message).toBe(`Invalid configuration:\n  - DATABASE_URL: is required when APP_STAGE=${stage}`);
  });

  it('validates what it reads, and ignores invalid settings the database does not need', () => {
    expect(refusal({ DATABASE_URL: 'not a url' }, loadDatabaseConfig)).toMatch(/DATABASE_URL: Invalid URL/);
    expect(refusal({ DATABASE_SSL: 'yes' }, loadDatabaseConfig)).toMatch(/DATABASE_SSL: .*"verify-full"/);
    expect(refusal({ APP_STAGE: 'qa' }, loadDatabaseConfig)).toMatch(/APP_STAGE: /);
    expect(loadDatabaseConfig({ PORT: 'abc', JWT_SIGNING_KEY: 'short', TRUST_PROXY: '1' }).stage).toBe('dev');
  });

  it('is the database part of the full configuration, for every stage', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fyntrix-config-'));
    try {
      for (const env of [
        { APP_STAGE: 'dev' },
        { APP_STAGE: 'test', EMBEDDED_PG_PORT: '54405', DATABASE_POOL_SIZE: '5' },
        {
          APP_STAGE: 'prod',
          ...SECRETS,
          DATABASE_SSL: 'require',
          DATABASE_SSL_CA_FILE: '/etc/rds.pem',
          DATABASE_STATEMENT_TIMEOUT_MS: '800',
        },
      ]) {
        const full = loadAppConfig({ ...env, DATA_DIR: dataDir });
        expect(loadDatabaseConfig({ ...env, DATA_DIR: dataDir })).toEqual({
          stage: full.stage,
          dataDir: full.dataDir,
          database: full.database,
        });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('generates no secrets in dev', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fyntrix-config-'));
    try {
      expect(loadDatabaseConfig({ DATA_DIR: dataDir })).toMatchObject({
        stage: 'dev',
        dataDir,
        database: { embeddedPort: 54320 },
      });
      expect(() => statSync(join(dataDir, 'secrets'))).toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
