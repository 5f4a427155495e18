import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { type AppConfig, appConfig } from '../config/app-config';
import { EmbeddedPostgresHandle, locateDatabase } from './embedded-postgres';

/**
 * Finds the app's PostgreSQL (`DATABASE_URL`, or in dev/test an embedded server) and, when it
 * started an embedded server, stops it last at shutdown, after the pool has closed.
 */
@Injectable()
export class EmbeddedDatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private handle?: EmbeddedPostgresHandle;

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  async resolveUrl(): Promise<string> {
    const started = Date.now();
    const { url, handle } = await locateDatabase(this.config);
    if (handle) {
      this.handle = handle;
      const verb = handle.owned ? 'started' : 'reusing';
      this.logger.log(
        `${verb} embedded PostgreSQL on port ${this.config.database.embeddedPort} in ${Date.now() - started} ms`,
      );
    }
    return url;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.handle?.owned) return;
    // The pool must be gone before its server, or every idle client logs a reset.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.handle.stop();
    this.logger.log('stopped embedded PostgreSQL');
  }
}
