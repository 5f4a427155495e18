import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { type AppConfig, appConfig } from '../config/app-config';

const LAME_DUCK_MS = 250;

/**
 * Drains HTTP before anything else shuts down (Nest then closes the pool, then the embedded
 * database). On SIGTERM: for a short lame-duck moment requests are still accepted but every
 * response carries `Connection: close`, so keep-alive clients leave between two requests
 * rather than in the middle of one; then the server stops accepting, and in-flight requests
 * get SHUTDOWN_GRACE_MS to finish before their connections are cut.
 */
@Injectable()
export class GracefulShutdown implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private draining = false;

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  private get fastify(): FastifyInstance | undefined {
    return this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
  }

  onModuleInit(): void {
    this.fastify?.addHook('onSend', (_request, reply, payload, done) => {
      if (this.draining) reply.header('connection', 'close');
      done(null, payload);
    });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const fastify = this.fastify;
    if (!fastify?.server.listening) return;
    this.draining = true;
    this.logger.log(`${signal ?? 'shutdown'}: draining in-flight requests`);
    if (signal)
      await new Promise((resolve) => setTimeout(resolve, Math.min(LAME_DUCK_MS, this.config.shutdownGraceMs)));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.config.shutdownGraceMs);
    });
    const outcome = await Promise.race([fastify.close().then(() => 'drained' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn(`requests still running after ${this.config.shutdownGraceMs} ms: closing their connections`);
      fastify.server.closeAllConnections();
    }
  }
}
