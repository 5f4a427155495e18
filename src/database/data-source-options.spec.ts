import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDatabaseConfig } from '../config/app-config';
import { buildDataSourceOptions, sslOptions } from './data-source-options';

const database = (overrides: Partial<ReturnType<typeof loadDatabaseConfig>['database']> = {}) => ({
  ...loadDatabaseConfig({ APP_STAGE: 'test' }).database,
  ...overrides,
});

describe('sslOptions', () => {
  it('disable: no TLS', () => {
    expect(sslOptions(database({ ssl: 'disable' }))).toBe(false);
  });

  it('require: encrypted, the certificate not verified', () => {
    expect(sslOptions(database({ ssl: 'require' }))).toEqual({ rejectUnauthorized: false });
  });

  it('verify-full: the certificate verified, against the system CAs without a CA file', () => {
    expect(sslOptions(database({ ssl: 'verify-full' }))).toEqual({ rejectUnauthorized: true, ca: undefined });
  });

  it('verify-full with DATABASE_SSL_CA_FILE: verified against that bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fyntrix-ca-'));
    try {
      const file = join(dir, 'rds.pem');
      writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      expect(sslOptions(database({ ssl: 'verify-full', sslCaFile: file }))).toEqual({
        rejectUnauthorized: true,
        ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('staging and prod verify by default', () => {
    const config = loadDatabaseConfig({
      APP_STAGE: 'prod',
      DATABASE_URL: 'postgres://app@db.internal.example/fyntrix',
    });
    expect(buildDataSourceOptions(config, config.database.url!)).toMatchObject({ ssl: { rejectUnauthorized: true } });
    expect(sslOptions(config.database)).toEqual({ rejectUnauthorized: true, ca: undefined });
  });
});
