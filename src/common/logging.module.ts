import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, appConfig } from '../config/app-config';

/**
 * JSON logs through pino: one line per API request plus the app's own lines, each carrying the
 * request id; credentials in headers are redacted. Only `/api/v1` traffic is logged per request:
 * probes and scrapes (`/health/*`, `/metrics`) would drown it.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        forRoutes: [{ path: '{/*splat}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.logLevel,
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
          quietReqLogger: true,
          customAttributeKeys: { reqId: 'requestId' },
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            censor: '[redacted]',
          },
          serializers: {
            req: (req: IncomingMessage & { id: string }) => ({
              method: req.method,
              url: req.url?.split('?')[0],
              headers: req.headers,
            }),
            res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
          },
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
            error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        },
      }),
    }),
  ],
})
export class LoggingModule {}
