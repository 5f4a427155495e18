import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { type ExecutionContext, Module } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { type AppConfig, appConfig } from '../config/app-config';
import { AUTH_RATE_LIMITED, EXPORT_RATE_LIMITED } from './rate-limit.decorators';

/**
 * Four limits (all configuration): `default` and `burst` on every route, the stricter `auth` on
 * the routes marked `@AuthRateLimit()`, and `export` (one per interval) on `@ExportRateLimit()`. Counters live in memory, or in Redis when
 * REDIS_URL is set, so that they hold across instances.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => {
        const limits = config.rateLimit;
        const reflector = new Reflector();
        const unless = (marker: string) => (context: ExecutionContext) =>
          !reflector.getAllAndOverride<boolean>(marker, [context.getHandler(), context.getClass()]);
        return {
          throttlers: [
            { name: 'default', ttl: limits.ttlMs, limit: limits.max },
            { name: 'burst', ttl: limits.burstTtlMs, limit: limits.burstMax },
            {
              name: 'auth',
              ttl: limits.authTtlMs,
              limit: limits.authMax,
              skipIf: unless(AUTH_RATE_LIMITED),
            },
            // A user's data export reads their whole history: one per interval.
            { name: 'export', ttl: limits.exportIntervalMs, limit: 1, skipIf: unless(EXPORT_RATE_LIMITED) },
          ],
          storage: config.redisUrl ? new ThrottlerStorageRedisService(config.redisUrl) : undefined,
        };
      },
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
