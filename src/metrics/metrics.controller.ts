import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { register } from 'prom-client';
import { Public } from '../auth/auth.decorators';
import { clusterMetrics, isClusterWorker } from '../cluster';
import { SECURITY_SCHEMES } from '../docs/openapi';
import { ApiProblem } from '../docs/problem-response';
import { NoRateLimit } from '../rate-limit/rate-limit.decorators';
import { MetricsTokenGuard } from './metrics-token.guard';

/** Not behind the JWT guard: Prometheus presents METRICS_TOKEN instead. */
@ApiTags('metrics')
@Controller()
@Public()
@NoRateLimit()
export class MetricsController extends PrometheusController {
  /** Prometheus metrics: process, HTTP latency per route, import outcomes. */
  @Get()
  @UseGuards(MetricsTokenGuard)
  @ApiBearerAuth(SECURITY_SCHEMES.metrics)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format.', schema: { type: 'string' } })
  @ApiProblem(401, 'METRICS_TOKEN is set and the bearer token does not match.')
  override index(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    // In a cluster, every worker's metrics together (counters summed, histograms merged).
    if (!isClusterWorker()) return super.index(response);
    response.header('Content-Type', register.contentType);
    return clusterMetrics();
  }
}
