import {
  BeforeApplicationShutdown,
  Global,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  Module,
  OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { type AppConfig, appConfig } from '../config/app-config';
import { Database } from '../database/database';
import { ProblemException, problemTypes } from './problem';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops HTTP without resetting a request, before anything else shuts down (Nest then closes the
 * pool, then the embedded database). On SIGTERM:
 * 1. Drain, for SHUTDOWN_DRAIN_MS: `/health/ready` answers 503 at once, so the load balancer takes
 *    the instance out of rotation, while every request is still served, each answer with
 *    `Connection: close`: a client (the load balancer's pool included) leaves each connection
 *    after its answer instead of keeping it for a next request the listener would no longer take.
 * 2. Stop accepting connections. Long-lived answers (the change streams) end now, each through
 *    the callback it registered with `onStop()`: they would never finish by themselves. Requests
 *    in flight finish (Fastify answers them with `Connection: close` too); a connection is closed
 *    only between requests: Node's `server.close()` ends the idle ones, and each busy one ends
 *    after its answer.
 * 3. Requests still running after SHUTDOWN_GRACE_MS have their connections cut, and the database
 *    connections their statements hold are ended.
 */
@Injectable()
export class GracefulShutdown implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private draining = false;
  private readonly stopCallbacks = new Set<() => void>();

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly database: Database,
  ) {}

  private get fastify(): FastifyInstance | undefined {
    return this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
  }

  /** For the readiness probe: throws its 503 once shutting down. */
  assertNotDraining(): void {
    if (this.draining) {
      throw new ProblemException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'The service is shutting down: use another instance.',
        {
          type: problemTypes.unavailable,
        },
      );
    }
  }

  /** Runs `stop` when the service stops accepting connections: it ends answers that would not end by themselves. */
  onStop(stop: () => void): void {
    this.stopCallbacks.add(stop);
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
    const { shutdownDrainMs: drainMs, shutdownGraceMs: graceMs } = this.config;
    const reason = signal ?? 'shutdown';
    // A signal comes from the orchestrator; `app.close()` (tests, CLIs) has no clients to drain.
    if (signal && drainMs > 0) {
      this.logger.log(`${reason}: draining for ${drainMs} ms (readiness 503, every answer closes its connection)`);
      await sleep(drainMs);
    }
    this.logger.log(`${reason}: stopped accepting connections; requests in flight have ${graceMs} ms`);
    for (const stop of this.stopCallbacks) stop();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([fastify.close().then(() => 'drained' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn(`requests still running after ${graceMs} ms: closing their connections`);
      fastify.server.closeAllConnections();
      // Their statements would otherwise hold the pool's close for up to a statement timeout.
      await this.database.endHeldConnections();
    }
  }
}

/** GracefulShutdown, for the app and for the readiness probe. */
@Global()
@Module({ providers: [GracefulShutdown], exports: [GracefulShutdown] })
export class GracefulShutdownModule {}
