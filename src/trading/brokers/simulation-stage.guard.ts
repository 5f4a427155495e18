import { CanActivate, ExecutionContext, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type AppConfig, appConfig } from '../../config/app-config';

/**
 * Simulation routes (paper fills) exist in dev and test only: in staging and prod they answer
 * exactly as a route that does not exist (after authentication, which runs first).
 */
@Injectable()
export class SimulationStageGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.enabled = config.stage === 'dev' || config.stage === 'test';
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.enabled) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    throw new NotFoundException(`Cannot ${request.method} ${request.url}`);
  }
}
