import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Module } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { type AppConfig, appConfig } from '../config/app-config';
import { AUTH_RATE_LIMITED } from './rate-limit.decorators';

/**
 * Three limits (all configuration): `default` and `burst` on every route, and the stricter
 * `auth` on the routes marked `@AuthRateLimit()`. Counters live in memory, or in Redis when
 * REDIS_URL is set, so that they hold across instances.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => {
        const limits = config.rateLimit;
        const reflector = new Reflector();
        return {
          throttlers: [
            { name: 'default', ttl: limits.ttlMs, limit: limits.max },
            { name: 'burst', ttl: limits.burstTtlMs, limit: limits.burstMax },
            {
              name: 'auth',
              ttl: limits.authTtlMs,
              limit: limits.authMax,
              skipIf: (context) =>
                !reflector.getAllAndOverride<boolean>(AUTH_RATE_LIMITED, [context.getHandler(), context.getClass()]),
            },
          ],
          storage: config.redisUrl ? new ThrottlerStorageRedisService(config.redisUrl) : undefined,
        };
      },
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
