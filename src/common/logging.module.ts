import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, appConfig } from '../config/app-config';
import { rootLogger } from './logger';

/**
 * Nest's Logger through nestjs-pino, on the same pino instance as Fastify's access log.
 * No per-request middleware (`forRoutes: []`): Fastify already binds the request id to every
 * access-log line, and errors are logged with it by the exception filter. Measured: the
 * middleware path cost a third of the throughput of a simple route.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({ pinoHttp: { logger: rootLogger(config) }, forRoutes: [] }),
    }),
  ],
})
export class LoggingModule {}
