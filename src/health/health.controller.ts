import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { GracefulShutdown } from '../common/graceful-shutdown';
import { ApiProblem } from '../docs/problem-response';
import { NoRateLimit } from '../rate-limit/rate-limit.decorators';

const READINESS_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok'] },
    info: { type: 'object', additionalProperties: true },
    error: { type: 'object', additionalProperties: true },
    details: { type: 'object', additionalProperties: true, example: { database: { status: 'up' } } },
  },
};

/** Liveness (the process answers) and readiness (it can reach its database). Probes are neither authenticated nor rate limited. */
@ApiTags('health')
@Controller('health')
@Public()
@NoRateLimit()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly shutdown: GracefulShutdown,
  ) {}

  /** The process is up; never touches the database, so a database outage does not restart it. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive.' })
  getLiveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to serve: not shutting down, and the database answers a ping within 1.5 s. */
  @Get('ready')
  // Terminus would document its 503 as a JSON health report; the filter answers it as problem+json.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Ready: the database answered.', schema: READINESS_SCHEMA })
  @ApiProblem(503, 'The database is unreachable, or the instance is shutting down (SIGTERM).')
  getReadiness(): Promise<HealthCheckResult> {
    this.shutdown.assertNotDraining();
    return this.health.check([() => this.database.pingCheck('database', { timeout: 1_500 })]);
  }
}
