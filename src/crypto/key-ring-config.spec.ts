import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadAppConfig } from '../config/app-config';

const key = () => randomBytes(32).toString('base64');

describe('TOKEN_ENCRYPTION_KEYS in the configuration', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'fyntrix-keys-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const deployed = (stage: string, extra: Record<string, string> = {}) => ({
    APP_STAGE: stage,
    DATA_DIR: dataDir,
    DATABASE_URL: 'postgres://u:p@db.example:5432/fyntrix',
    JWT_SIGNING_KEY: 'x'.repeat(40),
    METRICS_TOKEN: 'm'.repeat(20),
    ...extra,
  });

  it.each(['staging', 'prod'])('%s refuses to start without keys, and says what they look like', (stage) => {
    expect(() => loadAppConfig(deployed(stage))).toThrow(ConfigValidationError);
    expect(() => loadAppConfig(deployed(stage))).toThrow(
      /TOKEN_ENCRYPTION_KEYS: is required when APP_STAGE=.*<version>:<base64 of 32 random bytes>/,
    );
  });

  it('staging/prod take the configured ring and generate nothing', () => {
    const config = loadAppConfig(deployed('prod', { TOKEN_ENCRYPTION_KEYS: `1:${key()},2:${key()}` }));
    expect(config.tokenKeys.newestVersion).toBe(2);
    expect(() => statSync(join(dataDir, 'secrets', 'token-encryption-key'))).toThrow();
  });

  it('refuses a malformed ring at load, without quoting the key', () => {
    const short = randomBytes(31).toString('base64');
    const load = () => loadAppConfig(deployed('prod', { TOKEN_ENCRYPTION_KEYS: `1:${key()},2:${short}` }));
    expect(load).toThrow('TOKEN_ENCRYPTION_KEYS: key version 2 must be base64 of exactly 32 bytes (got 31 bytes)');
    expect(load).toThrow(expect.objectContaining({ message: expect.not.stringContaining(short) }));
  });

  it('dev generates one key under DATA_DIR, owner-only, and reuses it after a restart', () => {
    const first = loadAppConfig({ APP_STAGE: 'dev', DATA_DIR: dataDir });
    const file = join(dataDir, 'secrets', 'token-encryption-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.tokenKeys.versions).toEqual([1]);
    expect(first.tokenKeys.key(1).equals(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url'))).toBe(true);
    const second = loadAppConfig({ APP_STAGE: 'dev', DATA_DIR: dataDir });
    expect(second.tokenKeys.key(1).equals(first.tokenKeys.key(1))).toBe(true);
  });
});
