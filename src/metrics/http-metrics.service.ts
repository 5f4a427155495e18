import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyInstance } from 'fastify';
import type { Histogram } from 'prom-client';

export const HTTP_DURATION_METRIC = 'http_request_duration_seconds';

/**
 * Observes every response's latency by method, route template and status. Unmatched URLs share
 * one label, so scanners cannot blow up the metric's cardinality.
 */
@Injectable()
export class HttpMetricsService implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectMetric(HTTP_DURATION_METRIC) private readonly duration: Histogram<'method' | 'route' | 'status_code'>,
  ) {}

  onModuleInit(): void {
    // A CLI's application context has no HTTP server to observe.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onResponse', (request, reply, done) => {
      this.duration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode },
        reply.elapsedTime / 1_000,
      );
      done();
    });
  }
}
