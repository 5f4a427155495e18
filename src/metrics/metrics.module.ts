import { Global, Module } from '@nestjs/common';
import { makeHistogramProvider, PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HTTP_DURATION_METRIC, HttpMetricsService } from './http-metrics.service';
import { MetricsController } from './metrics.controller';
import { MetricsTokenGuard } from './metrics-token.guard';

/** `GET /metrics` for Prometheus; other modules register their own metrics through this module. */
@Global()
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController, path: '/metrics' })],
  providers: [
    MetricsTokenGuard,
    HttpMetricsService,
    makeHistogramProvider({
      name: HTTP_DURATION_METRIC,
      help: 'HTTP request latency by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
  ],
  exports: [PrometheusModule],
})
export class MetricsModule {}
