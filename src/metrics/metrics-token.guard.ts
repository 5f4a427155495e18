import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../common/bearer-token';
import { unauthorized } from '../common/problem';
import { type AppConfig, appConfig } from '../config/app-config';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** When METRICS_TOKEN is set (always in staging/prod), `/metrics` wants it as a bearer token. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.expected = config.metricsToken ? digest(config.metricsToken) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const token = bearerToken(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
    // Comparing fixed-length digests keeps the comparison constant-time whatever was sent.
    if (token && timingSafeEqual(digest(token), this.expected)) return true;
    throw unauthorized('A valid metrics token is required.');
  }
}
